//! The function runtime: restores a Function's bundle by replaying its record
//! into a fresh isolate on a thread of its own, then serves invocations with
//! live IO (tables, console) through the gateway.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a function's console output and errors go (one line at a time).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// Everything needed to start a function.
#[derive(Clone)]
pub struct FunctionSpec {
    /// The bundle file (see `cloud::bundle`).
    pub bundle: PathBuf,
    /// Values of the bundle's secret placeholders, in order.
    pub secrets: Vec<Value>,
    /// The stack's tables (`cloud::tables::tables_dir`).
    pub tables_dir: PathBuf,
    /// Longest an invocation may run.
    pub timeout: Duration,
    /// Extra environment the handler sees through `process.env`.
    pub environment: BTreeMap<String, String>,
    pub log: LogSink,
}

/// An HTTP request as a handler sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HttpRequest {
    pub method: String,
    /// The path below the API's base path, e.g. `/messages/7`.
    pub path: String,
    /// Path parameters matched by the route (`{id}` → `id`).
    pub params: BTreeMap<String, String>,
    pub query: BTreeMap<String, String>,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    /// The body as text (requests are limited to UTF-8 bodies).
    pub body: String,
}

/// What a handler answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvokeError {
    /// The handler threw (or its promise rejected); the text is the error's stack.
    #[error("the handler failed: {0}")]
    Handler(String),
    #[error("the handler did not answer within {0:?}")]
    Timeout(Duration),
    /// The function's isolate is gone (it failed to restore or stopped).
    #[error("the function is not running: {0}")]
    Stopped(String),
}

/// A running function: cheap to clone, usable from any thread. The isolate
/// stops when the last clone is dropped.
#[derive(Clone)]
pub struct FunctionInstance {
    name: String,
    restore_time: Duration,
}

impl FunctionInstance {
    /// Restores the bundle on a new thread; resolves once the function serves.
    pub async fn start(spec: FunctionSpec) -> Result<Self, String> {
        Err(format!("cannot start {}: the function runtime is not available in this build", spec.bundle.display()))
    }

    /// The Function's name, as the program gave it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How long restoring the bundle took (cold start).
    pub fn restore_time(&self) -> Duration {
        self.restore_time
    }

    /// Runs the handler on `request`.
    pub async fn invoke(&self, request: HttpRequest) -> Result<HttpResponse, InvokeError> {
        let _ = request;
        Err(InvokeError::Stopped("not started".into()))
    }
}
