//! A `pulumi-language-<runtime>` plugin, launched as the CLI launches it:
//! `<binary> <engine-address>`, port on the first stdout line, then gRPC.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use async_trait::async_trait;
use tokio::process::Child;
use tokio::task::JoinHandle;
use tonic::transport::Channel;
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::language_runtime_client::LanguageRuntimeClient;
use unfold_proto::pulumirpc::{
    GetRequiredPackagesRequest, PackageDependency, ProgramInfo, RunRequest,
};
use unfold_wire::plugin;

use super::output::{forward_lines, lines};
use super::process::interrupt_then_kill;
use super::{LanguageHost, RunOutcome};
use crate::diagnostics::{Diagnostic, Severity, Source};
use crate::run_record::CurrentRun;

/// How long a host may take to print its port.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a short call (plugin info, required packages, cancel) may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a host may take to acknowledge Cancel.
const CANCEL_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for a host's output to drain after it exits.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct PluginHost {
    child: Child,
    client: LanguageRuntimeClient<Channel>,
    pumps: Vec<JoinHandle<()>>,
}

impl PluginHost {
    pub(crate) async fn start(
        binary: &Path,
        engine_address: &str,
        current: CurrentRun,
    ) -> Result<Self> {
        let mut child = plugin::command(binary, engine_address)
            .spawn()
            .with_context(|| format!("starting language host {}", binary.display()))?;
        let mut stdout = lines(child.stdout.take().context("host stdout")?);
        // Keep the stderr seen before the port so a failed start can explain itself.
        let early_stderr = Arc::new(Mutex::new(Vec::<String>::new()));
        let stderr_pump = {
            let mut stderr = lines(child.stderr.take().context("host stderr")?);
            let early_stderr = early_stderr.clone();
            let current = current.clone();
            tokio::spawn(async move {
                while let Ok(Some(line)) = stderr.next_line().await {
                    early_stderr.lock().unwrap_or_else(|e| e.into_inner()).push(line.clone());
                    current.get().diagnostics.push(Diagnostic {
                        severity: Severity::Error,
                        source: Source::HostStderr,
                        urn: String::new(),
                        message: line,
                        ephemeral: false,
                    });
                }
            })
        };
        let port = match plugin::read_port(&mut stdout, STARTUP_TIMEOUT).await {
            Ok(port) => port,
            Err(e) => {
                interrupt_then_kill(&mut child).await;
                let _ = tokio::time::timeout(DRAIN_TIMEOUT, stderr_pump).await;
                let stderr = early_stderr.lock().unwrap_or_else(|e| e.into_inner()).join("\n");
                let status =
                    child.try_wait().ok().flatten().map(|s| format!(" ({s})")).unwrap_or_default();
                bail!(
                    "language host {} failed to start{status}: {e}\nstderr:\n{stderr}",
                    binary.display()
                );
            }
        };
        let stdout_pump = forward_lines(stdout, Source::HostStdout, current);
        let channel = Channel::from_shared(format!("http://127.0.0.1:{port}"))?
            .connect_timeout(CALL_TIMEOUT)
            .connect()
            .await
            .with_context(|| {
                format!("connecting to language host {} on port {port}", binary.display())
            })?;
        let client = LanguageRuntimeClient::new(channel)
            .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
            .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
        let mut host = Self { child, client, pumps: vec![stdout_pump, stderr_pump] };
        let info = tokio::time::timeout(CALL_TIMEOUT, host.client.get_plugin_info(Empty {}))
            .await
            .context("GetPluginInfo timed out")?
            .context("GetPluginInfo failed")?
            .into_inner();
        if !info.version.is_empty()
            && semver::Version::parse(info.version.trim_start_matches('v')).is_err()
        {
            bail!("language host reported an invalid version '{}'", info.version);
        }
        Ok(host)
    }
}

#[async_trait]
impl LanguageHost for PluginHost {
    async fn required_packages(&mut self, info: ProgramInfo) -> Result<Vec<PackageDependency>> {
        let response = tokio::time::timeout(
            CALL_TIMEOUT,
            self.client.get_required_packages(GetRequiredPackagesRequest { info: Some(info) }),
        )
        .await
        .context("GetRequiredPackages timed out")?
        .context("GetRequiredPackages failed")?;
        Ok(response.into_inner().packages)
    }

    async fn run(&mut self, request: RunRequest, timeout: Duration) -> Result<RunOutcome> {
        let response = tokio::time::timeout(timeout, self.client.run(request))
            .await
            .with_context(|| format!("the program did not finish within {timeout:?}"))?
            .map_err(|status| anyhow!("Run failed: {}", status.message()))?
            .into_inner();
        Ok(if response.bail {
            RunOutcome::Bailed
        } else if !response.error.is_empty() {
            RunOutcome::Failed(response.error)
        } else {
            RunOutcome::Succeeded
        })
    }

    async fn shutdown(mut self: Box<Self>) {
        let _ = tokio::time::timeout(CANCEL_TIMEOUT, self.client.cancel(Empty {})).await;
        interrupt_then_kill(&mut self.child).await;
        for pump in self.pumps.drain(..) {
            let _ = tokio::time::timeout(DRAIN_TIMEOUT, pump).await;
        }
    }
}
