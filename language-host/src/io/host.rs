//! What answers the program's crossings. The live implementation talks to the
//! engine; the membrane wraps any `Host` to record or replay what crosses.

use futures::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

/// A crossing that failed: surfaces in JavaScript as a rejected promise or a
/// thrown error carrying `code` and `message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct CrossingError {
    /// A gRPC status name such as `Unavailable`, or `Error` for host errors.
    pub code: String,
    pub message: String,
}

impl CrossingError {
    pub fn host(message: impl Into<String>) -> Self {
        Self { code: "Error".into(), message: message.into() }
    }
}

impl From<tonic::Status> for CrossingError {
    fn from(status: tonic::Status) -> Self {
        Self { code: format!("{:?}", status.code()), message: status.message().to_string() }
    }
}

impl From<serde_json::Error> for CrossingError {
    fn from(error: serde_json::Error) -> Self {
        Self { code: "InvalidArgument".into(), message: error.to_string() }
    }
}

pub type Crossing = Result<Value, CrossingError>;

/// Something arriving in the program without being asked for: the engine
/// invoking a callback the program registered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inbound {
    pub event: &'static str,
    pub id: u64,
    pub token: String,
    /// Base64 of the serialized protobuf request.
    pub request: String,
}

/// Answers crossings. `call` answers synchronously; `start` begins an async
/// crossing whose future is driven on the run's thread.
pub trait Host {
    fn call(&self, name: &str, args: Value) -> Crossing;
    fn start(&self, name: &str, args: Value) -> LocalBoxFuture<'static, Crossing>;
    /// Gives the host a way to deliver inbound events into the program.
    fn attach_inbound(&self, sender: UnboundedSender<Inbound>);
}
