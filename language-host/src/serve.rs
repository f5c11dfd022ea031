//! Serving the language host as the engine launches it: parse the launch
//! arguments, announce the port, and exit when the engine goes away.

use std::time::Duration;

use tokio::net::TcpListener;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use unfold_proto::pulumirpc::language_runtime_server::LanguageRuntimeServer;

use crate::language_runtime::LanguageHost;

/// How often the engine's health is checked, and how many failures in a row mean it is gone.
const HEALTH_INTERVAL: Duration = Duration::from_secs(1);
const HEALTH_FAILURES: u32 = 3;

/// `[flags…] <engine-address>`: flags (`-root=…`, `--logtostderr`, `-v=9`,
/// `--tracing <url>`, runtime options) are accepted and ignored; the engine
/// address is the last argument. Without one, the host waits for Handshake.
pub fn engine_address(args: &[String]) -> Option<String> {
    let last = args.last()?;
    let after_value_flag = args.len() >= 2 && args[args.len() - 2] == "--tracing";
    (!last.starts_with('-') && !after_value_flag).then(|| last.clone())
}

/// Serves until the engine is gone (or forever, without an engine address).
pub async fn serve(engine_address: Option<String>) -> anyhow::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    // The engine reads the port from the first line of stdout.
    println!("{port}");
    let service = LanguageRuntimeServer::new(LanguageHost::new(engine_address.clone()))
        .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
        .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
    let server = tonic::transport::Server::builder()
        .add_service(service)
        .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    match engine_address {
        Some(address) => tokio::select! {
            served = server => served.map_err(Into::into),
            () = wait_until_engine_gone(address) => Ok(()),
        },
        None => server.await.map_err(Into::into),
    }
}

/// Returns once the engine at `address` has failed its health check several
/// times in a row: a plugin launched by the engine exits then.
pub async fn wait_until_engine_gone(address: String) {
    let url = format!("http://{address}");
    let mut failures = 0;
    loop {
        tokio::time::sleep(HEALTH_INTERVAL).await;
        if engine_alive(&url).await {
            failures = 0;
        } else {
            failures += 1;
            if failures >= HEALTH_FAILURES {
                return;
            }
        }
    }
}

async fn engine_alive(url: &str) -> bool {
    let Ok(endpoint) = tonic::transport::Endpoint::from_shared(url.to_string()) else {
        return false;
    };
    let Ok(channel) = endpoint.connect_timeout(Duration::from_secs(5)).connect().await else {
        return false;
    };
    let mut client = HealthClient::new(channel);
    match client.check(HealthCheckRequest { service: String::new() }).await {
        Ok(response) => response.into_inner().status() != ServingStatus::NotServing,
        // An engine that does not implement health checks is alive.
        Err(status) => status.code() == tonic::Code::Unimplemented,
    }
}
