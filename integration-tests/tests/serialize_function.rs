//! `pulumi.runtime.serializeFunction` and what is built on it (`aws.lambda.CallbackFunction`,
//! `aws.cloudwatch.onSchedule`): the same programs run under our host and under Pulumi's Node.js
//! SDK, and the module texts each produces are then run under `node`, called with the same
//! inputs. The texts differ in bytes (the code is transpiled by different compilers); what they
//! do must not.
//!
//! Needs `cargo build --workspace --bins`, `node`, and `npm ci` in ../nodejs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use unfold_engine::{Engine, EngineOptions, HostSpec, ProjectSpec, ProviderRegistry, RunReport};
use unfold_integration_tests::echo_provider::EchoProvider;

const STACK: &str = "dev";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn node_modules() -> PathBuf {
    let dir = manifest_dir().join("nodejs/node_modules");
    assert!(
        dir.join("@pulumi/aws/package.json").is_file(),
        "run `npm ci` in integration-tests/nodejs"
    );
    dir
}

fn node_host() -> HostSpec {
    HostSpec::NodeSdk { node: PathBuf::from("node"), sdk: node_modules().join("@pulumi/pulumi") }
}

fn engine(state: &Path) -> Engine {
    let mut registry: ProviderRegistry = unfold_integration_tests::test_providers();
    registry.register("aws", Arc::new(EchoProvider::new()));
    unfold_integration_tests::engine(state).with_providers(registry).with_options(EngineOptions {
        run_timeout: Duration::from_secs(120),
        ..EngineOptions::default()
    })
}

/// A TypeScript project in `dir` whose packages are ../nodejs/node_modules.
fn write_program(dir: &Path, index_ts: &str) {
    std::fs::write(dir.join("Pulumi.yaml"), "name: closures\nruntime: unfold\n").unwrap();
    std::fs::write(dir.join("package.json"), r#"{ "name": "closures", "dependencies": {} }"#)
        .unwrap();
    std::fs::copy(manifest_dir().join("corpus/l1-empty/tsconfig.json"), dir.join("tsconfig.json"))
        .unwrap();
    std::fs::write(dir.join("index.ts"), index_ts).unwrap();
    std::os::unix::fs::symlink(node_modules(), dir.join("node_modules")).unwrap();
}

async fn up_under_both(dir: &Path) -> (RunReport, RunReport) {
    let spec = ProjectSpec::load(dir, STACK).unwrap();
    let state = tempfile::tempdir().unwrap();
    let host = unfold_integration_tests::unfold_host();
    let ours = engine(&state.path().join("unfold")).up(&spec, &host).await;
    let node = engine(&state.path().join("node")).up(&spec, &node_host()).await;
    (ours, node)
}

fn messages(report: &RunReport) -> Vec<String> {
    let preview = report.preview.iter().flat_map(|p| p.diagnostics.iter());
    preview.chain(&report.diagnostics).map(|d| d.message.clone()).collect()
}

fn assert_succeeded(ours: &RunReport, node: &RunReport) {
    assert!(node.succeeded(), "under Node.js: {:?}\n{:#?}", node.error, messages(node));
    assert!(ours.succeeded(), "under Unfold: {:?}\n{:#?}", ours.error, messages(ours));
}

/// Loads `text` as `index.js` under `node` and calls `exports[export]` with each of `inputs`
/// (awaiting what it returns); the results, or the error each call threw.
fn run_module(text: &str, export: &str, inputs: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.js"), text).unwrap();
    let runner = format!(
        r#"const mod = require("./index.js");
const inputs = {inputs};
(async () => {{
    const results = [];
    for (const input of inputs) {{
        try {{
            results.push({{ value: await mod[{export}](input, {{}}) ?? null }});
        }} catch (err) {{
            results.push({{ error: String(err && err.message || err) }});
        }}
    }}
    process.stdout.write(JSON.stringify(results));
}})();
"#,
        export = serde_json::to_string(export).unwrap(),
    );
    std::fs::write(dir.path().join("run.js"), runner).unwrap();
    let output = std::process::Command::new("node")
        .arg("run.js")
        .current_dir(dir.path())
        .env("NODE_PATH", node_modules())
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "node failed on:\n{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stdout));
    })
}

const CAPTURING_PROGRAM: &str = r#"import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import * as semver from "semver";

const rate = 3;
const greeting = "hello";
const nothing = undefined;
const big = 12345678901234567890n;
const pattern = /^a+b$/i;
const settings = { nested: { factor: 2, tags: ["a", "b"] }, label: "cfg", "odd key": -0 };

class Counter {
    start: number;
    constructor(start: number) {
        this.start = start;
    }
    next(n: number) {
        return this.start + n;
    }
    get doubled() {
        return this.start * 2;
    }
}
class LoudCounter extends Counter {
    constructor(start: number) {
        super(start + 1);
    }
    next(n: number) {
        return super.next(n) * 10;
    }
}
const counter = new Counter(10);
const loud = new LoudCounter(1);

