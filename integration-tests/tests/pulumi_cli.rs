//! The corpus under Pulumi's own CLI: each program of `corpus/` is run by a
//! real `pulumi` (built from Go modules by `scripts/pulumi-cli`, state in a
//! local file backend, secrets under a passphrase) with `runtime: unfold`,
//! as a user runs it — `stack init`, `config set`, `preview`, `up`,
//! `stack output`, `preview --expect-no-changes`, the step-2 edit, `refresh`,
//! `destroy` — and what Pulumi's engine stored is compared, resource by
//! resource and field by field, with what our engine stores for the same
//! program. Differences must be listed, with a reason, in
//! `pulumi-cli-allowlist.json`; an entry that allows nothing fails the case.
//!
//! `UNFOLD_PULUMI_BIN` names the folder holding `pulumi` (`scripts/test` sets
//! it from `scripts/pulumi-cli`).

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use unfold_engine::{Engine, Operation, ProjectSpec, ProviderRegistry, RunReport, StackState};
use unfold_integration_tests::http::json_request;
use unfold_integration_tests::lambda_emulator::bootstrap;
use unfold_integration_tests::moto::{AwsClients, Moto};
use unfold_integration_tests::pulumi_cli;
use unfold_integration_tests::test_provider::TestProvider;
use unfold_integration_tests::{binary, repository_path, unfold_host};
use unfold_wire::signatures::{RESOURCE_REFERENCE_SIG, SECRET_SIG, SIG_KEY};

const STACK: &str = "dev";

/// One program, how it is configured, and what a user sees when it fails.
struct Case {
    name: &'static str,
    config: &'static [(&'static str, &'static str, bool)],
    /// Text Pulumi's output must hold when the program fails, as our engine shows it.
    fails_with: Option<&'static str>,
    /// A program of the corpus deployed first, to stack `dev` of the same
    /// backend (the stack a stack reference reads).
    before: Option<&'static str>,
    /// Resources of the `test` provider that exist before the run (ID, outputs
    /// as JSON), as if made outside any deployment: what `import` adopts.
    existing: &'static [(&'static str, &'static str)],
}

impl Case {
    const DEFAULT: Case =
        Case { name: "", config: &[], fails_with: None, before: None, existing: &[] };

    /// Programs that read `step` are run again with `step = 2`.
    fn has_step_two(&self, corpus: &Path) -> bool {
        let source = std::fs::read_to_string(corpus.join(self.name).join("index.ts"));
        source.is_ok_and(|text| text.contains("\"step\""))
    }
}

/// A copy of the corpus, a file backend and a PULUMI_HOME of its own.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repository_path("integration-tests/corpus"), &dir.path().join("corpus"));
        for sub in ["home", "backend", "bin"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        // The plugins the CLI launches, found on PATH as Pulumi finds them.
        for name in ["pulumi-language-unfold", "pulumi-resource-test", "pulumi-resource-unfold"] {
            std::fs::copy(binary(name), dir.path().join("bin").join(name)).unwrap();
        }
        for example in ["messages", "shop"] {
            let from = repository_path("examples").join(example);
            copy_dir(&from, &dir.path().join("corpus").join(example));
        }
        Self { dir }
    }

    /// Takes our plugins off PATH: Pulumi must find them where `pulumi plugin install` put them.
    fn without_plugins_on_path(&self) {
        for name in ["pulumi-language-unfold", "pulumi-resource-unfold"] {
            std::fs::remove_file(self.dir.path().join("bin").join(name)).unwrap();
        }
    }

    fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    fn pulumi(&self, case: &str, args: &[&str]) -> Output {
        self.pulumi_with(case, args, &[])
    }

    /// `pulumi args…` with `environment` besides the workspace's own.
    fn pulumi_with(&self, case: &str, args: &[&str], environment: &[(&str, String)]) -> Output {
        let root = self.dir.path();
        pulumi_cli::command(root, &root.join("bin"), &self.corpus().join(case), args)
            .env("UNFOLD_TEST_CLOUD", root.join("cloud.json"))
            .envs(environment.iter().map(|(key, value)| (*key, value.as_str())))
            .output()
            .expect("pulumi runs")
    }

    /// Runs `pulumi args…`, which must succeed; returns its stdout.
    fn ok(&self, case: &str, args: &[&str]) -> String {
        self.ok_with(case, args, &[])
    }

    /// Runs `pulumi args…` with `environment`, which must succeed; returns its stdout.
    fn ok_with(&self, case: &str, args: &[&str], environment: &[(&str, String)]) -> String {
        let output = self.pulumi_with(case, args, environment);
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "pulumi {args:?} failed for {case}:\n{stdout}\n{stderr}");
        stdout
    }
}

