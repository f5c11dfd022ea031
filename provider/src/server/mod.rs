//! The local server (`pulumi-resource-unfold serve --state <dir>`): serves a
//! stack's HTTP APIs on 127.0.0.1 by running its Functions, and answers the
//! provider's control requests. Everything it serves is read from the state
//! directory, so it can be restarted at any time without losing anything.

pub(crate) mod config;
pub(crate) mod connections;
pub(crate) mod control;
pub(crate) mod functions;
pub(crate) mod guard;
pub(crate) mod inspector;
pub(crate) mod log;
pub(crate) mod routes;
pub(crate) mod services;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::state::{ServerInfo, StateDir, write_json};
use config::Config;

/// How long a port still held by a previous server is waited for.
const BIND_RETRY: Duration = Duration::from_secs(10);
/// How long requests in flight may finish after a stop is asked for.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

pub(crate) struct Server {
    pub(crate) state: StateDir,
    pub(crate) token: String,
    /// The port it listens on: requests must be addressed to it.
    pub(crate) port: u16,
    config: RwLock<Arc<Config>>,
    /// Reloads one at a time, so a later reload never installs older files.
    reloading: tokio::sync::Mutex<()>,
    /// Lists instances for debuggers while it is served.
    pub(crate) inspector: inspector::Inspector,
    stop: watch::Sender<bool>,
}

impl Server {
    pub(crate) fn config(&self) -> Arc<Config> {
        self.config.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Re-reads the state directory and serves from it from now on.
    pub(crate) async fn reload(&self) {
        let _one_at_a_time = self.reloading.lock().await;
        let previous = self.config();
        let state = self.state.clone();
        let next = tokio::task::spawn_blocking(move || Config::load(&state, &previous))
            .await
            .unwrap_or_default();
        log::server(&format!(
            "serving {} API(s), {} function(s)",
            next.apis.len(),
            next.functions.len()
        ));
        *self.config.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(next);
    }

    pub(crate) fn request_stop(&self) {
        let _ = self.stop.send(true);
    }
}

fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| anyhow::anyhow!("no randomness for the control token: {error}"))?;
    Ok(hex::encode(bytes))
}

/// Binds the port recorded by an earlier server, so URLs stay the same; the
/// first server takes any free port.
async fn bind(port: u16) -> anyhow::Result<TcpListener> {
    let deadline = tokio::time::Instant::now() + BIND_RETRY;
    loop {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => return Ok(listener),
            Err(error)
                if error.kind() == std::io::ErrorKind::AddrInUse
                    && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => anyhow::bail!(
                "cannot listen on 127.0.0.1:{port} (this stack's URLs use it): {error}"
            ),
        }
    }
}

pub(crate) fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/.unfold/health", get(control::health))
        .route("/.unfold/reload", post(control::reload))
        .route("/.unfold/stop", post(control::stop))
        .route("/.unfold/inspect", post(control::inspect))
        .fallback(routes::serve)
        .layer(axum::middleware::from_fn_with_state(server.clone(), guard::guard))
        .with_state(server)
}

async fn stop_requested(mut stop: watch::Receiver<bool>) {
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let mut interrupt =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
    let signal = async {
        match (&mut terminate, &mut interrupt) {
            (Some(terminate), Some(interrupt)) => tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = interrupt.recv() => "SIGINT",
            },
            _ => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = stop.wait_for(|stop| *stop) => log::server("stopping: asked to"),
        name = signal => log::server(&format!("stopping: {name}")),
    }
}

/// Serves until stopped.
pub async fn run(state: StateDir) -> anyhow::Result<()> {
    // Files an older version made, or the umask allowed, become the user's alone.
    unfold_function_runtime::private_files::tighten(state.path())?;
    unfold_runtime::start_v8();
    let previous = crate::process::recorded(&state);
    let listener = bind(previous.map_or(0, |info| info.port)).await?;
    let port = listener.local_addr()?.port();
    let (stop, stopped) = watch::channel(false);
    let server = Arc::new(Server {
        config: RwLock::new(Arc::new(Config::default())),
        reloading: tokio::sync::Mutex::new(()),
        inspector: inspector::Inspector::default(),
        state: state.clone(),
        token: new_token()?,
        port,
        stop,
    });
    server.reload().await;
    write_json(
        &state.server_info(),
        &ServerInfo { pid: std::process::id(), port, token: server.token.clone() },
    )?;
    log::server(&format!("listening on http://127.0.0.1:{port} (pid {})", std::process::id()));

    let shutdown = stop_requested(stopped);
    connections::serve(listener, router(server.clone()), shutdown, SHUTDOWN_GRACE).await?;
    log::server("stopped");
    Ok(())
}
