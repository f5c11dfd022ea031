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

impl From<serde_json::Error> for CrossingError {
    fn from(error: serde_json::Error) -> Self {
        Self { code: "InvalidArgument".into(), message: error.to_string() }
    }
}

pub type Crossing = Result<Value, CrossingError>;

/// Something arriving in the program without being asked for — the engine
/// invoking a callback, a caller invoking an exported function: a JSON object
/// whose `event` names what it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Inbound(serde_json::Map<String, Value>);

impl Inbound {
    /// `{"event": event, ...fields}`; `fields` must be an object.
    pub fn new(event: &str, fields: Value) -> Self {
        let mut map = match fields {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        map.insert("event".into(), Value::String(event.into()));
        Self(map)
    }
}

/// Answers crossings. `call` answers synchronously; `start` begins an async
/// crossing whose future is driven on the run's thread.
pub trait Host {
    fn call(&self, name: &str, args: Value) -> Crossing;
    /// `args` is borrowed: the membrane keeps it in the record without a copy.
    fn start(&self, name: &str, args: &Value) -> LocalBoxFuture<'static, Crossing>;
    /// Gives the host a way to deliver inbound events into the program.
    fn attach_inbound(&self, sender: UnboundedSender<Inbound>);
    /// `bundle.capture`: the program hands Functions over (see `cloud::bundle`).
    /// The record so far is what a bundle is cut from, so the gateway passes it.
    fn capture_bundle(&self, cut: BundleCut<'_>) -> Crossing {
        self.call("bundle.capture", cut.args)
    }
}

/// Everything a bundle is cut from, at the `bundle.capture` crossing.
pub struct BundleCut<'a> {
    /// The record before the crossing.
    pub entries: &'a [crate::membrane::Entry],
    pub header: crate::membrane::Header,
    pub loader: &'a crate::module_loader::ProgramModuleLoader,
    pub args: Value,
}