/// `(op, resource name)` of each step of `pulumi preview --json` that is not `same`.
fn changed_steps(preview: &Value) -> Vec<(&str, &str)> {
    preview["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|step| step["op"] != "same")
        .map(|step| {
            (
                step["op"].as_str().unwrap(),
                step["urn"].as_str().unwrap().rsplit("::").next().unwrap(),
            )
        })
        .collect()
}

fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Our engine, on the same program and configuration: the state after the
/// last `up`. A project that cannot be read fails as `unfold up` shows it.
fn our_run(case: &Case, corpus: &Path, steps: &[&str]) -> (StackState, Vec<RunReport>) {
    let state_dir = tempfile::tempdir().unwrap();
    let provider = TestProvider::default();
    for (id, outputs) in case.existing {
        provider.insert_existing(id, serde_json::from_str(outputs).expect("outputs are JSON"));
    }
    let mut providers = ProviderRegistry::default();
    providers.register("test", Arc::new(provider));
    let engine = Engine::new(state_dir.path()).with_providers(providers);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    if let Some(before) = case.before {
        let spec = ProjectSpec::load(corpus.join(before), STACK).unwrap();
        let report = runtime.block_on(engine.up(&spec, &unfold_host()));
        assert!(report.succeeded(), "our engine ran {before}: {}", our_error(&report));
    }
    let mut reports = Vec::new();
    for step in steps {
        let mut spec = match ProjectSpec::load(corpus.join(case.name), STACK) {
            Ok(spec) => spec,
            Err(error) => {
                let report = RunReport::failed(Operation::Update, format!("{error:#}"));
                return (StackState::empty(case.name, STACK), vec![report]);
            }
        };
        for (key, value, secret) in case.config {
            spec.set_config(key, value, *secret);
        }
        if !step.is_empty() {
            spec.set_config("step", step, false);
        }
        reports.push(runtime.block_on(engine.up(&spec, &unfold_host())));
    }
    let project = ProjectSpec::load(corpus.join(case.name), STACK).unwrap().name;
    let state = engine
        .state(&project, STACK)
        .unwrap()
        .unwrap_or_else(|| unfold_engine::StackState::empty(&project, STACK));
    (state, reports)
}

/// What the user sees of a failed run of ours, as lines.
fn our_error(report: &RunReport) -> String {
    let mut lines: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    if let Some(preview) = &report.preview {
        lines.extend(preview.diagnostics.iter().map(ToString::to_string));
    }
    lines.extend(report.error.iter().cloned());
    lines.join("\n")
}

// ------------------------------------------------------------ comparing state

/// The fields of a resource both engines store, by the name `pulumi stack export` gives them.
const FIELDS: &[&str] = &[
    "type",
    "custom",
    "id",
    "parent",
    "provider",
    "inputs",
    "outputs",
    "dependencies",
    "propertyDependencies",
    "protect",
    "retainOnDelete",
    "deletedWith",
    "additionalSecretOutputs",
    "external",
];

/// A secret as `stack export --show-secrets` prints it (`plaintext` is JSON
/// text) becomes a secret as our state stores it (`value`); a resource
/// reference, which Pulumi's state always gives a `packageVersion`, loses an
/// empty one, as the wire (and our state) leaves it out.
fn reveal_exported(value: &Value) -> Value {
    match value {
        Value::Object(map) if map.get(SIG_KEY).and_then(Value::as_str) == Some(SECRET_SIG) => {
            let inner = match map.get("plaintext").and_then(Value::as_str) {
                Some(text) => serde_json::from_str(text).unwrap_or(Value::Null),
                None => map.get("value").cloned().unwrap_or(Value::Null),
            };
            json!({SIG_KEY: SECRET_SIG, "value": reveal_exported(&inner)})
        }
        Value::Object(map)
            if map.get(SIG_KEY).and_then(Value::as_str) == Some(RESOURCE_REFERENCE_SIG) =>
        {
            let mut reference = map.clone();
            if reference.get("packageVersion").and_then(Value::as_str) == Some("") {
                reference.remove("packageVersion");
            }
            Value::Object(reference)
        }
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), reveal_exported(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(reveal_exported).collect()),
        other => other.clone(),
    }
}

/// Provider IDs are chosen per engine (Pulumi's are random UUIDs); references
/// to a provider are compared by its URN.
fn without_provider_id(reference: &str) -> String {
    match reference.rsplit_once("::") {
        Some((urn, _id)) if urn.contains("::pulumi:providers:") => format!("{urn}::<id>"),
        _ => reference.to_string(),
    }
}

/// One resource as comparable JSON: every field of [`FIELDS`], absent ones as
/// their empty value, lists in order-insensitive form where order means nothing.
fn comparable(resource: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for field in FIELDS {
        let value = resource.get(*field).cloned().unwrap_or(Value::Null);
        let value = match (*field, value) {
            ("custom" | "protect" | "retainOnDelete" | "external", Value::Null) => json!(false),
            ("id" | "parent" | "provider" | "deletedWith", Value::Null) => json!(""),
            ("inputs" | "outputs" | "propertyDependencies", Value::Null) => json!({}),
            ("dependencies" | "additionalSecretOutputs", Value::Null) => json!([]),
            ("provider", Value::String(reference)) => json!(without_provider_id(&reference)),
            ("dependencies" | "additionalSecretOutputs", Value::Array(mut items)) => {
                items.sort_by_key(|item| item.to_string());
                Value::Array(items)
            }
            // A property with no dependencies is the same as one not listed
            // (Pulumi's refresh drops such entries).
            ("propertyDependencies", Value::Object(map)) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| v.as_array().is_none_or(|items| !items.is_empty()))
                    .map(|(k, v)| {
                        let mut items = v.as_array().cloned().unwrap_or_default();
                        items.sort_by_key(|item| item.to_string());
                        (k, Value::Array(items))
                    })
                    .collect(),
            ),
            ("inputs" | "outputs", value) => reveal_exported(&value),
            (_, value) => value,
        };
        out.insert(field.to_string(), value);
    }
    if out["type"].as_str().is_some_and(|ty| ty.starts_with("pulumi:providers:")) {
        out.insert("id".into(), json!("<id>"));
    }
    out
}

fn exported_resources(workspace: &Workspace, case: &str) -> Vec<(String, Map<String, Value>)> {
    let export: Value =
        serde_json::from_str(&workspace.ok(case, &["stack", "export", "--show-secrets"]))
            .expect("stack export prints JSON");
    export["deployment"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.as_object())
        .map(|r| (r["urn"].as_str().unwrap_or_default().to_string(), comparable(r)))
        .collect()
}

fn our_resources(state: &StackState) -> Vec<(String, Map<String, Value>)> {
    state
        .resources
        .iter()
        .map(|r| {
            let value = serde_json::to_value(r).unwrap();
            let mut map = value.as_object().cloned().unwrap();
            map.insert("type".into(), json!(r.ty));
            (r.urn.clone(), comparable(&map))
        })
        .collect()
}

/// A reviewed difference between the engines, from `pulumi-cli-allowlist.json`.
#[derive(serde::Deserialize)]
struct Allowance {
    /// The resource type it applies to (all types when absent).
    #[serde(rename = "type", default)]
    ty: Option<String>,
    field: String,
    /// A key inside `inputs`/`outputs` (the whole field when absent).
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    case: Option<String>,
    reason: String,
}

