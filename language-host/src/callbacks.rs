//! The Callbacks service a program exposes to the engine (for transforms). An
//! engine call becomes an inbound event in the program; the program answers
//! with the `callback.reply` crossing, which completes the gRPC call.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;
use tonic::{Request, Response, Status};
use unfold_proto::pulumirpc::callbacks_server::{Callbacks, CallbacksServer};
use unfold_proto::pulumirpc::{CallbackInvokeRequest, CallbackInvokeResponse};

use unfold_runtime::io::host::{Crossing, CrossingError, Inbound};

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Result<Vec<u8>, String>>>>>;

/// A running Callbacks server, stopped when dropped.
pub struct CallbackServer {
    target: String,
    pending: Pending,
    _shutdown: oneshot::Sender<()>,
}

struct Service {
    inbound: UnboundedSender<Inbound>,
    pending: Pending,
    next_id: AtomicU64,
}

#[tonic::async_trait]
impl Callbacks for Service {
    async fn invoke(
        &self,
        request: Request<CallbackInvokeRequest>,
    ) -> Result<Response<CallbackInvokeResponse>, Status> {
        let request = request.into_inner();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (reply_tx, reply_rx) = oneshot::channel();
        self.pending.lock().expect("pending callbacks lock").insert(id, reply_tx);
        let event = Inbound::new(
            "callback",
            serde_json::json!({ "id": id, "token": request.token, "request": BASE64.encode(&request.request) }),
        );
        if self.inbound.send(event).is_err() {
            return Err(Status::unavailable("the program has finished"));
        }
        match reply_rx.await {
            Ok(Ok(response)) => Ok(Response::new(CallbackInvokeResponse { response })),
            Ok(Err(message)) => Err(Status::unknown(message)),
            Err(_) => {
                Err(Status::unavailable("the program finished before answering the callback"))
            }
        }
    }
}

impl CallbackServer {
    /// Binds 127.0.0.1 on a free port and serves on the current runtime.
    pub fn start(inbound: UnboundedSender<Inbound>) -> anyhow::Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let target = listener.local_addr()?.to_string();
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let pending = Pending::default();
        let service = Service { inbound, pending: pending.clone(), next_id: AtomicU64::new(1) };
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(
                    CallbacksServer::new(service)
                        .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
                        .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE),
                )
                .serve_with_incoming_shutdown(unfold_wire::plugin::incoming(listener), async {
                    let _ = shutdown_rx.await;
                }),
        );
        Ok(Self { target, pending, _shutdown: shutdown_tx })
    }

    pub fn target(&self) -> String {
        self.target.clone()
    }

    /// Completes the engine's pending call `id` with the program's answer.
    pub fn reply(&self, args: Value) -> Crossing {
        #[derive(Deserialize)]
        struct Reply {
            id: u64,
            response: Option<String>,
            error: Option<String>,
        }
        let reply: Reply = serde_json::from_value(args)?;
        let sender = self
            .pending
            .lock()
            .expect("pending callbacks lock")
            .remove(&reply.id)
            .ok_or_else(|| CrossingError::host(format!("no pending callback {}", reply.id)))?;
        let answer = match (reply.response, reply.error) {
            (_, Some(error)) => Err(error),
            (Some(response), None) => Ok(BASE64
                .decode(response)
                .map_err(|e| CrossingError::host(format!("callback.reply: {e}")))?),
            (None, None) => {
                return Err(CrossingError::host("callback.reply needs a response or an error"));
            }
        };
        let _ = sender.send(answer);
        Ok(Value::Null)
    }
}
