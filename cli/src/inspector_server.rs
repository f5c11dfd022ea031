//! The V8 inspector protocol over WebSocket, as Node.js and Deno serve it, so
//! Chrome DevTools (chrome://inspect) and VS Code attach to a replay:
//! `GET /json/version`, `GET /json/list` describe the one target, and
//! `ws://<address>/<id>` is its debugging session.
//!
//! The server runs on a thread of its own: while the program is paused at a
//! breakpoint, the isolate's thread waits inside V8 for the debugger's
//! messages, which must keep arriving.

use std::net::SocketAddr;
use std::rc::{Rc, Weak};
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
    JsRuntimeInspector,
};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use unfold_runtime::isolate::Isolate;

/// Where to serve the inspector, and whether to pause for the debugger.
#[derive(Debug, Clone, Copy)]
pub struct Inspect {
    pub address: SocketAddr,
    /// Pause before the invocation's first statement until the debugger resumes.
    pub wait: bool,
}

/// The inspector's port, bound before the replay starts, so a port in use
/// is reported before anything runs.
pub struct Listener(std::net::TcpListener);

impl Inspect {
    pub fn bind(&self) -> Result<Listener, String> {
        std::net::TcpListener::bind(self.address)
            .and_then(|listener| listener.set_nonblocking(true).map(|()| Listener(listener)))
            .map_err(|error| format!("cannot listen on {} for a debugger: {error}", self.address))
    }
}

/// A running inspector server; stops when dropped.
pub struct InspectorServer {
    /// Weak: the isolate's runtime must be the last to hold its inspector.
    inspector: Weak<JsRuntimeInspector>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Clone)]
struct Target {
    id: String,
    title: String,
    address: SocketAddr,
    sessions: mpsc::UnboundedSender<InspectorSessionProxy>,
}

impl InspectorServer {
    /// Serves `isolate`'s inspector on `listener`.
    pub fn start(isolate: &mut Isolate, listener: Listener, title: &str) -> Result<Self, String> {
        let inspector = isolate.inspector();
        let Listener(listener) = listener;
        let address = listener.local_addr().map_err(|error| error.to_string())?;
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|error| format!("no randomness: {error}"))?;
        let target = Target {
            id: uuid_text(&id),
            title: title.to_string(),
            address,
            sessions: inspector.get_session_sender(),
        };
        let url = target.websocket_url();
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("inspector".into())
            .spawn(move || serve(listener, target, stopped))
            .map_err(|error| format!("cannot start the inspector's thread: {error}"))?;
        eprintln!("Debugger listening on {url}");
        eprintln!(
            "Visit chrome://inspect to connect to it, or attach VS Code (type \"node\", request \"attach\", port {}).",
            address.port()
        );
        let inspector = Rc::downgrade(&inspector);
        Ok(Self { inspector, stop: Some(stop), thread: Some(thread) })
    }

    /// What waits for a debugger once the Function is restored: the replay
    /// then takes up the invocation with the debugger attached — paused on
    /// its first statement with `pause`, until the debugger resumes.
    pub fn wait_for_debugger(&self, pause: bool) -> Box<dyn FnOnce()> {
        let inspector = self.inspector.clone();
        Box::new(move || {
            let Some(inspector) = inspector.upgrade() else { return };
            eprintln!("Waiting for a debugger to attach (the invocation is about to start)...");
            match pause {
                true => inspector.wait_for_session_and_break_on_next_statement(),
                false => inspector.wait_for_session(),
            }
        })
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

impl Target {
    fn websocket_url(&self) -> String {
        format!("ws://{}/{}", self.address, self.id)
    }

    fn description(&self) -> Value {
        let socket = format!("{}/{}", self.address, self.id);
        json!({
            "description": "unfold replay",
            "devtoolsFrontendUrl": format!("devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws={socket}"),
            "id": self.id,
            "title": self.title,
            "type": "node",
            "url": "file://",
            "webSocketDebuggerUrl": self.websocket_url(),
        })
    }
}

fn serve(listener: std::net::TcpListener, target: Target, stopped: oneshot::Receiver<()>) {
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
            .with_state(target);
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

async fn list(State(target): State<Target>) -> Json<Value> {
    Json(json!([target.description()]))
}

async fn session(
    State(target): State<Target>,
    Path(id): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Response {
    if id != target.id {
        return (axum::http::StatusCode::NOT_FOUND, "no such inspector target").into_response();
    }
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