fn allowances() -> Vec<Allowance> {
    let text =
        std::fs::read_to_string(repository_path("integration-tests/pulumi-cli-allowlist.json"))
            .expect("the allow-list exists");
    serde_json::from_str(&text).expect("the allow-list is a JSON list of entries")
}

/// Differences between the two engines' resources, as readable lines, less the allowed ones.
fn differences(
    case: &str,
    ours: &[(String, Map<String, Value>)],
    theirs: &[(String, Map<String, Value>)],
    allowed: &[Allowance],
    used: &mut [bool],
) -> Vec<String> {
    let mut found = Vec::new();
    let our_urns: Vec<&String> = ours.iter().map(|(urn, _)| urn).collect();
    let their_urns: Vec<&String> = theirs.iter().map(|(urn, _)| urn).collect();
    if our_urns.iter().collect::<std::collections::BTreeSet<_>>()
        != their_urns.iter().collect::<std::collections::BTreeSet<_>>()
    {
        found.push(format!("resources differ:\n  ours:   {our_urns:?}\n  pulumi: {their_urns:?}"));
        return found;
    }
    for (urn, mine) in ours {
        let other = &theirs.iter().find(|(u, _)| u == urn).unwrap().1;
        let ty = mine["type"].as_str().unwrap_or_default();
        for field in FIELDS {
            let (a, b) = (&mine[*field], &other[*field]);
            if a == b {
                continue;
            }
            let keys: Vec<Option<String>> = match (a, b) {
                (Value::Object(x), Value::Object(y))
                    if *field == "inputs" || *field == "outputs" =>
                {
                    let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                    keys.sort();
                    keys.dedup();
                    keys.into_iter()
                        .filter(|k| x.get(*k) != y.get(*k))
                        .map(|k| Some(k.clone()))
                        .collect()
                }
                _ => vec![None],
            };
            for key in keys {
                let matches = |allowance: &Allowance| {
                    allowance.field == *field
                        && allowance.key == key
                        && allowance.ty.as_deref().is_none_or(|t| ty.starts_with(t))
                        && allowance.case.as_deref().is_none_or(|c| c == case)
                };
                if let Some(index) = allowed.iter().position(matches) {
                    used[index] = true;
                    continue;
                }
                let (a, b) = match &key {
                    Some(k) => (
                        a.get(k).cloned().unwrap_or(Value::Null),
                        b.get(k).cloned().unwrap_or(Value::Null),
                    ),
                    None => (a.clone(), b.clone()),
                };
                let path = key.map(|k| format!("{field}.{k}")).unwrap_or(field.to_string());
                found.push(format!("{urn} {path}:\n  ours:   {a}\n  pulumi: {b}"));
            }
        }
    }
    found
}

/// `pulumi about` names the unfold runtime and its version; without the host
/// on PATH, `pulumi preview` gives Pulumi's usual guidance, which the README's
/// install section answers.
#[test]
fn about_names_the_runtime_and_a_missing_host_is_reported() {
    let workspace = Workspace::new();
    let name = "l1-empty";
    let about = workspace.ok(name, &["about"]);
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        about
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>()
                == ["language", "unfold", version]),
        "the plugin table lists the unfold runtime:\n{about}"
    );
    assert!(about.contains("This project is written in unfold"), "{about}");

    workspace.ok(name, &["stack", "init", STACK]);
    std::fs::remove_file(workspace.dir.path().join("bin/pulumi-language-unfold")).unwrap();
    let output = workspace.pulumi(name, &["preview"]);
    let (stdout, stderr) = texts(&output);
    assert!(!output.status.success());
    assert!(
        format!("{stdout}{stderr}").contains(
            "no language plugin 'pulumi-language-unfold' found in the workspace or on your $PATH"
        ),
        "{stdout}{stderr}"
    );
    let readme = std::fs::read_to_string(repository_path("README.md")).unwrap();
    assert!(
        readme.contains("pulumi-language-unfold") && readme.contains("$PATH"),
        "the README says where the host goes"
    );
}

/// Each resource's `sourcePosition` reaches Pulumi's state: the `new` in the
/// program's .ts file, stored relative to the project.
#[test]
fn source_positions_are_in_the_exported_state() {
    let workspace = Workspace::new();
    let name = "l2-parent";
    workspace.ok(name, &["stack", "init", STACK]);
    workspace.ok(name, &["up", "--yes"]);
    let export: Value =
        serde_json::from_str(&workspace.ok(name, &["stack", "export"])).expect("JSON");
    let positions: Vec<(String, String)> = export["deployment"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "test:index:Resource")
        .map(|r| {
            let urn = r["urn"].as_str().unwrap();
            let name = urn.rsplit("::").next().unwrap().to_string();
            (name, r["sourcePosition"].as_str().unwrap_or("<none>").to_string())
        })
        .collect();
    assert_eq!(
        positions,
        [
            ("parent".to_string(), "project:///index.ts#4,16".to_string()),
            ("child".to_string(), "project:///index.ts#5,15".to_string()),
            ("grandchild".to_string(), "project:///index.ts#6,20".to_string()),
        ]
    );
}

/// `pulumi install` asks the host to install the program's packages (npm,
/// from package.json), after which the program runs with them.
#[test]
fn pulumi_install_installs_the_programs_packages() {
    let workspace = Workspace::new();
    let name = "installs";
    let dir = workspace.corpus().join(name);
    for (path, text) in [
        ("Pulumi.yaml", "name: installs\nruntime: unfold\n"),
        (
            "package.json",
            r#"{ "name": "installs", "dependencies": { "greeting": "file:./greeting" } }"#,
        ),
        (
            "greeting/package.json",
            r#"{ "name": "greeting", "version": "1.0.0", "main": "index.js" }"#,
        ),
        ("greeting/index.js", "exports.greet = (name) => `hello, ${name}`;\n"),
        (
            "index.ts",
            "import { greet } from \"greeting\";\nexport const greeting = greet(\"pulumi install\");\n",
        ),
    ] {
        std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
        std::fs::write(dir.join(path), text).unwrap();
    }
    workspace.ok(name, &["install"]);
    assert!(dir.join("node_modules/greeting/package.json").is_file(), "npm installed the package");
    workspace.ok(name, &["stack", "init", STACK]);
    workspace.ok(name, &["up", "--yes"]);
    assert_eq!(
        workspace.ok(name, &["stack", "output", "greeting"]).trim(),
        "hello, pulumi install"
    );
}

