//! The program corpus (`corpus/`) run through Unfold's language host as the
//! Pulumi CLI runs a program: the host is launched, previewed and updated over
//! gRPC by the engine, and each case checks what a user gets: the stack's
//! state, its outputs, the steps of a second run, and what a failing program
//! shows.
//!
//! The host is another package's binary, so `cargo build --workspace --bins`
//! must have built it (`scripts/test` does).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use serde_json::{Value, json};
use tokio::sync::Notify;
use unfold_engine::property::{self, PropertyMap};
use unfold_engine::provider::{CheckFailure, CreateResult, DiffResult, InvokeResult, ReadResult};
use unfold_engine::{
    Engine, EngineOptions, HostSpec, ProjectSpec, Provider, ResourceState, RunReport, Severity,
    StackState, StepOp,
};
use unfold_integration_tests::test_provider::TestProvider;
use unfold_wire::signatures::{RESOURCE_REFERENCE_SIG, SECRET_SIG, SIG_KEY};

/// Longer than any case takes; a run still going then has hung.
const HANG_LIMIT: Duration = Duration::from_secs(90);
/// What the engine allows one program run, so that a stalled host fails the run instead of the suite.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

const STACK: &str = "dev";

fn host() -> HostSpec {
    unfold_integration_tests::unfold_host()
}

fn corpus(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(case)
}

/// The test provider, with a log of the calls that change the (simulated) cloud.
#[derive(Default)]
struct RecordingProvider {
    inner: TestProvider,
    calls: Mutex<Vec<String>>,
}

impl RecordingProvider {
    fn record(&self, op: &str, urn: &str) {
        let name = urn.rsplit("::").next().unwrap_or(urn);
        self.calls.lock().unwrap().push(format!("{op} {name}"));
    }

