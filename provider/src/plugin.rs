//! Serving the provider as the engine launches it: announce the port on the
//! first line of stdout, serve, and exit when the engine goes away or on
//! SIGTERM/SIGINT. The local server it may have started keeps running: it
//! belongs to the stack, not to this deployment.

use tokio::net::TcpListener;
use unfold_host::serve::wait_until_engine_gone;
use unfold_proto::pulumirpc::resource_provider_server::ResourceProviderServer;

use crate::provider::UnfoldProvider;

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