// ------------------------------------------------------------ examples/messages

/// `@unfold/cloud` under Pulumi's CLI: `up` deploys examples/messages through
/// the `unfold` plugin, the API answers over HTTP, an edited handler previews
/// as an update of that Function alone showing the edited line, reformatting
/// changes nothing, and `destroy` stops the server.
fn messages_under_pulumi(workspace: &Workspace) {
    let name = "messages";
    workspace.ok(name, &["stack", "init", STACK]);
    workspace.ok(name, &["up", "--yes"]);
    let url = workspace.ok(name, &["stack", "output", "url"]).trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let stored = json_request("POST", &format!("{url}/messages"), r#"{"id":"m1","text":"hello"}"#);
    assert_eq!(stored, (201, r#"{"stored":"m1"}"#.to_string()));
    assert_eq!(
        json_request("GET", &format!("{url}/messages/m1"), ""),
        (200, r#"{"id":"m1","text":"hello"}"#.to_string())
    );
    workspace.ok(name, &["preview", "--expect-no-changes"]);

    let index = workspace.corpus().join(name).join("index.ts");
    let source = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        source.replace("no message ${req.params.id}", "nothing under ${req.params.id}"),
    )
    .unwrap();
    let preview: Value = serde_json::from_str(&workspace.ok(name, &["preview", "--json"])).unwrap();
    let changed = changed_steps(&preview);
    assert_eq!(
        changed,
        [("update", "api-get-messages-id")],
        "one edited handler updates one Function"
    );
    let step = preview["steps"].as_array().unwrap().iter().find(|s| s["op"] == "update").unwrap();
    let mut diffs: Vec<&str> =
        step["detailedDiff"].as_object().unwrap().keys().map(String::as_str).collect();
    diffs.sort();
    assert_eq!(diffs, ["bundle", "handler"], "a handler edit is a handler change: {step:#}");
    // A reviewer reads the edited line in `--diff`, not only a hash.
    let diff = workspace.ok(name, &["preview", "--diff"]);
    let line = |marker: char, text: &str| {
        diff.lines().any(|l| l.trim_start().starts_with(marker) && l.contains(text))
    };
    assert!(line('-', "no message ${req.params.id}"), "{diff}");
    assert!(line('+', "nothing under ${req.params.id}"), "{diff}");
    workspace.ok(name, &["up", "--yes"]);

    // Reformatting changes no code: no Function changes.
    let source = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, format!("\n{}", source.replace("    id: string;", "    id:   string;")))
        .unwrap();
    let diff = workspace.pulumi(name, &["preview", "--expect-no-changes", "--diff"]);
    assert!(diff.status.success(), "{:?}", texts(&diff));
    assert!(
        json_request("GET", &format!("{url}/messages/m2"), "").1.contains("nothing under m2"),
        "the new code serves"
    );

    workspace.ok(name, &["destroy", "--yes"]);
    let local = workspace.corpus().join(name).join(".unfold/dev/local");
    assert!(!local.join("server.json").exists(), "destroy stopped the server");
    assert!(
        unfold_integration_tests::http::http("GET", &format!("{url}/messages/m1"), "", "").is_err(),
        "nothing listens at {url}"
    );
}

/// Services under Pulumi's CLI: examples/shop's three services deploy as
/// units of their own, a call to a route crosses them, and an edited service
/// previews as an update of that service alone.
#[test]
fn shop_example_under_pulumi() {
    let workspace = Workspace::new();
    let name = "shop";
    workspace.ok(name, &["stack", "init", STACK]);
    workspace.ok(name, &["up", "--yes"]);
    let url = workspace.ok(name, &["stack", "output", "url"]).trim().to_string();
    let (status, placed) =
        json_request("POST", &format!("{url}/orders"), r#"{"item":"tea","quantity":2}"#);
    assert_eq!(status, 201, "{placed}");
    let order: Value = serde_json::from_str(&placed).unwrap();
    assert_eq!(order["total"], 700, "the catalog priced it: {order}");
    let (status, stored) =
        json_request("GET", &format!("{url}/orders/{}", order["id"].as_str().unwrap()), "");
    assert_eq!(status, 200, "{stored}");
    let stored: Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(
        stored["notified"], "2 × tea ordered, 7.00 to pay",
        "the notifier was called: {stored}"
    );
    workspace.ok(name, &["preview", "--expect-no-changes"]);

    let catalog = workspace.corpus().join(name).join("catalog.ts");
    let source = std::fs::read_to_string(&catalog).unwrap();
    std::fs::write(&catalog, source.replace(r#"["tea", 350]"#, r#"["tea", 375]"#)).unwrap();
    let preview: Value = serde_json::from_str(&workspace.ok(name, &["preview", "--json"])).unwrap();
    assert_eq!(
        changed_steps(&preview),
        [("update", "catalog")],
        "one edited service updates one unit"
    );
    workspace.ok(name, &["up", "--yes"]);
    let (_, repriced) =
        json_request("POST", &format!("{url}/orders"), r#"{"item":"tea","quantity":2}"#);
    assert!(repriced.contains(r#""total":750"#), "the new catalog serves: {repriced}");

    workspace.ok(name, &["destroy", "--yes"]);
    assert!(!workspace.corpus().join(name).join(".unfold/dev/local/server.json").exists());
}

/// The names of what exists in the emulator: functions, tables, APIs, roles
/// and layers.
fn aws_inventory(aws: &AwsClients) -> Vec<String> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut names = Vec::new();
        let functions = aws.lambda.list_functions().send().await.unwrap();
        names.extend(
            functions
                .functions()
                .iter()
                .filter_map(|f| f.function_name())
                .map(|n| format!("function {n}")),
        );
        let tables = aws.dynamodb.list_tables().send().await.unwrap();
        names.extend(tables.table_names().iter().map(|n| format!("table {n}")));
        let apis = aws.apigateway.get_apis().send().await.unwrap();
        names.extend(apis.items().iter().filter_map(|a| a.name()).map(|n| format!("api {n}")));
        let roles = aws.iam.list_roles().send().await.unwrap();
        names.extend(roles.roles().iter().map(|r| format!("role {}", r.role_name())));
        let layers = aws.lambda.list_layers().send().await.unwrap();
        names.extend(
            layers.layers().iter().filter_map(|l| l.layer_name()).map(|n| format!("layer {n}")),
        );
        names.sort();
        names
    })
}

/// examples/messages under Pulumi's CLI with `unfold:target` aws and moto as
/// AWS: a preview makes nothing, `up` deploys, `refresh` finds it all as
/// deployed, `import` adopts a table made outside the stack, a handler edit
/// updates one function, and `destroy` leaves nothing.
#[test]
fn messages_example_on_aws_under_pulumi() {
    let workspace = Workspace::new();
    let moto = Moto::start();
    let aws = tokio::runtime::Runtime::new().unwrap().block_on(moto.clients());
    let mut environment = moto.environment();
    environment.push(("UNFOLD_LAMBDA_BOOTSTRAP", bootstrap().display().to_string()));
    let run = |args: &[&str]| workspace.ok_with("messages", args, &environment);
    run(&["stack", "init", STACK]);
    run(&["config", "set", "unfold:target", "aws"]);

    run(&["preview"]);
    assert_eq!(aws_inventory(&aws), [] as [String; 0], "a preview makes nothing");

    run(&["up", "--yes"]);
    let url = run(&["stack", "output", "url"]).trim().to_string();
    assert!(url.starts_with("https://") && url.contains(".execute-api."), "{url}");
    let deployed = aws_inventory(&aws);
    for expected in [
        "api messages-dev-api",
        "function messages-dev-api-get-messages-id",
        "function messages-dev-insert",
        "role messages-dev-insert",
        "table messages-dev-messages",
    ] {
        assert!(deployed.iter().any(|name| name == expected), "no {expected} in {deployed:?}");
    }
    run(&["refresh", "--yes", "--expect-no-changes"]);
    run(&["preview", "--expect-no-changes"]);

    // A table made outside the stack is adopted by its name.
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
        };
        let key = |name: &str, kind| {
            KeySchemaElement::builder().attribute_name(name).key_type(kind).build().unwrap()
        };
        let attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap()
        };
        aws.dynamodb
            .create_table()
            .table_name("legacy-notes")
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key("p", KeyType::Hash))
            .key_schema(key("k", KeyType::Range))
            .attribute_definitions(attribute("p"))
            .attribute_definitions(attribute("k"))
            .send()
            .await
            .unwrap();
    });
    run(&[
        "import",
        "unfold:index:Table",
        "notes",
        "legacy-notes",
        "--yes",
        "--generate-code=false",
        "--protect=false",
    ]);
    let state: Value = serde_json::from_str(&run(&["stack", "export"])).unwrap();
    let imported = state["deployment"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| resource["urn"].as_str().unwrap().ends_with("::notes"))
        .expect("the imported table is in the stack");
    assert_eq!(imported["id"], "legacy-notes");
    assert!(
        imported["outputs"]["arn"].as_str().unwrap().ends_with(":table/legacy-notes"),
        "{imported:#}"
    );

    let index = workspace.corpus().join("messages").join("index.ts");
    let source = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        source.replace("no message ${req.params.id}", "nothing under ${req.params.id}"),
    )
    .unwrap();
    let preview: Value = serde_json::from_str(&run(&["preview", "--json"])).unwrap();
    let changed = changed_steps(&preview);
    // The imported table is not in the program, so an update would delete it.
    assert_eq!(changed, [("update", "api-get-messages-id"), ("delete", "notes")]);
    run(&["up", "--yes"]);

    run(&["destroy", "--yes"]);
    assert_eq!(aws_inventory(&aws), [] as [String; 0], "destroy leaves nothing");
}

