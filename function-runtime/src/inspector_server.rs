//! The V8 inspector protocol over WebSocket, as Node.js and Deno serve it, so
//! Chrome DevTools (chrome://inspect) and VS Code attach to running isolates:
//! `GET /json/version`, `GET /json/list` describe the targets, and
//! `ws://<address>/<id>` is a target's debugging session. One server serves
//! any number of targets — a replay's one isolate, or every instance of every
//! Function and service of a stack (`unfold dev --inspect`) — each registered
//! while its isolate runs.
//!
//! The server runs on a thread of its own: while a program is paused at a
//! breakpoint, its isolate's thread waits inside V8 for the debugger's
//! messages, which must keep arriving.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use deno_core::futures::channel::mpsc;
use deno_core::futures::{SinkExt, StreamExt};
use deno_core::{
    InspectorMsg, InspectorSessionChannels, InspectorSessionKind, InspectorSessionProxy,
};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use unfold_runtime::isolate::Isolate;

/// Where to serve the inspector, and whether to pause for the debugger.
#[derive(Debug, Clone, Copy)]
pub struct Inspect {
    pub address: SocketAddr,
    /// Pause before the first statement until the debugger resumes.
    pub wait: bool,
}

/// The inspector's port, bound before anything runs, so a port in use is
/// reported first.
pub struct Listener(std::net::TcpListener);

impl Listener {
    pub fn bind(address: SocketAddr) -> Result<Self, String> {
        std::net::TcpListener::bind(address)
            .and_then(|listener| listener.set_nonblocking(true).map(|()| Self(listener)))
            .map_err(|error| format!("cannot listen on {address} for a debugger: {error}"))
    }
}

/// The isolates a debugger may attach to; cheap to clone, usable from any thread.
#[derive(Clone, Default)]
pub struct Targets(Arc<Mutex<Vec<Target>>>);

#[derive(Clone)]
struct Target {
    id: String,
    title: String,
    sessions: mpsc::UnboundedSender<InspectorSessionProxy>,
}

/// A registered target; it is listed until this is dropped.
pub struct Registration {
    targets: Targets,
    id: String,
}

impl Targets {
    /// Lists `isolate` as `title` until the registration is dropped.
    pub fn register(&self, title: &str, isolate: &Isolate) -> Result<Registration, String> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|error| format!("no randomness: {error}"))?;
        let target = Target {
            id: uuid_text(&id),
            title: title.to_string(),
            sessions: isolate.inspector().get_session_sender(),
        };
        let id = target.id.clone();
        self.lock().push(target);
        Ok(Registration { targets: self.clone(), id })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Target>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn find(&self, id: &str) -> Option<Target> {
        self.lock().iter().find(|target| target.id == id).cloned()
    }
}

impl Registration {
    /// The WebSocket URL of this target on `server`.
    pub fn websocket_url(&self, server: &InspectorServer) -> String {
        format!("ws://{}/{}", server.address, self.id)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.targets.lock().retain(|target| target.id != self.id);
    }
}

/// A running inspector server; stops when dropped.
pub struct InspectorServer {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Clone)]
struct Served {
    targets: Targets,
    address: SocketAddr,
    /// What the targets are, as `/json/list` describes them.
    description: String,
}

impl InspectorServer {
    /// Serves `targets` on `listener`; `description` says what they are.
    pub fn start(listener: Listener, targets: Targets, description: &str) -> Result<Self, String> {
        let Listener(listener) = listener;
        let address = listener.local_addr().map_err(|error| error.to_string())?;
        let served = Served { targets, address, description: description.to_string() };
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("inspector".into())
            .spawn(move || serve(listener, served, stopped))
            .map_err(|error| format!("cannot start the inspector's thread: {error}"))?;
        Ok(Self { address, stop: Some(stop), thread: Some(thread) })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for InspectorServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Served {
    fn describe(&self, target: &Target) -> Value {
        let socket = format!("{}/{}", self.address, target.id);
        json!({
            "description": self.description,
            "devtoolsFrontendUrl": format!("devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws={socket}"),
            "id": target.id,
            "title": target.title,
            "type": "node",
            "url": "file://",
            "webSocketDebuggerUrl": format!("ws://{socket}"),
        })
    }
}

fn serve(listener: std::net::TcpListener, served: Served, stopped: oneshot::Receiver<()>) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        return;
    };
    runtime.block_on(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
        let app = Router::new()
            .route("/json/version", get(version))
            .route("/json", get(list))
            .route("/json/list", get(list))
            .route("/{id}", get(session))
            .with_state(served);
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
}

async fn version() -> Json<Value> {
    Json(json!({
        "Browser": format!("unfold/{}", env!("CARGO_PKG_VERSION")),
        "Protocol-Version": "1.3",
        "V8-Version": deno_core::v8::VERSION_STRING,
    }))
}

async fn list(State(served): State<Served>) -> Json<Value> {
    let targets = served.targets.lock().clone();
    Json(Value::Array(targets.iter().map(|target| served.describe(target)).collect()))
}

async fn session(
    State(served): State<Served>,
    Path(id): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(target) = served.targets.find(&id) else {
        return (axum::http::StatusCode::NOT_FOUND, "no such inspector target").into_response();
    };
    upgrade.on_upgrade(move |socket| relay(socket, target)).into_response()
}

/// Carries one debugger's messages to the isolate's inspector and back.
async fn relay(socket: WebSocket, target: Target) {
    let (to_debugger, mut from_inspector) = mpsc::unbounded::<InspectorMsg>();
    let (to_inspector, from_debugger) = mpsc::unbounded::<String>();
    let proxy = InspectorSessionProxy {
        channels: InspectorSessionChannels::Regular { tx: to_debugger, rx: from_debugger },
        kind: InspectorSessionKind::NonBlocking { wait_for_disconnect: false },
    };
    if target.sessions.unbounded_send(proxy).is_err() {
        return;
    }
    let (mut sink, mut stream) = socket.split();
    let outbound = async {
        while let Some(message) = from_inspector.next().await {
            if sink.send(Message::Text(message.content.into())).await.is_err() {
                break;
            }
        }
    };
    let inbound = async {
        let mut to_inspector = to_inspector;
        while let Some(Ok(message)) = stream.next().await {
            match message {
                Message::Text(text) if to_inspector.send(text.to_string()).await.is_err() => break,
                Message::Text(_) => {}
                Message::Close(_) => break,
                _ => {}
            }
        }
    };
    tokio::select! {
        () = outbound => {}
        () = inbound => {}
    }
}

/// 16 random bytes as a version-4 UUID, the form debuggers expect of target ids.
fn uuid_text(bytes: &[u8; 16]) -> String {
    let mut bytes = *bytes;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