function factorial(n: number): number {
    return n <= 1 ? 1 : n * factorial(n - 1);
}
const scale = (x: number) => x * settings.nested.factor;
function* countdown(from: number) {
    for (let i = from; i > 0; i--) yield i;
}

const endpoint = pulumi.output("https://example.test").apply((u) => `${u}/v1`);
const password = pulumi.secret("s3cr3t");

const handler = async (event: { x: number; file: string }) => ({
    scaled: event.x * rate,
    greet: `${greeting} ${settings.label} ${typeof nothing} ${big + 1n}`,
    matches: pattern.test("AAB"),
    tags: settings.nested.tags.join(","),
    odd: Object.is(settings["odd key"], -0),
    counted: counter.next(event.x),
    doubled: counter.doubled,
    loud: loud.next(event.x),
    isCounter: loud instanceof Counter,
    factorial: factorial(event.x),
    scale: scale(event.x),
    countdown: [...countdown(event.x)],
    joined: path.join("/base", event.file),
    bumped: semver.inc(`1.${event.x}.0`, "minor"),
    endpoint: endpoint.get(),
    password: password.get(),
});

const serialized = pulumi.runtime.serializeFunction(handler, { allowSecrets: true });
export const text = serialized.then((s) => s.text);
export const exportName = serialized.then((s) => s.exportName);
export const containsSecrets = serialized.then((s) => s.containsSecrets);

// A factory: the module exports what the function returns.
const factory = pulumi.runtime.serializeFunction(() => {
    const prefix = greeting.toUpperCase();
    return (event: { x: number }) => `${prefix}:${scale(event.x)}`;
}, { isFactoryFunction: true, exportName: "make" });
export const factoryText = factory.then((s) => s.text);

// Without allowSecrets, capturing a secret fails.
export const refused = pulumi.runtime
    .serializeFunction(() => password.get())
    .then(() => "serialized", (err: Error) => err.message);
"#;