#[test]
fn messages_example_with_plugins_on_path() {
    messages_under_pulumi(&Workspace::new());
}

#[test]
fn messages_example_with_plugins_installed_by_pulumi() {
    let workspace = Workspace::new();
    let version = env!("CARGO_PKG_VERSION");
    for (kind, binary_name) in
        [("language", "pulumi-language-unfold"), ("resource", "pulumi-resource-unfold")]
    {
        let file = binary(binary_name);
        workspace.ok(
            "messages",
            &["plugin", "install", kind, "unfold", version, "--file", file.to_str().unwrap()],
        );
    }
    workspace.without_plugins_on_path();
    let listed = workspace.ok("messages", &["plugin", "ls"]);
    assert!(listed.contains("language") && listed.contains(version), "{listed}");
    messages_under_pulumi(&workspace);
}

// ------------------------------------------------------------ the run of one case

fn run_case(case: Case) {
    let workspace = Workspace::new();
    let corpus = workspace.corpus();
    let name = case.name;
    let two_steps = case.has_step_two(&corpus);

    // Ours first, with the case's config given directly; the stack file it
    // leaves is removed, and `pulumi config set` writes Pulumi's own.
    let steps: Vec<&str> = if two_steps { vec!["1", "2"] } else { vec![""] };
    let (ours, reports) = our_run(&case, &corpus, &steps);
    for dir in [Some(name), case.before].into_iter().flatten() {
        let _ = std::fs::remove_file(corpus.join(dir).join("Pulumi.dev.yaml"));
    }

    if let Some(before) = case.before {
        workspace.ok(before, &["stack", "init", STACK]);
        workspace.ok(before, &["up", "--yes"]);
    }
    if !case.existing.is_empty() {
        let cloud: Map<String, Value> = case
            .existing
            .iter()
            .map(|(id, outputs)| (id.to_string(), serde_json::from_str(outputs).unwrap()))
            .collect();
        std::fs::write(workspace.dir.path().join("cloud.json"), Value::Object(cloud).to_string())
            .unwrap();
    }

    if let Some(expected) = case.fails_with {
        // A project Pulumi cannot read fails every command, `stack init` first.
        let output = workspace.pulumi(name, &["stack", "init", STACK]);
        if !output.status.success() {
            assert_fails_alike(name, expected, &reports, &output);
            return;
        }
    } else {
        workspace.ok(name, &["stack", "init", STACK]);
    }
    for (key, value, secret) in case.config {
        let mut args = vec!["config", "set", key, value];
        if *secret {
            args.push("--secret");
        }
        workspace.ok(name, &args);
    }
    if two_steps {
        workspace.ok(name, &["config", "set", "step", "1"]);
    }

    if let Some(expected) = case.fails_with {
        let output = workspace.pulumi(name, &["up", "--yes", "--skip-preview"]);
        assert_fails_alike(name, expected, &reports, &output);
        return;
    }

    workspace.ok(name, &["preview"]);
    workspace.ok(name, &["up", "--yes"]);
    let outputs: Value =
        serde_json::from_str(&workspace.ok(name, &["stack", "output", "--json", "--show-secrets"]))
            .expect("stack output --json prints JSON");
    let first = reports.first().unwrap();
    assert!(first.succeeded(), "our engine ran {name}: {}", our_error(first));
    assert_eq!(
        outputs,
        unfold_engine::property::reveal_secrets(Value::Object(first.outputs.clone())),
        "the outputs of {name}"
    );
    workspace.ok(name, &["preview", "--expect-no-changes"]);
    if two_steps {
        workspace.ok(name, &["config", "set", "step", "2"]);
        let output = workspace.pulumi(name, &["up", "--yes"]);
        let second = reports.last().unwrap();
        assert_eq!(
            output.status.success(),
            second.succeeded(),
            "step 2 of {name} ends the same way under both engines:\npulumi: {}\nours: {}",
            texts(&output).0,
            our_error(second)
        );
    }

    let allowed = allowances();
    let mut used = vec![false; allowed.len()];
    let theirs = exported_resources(&workspace, name);
    let found = differences(name, &our_resources(&ours), &theirs, &allowed, &mut used);
    assert!(
        found.is_empty(),
        "{name}: Pulumi's engine and ours stored different state:\n{}",
        found.join("\n")
    );
    // An entry naming this case that allowed nothing is stale.
    for (allowance, used) in allowed.iter().zip(&used) {
        if allowance.case.as_deref() == Some(name) && !used {
            panic!("allow-list entry for {name} allowed nothing (remove it): {}", allowance.reason);
        }
    }

    workspace.ok(name, &["refresh", "--yes"]);
    let refreshed = exported_resources(&workspace, name);
    let found = differences(name, &theirs, &refreshed, &[], &mut []);
    assert!(found.is_empty(), "{name}: refresh changed the state:\n{}", found.join("\n"));
    let destroy = workspace.pulumi(name, &["destroy", "--yes"]);
    if !destroy.status.success() {
        let (stdout, _) = texts(&destroy);
        assert!(
            stdout.contains("protected"),
            "destroy of {name} failed for a reason other than protection:\n{stdout}"
        );
    }
}

