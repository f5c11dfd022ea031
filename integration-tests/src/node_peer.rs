//! Pulumi's own Node.js SDK as the peer our host is compared with: the same
//! program run under both hosts, against the same engine and providers,
//! must ask the same of the engine.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use unfold_engine::{HostSpec, RunReport};

use crate::workspace::repository_path;

/// Pulumi's Node.js SDK as installed by `npm ci` in integration-tests/nodejs.
pub fn node_host() -> HostSpec {
    let sdk = repository_path("integration-tests/nodejs/node_modules/@pulumi/pulumi");
    assert!(
        sdk.join("package.json").is_file(),
        "{} is missing: run `npm ci` in integration-tests/nodejs",
        sdk.display()
    );
    HostSpec::NodeSdk { node: PathBuf::from("node"), sdk }
}

/// What a program asked of the engine that must not depend on the host:
/// registrations (type, name, parent, inputs, dependencies, provider,
/// options), reads and invokes, without source positions, in arrival order.
pub fn requests(report: &RunReport) -> Vec<Value> {
    report
        .trace
        .iter()
        .filter(|e| {
            matches!(
                e.method.as_str(),
                "ResourceMonitor/RegisterResource"
                    | "ResourceMonitor/Invoke"
                    | "ResourceMonitor/ReadResource"
            )
        })
        .map(|e| json!({ "method": e.method, "request": e.without_source_locations().request }))
        .collect()
}

/// [`requests`] in a stable order, with `dir` (where the program ran)
/// written as `<program>` and the text of serialized functions left out:
/// registrations whose inputs wait on other resources may arrive in either
/// order. Duplicates are kept, so a request sent twice by one host and once
/// by the other is a difference.
pub fn sorted_requests(report: &RunReport, dir: &Path) -> Vec<Value> {
    let dir = dir.display().to_string();
    let mut all: Vec<Value> = requests(report)
        .iter()
        .map(|request| {
            let text = request.to_string().replace(&dir, "<program>");
            let mut request = serde_json::from_str(&text).expect("JSON re-parses");
            without_serialized_code(&mut request);
            request
        })
        .collect();
    all.sort_by_cached_key(|r| r.to_string());
    all
}

/// Replaces the text of each serialized function (the `__index.js` asset of
/// a code archive, as `pulumi.runtime.serializeFunction` makes it) with a
/// placeholder: the two hosts format the same JavaScript differently, so the
/// serializeFunction suite compares what that code does under node instead.
fn without_serialized_code(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(index)) = map.get_mut("__index.js")
                && index.contains_key("text")
            {
                index.insert("text".into(), Value::String("<serialized function>".into()));
            }
            map.values_mut().for_each(without_serialized_code);
        }
        Value::Array(items) => items.iter_mut().for_each(without_serialized_code),
        _ => {}
    }
}

/// The messages of a report and of the preview before it.
pub fn messages(report: &RunReport) -> Vec<String> {
    let preview = report.preview.iter().flat_map(|p| p.diagnostics.iter());
    preview.chain(&report.diagnostics).map(|d| d.message.clone()).collect()
}

/// Fails, naming the first difference, unless both hosts succeeded and asked
/// the same of the engine (as multisets), and exported the same outputs.
pub fn assert_same(ours: &RunReport, node: &RunReport, dir: &Path) {
    assert!(node.succeeded(), "under Node.js: {:?}\n{:#?}", node.error, messages(node));
    assert!(ours.succeeded(), "under Unfold: {:?}\n{:#?}", ours.error, messages(ours));
    let (ours_requests, node_requests) = (sorted_requests(ours, dir), sorted_requests(node, dir));
    for (index, (a, b)) in ours_requests.iter().zip(&node_requests).enumerate() {
        assert_eq!(a, b, "request #{index} differs (left: Unfold, right: Node.js)");
    }
    assert_eq!(ours_requests.len(), node_requests.len(), "number of requests (Unfold, Node.js)");
    assert_eq!(ours.outputs, node.outputs, "stack outputs (left: Unfold, right: Node.js)");
    assert_eq!(ours.steps.len(), node.steps.len(), "number of steps (Unfold, Node.js)");
}