#[tokio::test]
async fn serialized_functions_behave_as_under_node() {
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path(), CAPTURING_PROGRAM);
    let (ours, node) = up_under_both(dir.path()).await;
    assert_succeeded(&ours, &node);

    for key in ["exportName", "containsSecrets", "refused"] {
        assert_eq!(
            ours.outputs[key], node.outputs[key],
            "output {key} (left: Unfold, right: Node.js)"
        );
    }
    assert_eq!(ours.outputs["exportName"], json!("handler"));
    assert_eq!(ours.outputs["containsSecrets"], json!(true));
    assert_eq!(ours.outputs["refused"], json!("Secret outputs cannot be captured by a closure."));

    let inputs = json!([{ "x": 1, "file": "a.txt" }, { "x": 4, "file": "../b/c.json" }]);
    let ours_text = ours.outputs["text"].as_str().expect("text is a string");
    let node_text = node.outputs["text"].as_str().expect("text is a string");
    let ours_results = run_module(ours_text, "handler", &inputs);
    let node_results = run_module(node_text, "handler", &inputs);
    assert_eq!(
        ours_results, node_results,
        "Unfold's text:\n{ours_text}\n\nNode.js's text:\n{node_text}"
    );
    assert_eq!(
        ours_results[1]["value"],
        json!({
            "scaled": 12,
            "greet": "hello cfg undefined 12345678901234567891",
            "matches": true,
            "tags": "a,b",
            "odd": true,
            "counted": 14,
            "doubled": 20,
            "loud": 60,
            "isCounter": true,
            "factorial": 24,
            "scale": 8,
            "countdown": [4, 3, 2, 1],
            "joined": "/b/c.json",
            "bumped": "1.5.0",
            "endpoint": "https://example.test/v1",
            "password": "s3cr3t",
        }),
        "{ours_text}"
    );
    // Modules are required where the function runs, never copied into it.
    assert!(ours_text.contains(r#"require("path")"#), "{ours_text}");
    assert!(ours_text.contains(r#"require("semver")"#), "{ours_text}");

    let ours_factory = ours.outputs["factoryText"].as_str().unwrap();
    let node_factory = node.outputs["factoryText"].as_str().unwrap();
    let inputs = json!([{ "x": 2 }, { "x": 7 }]);
    let results = run_module(ours_factory, "make", &inputs);
    assert_eq!(results, run_module(node_factory, "make", &inputs));
    assert_eq!(results, json!([{ "value": "HELLO:4" }, { "value": "HELLO:14" }]));
}

/// The JSON values inside `value` that are assets holding the text of a `__index.js`, by the
/// name of the resource they were registered with.
fn lambda_code(report: &RunReport) -> Vec<(String, String)> {
    fn find(value: &Value) -> Option<String> {
        match value {
            Value::Object(map) => {
                if let Some(text) = map.get("__index.js").and_then(|a| a.get("text")) {
                    return text.as_str().map(str::to_string);
                }
                map.values().find_map(find)
            }
            Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    let mut found: Vec<(String, String)> = report
        .trace
        .iter()
        .filter(|e| e.method == "ResourceMonitor/RegisterResource")
        .filter_map(|e| {
            let request = e.without_source_locations().request;
            let name = request["name"].as_str()?.to_string();
            find(&request["object"]).map(|text| (name, text))
        })
        .collect();
    found.sort();
    found
}

/// Registrations with every `__index.js` text left out, sorted (ones waiting on other
/// resources may be sent in either order).
fn registrations_without_code(report: &RunReport) -> Vec<Value> {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if let Some(asset) = map.get_mut("__index.js") {
                    asset["text"] = json!("<code>");
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut all: Vec<Value> = report
        .trace
        .iter()
        .filter(|e| e.method == "ResourceMonitor/RegisterResource")
        .map(|e| {
            let mut request = e.without_source_locations().request;
            strip(&mut request);
            request
        })
        .collect();
    all.sort_by_key(|r| r.to_string());
    all
}

const CALLBACK_PROGRAM: &str = r#"import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const table = new aws.dynamodb.Table("orders", {
    attributes: [{ name: "id", type: "S" }],
    hashKey: "id",
});
const tableName = table.name;
const limits = { maxItems: 3, currency: "EUR" };
function total(items: { price: number }[]) {
    return items.slice(0, limits.maxItems).reduce((sum, i) => sum + i.price, 0);
}

const fn = new aws.lambda.CallbackFunction("checkout", {
    callback: async (event: { items: { price: number }[] }) => ({
        statusCode: 200,
        body: JSON.stringify({ table: tableName.get(), total: total(event.items), currency: limits.currency }),
    }),
});

const schedule = aws.cloudwatch.onSchedule("nightly", "cron(0 3 * * ? *)", async (event: { time: string }) => {
    return `swept ${tableName.get()} at ${event.time}`;
});

export const functionName = fn.name;
export const rule = schedule.name;
"#;

#[tokio::test]
async fn callback_functions_register_code_that_behaves_as_under_node() {
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path(), CALLBACK_PROGRAM);
    let (ours, node) = up_under_both(dir.path()).await;
    assert_succeeded(&ours, &node);

    let (ours_registrations, node_registrations) =
        (registrations_without_code(&ours), registrations_without_code(&node));
    for (index, (a, b)) in ours_registrations.iter().zip(&node_registrations).enumerate() {
        assert_eq!(a, b, "registration #{index} differs (left: Unfold, right: Node.js)");
    }
    assert_eq!(ours_registrations.len(), node_registrations.len());
    assert_eq!(ours.outputs, node.outputs);

    let (ours_code, node_code) = (lambda_code(&ours), lambda_code(&node));
    let names: Vec<&str> = ours_code.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["checkout", "nightly"]);
    assert_eq!(names, node_code.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>());

    let checkout = json!([
        { "items": [{ "price": 5 }, { "price": 7 }] },
        { "items": [{ "price": 1 }, { "price": 2 }, { "price": 3 }, { "price": 100 }] },
    ]);
    let nightly = json!([{ "time": "2026-01-01T03:00:00Z" }]);
    for ((name, ours_text), (_, node_text)) in ours_code.iter().zip(&node_code) {
        let inputs = if name == "checkout" { &checkout } else { &nightly };
        let ours_results = run_module(ours_text, "handler", inputs);
        assert_eq!(
            ours_results,
            run_module(node_text, "handler", inputs),
            "{name}: Unfold's code:\n{ours_text}\n\nNode.js's code:\n{node_text}"
        );
        assert!(!ours_results.to_string().contains("error"), "{name}: {ours_results}");
    }
    let results = run_module(&ours_code[0].1, "handler", &checkout);
    let body: Value = serde_json::from_str(results[1]["value"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["total"], json!(6));
    assert_eq!(body["currency"], json!("EUR"));
}

const UNSERIALIZABLE_PROGRAM: &str = r#"import * as pulumi from "@pulumi/pulumi";

// A built-in function no global names: it cannot be recreated where the function runs.
const iteratorNext = Object.getPrototypeOf([][Symbol.iterator]()).next;
const helpers = { steps: { advance: iteratorNext } };

export const message = pulumi.runtime
    .serializeFunction(() => helpers.steps.advance)
    .then(() => "serialized", (err: Error) => err.message);
"#;

#[tokio::test]
async fn an_unserializable_capture_is_named_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path(), UNSERIALIZABLE_PROGRAM);
    let (ours, node) = up_under_both(dir.path()).await;
    assert_succeeded(&ours, &node);
    for report in [&ours, &node] {
        let message = report.outputs["message"].as_str().unwrap();
        assert!(message.starts_with("Error serializing '("), "{message}");
        assert!(message.contains("helpers.steps.advance'"), "{message}");
        assert!(
            message.contains("captured\n  variable 'helpers' which indirectly referenced\n"),
            "{message}"
        );
        assert!(
            message.contains("function 'next': which could not be serialized because\n"),
            "{message}"
        );
    }
    // The Node.js SDK reports the failed attempt to unwrap a bound function; we say what it is.
    let ours_message = ours.outputs["message"].as_str().unwrap();
    assert!(ours_message.contains("      it was a native code function.\n"), "{ours_message}");
    // The location is in the program's own source.
    assert!(ours_message.contains("index.ts(8,23)"), "{ours_message}");
}