/// Our engine and Pulumi's both failed `name`, each showing `expected`.
fn assert_fails_alike(name: &str, expected: &str, reports: &[RunReport], output: &Output) {
    let our_text = our_error(reports.last().unwrap());
    assert!(our_text.contains(expected), "our engine shows {expected:?} for {name}:\n{our_text}");
    let (stdout, stderr) = texts(output);
    assert!(!output.status.success(), "{name} must fail under pulumi:\n{stdout}");
    let shown = format!("{stdout}\n{stderr}");
    assert!(shown.contains(expected), "pulumi shows {expected:?} for {name}:\n{shown}");
    assert!(!shown.contains("panicked"), "{shown}");
    // When the engine stops the deployment (a resource failed), the program it cut short or
    // left waiting is not a second failure to show.
    if !expected.contains("stopped making progress") {
        assert!(!shown.contains("stopped making progress"), "{shown}");
    }
    assert!(!shown.contains("execution terminated"), "{shown}");
}

macro_rules! cases {
    ($($test:ident: $name:literal $(fails_with $fails:literal)? $(, $field:ident $value:expr)*;)*) => {$(
        #[test]
        fn $test() {
            #[allow(unused_mut, unused_assignments)]
            let mut fails_with = None;
            $(fails_with = Some($fails);)?
            run_case(Case { name: $name, fails_with, $($field: $value,)* ..Case::DEFAULT });
        }
    )*};
}

