//! Drives the engine with Pulumi's own Node.js SDK (installed in ../nodejs):
//! small JavaScript programs are written to a temporary project, previewed and
//! updated, and the resulting state is checked.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use unfold_engine::{HostSpec, ProjectSpec, StepOp};

fn sdk() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("nodejs/node_modules/@pulumi/pulumi")
}

fn host() -> HostSpec {
    HostSpec::NodeSdk { node: PathBuf::from("node"), sdk: sdk() }
}

/// A project `test` with `index.js` holding `program`.
fn project(dir: &Path, program: &str) -> ProjectSpec {
    std::fs::write(dir.join("Pulumi.yaml"), "name: test\nruntime: nodejs\n").unwrap();
    std::fs::write(dir.join("package.json"), r#"{"name": "test", "main": "index.js"}"#).unwrap();
    std::fs::write(dir.join("index.js"), program).unwrap();
    ProjectSpec::load(dir, "dev").unwrap()
}

fn resource<'a>(
    state: &'a unfold_engine::StackState,
    name: &str,
) -> &'a unfold_engine::ResourceState {
    state
        .resources
        .iter()
        .find(|r| r.urn.ends_with(&format!("::{name}")))
        .unwrap_or_else(|| panic!("no resource {name}"))
}

#[tokio::test]
async fn preview_then_update_creates_resources_and_outputs() {
    let work = tempfile::tempdir().unwrap();
    let spec = project(
        work.path(),
        r#"
        const pulumi = require("@pulumi/pulumi");
        class Res extends pulumi.CustomResource {
            constructor(name, props, opts) { super("test:index:Res", name, props, opts); }
        }
        const config = new pulumi.Config();
        const a = new Res("a", { value: config.require("greeting") });
        const b = new Res("b", { value: a.value.apply(v => v + "!") });
        console.log("hello from the program");
        exports.out = b.value;
        exports.secret = pulumi.secret("s3cr3t");
        "#,
    );
    let mut spec = spec;
    spec.set_config("greeting", "hi", false);
    let engine = unfold_integration_tests::engine(work.path().join("state"));

    let preview = engine.preview(&spec, &host()).await;
    assert!(preview.succeeded(), "{:?}\n{:#?}", preview.error, preview.diagnostics);
    assert_eq!(preview.count(StepOp::Create), 4, "{:#?}", preview.steps); // stack, default provider, a, b
    assert!(engine.state("test", "dev").unwrap().is_none(), "a preview writes nothing");

    let up = engine.up(&spec, &host()).await;
    assert!(up.succeeded(), "{:?}\n{:#?}", up.error, up.diagnostics);
    assert!(up.diagnostics.iter().any(|d| d.message == "hello from the program"));
    let state = engine.state("test", "dev").unwrap().unwrap();
    let types: Vec<&str> = state.resources.iter().map(|r| r.ty.as_str()).collect();
    assert_eq!(
        types,
        ["pulumi:pulumi:Stack", "pulumi:providers:test", "test:index:Res", "test:index:Res"]
    );
    let b = resource(&state, "b");
    assert_eq!(b.urn, "urn:pulumi:dev::test::test:index:Res::b");
    assert_eq!(b.parent, "urn:pulumi:dev::test::pulumi:pulumi:Stack::test-dev");
    assert!(b.provider.starts_with("urn:pulumi:dev::test::pulumi:providers:test::default::"));
    assert_eq!(b.outputs["value"], json!("hi!"));
    assert_eq!(b.property_dependencies["value"], vec![resource(&state, "a").urn.clone()]);
    assert_eq!(state.outputs["out"], json!("hi!"));
    assert!(unfold_wire::signatures::is_secret(&state.outputs["secret"]));

    // Unchanged program: everything is the same.
    let registrations: Vec<_> = up
        .trace
        .iter()
        .filter(|e| e.method == "ResourceMonitor/RegisterResource")
        .map(|e| e.without_source_locations().request)
        .collect();
    assert_eq!(
        registrations.len(),
        3,
        "the stack, a and b; the default provider is the engine's own"
    );
    assert_eq!(
        registrations[2]["dependencies"],
        json!(["urn:pulumi:dev::test::test:index:Res::a"])
    );
    assert!(registrations[2].get("sourcePosition").is_none());
    let again = engine.up(&spec, &host()).await;
    assert!(again.succeeded(), "{:?}", again.error);
    assert_eq!(again.count(StepOp::Same), 4, "{:#?}", again.steps);
}

