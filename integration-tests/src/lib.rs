//! Support for Unfold's end-to-end suites: the test doubles the engine runs
//! programs against. They live here, never in a shipped crate.

pub mod aws_deployment;
pub mod debugger;
pub mod echo_provider;
pub mod http;
pub mod lambda_emulator;
pub mod lambda_router;
pub mod load;
pub mod local_deployment;
pub mod local_target;
pub mod moto;
pub mod node_peer;
pub mod provider_server;
pub mod pulumi_cli;
pub mod test_provider;
pub mod workspace;

pub use workspace::{binary, repository_path};

use std::path::PathBuf;
use std::sync::Arc;

use unfold_engine::{Engine, HostSpec, ProviderRegistry};

/// The providers the suites' programs use: the in-memory `test` package.
pub fn test_providers() -> ProviderRegistry {
    let mut registry = ProviderRegistry::default();
    registry.register("test", Arc::new(test_provider::TestProvider::default()));
    registry
}

/// An engine keeping state in `state`, with [`test_providers`].
pub fn engine(state: impl Into<PathBuf>) -> Engine {
    Engine::new(state).with_providers(test_providers())
}

/// Our language host, `pulumi-language-unfold`, as built with the suites.
pub fn unfold_host() -> HostSpec {
    HostSpec::Plugin { binary: Some(binary("pulumi-language-unfold")) }
}