// Every program of `corpus/` runs here but one: `fail-engine-gone` stops our
// engine's gRPC server part way through an update (`EngineOptions::stop_serving`)
// to check the host notices; Pulumi's engine cannot be stopped that way from
// outside, and a killed `pulumi` shows the user nothing to compare.
// `stack-reference-source` runs as the stack `l1-stack-reference` reads.
cases! {
    l1_empty: "l1-empty";
    l1_main: "l1-main";
    l1_output_string: "l1-output-string";
    l1_output_number: "l1-output-number";
    l1_output_bool: "l1-output-bool";
    l1_output_array: "l1-output-array";
    l1_output_map: "l1-output-map";
    l1_output_null: "l1-output-null";
    l1_config_types_primitive: "l1-config-types-primitive", config &[("aString", "hello", false), ("aNumber", "42.5", false), ("aBool", "true", false)];
    l1_config_types_object: "l1-config-types-object", config &[("anObject", r#"{"name": "n", "sizes": [1, 2]}"#, false), ("aList", r#"["a", "b"]"#, false)];
    l1_config_types_optional: "l1-config-types-optional", config &[("other:key", "from another namespace", false)];
    l1_config_secret: "l1-config-secret", config &[("password", "hunter22", true)];
    l1_builtin_file: "l1-builtin-file";
    l1_builtin_child_process: "l1-builtin-child-process";
    l1_builtin_info: "l1-builtin-info";
    l1_builtin_object: "l1-builtin-object";
    l1_builtin_secret: "l1-builtin-secret";
    l1_builtin_sha1: "l1-builtin-sha1";
    l1_builtin_string_list: "l1-builtin-string-list";
    l1_builtin_to_json: "l1-builtin-to-json";
    l1_component: "l1-component";
    l1_keyword_overlap: "l1-keyword-overlap";
    l1_proxy_index: "l1-proxy-index";
    l1_before_exit: "l1-before-exit";
    l2_additional_secret_outputs: "l2-additional-secret-outputs";
    l2_aliases: "l2-aliases";
    l2_custom_timeouts: "l2-custom-timeouts";
    l2_delete_before_replace: "l2-delete-before-replace";
    l2_deleted_with: "l2-deleted-with";
    l2_depends_on: "l2-depends-on";
    l2_get_resource: "l2-get-resource";
    l2_exists_resource: "l2-exists-resource";
    l2_ignore_changes: "l2-ignore-changes";
    l2_invoke_options: "l2-invoke-options";
    l2_parent: "l2-parent";
    l2_protect: "l2-protect";
    l2_provider: "l2-provider";
    l2_providers: "l2-providers";
    l2_replace_on_changes: "l2-replace-on-changes";
    l2_replacement_trigger: "l2-replacement-trigger";
    l2_resource_references: "l2-resource-references";
    l2_retain_on_delete: "l2-retain-on-delete";
    l2_transforms: "l2-transforms";
    l2_resource_hooks: "l2-resource-hooks";
    preview_unknowns: "preview-unknowns";
    fail_syntax: "fail-syntax" fails_with "index.ts:3:26";
    fail_throw: "fail-throw" fails_with "the program failed on purpose";
    fail_resource_error: "fail-resource-error" fails_with "this resource is misconfigured";
    fail_create: "fail-create" fails_with "quota exceeded";
    fail_create_retried: "fail-create-retried" fails_with "not today";
    fail_get_unknown_resource: "fail-get-unknown-resource" fails_with "returned an error: unknown resource urn:pulumi:dev::fail-get-unknown-resource::test:index:Resource::ghost";
    fail_bad_json_config: "fail-bad-json-config" fails_with "fail-bad-json-config:settings", config &[("settings", "{not json", false)];
    fail_missing_entry: "fail-missing-entry" fails_with "nowhere";
    l1_builtin_cwd: "l1-builtin-cwd";
    l1_builtin_project_root: "l1-builtin-project-root";
    l1_stack_reference: "l1-stack-reference", before Some("stack-reference-source"), config &[("other", "organization/stack-reference-source/dev", false)];
    l2_import: "l2-import", existing &[("existing-id", r#"{"value": "adopted"}"#)];
    l2_version: "l2-version";
    l2_plugin_download_url: "l2-plugin-download-url";
    fail_never_settles: "fail-never-settles" fails_with "a top-level await can never finish, because nothing is left that could settle the promise it waits for";
    fail_never_settles_output: "fail-never-settles-output" fails_with "failed: the program stopped making progress before it finished. Nothing is left that could settle the promises it is waiting for";
    fail_bad_project: "fail-bad-project" fails_with "did not find expected ',' or ']'";
    commonjs_circular: "commonjs-circular";
    commonjs_export_assignment: "commonjs-export-assignment";
    esm_top_level_await: "esm-top-level-await";
    fail_throw_commonjs: "fail-throw-commonjs" fails_with "count 2 is over the limit of 1";
}

/// The program's hooks run under Pulumi's engine as under ours (`corpus::l2_resource_hooks`,
/// `corpus::fail_create_retried_while_an_error_hook_asks`): the same lines, the same retries.
#[test]
fn hooks_run_under_pulumi_as_under_our_engine() {
    let workspace = Workspace::new();
    let name = "l2-resource-hooks";
    workspace.ok(name, &["stack", "init", STACK]);
    let up = workspace.ok(name, &["up", "--yes"]);
    assert!(up.contains("created hooked"), "{up}");
    let hooked = format!("after urn:pulumi:{STACK}::{name}::test:index:Resource::hooked");
    assert!(up.contains(&hooked), "{up}");

    let name = "fail-create-retried";
    workspace.ok(name, &["stack", "init", STACK]);
    let output = workspace.pulumi(name, &["up", "--yes", "--skip-preview"]);
    let (stdout, stderr) = texts(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    for attempt in 1..=3 {
        let line = format!("create of flaky failed {attempt} time(s): not today");
        assert!(stdout.contains(&line), "{line} in {stdout}");
    }
    for retry in ["(1/100)", "(2/100)"] {
        let line = format!("warning: retrying create due to on-error hook request {retry}");
        assert!(stdout.contains(&line), "{line} in {stdout}");
    }
    assert!(!stdout.contains("on-error hook request (3/100)"), "{stdout}");
    assert!(!stdout.contains("Running program"), "only the failed create is an error: {stdout}");
}

/// A policy pack written for `runtime: unfold` runs under Pulumi's CLI
/// (`--policy-pack`): a mandatory violation stops the preview and names the
/// resource, the policy and the pack; configured down to advisory
/// (`--policy-pack-config`), it is reported and the update goes ahead.
#[test]
fn policy_packs_run_under_pulumi() {
    let workspace = Workspace::new();
    let name = "l2-parent";
    let pack = workspace.dir.path().join("policy-pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(pack.join("PulumiPolicy.yaml"), "runtime: unfold\n").unwrap();
    std::fs::write(pack.join("package.json"), r#"{"name": "parents", "version": "1.2.3"}"#)
        .unwrap();
    std::fs::write(
        pack.join("index.ts"),
        r#"import { PolicyPack } from "@pulumi/policy";

new PolicyPack("parents", {
    policies: [{
        name: "has-parent",
        description: "Resources belong to a component",
        enforcementLevel: "mandatory",
        validateResource: (args, reportViolation) => {
            if (args.type === "test:index:Resource" && args.opts.parent?.includes("test:index:Resource") !== true) {
                reportViolation(`${args.name} has no parent resource`);
            }
        },
    }],
});
"#,
    )
    .unwrap();
    let pack_arg = pack.display().to_string();
    workspace.ok(name, &["stack", "init", STACK]);

    let output = workspace.pulumi(name, &["preview", "--policy-pack", &pack_arg]);
    let (stdout, stderr) = texts(&output);
    assert!(
        !output.status.success(),
        "a mandatory violation fails the preview:\n{stdout}\n{stderr}"
    );
    let shown = format!("{stdout}{stderr}");
    for expected in [
        "parents@v1.2.3",
        "[mandatory]  has-parent",
        "Resources belong to a component",
        "parent has no parent resource",
    ] {
        assert!(shown.contains(expected), "expected {expected:?} in:\n{shown}");
    }
    assert!(!shown.contains("child has no parent"), "child resources pass:\n{shown}");

    let config = workspace.dir.path().join("policy-config.json");
    std::fs::write(&config, r#"{"has-parent": "advisory"}"#).unwrap();
    let config_arg = config.display().to_string();
    let stdout = workspace.ok(
        name,
        &["up", "--yes", "--policy-pack", &pack_arg, "--policy-pack-config", &config_arg],
    );
    assert!(stdout.contains("[advisory]  has-parent"), "{stdout}");
    assert!(stdout.contains("parent has no parent resource"), "{stdout}");
    let export: Value =
        serde_json::from_str(&workspace.ok(name, &["stack", "export"])).expect("JSON");
    let resources = export["deployment"]["resources"].as_array().unwrap();
    assert_eq!(
        resources.iter().filter(|r| r["type"] == "test:index:Resource").count(),
        3,
        "the update went ahead"
    );
}

/// A component provider written for `runtime: unfold`, named by path in the
/// project's `plugins.providers`, runs under Pulumi's CLI: the program's
/// remote component is built by the provider's `construct`, its child lands
/// under it in the state, its outputs reach the program, and a second
/// preview has nothing to change.
#[test]
fn component_providers_run_under_pulumi() {
    let workspace = Workspace::new();
    let provider = workspace.corpus().join("shapes-provider");
    std::fs::create_dir_all(&provider).unwrap();
    std::fs::write(provider.join("PulumiPlugin.yaml"), "name: shapes\nruntime: unfold\n").unwrap();
    std::fs::write(provider.join("package.json"), r#"{"name": "shapes", "version": "0.3.0"}"#)
        .unwrap();
    std::fs::write(
        provider.join("index.ts"),
        r#"import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { Resource } from "../shared/resources";

class Square extends pulumi.ComponentResource {
    readonly area: pulumi.Output<number>;

    constructor(name: string, args: { side: pulumi.Input<number> }, opts?: pulumi.ComponentResourceOptions) {
        super("shapes:index:Square", name, args, opts);
        this.area = pulumi.output(args.side).apply((side) => side * side);
        new Resource(`${name}-tile`, { value: this.area.apply(String) }, { parent: this });
        this.registerOutputs({ area: this.area });
    }
}

provider.main({
    version: "0.3.0",
    schema: JSON.stringify({ name: "shapes", version: "0.3.0" }),
    async construct(name, type, inputs, options) {
        const square = new Square(name, inputs as { side: pulumi.Input<number> }, options);
        return { urn: square.urn, state: { area: square.area } };
    },
});
"#,
    )
    .unwrap();
    let program = workspace.corpus().join("shapes-program");
    std::fs::create_dir_all(&program).unwrap();
    std::fs::write(
        program.join("Pulumi.yaml"),
        "name: shapes-program\nruntime: unfold\nplugins:\n  providers:\n    - name: shapes\n      path: ../shapes-provider\n",
    )
    .unwrap();
    std::fs::write(
        program.join("index.ts"),
        r#"import * as pulumi from "@pulumi/pulumi";

// A remote component, as a generated SDK declares one.
class Square extends pulumi.ComponentResource {
    declare readonly area: pulumi.Output<number>;

    constructor(name: string, args: { side: pulumi.Input<number> }, opts?: pulumi.ComponentResourceOptions) {
        super("shapes:index:Square", name, { side: args.side, area: undefined }, opts, true);
    }
}

const square = new Square("square", { side: 3 });
export const area = square.area;
"#,
    )
    .unwrap();

    let name = "shapes-program";
    workspace.ok(name, &["stack", "init", STACK]);
    workspace.ok(name, &["up", "--yes"]);
    let outputs: Value =
        serde_json::from_str(&workspace.ok(name, &["stack", "output", "--json"])).expect("JSON");
    assert_eq!(outputs["area"], 9, "{outputs}");

    let export: Value =
        serde_json::from_str(&workspace.ok(name, &["stack", "export"])).expect("JSON");
    let resources = export["deployment"]["resources"].as_array().unwrap();
    let urn_of = |kind: &str| {
        resources
            .iter()
            .find(|r| r["type"] == kind)
            .and_then(|r| r["urn"].as_str())
            .unwrap_or_else(|| panic!("no {kind} in the state: {export}"))
            .to_string()
    };
    let square = urn_of("shapes:index:Square");
    let tile = resources.iter().find(|r| r["type"] == "test:index:Resource").expect("the tile");
    assert_eq!(tile["parent"], square.as_str(), "the component owns its child");
    assert_eq!(tile["outputs"]["value"], "9");

    workspace.ok(name, &["preview", "--expect-no-changes"]);
}