    /// `create <name>`, `update <name>`, `delete <name>`, in call order (previews excluded).
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl Provider for RecordingProvider {
    async fn check(
        &self,
        urn: &str,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> Result<(PropertyMap, Vec<CheckFailure>)> {
        self.inner.check(urn, olds, news).await
    }

    async fn diff(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
    ) -> Result<DiffResult> {
        self.inner.diff(urn, id, old_inputs, old_outputs, new_inputs).await
    }

    async fn create(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<CreateResult> {
        if !preview {
            self.record("create", urn);
        }
        self.inner.create(urn, inputs, timeout, preview).await
    }

    async fn read(
        &self,
        urn: &str,
        id: &str,
        inputs: &PropertyMap,
        state: &PropertyMap,
    ) -> Result<Option<ReadResult>> {
        self.inner.read(urn, id, inputs, state).await
    }

    async fn update(
        &self,
        urn: &str,
        id: &str,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap> {
        if !preview {
            self.record("update", urn);
        }
        self.inner.update(urn, id, old_outputs, new_inputs, timeout, preview).await
    }

    async fn delete(
        &self,
        urn: &str,
        id: &str,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()> {
        self.record("delete", urn);
        self.inner.delete(urn, id, outputs, timeout).await
    }

    async fn invoke(&self, token: &str, args: &PropertyMap) -> Result<InvokeResult> {
        self.inner.invoke(token, args).await
    }
}

/// One backend with its engine and test provider; every test has its own.
struct Deployment {
    _work: tempfile::TempDir,
    engine: Engine,
    provider: Arc<RecordingProvider>,
}

impl Deployment {
    fn new() -> Self {
        Self::with_options(EngineOptions::default())
    }

    fn with_options(options: EngineOptions) -> Self {
        let work = tempfile::tempdir().unwrap();
        let provider = Arc::new(RecordingProvider::default());
        let mut providers = unfold_integration_tests::test_providers();
        providers.register("test", provider.clone());
        let engine = unfold_integration_tests::engine(work.path().join("state"))
            .with_providers(providers)
            .with_options(EngineOptions { run_timeout: RUN_TIMEOUT, ..options });
        Self { _work: work, engine, provider }
    }

    /// The case's project, with `config` as `(key, value, secret)`.
    fn project(&self, case: &str, config: &[(&str, &str, bool)]) -> ProjectSpec {
        let mut spec = ProjectSpec::load(corpus(case), STACK)
            .unwrap_or_else(|e| panic!("loading {case}: {e:#}"));
        for (key, value, secret) in config {
            spec.set_config(key, value, *secret);
        }
        spec
    }

    async fn up(&self, spec: &ProjectSpec) -> RunReport {
        tokio::time::timeout(HANG_LIMIT, self.engine.up(spec, &host())).await.unwrap_or_else(|_| {
            panic!("`up` of {} did not finish within {HANG_LIMIT:?}", spec.name)
        })
    }

    /// Preview and update of `case`, which must succeed.
    async fn deploy(&self, case: &str, config: &[(&str, &str, bool)]) -> RunReport {
        let report = self.up(&self.project(case, config)).await;
        assert_succeeded(&report);
        report
    }

    /// The case at config `step` 1, then at step 2; returns both reports.
    async fn two_steps(&self, case: &str) -> (RunReport, RunReport) {
        let first = self.deploy(case, &[("step", "1", false)]).await;
        let second = self.up(&self.project(case, &[("step", "2", false)])).await;
        (first, second)
    }

    fn state(&self, project: &str) -> StackState {
        self.engine
            .state(project, STACK)
            .unwrap()
            .unwrap_or_else(|| panic!("{project} has no state"))
    }
}

fn assert_succeeded(report: &RunReport) {
    let preview_error = report.preview.as_ref().and_then(|p| p.error.clone());
    assert!(
        report.succeeded(),
        "the run failed: {:?} (preview: {preview_error:?})\n{}",
        report.error,
        shown(report)
    );
}

/// What the user saw during the run (the preview's messages, then the update's), as the CLI prints them.
fn shown(report: &RunReport) -> String {
    let visible = |d: &&unfold_engine::Diagnostic| d.severity != Severity::Debug;
    let mut lines: Vec<String> = Vec::new();
    if let Some(preview) = &report.preview {
        lines.extend(preview.diagnostics.iter().filter(visible).map(ToString::to_string));
    }
    lines.extend(report.diagnostics.iter().filter(visible).map(ToString::to_string));
    lines.extend(report.error.iter().map(|e| format!("error: {e}")));
    lines.join("\n")
}

fn stack_urn(project: &str) -> String {
    format!("urn:pulumi:{STACK}::{project}::pulumi:pulumi:Stack::{project}-{STACK}")
}

fn urn(project: &str, qualified_type: &str, name: &str) -> String {
    format!("urn:pulumi:{STACK}::{project}::{qualified_type}::{name}")
}

fn resource<'a>(state: &'a StackState, name: &str) -> &'a ResourceState {
    let suffix = format!("::{name}");
    let mut found = state.resources.iter().filter(|r| r.urn.ends_with(&suffix));
    let resource =
        found.next().unwrap_or_else(|| panic!("no resource named {name} in {:#?}", urns(state)));
    assert!(found.next().is_none(), "more than one resource named {name}");
    resource
}

fn urns(state: &StackState) -> Vec<&str> {
    state.resources.iter().map(|r| r.urn.as_str()).collect()
}

/// The provider reference (`<urn>::<id>`) of the provider resource named `name`.
fn provider_reference(state: &StackState, name: &str) -> String {
    let provider = resource(state, name);
    assert!(provider.ty.starts_with("pulumi:providers:"), "{name} is a {}", provider.ty);
    format!("{}::{}", provider.urn, provider.id)
}

/// The step for the resource named `name`.
fn op(report: &RunReport, name: &str) -> StepOp {
    let suffix = format!("::{name}");
    let steps: Vec<_> = report.steps.iter().filter(|s| s.urn.ends_with(&suffix)).collect();
    assert_eq!(steps.len(), 1, "expected one step for {name}: {:#?}", report.steps);
    steps[0].op
}

/// The steps as `(name, op)`, in the order the engine took them.
fn steps(report: &RunReport) -> Vec<(String, StepOp)> {
    report.steps.iter().map(|s| (s.urn.rsplit("::").next().unwrap().to_string(), s.op)).collect()
}

fn secret(value: Value) -> Value {
    json!({SIG_KEY: SECRET_SIG, "value": value})
}

fn object(value: Value) -> PropertyMap {
    value.as_object().expect("an object").clone()
}

/// The `RegisterResource` requests the engine received for `name`.
fn registration(report: &RunReport, name: &str) -> Value {
    let found: Vec<Value> = report
        .trace
        .iter()
        .filter(|e| e.method == "ResourceMonitor/RegisterResource" && e.request["name"] == name)
        .map(|e| e.request.clone())
        .collect();
    assert_eq!(found.len(), 1, "expected one registration of {name}");
    found.into_iter().next().unwrap()
}

/// Checks a program without resources: its outputs are exactly `expected`, in
/// the preview, the update and the stored state, and a second run changes nothing.
async fn assert_outputs_only(
    case: &str,
    config: &[(&str, &str, bool)],
    expected: Value,
) -> Deployment {
    let deployment = Deployment::new();
    let report = deployment.deploy(case, config).await;
    let expected = object(expected);
    assert_eq!(report.outputs, expected, "update outputs");
    assert_eq!(report.preview.as_ref().unwrap().outputs, expected, "preview outputs");
    let state = deployment.state(case);
    assert_eq!(state.outputs, expected, "stored outputs");
    assert_eq!(urns(&state), [stack_urn(case)]);
    assert_eq!(steps(&report), [(format!("{case}-{STACK}"), StepOp::Create)]);
    let again = deployment.deploy(case, config).await;
    assert_eq!(steps(&again), [(format!("{case}-{STACK}"), StepOp::Same)]);
    assert_eq!(again.outputs, expected);
    deployment
}

// ---------------------------------------------------------------- l1: no provider

#[tokio::test]
async fn l1_empty() {
    let deployment = assert_outputs_only("l1-empty", &[], json!({})).await;
    let stack = &deployment.state("l1-empty").resources[0];
    assert_eq!(
        (stack.ty.as_str(), stack.custom, stack.parent.as_str()),
        ("pulumi:pulumi:Stack", false, "")
    );
}

#[tokio::test]
async fn l1_main_names_a_folder() {
    assert_outputs_only("l1-main", &[], json!({"where": "src/index.ts"})).await;
}

#[tokio::test]
async fn l1_output_string() {
    let large = "x".repeat(1024 * 1024);
    assert_outputs_only(
        "l1-output-string",
        &[],
        json!({
            "plain": "hello",
            "unicode": "héllo wörld ✓ — 日本語 🚀",
            "escapes": "quote \" backslash \\ newline \n tab \t nul \u{0000} end",
            "empty": "",
            "large": large,
        }),
    )
    .await;
}

#[tokio::test]
async fn l1_output_bool() {
    assert_outputs_only("l1-output-bool", &[], json!({"yes": true, "no": false})).await;
}

#[tokio::test]
async fn l1_output_number() {
    let deployment =
        assert_outputs_only("l1-output-number", &[], json!({"zero": 0, "integer": 42, "negative": -7, "fraction": 3.25, "big": 1e300, "small": 5e-324}))
            .await;
    let outputs = deployment.state("l1-output-number").outputs;
    assert!(
        outputs["integer"].is_i64() && outputs["negative"].is_i64(),
        "whole numbers stay integers: {outputs:?}"
    );
    assert_eq!(
        outputs["small"].as_f64(),
        Some(f64::from_bits(1)),
        "the smallest subnormal survives the round trip"
    );
}

#[tokio::test]
async fn l1_output_array() {
    assert_outputs_only(
        "l1-output-array",
        &[],
        json!({"empty": [], "mixed": [1, "two", true, null, [3], {"four": 4}]}),
    )
    .await;
}

#[tokio::test]
async fn l1_output_map() {
    assert_outputs_only(
        "l1-output-map",
        &[],
        json!({"empty": {}, "nested": {"a": 1, "b": {"c": ["d", {"e": "f"}]}, "key with spaces": "ok", "ünï": "côdé"}}),
    )
    .await;
}

/// Outputs print in one order, sorted, in the preview and in the update alike.
#[tokio::test]
async fn outputs_are_shown_in_a_deterministic_order() {
    let deployment = Deployment::new();
    let report = deployment.deploy("l1-output-map", &[]).await;
    let outputs_section = |report: &RunReport| {
        let text = unfold_engine::summary::render(report);
        let start = text.find("Outputs:").expect("an Outputs section");
        let end = text[start..].find("\n\n").map_or(text.len(), |n| start + n);
        text[start..end].to_string()
    };
    let printed = outputs_section(&report);
    assert_eq!(printed, outputs_section(report.preview.as_ref().unwrap()));
    assert_eq!(
        printed,
        "Outputs:\n    empty: {}\n    nested: {\"a\":1,\"b\":{\"c\":[\"d\",{\"e\":\"f\"}]},\"key with spaces\":\"ok\",\"ünï\":\"côdé\"}"
    );
}

#[tokio::test]
async fn l1_output_null() {
    // `undefined` is dropped; `null` is kept.
    assert_outputs_only("l1-output-null", &[], json!({"nothing": null})).await;
}

#[tokio::test]
async fn l1_builtin_info() {
    assert_outputs_only(
        "l1-builtin-info",
        &[],
        json!({"stack": STACK, "project": "l1-builtin-info", "organization": unfold_engine::project::DEFAULT_ORGANIZATION}),
    )
    .await;
}

#[tokio::test]
async fn l1_builtin_project_root() {
    assert_outputs_only(
        "l1-builtin-project-root",
        &[],
        json!({"rootName": "l1-builtin-project-root"}),
    )
    .await;
}

#[tokio::test]
async fn l1_builtin_secret() {
    assert_outputs_only(
        "l1-builtin-secret",
        &[],
        json!({
            "secretValue": secret(json!("s3cr3t")),
            "derived": secret(json!("S3CR3T")),
            "revealed": "s3cr3t",
            "flags": [true, false],
        }),
    )
    .await;
}

#[tokio::test]
async fn l1_builtin_string_list() {
    assert_outputs_only(
        "l1-builtin-string-list",
        &[],
        json!({"joined": "a-b-c", "interpolated": "a/c", "concatenated": "xb1", "lengths": 7, "minMax": [97, 99]}),
    )
    .await;
}

#[tokio::test]
async fn l1_builtin_to_json() {
    assert_outputs_only(
        "l1-builtin-to-json",
        &[],
        json!({
            "json": r#"{"a":[1,2],"b":"c"}"#,
            "pretty": "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"c\"\n}",
            "parsed": {"k": [true, null]},
            "base64": "aGVsbG8gdW5mb2xk",
        }),
    )
    .await;
}

#[tokio::test]
async fn l1_config_types_primitive() {
    let config =
        [("aString", "hello", false), ("aNumber", "42.5", false), ("aBool", "true", false)];
    assert_outputs_only(
        "l1-config-types-primitive",
        &config,
        json!({"aString": "hello", "aNumber": 42.5, "aBool": true}),
    )
    .await;
}

#[tokio::test]
async fn l1_config_types_object() {
    let config = [
        ("anObject", r#"{"name": "n", "sizes": [1, 2]}"#, false),
        ("aList", r#"["a", "b"]"#, false),
    ];
    assert_outputs_only(
        "l1-config-types-object",
        &config,
        json!({"anObject": {"name": "n", "sizes": [1, 2]}, "aList": ["a", "b"]}),
    )
    .await;
}

#[tokio::test]
async fn l1_config_types_optional() {
    let config = [("other:key", "from another namespace", false)];
    assert_outputs_only(
        "l1-config-types-optional",
        &config,
        json!({
            "missingString": "default",
            "missingNumber": 7,
            "missingBool": true,
            "missingObject": {"fallback": true},
            "otherNamespace": "from another namespace",
        }),
    )
    .await;
}

#[tokio::test]
async fn l1_config_secret() {
    let config = [("password", "hunter22", true)];
    let deployment = assert_outputs_only(
        "l1-config-secret",
        &config,
        json!({"password": secret(json!("hunter22")), "isSecret": true, "length": secret(json!(8))}),
    )
    .await;
    let text = std::fs::read_to_string(deployment.engine.backend().path("l1-config-secret", STACK))
        .unwrap();
    assert!(text.contains(SECRET_SIG), "the stored output is marked secret");
}

#[tokio::test]
async fn l1_builtin_cwd() {
    assert_outputs_only("l1-builtin-cwd", &[], json!({"cwd": "l1-builtin-cwd"})).await;
}

#[tokio::test]
async fn l1_builtin_file() {
    let text = "read from a file \u{2713}\n";
    assert_outputs_only(
        "l1-builtin-file",
        &[],
        json!({"relative": text, "besideTheModule": "cmVhZCBmcm9tIGEgZmlsZSDinJMK", "exists": [true, false]}),
    )
    .await;
}

#[tokio::test]
async fn l1_builtin_child_process() {
    assert_outputs_only(
        "l1-builtin-child-process",
        &[],
        json!({
            "fedThrough": "fed in and back",
            "throughAShell": "42",
            "inItsDirectory": "only-file.txt",
            "failed": {"status": 3, "stderr": "oops\n", "message": "Command failed: sh -c echo oops >&2; exit 3\noops\n"},
            "notFound": {"code": "ENOENT", "status": null},
        }),
    )
    .await;
}

#[tokio::test]
async fn l1_builtin_sha1() {
    // Computed independently (Python's hashlib and hmac).
    assert_outputs_only(
        "l1-builtin-sha1",
        &[],
        json!({
            "sha1": "c5bd40c37a16bfa8984399460eec07dd4bdc3fb0",
            "sha256": "WJ0bJaKsuZGDq4r4NPP9WJ9cMDH2Q+9mNYW+bosNL4k=",
            "hmac": "88836663619631e4a3ecb8c8ff413f73be8be193",
        }),
    )
    .await;
}

#[tokio::test]
async fn l1_builtin_object() {
    assert_outputs_only(
        "l1-builtin-object",
        &[],
        json!({
            "keys": ["b", "a", "c"],
            "values": [2, 1, 3],
            "entries": [["a", 1], ["b", 2], ["c", 3]],
            "merged": {"a": 1, "b": 2, "c": 3, "d": 4},
            "fromEntries": {"A": 10, "B": 20, "C": 30},
        }),
    )
    .await;
}

#[tokio::test]
async fn l1_component() {
    let case = "l1-component";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let state = deployment.state(case);
    let pair_urn = urn(case, "corpus:index:Pair", "pair");
    let left_urn = urn(case, "corpus:index:Pair$test:index:Resource", "pair-left");
    let right_urn = urn(case, "corpus:index:Pair$test:index:Resource", "pair-right");
    let default_provider = urn(case, "pulumi:providers:test", "default");
    let mut expected_urns = vec![
        stack_urn(case),
        pair_urn.clone(),
        default_provider.clone(),
        left_urn.clone(),
        right_urn.clone(),
    ];
    expected_urns.sort();
    let mut actual_urns: Vec<String> = urns(&state).into_iter().map(String::from).collect();
    actual_urns.sort();
    assert_eq!(actual_urns, expected_urns);

    let pair = resource(&state, "pair");
    assert_eq!(
        (pair.ty.as_str(), pair.custom, pair.parent.as_str(), pair.id.as_str()),
        ("corpus:index:Pair", false, stack_urn(case).as_str(), "")
    );
    assert!(pair.provider.is_empty(), "components have no provider");
    assert_eq!(pair.outputs, object(json!({"joined": "hello+hello"})), "registerOutputs");
    let left = resource(&state, "pair-left");
    let right = resource(&state, "pair-right");
    for child in [left, right] {
        assert_eq!(
            (child.ty.as_str(), child.custom, child.parent.as_str()),
            ("test:index:Resource", true, pair_urn.as_str())
        );
        assert_eq!(child.provider, provider_reference(&state, "default"));
        assert!(!child.id.is_empty());
    }
    assert_eq!(left.inputs, object(json!({"value": "hello"})));
    assert_eq!(right.outputs, object(json!({"value": "hello"})));
    assert_eq!(right.property_dependencies["value"], std::slice::from_ref(&left_urn));
    assert_eq!(report.outputs, object(json!({"joined": "hello+hello", "leftUrn": left_urn})));

    let again = deployment.deploy(case, &[]).await;
    assert!(again.steps.iter().all(|s| s.op == StepOp::Same), "{:#?}", again.steps);
    assert_eq!(again.steps.len(), 5);
}

#[tokio::test]
async fn l1_keyword_overlap() {
    let case = "l1-keyword-overlap";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let names = ["class", "function", "return", "this", "null", "default"];
    assert_eq!(report.outputs, object(json!({"values": names})));
    let state = deployment.state(case);
    for name in names {
        let r = state
            .resources
            .iter()
            .find(|r| r.urn == urn(case, "test:index:Resource", name))
            .unwrap_or_else(|| panic!("no resource {name}"));
        assert_eq!(r.inputs, object(json!({"value": name, "new": "kw", "delete": true})));
    }
    // The resource named `default` and the default provider are two resources.
    let named_default: Vec<&str> = state
        .resources
        .iter()
        .filter(|r| r.urn.ends_with("::default"))
        .map(|r| r.ty.as_str())
        .collect();
    assert_eq!(named_default.len(), 2, "{named_default:?}");
    assert!(
        named_default.contains(&"pulumi:providers:test")
            && named_default.contains(&"test:index:Resource")
    );
}

#[tokio::test]
async fn l1_proxy_index() {
    let case = "l1-proxy-index";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let whole = json!({"list": ["zero", "one"], "map": {"key": "value"}});
    assert_eq!(report.outputs, object(json!({"item": "one", "key": "value", "whole": whole})));
    assert_eq!(resource(&deployment.state(case), "res").outputs["value"], whole);
}

#[tokio::test]
async fn l1_stack_reference() {
    let deployment = Deployment::new();
    let source = deployment.deploy("stack-reference-source", &[]).await;
    assert_eq!(
        source.outputs,
        object(
            json!({"plain": "from the other stack", "number": 42, "secret": secret(json!("shh"))})
        )
    );
    let name = "organization/stack-reference-source/dev";
    let case = "l1-stack-reference";
    let report = deployment.deploy(case, &[("other", name, false)]).await;
    assert_eq!(
        report.outputs,
        object(
            json!({"plain": "from the other stack", "required": 42, "secretFromOther": secret(json!("shh"))})
        ),
        "an output the other stack lacks is undefined, so not exported"
    );
    let state = deployment.state(case);
    let reference = resource(&state, name);
    assert_eq!(reference.urn, urn(case, "pulumi:pulumi:StackReference", name));
    assert_eq!(
        (reference.id.as_str(), reference.parent.as_str(), reference.external),
        (name, stack_urn(case).as_str(), true)
    );
    // Read through the engine's own package, as Pulumi's engine reads it.
    assert_eq!(reference.provider, provider_reference(&state, "default"));
    assert_eq!(resource(&state, "default").ty, "pulumi:providers:pulumi");
    assert_eq!(op(&report, name), StepOp::Read);
}

/// Resources registered from `beforeExit`, as SDKs do, are deployed, and the
/// run ends once a round of `beforeExit` starts nothing new.
#[tokio::test]
async fn l1_before_exit() {
    let case = "l1-before-exit";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    assert_eq!(report.outputs, object(json!({"early": "registered at load"})));
    let state = deployment.state(case);
    for name in ["early", "late", "later"] {
        assert_eq!(resource(&state, name).parent, stack_urn(case), "{name}");
    }
}

// ---------------------------------------------------------------- module formats

/// tsconfig.json `"module": "commonjs"`: the program runs as ts-node runs it.
#[tokio::test]
async fn commonjs_circular_import_sees_the_entry_module_as_tsc_emits_it() {
    let case = "commonjs-circular";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let expected = object(json!({
        "prefix": "app",
        // The entry module's exports, read during the cycle, are not assigned yet: no
        // "Cannot access before initialization".
        "seenWhileLoading": "undefined",
        "name": "app-bucket",
        // esModuleInterop: a default import of CommonJS is its `module.exports`.
        "greeting": "hello world",
        "hasTsconfig": true,
        "assigned": "through exports",
        "value": "app",
    }));
    assert_eq!(report.outputs, expected);
    assert_eq!(report.preview.as_ref().unwrap().outputs, expected);
    let state = deployment.state(case);
    assert_eq!(resource(&state, "app-bucket").outputs["value"], json!("app"));
}

#[tokio::test]
async fn commonjs_export_assignment_of_an_async_function_makes_the_outputs() {
    let case = "commonjs-export-assignment";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    assert_eq!(
        report.outputs,
        object(json!({
            "value": "made by the exported function",
            // No esModuleInterop: the default import is `module.exports.default`.
            "defaultImport": "undefined",
            "namespaceImport": "function",
            "greeting": "hello world",
            "version": 3,
            "hasPulumiYaml": true,
            "topLevelThis": "object",
        }))
    );
    let state = deployment.state(case);
    assert_eq!(resource(&state, "res").parent, stack_urn(case));
}

/// package.json `"type": "module"`: an ES module, which may await at the top level.
#[tokio::test]
async fn es_module_project_keeps_top_level_await() {
    let case = "esm-top-level-await";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let awaited = "awaited at the top level";
    assert_eq!(report.outputs, object(json!({"awaited": awaited, "resourceValue": awaited})));
}

#[tokio::test]
async fn fail_throw_commonjs_points_at_the_typescript_lines() {
    let (_, report) = failing("fail-throw-commonjs", &[]).await;
    let text = shown(&report);
    let dir = corpus("fail-throw-commonjs");
    assert!(text.contains("RangeError: count 2 is over the limit of 1"), "{text}");
    assert!(
        text.contains(&format!("{}:10:15", dir.join("limits.ts").display())),
        "the throw's line and column in limits.ts:\n{text}"
    );
    assert!(
        text.contains(&format!("{}:3:", dir.join("index.ts").display())),
        "the caller's line in index.ts:\n{text}"
    );
}

// ---------------------------------------------------------------- l2: resource options

#[tokio::test]
async fn l2_parent() {
    let case = "l2-parent";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let parent = urn(case, "test:index:Resource", "parent");
    let child = urn(case, "test:index:Resource$test:index:Resource", "child");
    let grandchild =
        urn(case, "test:index:Resource$test:index:Resource$test:index:Resource", "grandchild");
    assert_eq!(report.outputs, object(json!({"urns": [parent, child, grandchild]})));
    let state = deployment.state(case);
    assert_eq!(resource(&state, "parent").parent, stack_urn(case));
    assert_eq!(resource(&state, "child").parent, parent);
    assert_eq!(resource(&state, "grandchild").parent, child);
    // A parent comes before its children in the state.
    let position = |urn: &str| state.resources.iter().position(|r| r.urn == urn).unwrap();
    assert!(position(&parent) < position(&child) && position(&child) < position(&grandchild));
}

#[tokio::test]
async fn l2_depends_on() {
    let case = "l2-depends-on";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let state = deployment.state(case);
    let [first, second, third] =
        ["first", "second", "third"].map(|n| urn(case, "test:index:Resource", n));
    assert_eq!(resource(&state, "second").dependencies, std::slice::from_ref(&first));
    let mut third_dependencies = resource(&state, "third").dependencies.clone();
    third_dependencies.sort();
    assert_eq!(third_dependencies, [first.clone(), second.clone()]);
    let fourth = resource(&state, "fourth");
    assert_eq!(fourth.property_dependencies["value"], std::slice::from_ref(&third));
    assert_eq!(fourth.property_dependencies["other"], std::slice::from_ref(&first));
    let mut fourth_dependencies = fourth.dependencies.clone();
    fourth_dependencies.sort();
    assert_eq!(fourth_dependencies, [first, third], "property dependencies are dependencies too");
    assert_eq!(fourth.inputs, object(json!({"value": 3, "other": resource(&state, "first").id})));
    assert_eq!(report.outputs, object(json!({"last": 3})));
}

#[tokio::test]
async fn l2_additional_secret_outputs() {
    let case = "l2-additional-secret-outputs";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let res = resource(&deployment.state(case), "res").clone();
    assert_eq!(res.additional_secret_outputs, ["value"]);
    assert_eq!(
        res.outputs,
        object(json!({"value": secret(json!("sensitive")), "other": "public"}))
    );
    assert_eq!(
        res.inputs,
        object(json!({"value": "sensitive", "other": "public"})),
        "inputs are as given"
    );
    assert_eq!(
        report.outputs,
        object(json!({"value": secret(json!("sensitive")), "valueIsSecret": true}))
    );
}

#[tokio::test]
async fn l2_invoke_options() {
    let case = "l2-invoke-options";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    assert_eq!(
        report.outputs,
        object(
            json!({"plain": "plain", "viaProvider": "provided", "dependent": "d", "secret": secret(json!("hidden"))})
        )
    );
    let preview = report.preview.as_ref().unwrap();
    assert!(
        property::is_unknown(&preview.outputs["dependent"]),
        "an invoke waiting on a resource is unknown in preview"
    );
    let invokes: Vec<&Value> = report
        .trace
        .iter()
        .filter(|e| e.method == "ResourceMonitor/Invoke")
        .map(|e| &e.request)
        .collect();
    let by_value = |value: &str| {
        invokes
            .iter()
            .find(|r| r["args"]["value"] == value)
            .copied()
            .unwrap_or_else(|| panic!("no invoke of {value}: {invokes:#?}"))
    };
    let provider = provider_reference(&deployment.state(case), "explicit");
    assert_eq!(
        by_value("provided")["provider"],
        json!(provider),
        "the explicit provider is passed"
    );
    assert!(
        by_value("plain").get("provider").is_none(),
        "no provider option, no provider reference"
    );
    // As the Node.js SDK does: secret arguments are sent unwrapped, and the result is marked secret.
    assert_eq!(by_value("hidden")["args"]["value"], json!("hidden"));
    assert!(invokes.iter().all(|r| r["tok"] == "test:index:echo"));
}

#[tokio::test]
async fn l2_custom_timeouts() {
    let case = "l2-custom-timeouts";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    assert_eq!(
        registration(&report, "res")["customTimeouts"],
        json!({"create": "1m", "update": "2m30s", "delete": "45s"})
    );
    assert_eq!(resource(&deployment.state(case), "res").outputs, object(json!({"value": "t"})));
}

#[tokio::test]
async fn l2_deleted_with() {
    let case = "l2-deleted-with";
    let deployment = Deployment::new();
    deployment.deploy(case, &[]).await;
    let state = deployment.state(case);
    let owner = resource(&state, "owner").urn.clone();
    assert_eq!(resource(&state, "owned").deleted_with, owner);
    assert_eq!(resource(&state, "owner").deleted_with, "");

    let destroy = deployment.engine.destroy(&deployment.project(case, &[])).await;
    assert!(destroy.succeeded(), "{:?}", destroy.error);
    let deletes: Vec<String> =
        deployment.provider.calls().into_iter().filter(|c| c.starts_with("delete")).collect();
    assert_eq!(
        deletes,
        ["delete owner"],
        "the owned resource goes with its owner, without a call of its own"
    );
    assert!(deployment.state(case).resources.is_empty());
}

#[tokio::test]
async fn l2_protect() {
    let case = "l2-protect";
    let deployment = Deployment::new();
    let (_, second) = deployment.two_steps(case).await;
    let guarded = urn(case, "test:index:Resource", "guarded");
    assert!(!second.succeeded(), "deleting a protected resource must fail");
    let message = shown(&second);
    assert!(
        second.preview.as_ref().unwrap().diagnostics.iter().any(|d| d.urn == guarded
            && d.message.contains(&format!("unable to delete resource \"{guarded}\""))
            && d.message.contains("protection")),
        "{message}"
    );
    assert!(!deployment.provider.calls().contains(&"delete guarded".to_string()));
    let state = deployment.state(case);
    assert!(resource(&state, "guarded").protect);
    assert_eq!(
        resource(&state, "free").inputs,
        object(json!({"value": 1})),
        "a failed preview changes nothing"
    );
}

#[tokio::test]
async fn l2_ignore_changes() {
    let case = "l2-ignore-changes";
    let deployment = Deployment::new();
    let (_, second) = deployment.two_steps(case).await;
    assert_succeeded(&second);
    assert_eq!(op(&second, "res"), StepOp::Update);
    let step = second.steps.iter().find(|s| s.urn.ends_with("::res")).unwrap();
    assert_eq!(step.diffs, ["other"], "the ignored key is not a change");
    let res = resource(&deployment.state(case), "res").clone();
    assert_eq!(res.inputs, object(json!({"value": "v1", "other": "o2"})));
    assert_eq!(second.outputs, object(json!({"value": "v1"})));
}

#[tokio::test]
async fn l2_aliases() {
    let case = "l2-aliases";
    let deployment = Deployment::new();
    let (_, second) = deployment.two_steps(case).await;
    assert_succeeded(&second);
    assert_eq!(
        steps(&second).into_iter().filter(|(_, op)| *op != StepOp::Same).collect::<Vec<_>>(),
        [],
        "aliased resources are the same resources, not deleted and created again"
    );
    let state = deployment.state(case);
    let parent = urn(case, "test:index:Resource", "parent");
    let renamed = resource(&state, "new-name");
    assert_eq!(renamed.urn, urn(case, "test:index:Resource", "new-name"));
    assert!(
        renamed.aliases.contains(&urn(case, "test:index:Resource", "old-name")),
        "{:?}",
        renamed.aliases
    );
    let moved = resource(&state, "moved");
    assert_eq!(moved.urn, urn(case, "test:index:Resource$test:index:Resource", "moved"));
    assert_eq!(moved.parent, parent);
    assert_eq!(resource(&state, "typed-renamed").outputs, object(json!({"value": "url alias"})));
    assert!(
        state
            .resources
            .iter()
            .all(|r| !r.urn.ends_with("::old-name") && !r.urn.ends_with("::typed"))
    );
    assert_eq!(state.resources.len(), 6, "stack, provider, parent and the three aliased resources");
    let mut calls = deployment.provider.calls();
    calls.sort();
    assert_eq!(
        calls,
        ["create moved", "create old-name", "create parent", "create typed"],
        "nothing created or deleted by step 2"
    );
}

#[tokio::test]
async fn l2_replace_on_changes() {
    let case = "l2-replace-on-changes";
    let deployment = Deployment::new();
    let (_, second) = deployment.two_steps(case).await;
    assert_succeeded(&second);
    let step = second.steps.iter().find(|s| s.urn.ends_with("::res")).unwrap();
    assert_eq!(
        (step.op, step.replace_keys.clone(), step.delete_before_replace),
        (StepOp::Replace, vec!["value".to_string()], false)
    );
    assert_eq!(
        deployment.provider.calls(),
        ["create res", "create res", "delete res"],
        "create the replacement, then delete the old"
    );
    let state = deployment.state(case);
    assert_eq!(state.resources.iter().filter(|r| r.urn.ends_with("::res")).count(), 1);
    assert_eq!(resource(&state, "res").inputs, object(json!({"value": "v2", "stable": "s"})));
    assert_eq!(second.outputs, object(json!({"value": "v2"})));
}

#[tokio::test]
async fn l2_replacement_trigger() {
    let case = "l2-replacement-trigger";
    let deployment = Deployment::new();
    let (first, second) = deployment.two_steps(case).await;
    assert_succeeded(&first);
    assert_succeeded(&second);
    let op = |name: &str| {
        second.steps.iter().find(|s| s.urn.ends_with(&format!("::{name}"))).unwrap().op
    };
    assert_eq!(
        (op("triggered"), op("follower"), op("steady")),
        (StepOp::Replace, StepOp::Replace, StepOp::Same),
        "{:?}",
        second.steps
    );
    let state = deployment.state(case);
    assert_eq!(resource(&state, "triggered").replacement_trigger, json!("release-2"));
    assert_eq!(
        resource(&state, "follower").replace_with,
        [urn(case, "test:index:Resource", "triggered")]
    );
}

#[tokio::test]
async fn l2_delete_before_replace() {
    let case = "l2-delete-before-replace";
    let deployment = Deployment::new();
    let (_, second) = deployment.two_steps(case).await;
    assert_succeeded(&second);
    assert_eq!(
        deployment.provider.calls(),
        ["create res", "delete res", "create res"],
        "the old resource goes first"
    );
    let step = second.steps.iter().find(|s| s.urn.ends_with("::res")).unwrap();
    assert_eq!((step.op, step.delete_before_replace), (StepOp::Replace, true));
    let state = deployment.state(case);
    assert_eq!(state.resources.iter().filter(|r| r.urn.ends_with("::res")).count(), 1);
    assert_eq!(resource(&state, "res").outputs["value"], "v2");
    assert_eq!(second.outputs, object(json!({"value": "v2"})));
}

#[tokio::test]
async fn l2_retain_on_delete() {
    let case = "l2-retain-on-delete";
    let deployment = Deployment::new();
    deployment.deploy(case, &[("step", "1", false)]).await;
    assert!(resource(&deployment.state(case), "retained").retain_on_delete);
    let second = deployment.up(&deployment.project(case, &[("step", "2", false)])).await;
    assert_succeeded(&second);
    assert_eq!(op(&second, "retained"), StepOp::Delete, "the engine reports the delete");
    assert_eq!(
        deployment.provider.calls(),
        ["create retained"],
        "but the provider is not asked to delete"
    );
    let state = deployment.state(case);
    assert!(state.resources.iter().all(|r| !r.urn.ends_with("::retained")), "{:?}", urns(&state));
}

#[tokio::test]
async fn l2_import() {
    let case = "l2-import";
    let deployment = Deployment::new();
    deployment.provider.inner.insert_existing("existing-id", object(json!({"value": "adopted"})));
    let report = deployment.deploy(case, &[]).await;
    assert_eq!(op(&report, "imported"), StepOp::Import);
    let state = deployment.state(case);
    let imported = resource(&state, "imported");
    assert_eq!((imported.id.as_str(), imported.import_id.as_str()), ("existing-id", "existing-id"));
    assert_eq!(imported.outputs, object(json!({"value": "adopted"})));
    assert_eq!(report.outputs, object(json!({"id": "existing-id"})));
    assert!(deployment.provider.calls().is_empty(), "importing creates nothing");
    let again = deployment.deploy(case, &[]).await;
    assert_eq!(op(&again, "imported"), StepOp::Same);
}

#[tokio::test]
async fn l2_provider() {
    let case = "l2-provider";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let state = deployment.state(case);
    let explicit = resource(&state, "explicit");
    assert_eq!(explicit.urn, urn(case, "pulumi:providers:test", "explicit"));
    assert_eq!(explicit.inputs, object(json!({"region": "test-1"})));
    assert_eq!(resource(&state, "res").provider, provider_reference(&state, "explicit"));
    assert!(
        state.resources.iter().all(|r| !r.urn.ends_with("::default")),
        "no default provider: {:?}",
        urns(&state)
    );
    assert_eq!(report.outputs, object(json!({"value": "v"})));
}

#[tokio::test]
async fn l2_providers() {
    let case = "l2-providers";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let state = deployment.state(case);
    let mapped = provider_reference(&state, "mapped");
    for child in ["pair-left", "pair-right", "listed-left", "listed-right"] {
        assert_eq!(
            resource(&state, child).provider,
            mapped,
            "{child} uses its parent's provider for `test`"
        );
    }
    assert!(
        state.resources.iter().all(|r| !r.urn.ends_with("::default")),
        "no default provider: {:?}",
        urns(&state)
    );
    assert_eq!(report.outputs, object(json!({"joined": ["v+v", "w+w"]})));
}

#[tokio::test]
async fn l2_version() {
    let case = "l2-version";
    let deployment = Deployment::new();
    deployment.deploy(case, &[]).await;
    let state = deployment.state(case);
    assert_eq!(resource(&state, "pinned").provider, provider_reference(&state, "default_1_2_3"));
    assert_eq!(resource(&state, "unpinned").provider, provider_reference(&state, "default"));
    // As Pulumi's engine keeps it: the version, and an `__internal` object beside it.
    assert_eq!(
        resource(&state, "default_1_2_3").inputs,
        object(json!({"version": "1.2.3", "__internal": {}}))
    );
    assert_eq!(resource(&state, "default_1_2_3").outputs, object(json!({"version": "1.2.3"})));

    // The program names no version for `unpinned`, and reports no package: as
    // under Pulumi, the newest version the stack's providers use is the
    // default, so the next run moves `unpinned` to that provider, in place.
    let again = deployment.deploy(case, &[]).await;
    let state = deployment.state(case);
    assert_eq!(resource(&state, "unpinned").provider, provider_reference(&state, "default_1_2_3"));
    assert_eq!(op(&again, "unpinned"), StepOp::Same);
    assert!(
        state.resources.iter().all(|r| !r.urn.ends_with("::default")),
        "the unused default provider is gone: {:?}",
        urns(&state)
    );
}

#[tokio::test]
async fn l2_plugin_download_url() {
    let case = "l2-plugin-download-url";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let request = registration(&report, "res");
    assert_eq!(
        (request["pluginDownloadURL"].as_str(), request["version"].as_str()),
        (Some("https://example.com/plugins"), Some("2.0.0"))
    );
    let state = deployment.state(case);
    let name = "default_2_0_0_https_/example.com/plugins";
    assert_eq!(resource(&state, "res").provider, provider_reference(&state, name));
    assert_eq!(
        resource(&state, name).inputs,
        object(
            json!({"version": "2.0.0", "__internal": {"pluginDownloadURL": "https://example.com/plugins"}})
        )
    );
}

#[tokio::test]
async fn l2_transforms() {
    let case = "l2-transforms";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    assert_eq!(
        registration(&report, "tagged")["object"]["value"],
        "original",
        "the program registers the original inputs"
    );
    assert_eq!(
        resource(&deployment.state(case), "tagged").inputs,
        object(json!({"value": "transformed"}))
    );
    assert_eq!(report.outputs, object(json!({"value": "transformed"})));
    assert_eq!(report.trace.iter().filter(|e| e.method == "Callbacks/Transform").count(), 1);
}

#[tokio::test]
async fn l2_resource_hooks() {
    let case = "l2-resource-hooks";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    assert_succeeded(&report);
    let declared: Vec<_> = report
        .trace
        .iter()
        .filter(|e| e.method.ends_with("Hook"))
        .map(|e| {
            let r = &e.request;
            (
                e.method.as_str(),
                r["name"].clone(),
                r["onDryRun"].clone(),
                r["callback"]["token"].is_string(),
            )
        })
        .collect();
    assert_eq!(
        declared,
        [
            ("ResourceMonitor/RegisterResourceHook", json!("announce"), json!(true), true),
            ("ResourceMonitor/RegisterErrorHook", json!("retryOnce"), Value::Null, true),
            (
                "ResourceMonitor/RegisterResourceHook",
                json!("test:index:Resource_hooked_afterCreate_0"),
                Value::Null, // false, left out of the request as proto3 JSON does
                true
            ),
        ]
    );
    assert_eq!(
        registration(&report, "hooked")["hooks"],
        json!({
            "beforeCreate": ["announce"],
            "afterCreate": ["test:index:Resource_hooked_afterCreate_0"],
            "onError": ["retryOnce"],
        })
    );
    // The hooks ran around the create: `announce` in the preview too (onDryRun), the plain
    // function only in the update, once the resource had its outputs.
    let hooked = urn(case, "test:index:Resource", "hooked");
    let preview = shown(report.preview.as_ref().unwrap());
    assert!(preview.contains("created hooked"), "{preview}");
    assert!(!preview.contains("after "), "{preview}");
    let update = shown(&report);
    assert!(update.contains("created hooked"), "{update}");
    assert!(update.contains(&format!("after {hooked}")), "{update}");
    assert!(report.diagnostics.iter().all(|d| d.severity != Severity::Warning), "{update}");
}

#[tokio::test]
async fn preview_unknowns() {
    let case = "preview-unknowns";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let preview = report.preview.as_ref().unwrap();
    assert_eq!(preview.outputs["known"], "known!", "derived from a known input: known in preview");
    // The callback on the unknown ID does not run: its result would be known ("id:undefined").
    assert!(property::is_unknown(&preview.outputs["derived"]), "{:?}", preview.outputs);
    assert!(property::is_unknown(&preview.outputs["chained"]), "{:?}", preview.outputs);
    let chained = registration(preview, "chained");
    assert!(
        property::contains_unknowns(&property::flatten_output_values(
            chained["object"]["value"].clone()
        )),
        "{chained}"
    );

    let id = resource(&deployment.state(case), "res").id.clone();
    assert!(id.starts_with("res-"), "{id}");
    assert_eq!(
        report.outputs,
        object(json!({"known": "known!", "derived": format!("id:{id}"), "chained": id}))
    );
}

/// The `RegisterResource` requests of a run, by resource name.
fn registered_names(report: &RunReport) -> Vec<String> {
    let mut names: Vec<String> = report
        .trace
        .iter()
        .filter(|e| e.method == "ResourceMonitor/RegisterResource")
        .map(|e| e.request["name"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

/// The URNs the program asked `pulumi:pulumi:getResource` for, in sorted order.
fn resources_got(report: &RunReport) -> Vec<String> {
    let mut urns: Vec<String> = report
        .trace
        .iter()
        .filter(|e| {
            e.method == "ResourceMonitor/Invoke" && e.request["tok"] == "pulumi:pulumi:getResource"
        })
        .map(|e| e.request["args"]["urn"].as_str().unwrap_or_default().to_string())
        .collect();
    urns.sort();
    urns
}

#[tokio::test]
async fn l2_exists_resource() {
    let case = "l2-exists-resource";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let preview = report.preview.as_ref().unwrap();
    assert!(property::is_unknown(&preview.outputs["found"]), "no ID yet: {:?}", preview.outputs);
    assert_eq!(preview.outputs["missing"], false);
    assert_eq!(report.outputs, object(json!({"found": true, "missing": false})));
    // Asking stores nothing: the stack holds the resource and what it needs, no more.
    let state = deployment.state(case);
    assert!(
        state.resources.iter().all(|r| !r.urn.rsplit("::").next().unwrap().starts_with("exists-")),
        "{:?}",
        urns(&state)
    );
}

#[tokio::test]
async fn l2_get_resource() {
    let case = "l2-get-resource";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let original = urn(case, "test:index:Resource", "original");
    let secretive = urn(case, "test:index:Resource", "secretive");
    for run in [report.preview.as_deref().unwrap(), &report] {
        assert_eq!(
            registered_names(run),
            [format!("{case}-{STACK}"), "original".into(), "secretive".into()],
            "resources read by URN are not registered"
        );
        assert_eq!(resources_got(run), [original.clone(), secretive.clone()]);
    }
    let preview = report.preview.as_ref().unwrap();
    assert_eq!(preview.outputs["viewValue"], "hello", "the engine's preview state");
    assert!(property::is_unknown(&preview.outputs["sameId"]), "no ID yet: {:?}", preview.outputs);
    assert_eq!(
        report.outputs,
        object(json!({
            "viewValue": "hello",
            "viewUrn": original,
            "sameId": true,
            "secretValue": secret(json!("shh")),
        }))
    );
    let state = deployment.state(case);
    let mut stored: Vec<&str> = urns(&state);
    stored.sort();
    assert_eq!(
        stored,
        [
            &urn(case, "pulumi:providers:pulumi", "default"),
            &urn(case, "pulumi:providers:test", "default"),
            stack_urn(case).as_str(),
            &original,
            &secretive,
        ],
        "nothing read by URN is stored; the engine's own package got its default provider"
    );
    let again = deployment.deploy(case, &[]).await;
    assert!(again.steps.iter().all(|s| s.op == StepOp::Same), "{:#?}", again.steps);
    assert_eq!(again.outputs, report.outputs);
}

#[tokio::test]
async fn l2_resource_references() {
    let case = "l2-resource-references";
    let deployment = Deployment::new();
    let report = deployment.deploy(case, &[]).await;
    let target = urn(case, "test:index:Resource", "target");
    let provider = urn(case, "pulumi:providers:test", "explicit");
    let pair = urn(case, "corpus:index:Pair", "pair");
    let state = deployment.state(case);
    let target_id = resource(&state, "target").id.clone();
    let reference = |urn: &str, id: Option<&str>| {
        let mut value = json!({SIG_KEY: RESOURCE_REFERENCE_SIG, "urn": urn});
        if let Some(id) = id {
            value["id"] = json!(id);
        }
        value
    };
    assert_eq!(
        resource(&state, "holder").outputs["value"],
        json!({
            "target": reference(&target, Some(&target_id)),
            "pair": reference(&pair, None),
        }),
        "the provider echoed the references"
    );
    for run in [report.preview.as_deref().unwrap(), &report] {
        let names = registered_names(run);
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names, unique, "a rebuilt resource does not register again");
    }
    // In the preview the provider's ID is unknown, so the echo does not run.
    assert_eq!(resources_got(report.preview.as_deref().unwrap()), std::slice::from_ref(&target));
    assert_eq!(resources_got(&report), [provider.clone(), target.clone()]);
    assert_eq!(
        report.outputs,
        object(json!({
            "targetIsResource": true,
            "targetValue": "hello",
            "targetUrn": target,
            "sameTargetId": true,
            "providerIsProvider": true,
            "providerUrn": provider,
            "pairReference": pair,
            "rehydrated": {"urn": target, "id": target_id, "value": "hello"},
        }))
    );
    let again = deployment.deploy(case, &[]).await;
    assert!(again.steps.iter().all(|s| s.op == StepOp::Same), "{:#?}", again.steps);
}

// ---------------------------------------------------------------- programs that fail

/// The update of `case`, which must fail in its preview with `expected` shown to the user.
async fn failing(case: &str, config: &[(&str, &str, bool)]) -> (Deployment, RunReport) {
    let deployment = Deployment::new();
    let report = deployment.up(&deployment.project(case, config)).await;
    assert!(!report.succeeded(), "{case} must fail:\n{}", shown(&report));
    assert!(!shown(&report).contains("panicked"), "{}", shown(&report));
    (deployment, report)
}

#[tokio::test]
async fn fail_syntax_shows_where() {
    let (_, report) = failing("fail-syntax", &[]).await;
    let text = shown(&report);
    let file = corpus("fail-syntax").join("index.ts");
    assert!(
        text.contains(&format!("{}:3:26", file.display())),
        "file:line:col of the error:\n{text}"
    );
    assert!(text.contains("Expression expected"), "{text}");
    assert!(text.contains("SyntaxError"), "reported as a syntax error:\n{text}");
    assert!(
        !text.contains("TypeError") && !text.contains("ERR_MODULE_NOT_FOUND"),
        "not as a failed import:\n{text}"
    );
}

#[tokio::test]
async fn fail_throw_shows_the_message_and_where() {
    let (_, report) = failing("fail-throw", &[]).await;
    let preview = report.preview.as_ref().unwrap();
    let error = preview
        .diagnostics
        .iter()
        .find(|d| d.message.contains("failed with an unhandled exception"))
        .unwrap_or_else(|| panic!("{}", shown(&report)));
    assert!(error.message.contains("Error: the program failed on purpose"), "{}", error.message);
    assert!(
        error.message.contains(&format!("{}:1:7", corpus("fail-throw").join("index.ts").display())),
        "{}",
        error.message
    );
    assert_eq!(
        preview.error.as_deref(),
        Some("the program failed; its errors are shown above"),
        "the host bails after logging"
    );
}

#[tokio::test]
async fn fail_resource_error_names_the_resource() {
    let (_, report) = failing("fail-resource-error", &[]).await;
    let res = urn("fail-resource-error", "test:index:Resource", "res");
    let preview = report.preview.as_ref().unwrap();
    let error = preview
        .diagnostics
        .iter()
        .find(|d| d.urn == res)
        .unwrap_or_else(|| panic!("no error about {res}:\n{}", shown(&report)));
    // As the Node.js SDK shows it: the error as inspected, class name first, against the resource.
    assert!(
        error.message.starts_with("ResourceError: this resource is misconfigured"),
        "{}",
        error.message
    );
    assert!(error.message.contains("index.ts:4:7"), "{}", error.message);
    assert!(
        error.to_string().starts_with("error: res: ResourceError: this resource is misconfigured"),
        "{error}"
    );
}

#[tokio::test]
async fn fail_get_unknown_resource_names_the_urn() {
    let case = "fail-get-unknown-resource";
    let (_, report) = failing(case, &[]).await;
    let ghost = urn(case, "test:index:Resource", "ghost");
    let text = shown(&report);
    assert!(
        text.contains(&format!(
            "invocation of pulumi:pulumi:getResource returned an error: unknown resource {ghost}"
        )),
        "{text}"
    );
    let preview = report.preview.as_ref().unwrap();
    assert_eq!(resources_got(preview), [ghost]);
    assert_eq!(registered_names(preview), [format!("{case}-{STACK}")]);
}

#[tokio::test]
async fn fail_create_names_the_resource() {
    let (deployment, report) = failing("fail-create", &[]).await;
    assert!(report.preview.as_ref().unwrap().succeeded(), "the preview cannot know");
    let broken = urn("fail-create", "test:index:Resource", "broken");
    assert!(
        report.diagnostics.iter().any(|d| d.urn == broken && d.message == "quota exceeded"),
        "{}",
        shown(&report)
    );
    assert!(shown(&report).contains("error: broken: quota exceeded"), "{}", shown(&report));
    assert_eq!(report.error.as_deref(), Some("quota exceeded"));
    let state = deployment.state("fail-create");
    assert_eq!(resource(&state, "ok").outputs, object(json!({"value": "fine"})));
    assert!(
        state.resources.iter().all(|r| r.urn != broken),
        "the failed resource is not in the state"
    );
}

#[tokio::test]
async fn fail_create_retried_while_an_error_hook_asks() {
    let (deployment, report) = failing("fail-create-retried", &[]).await;
    let shown = shown(&report);
    // The hook saw each failure, newest first, and asked for a retry after the first two.
    for attempt in 1..=3 {
        let line = format!("create of flaky failed {attempt} time(s): not today");
        assert!(shown.contains(&line), "{line} in {shown}");
    }
    assert_eq!(shown.matches("retrying create due to on-error hook request").count(), 2, "{shown}");
    assert_eq!(report.error.as_deref(), Some("not today"));
    let state = deployment.state("fail-create-retried");
    assert!(state.resources.iter().all(|r| !r.urn.ends_with("::flaky")));
}

#[tokio::test]
async fn fail_bad_project_names_pulumi_yaml() {
    // The engine rejects the project before starting a host, as the CLI does.
    let error =
        ProjectSpec::load(corpus("fail-bad-project"), STACK).expect_err("malformed Pulumi.yaml");
    assert!(format!("{error:#}").contains("Pulumi.yaml"), "{error:#}");

    // A host started for it anyway reads Pulumi.yaml itself, and says what is wrong with it.
    let root = corpus("fail-bad-project");
    let spec = ProjectSpec {
        root_directory: root.clone(),
        name: "fail-bad-project".into(),
        runtime: "unfold".into(),
        runtime_options: PropertyMap::new(),
        main: None,
        stack: STACK.into(),
        organization: unfold_engine::project::DEFAULT_ORGANIZATION.into(),
        config: Default::default(),
        encryption_salt: None,
    };
    let deployment = Deployment::new();
    let report = deployment.up(&spec).await;
    assert!(!report.succeeded());
    let text = shown(&report);
    assert!(
        text.contains(&root.join("Pulumi.yaml").display().to_string()),
        "names the file:\n{text}"
    );
    assert!(text.contains("line 3"), "says where:\n{text}");
    assert!(
        report
            .preview
            .as_ref()
            .unwrap()
            .trace
            .iter()
            .all(|e| e.method != "ResourceMonitor/RegisterResource"),
        "the program never ran"
    );
}

#[tokio::test]
async fn fail_bad_json_config_names_the_key() {
    let (_, report) = failing("fail-bad-json-config", &[("settings", "{not json", false)]).await;
    let text = shown(&report);
    assert!(text.contains("fail-bad-json-config:settings"), "names the key:\n{text}");
    assert!(text.contains("JSON"), "says what is wrong:\n{text}");
    assert!(!text.contains("Missing required configuration"), "{text}");
}

#[tokio::test]
async fn fail_missing_entry_names_the_folder() {
    let (_, report) = failing("fail-missing-entry", &[]).await;
    let text = shown(&report);
    assert!(
        text.contains(&corpus("fail-missing-entry").join("nowhere").display().to_string()),
        "names the missing folder:\n{text}"
    );
    assert!(
        report
            .preview
            .as_ref()
            .unwrap()
            .trace
            .iter()
            .all(|e| e.method != "ResourceMonitor/RegisterResource")
    );
}

/// A program stuck on a promise nothing can settle ends with an error saying so, not a hang.
async fn assert_never_settles(case: &str) -> String {
    let started = std::time::Instant::now();
    let (_, report) = failing(case, &[]).await;
    assert!(started.elapsed() < RUN_TIMEOUT, "the engine's run timeout ended it, not the host");
    let text = shown(&report);
    assert!(text.contains("never"), "says the promise can never settle:\n{text}");
    assert!(
        !text.contains("unfold://lib/unfold/main.ts"),
        "points at the program, not the host's bootstrap:\n{text}"
    );
    text
}

#[tokio::test]
async fn fail_never_settles() {
    let text = assert_never_settles("fail-never-settles").await;
    assert!(
        text.contains(&corpus("fail-never-settles").join("index.ts").display().to_string()),
        "{text}"
    );
}

#[tokio::test]
async fn fail_never_settles_output() {
    assert_never_settles("fail-never-settles-output").await;
}

/// The engine dies part way through an update: the host notices and the run
/// fails promptly, without a panic.
#[tokio::test]
async fn fail_engine_gone() {
    let case = "fail-engine-gone";
    let stop = Arc::new(Notify::new());
    let deployment = Deployment::with_options(EngineOptions {
        stop_serving: Some(stop.clone()),
        ..EngineOptions::default()
    });
    let spec = deployment.project(case, &[]);
    let backend = deployment.engine.backend().clone();
    let host = host();
    let up = deployment.engine.up(&spec, &host);
    tokio::pin!(up);
    // Once the update has created a few resources (its checkpoints say so), the engine goes away.
    let created_some = async {
        loop {
            if let Ok(Some(state)) = backend.load(case, STACK)
                && state.resources.iter().any(|r| r.urn.ends_with("::r2"))
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::select! {
        report = &mut up => panic!("the run ended before the engine went away:\n{}", shown(&report)),
        () = created_some => stop.notify_one(),
        () = tokio::time::sleep(HANG_LIMIT) => panic!("the update never created r2"),
    }
    let report = tokio::time::timeout(Duration::from_secs(30), up)
        .await
        .expect("the host did not end the run after its engine went away");
    assert!(!report.succeeded(), "{}", shown(&report));
    let text = shown(&report);
    assert!(!text.contains("panicked"), "{text}");
    // What was created before the engine went away is still accounted for.
    let state = deployment.state(case);
    for name in ["r0", "r1", "r2"] {
        assert!(
            state.resources.iter().any(|r| r.urn == urn(case, "test:index:Resource", name)),
            "{name}: {:?}",
            urns(&state)
        );
    }
}
