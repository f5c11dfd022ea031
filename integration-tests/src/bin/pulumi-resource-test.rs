//! `pulumi-resource-test`: the suites' `test` package as a provider plugin,
//! for Pulumi's own CLI. It serves the same provider the embedded engine runs
//! in memory (`unfold_integration_tests::test_provider`); its cloud lives in
//! `$UNFOLD_TEST_CLOUD` (a JSON file) so it outlasts the plugin's process, or
//! in memory when that is unset.

use std::process::ExitCode;
use std::sync::Arc;

use unfold_integration_tests::provider_server::ProviderServer;
use unfold_integration_tests::test_provider::TestProvider;
use unfold_proto::pulumirpc::resource_provider_server::ResourceProviderServer;

/// The version the plugin reports, and the one `pulumi plugin ls` shows.
const VERSION: &str = "1.0.0";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let provider = match std::env::var_os("UNFOLD_TEST_CLOUD") {
        Some(file) => match TestProvider::persisted_in(file) {
            Ok(provider) => provider,
            Err(error) => {
                eprintln!("pulumi-resource-test: {error:#}");
                return ExitCode::FAILURE;
            }
        },
        None => TestProvider::default(),
    };
    let service = ResourceProviderServer::new(ProviderServer::new(Arc::new(provider), VERSION));
    let router = tonic::transport::Server::builder().add_service(service);
    let served = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| {
            runtime.block_on(unfold_wire::plugin::serve(
                router,
                unfold_wire::plugin::engine_address(&args),
            ))
        });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pulumi-resource-test: {error:#}");
            ExitCode::FAILURE
        }
    }
}
