//! An embeddable Pulumi engine. It serves the ResourceMonitor, Engine and
//! health gRPC services a language host talks to, runs programs through a
//! language host (a `pulumi-language-*` plugin, or Pulumi's Node.js SDK
//! runner), turns their registrations into steps against the stored state,
//! carries the steps out through providers, and keeps each stack's state in
//! a directory.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! use unfold_engine::{Engine, HostSpec, ProjectSpec};
//! let engine = Engine::new("/tmp/state");
//! let project = ProjectSpec::load("examples/hello", "dev")?;
//! let report = engine.up(&project, &HostSpec::Plugin { binary: None }).await;
//! println!("{}", unfold_engine::summary::render(&report));
//! # Ok(()) }
//! ```

#![warn(unreachable_pub)]

pub(crate) mod aliases;
pub(crate) mod builtins;
pub(crate) mod callbacks;
pub(crate) mod default_packages;
pub(crate) mod delete;
pub mod deployment;
pub mod dev;
pub mod diagnostics;
pub(crate) mod engine;
pub(crate) mod engine_service;
pub(crate) mod evaluation;
pub(crate) mod hooks;
pub(crate) mod host;
pub(crate) mod monitor;
pub(crate) mod plugin_provider;
pub mod project;
pub mod property;
pub mod property_path;
pub mod provider;
pub mod pulumi_version;
pub(crate) mod references;
pub(crate) mod report;
pub(crate) mod response;
pub(crate) mod run_record;
pub mod secrets;
pub mod servers;
pub mod stack_config;
pub(crate) mod state;
pub mod steps;
pub mod summary;
pub(crate) mod trace;
pub mod urn;

pub use diagnostics::{Diagnostic, Severity, Source};
pub use engine::{Engine, EngineOptions};
pub use host::{HostSpec, LanguageHost, RunOutcome};
pub use plugin_provider::{PluginContext, PluginProvider, PluginSource};
pub use project::{ConfigValue, ProjectSpec};
pub use property::PropertyMap;
pub use provider::{Provider, ProviderRegistry};
pub use report::{Operation, RunReport};
pub use state::{Backend, ResourceState, SecretsProvider, StackState};
pub use steps::{Step, StepOp};
pub use trace::TraceEntry;
