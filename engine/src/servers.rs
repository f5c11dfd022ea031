//! gRPC servers on 127.0.0.1 ephemeral ports, each with the health service,
//! stopped explicitly when the run that needs them ends.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Server;
use tonic::transport::server::Router;

/// How long in-flight calls may take to finish when a server stops.
const STOP_GRACE: Duration = Duration::from_secs(5);

pub struct RunningServer {
    address: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
}

/// A server builder with the engine's limits; add services, then [`RunningServer::start`].
pub fn builder() -> Router {
    let (_, health) = tonic_health::server::health_reporter();
    // The health reporter starts with the overall service ("") SERVING.
    Server::builder().add_service(health)
}

impl RunningServer {
    pub async fn start(router: Router) -> Result<Self> {
        let listener =
            TcpListener::bind("127.0.0.1:0").await.context("binding a port on 127.0.0.1")?;
        let address = listener.local_addr()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(router.serve_with_incoming_shutdown(
            unfold_wire::plugin::incoming(listener),
            async {
                stopped.await.ok();
            },
        ));
        Ok(Self { address, shutdown, task })
    }

    /// `127.0.0.1:<port>`, as hosts expect it.
    pub fn address(&self) -> String {
        self.address.to_string()
    }

    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let abort = self.task.abort_handle();
        if tokio::time::timeout(STOP_GRACE, self.task).await.is_err() {
            abort.abort();
        }
    }
}
