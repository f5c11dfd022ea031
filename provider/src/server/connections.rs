//! How the local server takes connections, so slow or many clients cannot
//! stop it serving others:
//!
//! - at most [`MAX_CONNECTIONS`] at once; one beyond gets `503` and is closed;
//! - a client has [`HEADER_READ_TIMEOUT`] to send a request's head (a
//!   slowloris holding connections open with a trickle of header bytes is
//!   cut off), and a head is at most [`MAX_HEAD`] bytes;
//! - on shutdown, requests in flight finish (up to the server's grace period)
//!   while no new connection is taken.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::log;

/// Connections served at once.
pub(crate) const MAX_CONNECTIONS: usize = 256;
/// How long a client may take to send a request's line and headers.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request line and headers taken (larger ones get 431).
const MAX_HEAD: usize = 64 * 1024;

const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
content-length: 47\r\nconnection: close\r\n\r\n{\"error\":\"the server has too many connections\"}";

/// Serves `router` on `listener` until `shutdown` resolves, then lets the
/// requests in flight finish for at most `grace`.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let service = TowerToHyperService::new(router);
    tokio::pin!(shutdown);
    loop {
        let (mut stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A client gone before it was accepted, or no descriptors left for now.
                Err(error) => {
                    log::server(&format!("cannot accept a connection: {error}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(async move {
                let _ = stream.write_all(BUSY).await;
                let _ = stream.shutdown().await;
            });
            continue;
        };
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .max_buf_size(MAX_HEAD)
            .serve_connection(TokioIo::new(stream), service.clone());
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => log::server("requests still running were cut off"),
    }
    Ok(())
}
