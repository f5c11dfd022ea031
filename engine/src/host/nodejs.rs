//! Pulumi's Node.js SDK program runner, started for each run as Pulumi's
//! nodejs language host starts it:
//! `node <sdk>/cmd/run --monitor=… --engine=… --project=… --stack=… --pwd=… [--dry-run] <program>`,
//! with config in `PULUMI_CONFIG` and `PULUMI_CONFIG_SECRET_KEYS`, and the
//! nodejs runtime options (`typescript`, `tsconfig`, `nodeargs`) turned into
//! the environment and node arguments that host derives from them.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result};
use async_trait::async_trait;
use tokio::process::Command;
use unfold_proto::pulumirpc::{PackageDependency, ProgramInfo, RunRequest};

use super::output::{forward_lines, lines};
use super::process::interrupt_then_kill;
use super::{LanguageHost, RunOutcome};
use crate::diagnostics::Source;
use crate::run_record::CurrentRun;

/// The runner's exit code after it has already logged the error (`bail`).
const EXIT_AFTER_LOGGED_ERROR: i32 = 32;
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct NodeSdkHost {
    node: PathBuf,
    sdk: PathBuf,
    engine_address: String,
    current: CurrentRun,
}

impl NodeSdkHost {
    pub(crate) fn new(
        node: PathBuf,
        sdk: PathBuf,
        engine_address: &str,
        current: CurrentRun,
    ) -> Self {
        Self { node, sdk, engine_address: engine_address.to_string(), current }
    }
}

#[async_trait]
impl LanguageHost for NodeSdkHost {
    async fn required_packages(&mut self, _info: ProgramInfo) -> Result<Vec<PackageDependency>> {
        // Plugins come from package.json dependencies; the built-in provider needs none.
        Ok(Vec::new())
    }

    async fn run(&mut self, request: RunRequest, timeout: Duration) -> Result<RunOutcome> {
        let options = NodeRuntimeOptions::from_request(&request);
        let mut command = Command::new(&self.node);
        command
            .args(&options.node_args)
            .arg(self.sdk.join("cmd").join("run"))
            .arg(format!("--monitor={}", request.monitor_address))
            .arg(format!("--engine={}", self.engine_address))
            .arg(format!("--project={}", request.project))
            .arg(format!("--stack={}", request.stack))
            .arg(format!("--pwd={}", request.pwd))
            .arg(format!("--parallel={}", request.parallel));
        if !request.organization.is_empty() {
            command.arg(format!("--organization={}", request.organization));
        }
        if let Some(info) = &request.info {
            command.arg(format!("--root-directory={}", info.root_directory));
        }
        if request.dry_run {
            command.arg("--dry-run");
        }
        #[allow(deprecated)]
        // The runner takes the entry point from `program`, as Pulumi's nodejs host passes it.
        command.arg(&request.program).args(&request.args);
        // Programs resolve `@pulumi/pulumi` to this very SDK, as the runner requires.
        let node_modules = self
            .sdk
            .parent()
            .and_then(|p| p.parent())
            .context("the SDK is not inside node_modules")?;
        let config: serde_json::Map<String, serde_json::Value> =
            request.config.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
        if let Some(tsconfig) = &options.tsconfig {
            command.env("PULUMI_NODEJS_TSCONFIG_PATH", tsconfig);
        }
        let mut child = command
            .current_dir(&request.pwd)
            .env("NODE_PATH", node_modules)
            .env("PULUMI_CONFIG", serde_json::Value::Object(config).to_string())
            .env("PULUMI_CONFIG_SECRET_KEYS", serde_json::to_string(&request.config_secret_keys)?)
            .env("PULUMI_NODEJS_TYPESCRIPT", options.typescript.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", self.node.display()))?;
        let pumps = [
            forward_lines(
                lines(child.stdout.take().context("node stdout")?),
                Source::HostStdout,
                self.current.clone(),
            ),
            forward_lines(
                lines(child.stderr.take().context("node stderr")?),
                Source::HostStderr,
                self.current.clone(),
            ),
        ];
        let status = match tokio::time::timeout(timeout, child.wait()).await {
            Ok(status) => status.context("waiting for node")?,
            Err(_) => {
                interrupt_then_kill(&mut child).await;
                anyhow::bail!("the program did not finish within {timeout:?}");
            }
        };
        for pump in pumps {
            let _ = tokio::time::timeout(DRAIN_TIMEOUT, pump).await;
        }
        Ok(match status.code() {
            Some(0) => RunOutcome::Succeeded,
            Some(EXIT_AFTER_LOGGED_ERROR) => RunOutcome::Bailed,
            Some(code) => {
                RunOutcome::Failed(format!("Program exited with non-zero exit code: {code}"))
            }
            None => RunOutcome::Failed(format!("Program exited abnormally: {status}")),
        })
    }

    async fn shutdown(self: Box<Self>) {}
}

/// Pulumi.yaml `runtime.options` as Pulumi's nodejs language host reads them.
struct NodeRuntimeOptions {
    /// Whether the runner loads ts-node for `.ts` programs (default on).
    typescript: bool,
    /// The tsconfig the runner hands to ts-node instead of `./tsconfig.json`.
    tsconfig: Option<String>,
    /// Extra arguments for `node` itself, space separated in the option.
    node_args: Vec<String>,
}

impl NodeRuntimeOptions {
    fn from_request(request: &RunRequest) -> Self {
        let options = request.info.as_ref().and_then(|i| i.options.as_ref()).map(|o| &o.fields);
        let option = |name: &str| options.and_then(|o| o.get(name)).and_then(|v| v.kind.as_ref());
        use unfold_proto::pbjson_types::value::Kind;
        let text = |name: &str| match option(name) {
            Some(Kind::StringValue(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        Self {
            typescript: !matches!(option("typescript"), Some(Kind::BoolValue(false))),
            tsconfig: text("tsconfig"),
            node_args: text("nodeargs")
                .map(|a| a.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
        }
    }
}
