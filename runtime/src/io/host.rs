//! What crosses: a crossing's answer or its error, and the events that arrive
//! in the program unasked. What answers each crossing is declared in
//! `crossings`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
