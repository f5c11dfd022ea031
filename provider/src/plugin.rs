//! Serving the provider as the engine launches it: announce the port on the
//! first line of stdout, serve, and exit when the engine goes away or on
//! SIGTERM/SIGINT. The local server it may have started keeps running: it
//! belongs to the stack, not to this deployment.

use std::time::Duration;

use tokio::net::TcpListener;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use unfold_proto::pulumirpc::resource_provider_server::ResourceProviderServer;

use crate::provider::UnfoldProvider;

/// How often the engine's health is checked, and how many failures in a row mean it is gone.
const HEALTH_INTERVAL: Duration = Duration::from_secs(1);
const HEALTH_FAILURES: u32 = 3;

pub async fn serve(engine_address: Option<String>) -> anyhow::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    // The engine reads the port from the first line of stdout.
    println!("{port}");
    let service = ResourceProviderServer::new(UnfoldProvider)
        .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
        .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
    let server = tonic::transport::Server::builder()
        .add_service(service)
        .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    let engine_gone = async move {
        match engine_address {
            Some(address) => wait_until_engine_gone(address).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        served = server => served.map_err(Into::into),
        () = engine_gone => Ok(()),
        () = signalled() => Ok(()),
    }
}

async fn signalled() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut terminate), Ok(mut interrupt)) => tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        },
        _ => std::future::pending().await,
    }
}

async fn wait_until_engine_gone(address: String) {
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
    let Ok(endpoint) = tonic::transport::Endpoint::from_shared(url.to_string()) else { return false };
    let Ok(channel) = endpoint.connect_timeout(Duration::from_secs(5)).connect().await else { return false };
    let mut client = HealthClient::new(channel);
    match client.check(HealthCheckRequest { service: String::new() }).await {
        Ok(response) => response.into_inner().status() != ServingStatus::NotServing,
        // An engine that does not implement health checks is alive.
        Err(status) => status.code() == tonic::Code::Unimplemented,
    }
}