#[tokio::test]
async fn updates_replacements_aliases_and_deletes() {
    let work = tempfile::tempdir().unwrap();
    let write = |program: &str| {
        project(
            work.path(),
            &format!(
                r#"const pulumi = require("@pulumi/pulumi");
        class Res extends pulumi.CustomResource {{
            constructor(name, props, opts) {{ super("test:index:Res", name, props, opts); }}
        }}
        {program}"#
            ),
        )
    };
    let engine = unfold_integration_tests::engine(work.path().join("state"));
    let spec = write(
        r#"new Res("keep", { v: 1 });
           new Res("upd", { v: 1 });
           new Res("rep", { v: 1, replaceKeys: ["v"] });
           new Res("old-name", { v: 1 });
           new Res("gone", { v: 1 });"#,
    );
    let first = engine.up(&spec, &host()).await;
    assert!(first.succeeded(), "{:?}\n{:#?}", first.error, first.diagnostics);
    let old_rep_id = resource(&engine.state("test", "dev").unwrap().unwrap(), "rep").id.clone();

    let spec = write(
        r#"new Res("keep", { v: 1 });
           new Res("upd", { v: 2 });
           new Res("rep", { v: 2, replaceKeys: ["v"] });
           new Res("new-name", { v: 1 }, { aliases: [{ name: "old-name" }] });"#,
    );
    let second = engine.up(&spec, &host()).await;
    assert!(second.succeeded(), "{:?}\n{:#?}", second.error, second.diagnostics);
    let op = |name: &str| {
        second.steps.iter().find(|s| s.urn.ends_with(&format!("::{name}"))).map(|s| s.op)
    };
    assert_eq!(op("keep"), Some(StepOp::Same));
    assert_eq!(op("upd"), Some(StepOp::Update));
    assert_eq!(op("rep"), Some(StepOp::Replace));
    assert_eq!(op("new-name"), Some(StepOp::Same));
    assert_eq!(op("gone"), Some(StepOp::Delete));
    let state = engine.state("test", "dev").unwrap().unwrap();
    assert_ne!(resource(&state, "rep").id, old_rep_id);
    assert!(
        state
            .resources
            .iter()
            .all(|r| !r.urn.ends_with("::gone") && !r.urn.ends_with("::old-name"))
    );
    assert_eq!(
        state.resources.iter().filter(|r| r.urn.ends_with("::rep")).count(),
        1,
        "the replaced version is deleted"
    );
}

#[tokio::test]
async fn failed_create_fails_the_update_and_keeps_what_was_created() {
    let work = tempfile::tempdir().unwrap();
    let spec = project(
        work.path(),
        r#"
        const pulumi = require("@pulumi/pulumi");
        class Res extends pulumi.CustomResource {
            constructor(name, props, opts) { super("test:index:Res", name, props, opts); }
        }
        const ok = new Res("ok", { v: 1 });
        new Res("bad", { v: 1, failCreate: "the cloud said no" }, { dependsOn: ok });
        "#,
    );
    let engine = unfold_integration_tests::engine(work.path().join("state"));
    let report = engine.up(&spec, &host()).await;
    assert!(!report.succeeded());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("the cloud said no") && d.urn.ends_with("::bad")),
        "{:#?}",
        report.diagnostics
    );
    let state = engine.state("test", "dev").unwrap().unwrap();
    assert!(state.resources.iter().any(|r| r.urn.ends_with("::ok")));
    assert!(!state.resources.iter().any(|r| r.urn.ends_with("::bad")));
}

#[tokio::test]
async fn protect_blocks_delete_and_invokes_reach_the_provider() {
    let work = tempfile::tempdir().unwrap();
    let engine = unfold_integration_tests::engine(work.path().join("state"));
    let spec = project(
        work.path(),
        r#"
        const pulumi = require("@pulumi/pulumi");
        class Res extends pulumi.CustomResource {
            constructor(name, props, opts) { super("test:index:Res", name, props, opts); }
        }
        new Res("guarded", { v: 1 }, { protect: true });
        exports.echoed = pulumi.runtime.invoke("test:index:echo", { x: 42 }).then(r => r.x);
        "#,
    );
    let report = engine.up(&spec, &host()).await;
    assert!(report.succeeded(), "{:?}\n{:#?}", report.error, report.diagnostics);
    assert_eq!(report.outputs["echoed"], json!(42));
    assert!(report.trace.iter().any(|e| e.method == "ResourceMonitor/Invoke"));

    let destroy = engine.destroy(&spec).await;
    assert!(
        destroy.error.as_deref().is_some_and(|e| e.contains("protection")),
        "{:?}",
        destroy.error
    );
    let state = engine.state("test", "dev").unwrap().unwrap();
    assert!(state.resources.iter().any(|r| r.urn.ends_with("::guarded")));
    let _: Value = serde_json::to_value(&state).unwrap();
}
