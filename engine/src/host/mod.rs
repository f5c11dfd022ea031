//! Language hosts: what runs the program and talks to the resource monitor.
//!
//! Two kinds: a `pulumi-language-<runtime>` plugin, started once and driven
//! over the LanguageRuntime protocol as the Pulumi CLI does; and Pulumi's own
//! Node.js SDK program runner, started directly for each run (the reference
//! the engine is checked against).

mod nodejs;
mod output;
mod plugin;
pub(crate) mod process;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use unfold_proto::pulumirpc::{PackageDependency, ProgramInfo, RunRequest};

use crate::project::ProjectSpec;
use crate::run_record::CurrentRun;

pub(crate) use nodejs::NodeSdkHost;
pub(crate) use plugin::PluginHost;

/// Which language host runs the program.
#[derive(Debug, Clone)]
pub enum HostSpec {
    /// A language plugin binary; `None` finds `pulumi-language-<runtime>` on `PATH`.
    Plugin { binary: Option<PathBuf> },
    /// Pulumi's Node.js SDK runner: `node <sdk>/cmd/run`.
    NodeSdk {
        /// The `node` executable.
        node: PathBuf,
        /// The `@pulumi/pulumi` package directory.
        sdk: PathBuf,
    },
}

/// How a program run ended, as the language host reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    Succeeded,
    /// The host already reported the error through the engine log.
    Bailed,
    Failed(String),
}

/// A started language host.
#[async_trait]
pub trait LanguageHost: Send {
    async fn required_packages(&mut self, info: ProgramInfo) -> Result<Vec<PackageDependency>>;

    /// Runs the program once against the monitor named in the request.
    async fn run(&mut self, request: RunRequest, timeout: Duration) -> Result<RunOutcome>;

    /// Stops the host and everything it started.
    async fn shutdown(self: Box<Self>);
}

impl HostSpec {
    /// Starts the host for a project; its output goes to the current run's diagnostics.
    pub async fn start(
        &self,
        project: &ProjectSpec,
        engine_address: &str,
        current: CurrentRun,
    ) -> Result<Box<dyn LanguageHost>> {
        Ok(match self {
            HostSpec::Plugin { binary } => {
                let binary = binary.clone().unwrap_or_else(|| {
                    PathBuf::from(format!("pulumi-language-{}", project.runtime))
                });
                Box::new(PluginHost::start(&binary, engine_address, current).await?)
            }
            HostSpec::NodeSdk { node, sdk } => {
                Box::new(NodeSdkHost::new(node.clone(), sdk.clone(), engine_address, current))
            }
        })
    }
}
