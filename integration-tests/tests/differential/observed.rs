//! What one run of a program showed the engine, in a form two hosts can be
//! compared in: registrations keyed by URN (concurrent registration order
//! legitimately differs), everything else as order-independent sets.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use unfold_engine::RunReport;
use unfold_engine::diagnostics::Source;
use unfold_wire::urn;

/// Sections keyed by URN or token whose values are records with fields.
pub const RECORD_SECTIONS: [&str; 4] = ["registrations", "reads", "outputs", "invokes"];
/// Sections whose values are sets of items rather than records with fields.
pub const SET_SECTIONS: [&str; 3] = ["logs", "console", "calls"];

/// Turns a report into `{outcome, registrations, reads, outputs, invokes, logs, console, calls}`.
/// `normalize` rewrites text that names where the program lives.
pub fn observe(
    report: &RunReport,
    project: &str,
    stack: &str,
    normalize: &dyn Fn(&str) -> String,
) -> Value {
    let mut registrations = Keyed::default();
    let mut reads = Keyed::default();
    let mut outputs = Keyed::default();
    let mut invokes = Keyed::default();
    let mut logs = Vec::new();
    let mut calls = Vec::new();
    for entry in &report.trace {
        let request = &entry.request;
        let text = |field: &str| {
            request.get(field).and_then(Value::as_str).unwrap_or_default().to_string()
        };
        let urn_of = || {
            let parent = text("parent");
            urn::new_urn(
                stack,
                project,
                Some(parent.as_str()).filter(|p| !p.is_empty()),
                &text("type"),
                &text("name"),
            )
        };
        match entry.method.as_str() {
            "ResourceMonitor/RegisterResource" => registrations.insert(urn_of(), request.clone()),
            "ResourceMonitor/ReadResource" => reads.insert(urn_of(), request.clone()),
            "ResourceMonitor/RegisterResourceOutputs" => {
                outputs.insert(text("urn"), request["outputs"].clone())
            }
            "ResourceMonitor/Invoke" => invokes.insert(text("tok"), request.clone()),
            "Engine/Log" => {
                let severity = text("severity");
                if severity != "DEBUG" && !severity.is_empty() {
                    logs.push(json!(format!(
                        "{severity} [{}] {}",
                        text("urn"),
                        normalize(&text("message"))
                    )));
                }
            }
            // A hook's callback names where each host serves it (a token and an address of its
            // own); what the program declared is the rest of the request.
            "ResourceMonitor/RegisterResourceHook" | "ResourceMonitor/RegisterErrorHook" => {
                let mut declared = request.clone();
                declared.as_object_mut().map(|fields| fields.remove("callback"));
                calls.push(json!(format!("{} {declared}", entry.method)))
            }
            // Debug logs carry SDK internals (timings, protobuf dumps); only the calls that carry no
            // registration data remain, compared as a set of method + request.
            method => calls.push(json!(format!("{method} {}", request))),
        }
    }
    let console: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| matches!(d.source, Source::HostStdout | Source::HostStderr))
        .map(|d| json!(format!("{:?} {}", d.source, normalize(&d.message))))
        .collect();
    json!({
        "outcome": report.error.as_deref().map(normalize).unwrap_or_else(|| "succeeded".into()),
        "registrations": registrations.into_value(),
        "reads": reads.into_value(),
        "outputs": outputs.into_value(),
        "invokes": invokes.into_value(),
        "logs": sorted(logs),
        "console": sorted(console),
        "calls": sorted(calls),
    })
}

fn sorted(mut items: Vec<Value>) -> Value {
    items.sort_by_key(|v| v.to_string());
    Value::Array(items)
}

/// Records by key; a key seen again (a duplicate registration, a repeated invoke)
/// gets `#2`, `#3`… in the order of the records' canonical text, not arrival.
#[derive(Default)]
struct Keyed(BTreeMap<String, Vec<Value>>);

impl Keyed {
    fn insert(&mut self, key: String, value: Value) {
        self.0.entry(key).or_default().push(value);
    }

    fn into_value(self) -> Value {
        let mut out = serde_json::Map::new();
        for (key, mut values) in self.0 {
            values.sort_by_key(|v| v.to_string());
            for (i, value) in values.into_iter().enumerate() {
                let key = if i == 0 { key.clone() } else { format!("{key}#{}", i + 1) };
                out.insert(key, value);
            }
        }
        Value::Object(out)
    }
}
