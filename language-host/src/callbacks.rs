//! The Callbacks service a program exposes to the engine (for transforms). An
//! engine call becomes an inbound event in the program; the program answers
//! with the `callback.reply` crossing, which completes the gRPC call.

use std::sync::Arc;

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

use crate::replies::PendingReplies;

type Pending = Arc<PendingReplies<Vec<u8>>>;

/// A running Callbacks server, stopped when dropped.
pub struct CallbackServer {
    target: String,
    pending: Pending,
    _shutdown: oneshot::Sender<()>,
}

struct Service {
    inbound: UnboundedSender<Inbound>,
    pending: Pending,
}

#[tonic::async_trait]
impl Callbacks for Service {
    async fn invoke(
        &self,
        request: Request<CallbackInvokeRequest>,
    ) -> Result<Response<CallbackInvokeResponse>, Status> {
        let request = request.into_inner();
        let (id, reply_rx) = self.pending.open();
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
        let service = Service { inbound, pending: pending.clone() };
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
        let answer = match (reply.response, reply.error) {
            (_, Some(error)) => Err(error),
            (Some(response), None) => Ok(BASE64
                .decode(response)
                .map_err(|e| CrossingError::host(format!("callback.reply: {e}")))?),
            (None, None) => {
                return Err(CrossingError::host("callback.reply needs a response or an error"));
            }
        };
        self.pending.complete(reply.id, answer)?;
        Ok(Value::Null)
    }
}
