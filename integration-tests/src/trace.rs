//! The record of every call the engine receives, in order, as canonical JSON
//! (the request's proto3 JSON with object keys sorted), so two runs of the
//! same program can be compared line by line.

use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

use crate::property;

/// One call: the gRPC method (`ResourceMonitor/RegisterResource`) and its request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceEntry {
    pub method: String,
    pub request: Value,
}

impl TraceEntry {
    /// One line of canonical JSON.
    pub fn to_canonical_json(&self) -> String {
        serde_json::json!({"method": self.method, "request": self.request}).to_string()
    }
}

#[derive(Debug, Default)]
pub struct Trace {
    entries: Mutex<Vec<TraceEntry>>,
}

impl Trace {
    pub fn record(&self, method: &str, request: &impl Serialize) {
        let request = serde_json::to_value(request)
            .map(|v| property::canonical(&v))
            .unwrap_or_else(|e| Value::String(format!("<unserializable request: {e}>")));
        self.lock().push(TraceEntry { method: method.to_string(), request });
    }

    pub fn entries(&self) -> Vec<TraceEntry> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TraceEntry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
