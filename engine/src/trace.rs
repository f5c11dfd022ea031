//! The record of every call the engine receives, in order, as canonical JSON
//! (the request's proto3 JSON with object keys sorted), so two runs of the
//! same program can be compared line by line. Each entry also carries when
//! it arrived, for timing hosts; that is not part of the comparison.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::property;

/// One call: the gRPC method (`ResourceMonitor/RegisterResource`) and its request.
#[derive(Debug, Clone, Serialize)]
pub struct TraceEntry {
    pub method: String,
    pub request: Value,
    /// When the call arrived, since the record began (for a command's first
    /// run, just before the host was launched). Differs between runs, so it is
    /// neither serialized nor compared.
    #[serde(skip)]
    pub at: Duration,
}

impl PartialEq for TraceEntry {
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method && self.request == other.request
    }
}

/// Request fields that say where in the program's source a call came from;
/// they differ between hosts and between checkouts, never in meaning.
const SOURCE_LOCATION_FIELDS: [&str; 3] =
    ["sourcePosition", "stackTrace", "parentStackTraceHandle"];

impl TraceEntry {
    /// One line of canonical JSON.
    pub fn to_canonical_json(&self) -> String {
        serde_json::json!({"method": self.method, "request": self.request}).to_string()
    }

    /// The entry without source locations, for comparing runs of the same
    /// program by different hosts or from different directories.
    pub fn without_source_locations(&self) -> Self {
        let mut request = self.request.clone();
        if let Value::Object(map) = &mut request {
            for field in SOURCE_LOCATION_FIELDS {
                map.remove(field);
            }
        }
        Self { method: self.method.clone(), request, at: self.at }
    }
}

#[derive(Debug)]
pub struct Trace {
    started: Instant,
    entries: Mutex<Vec<TraceEntry>>,
}

impl Default for Trace {
    fn default() -> Self {
        Self { started: Instant::now(), entries: Mutex::default() }
    }
}

impl Trace {
    pub fn record(&self, method: &str, request: &impl Serialize) {
        let request = serde_json::to_value(request)
            .map(|v| property::canonical(&v))
            .unwrap_or_else(|e| Value::String(format!("<unserializable request: {e}>")));
        let at = self.started.elapsed();
        self.lock().push(TraceEntry { method: method.to_string(), request, at });
    }

    pub fn entries(&self) -> Vec<TraceEntry> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TraceEntry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
