//! Engine semantics that need no language host: names, step classification,
//! and the state format.

use serde_json::json;
use unfold_engine::property::PropertyMap;
use unfold_engine::property_path::PropertyPath;
use unfold_engine::provider::DiffResult;
use unfold_engine::steps::{StepOp, classify};
use unfold_engine::urn::default_provider_name;
use unfold_engine::{Backend, ResourceState, StackState};
use unfold_wire::urn::{self, ProviderReference, new_urn};

const STACK_URN: &str = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";

#[test]
fn urns_qualify_types_with_the_parent_chain_except_the_stack() {
    assert_eq!(
        new_urn("dev", "proj", Some(STACK_URN), "test:index:Res", "a"),
        "urn:pulumi:dev::proj::test:index:Res::a"
    );
    let component = new_urn("dev", "proj", Some(STACK_URN), "my:index:Comp", "c");
    let child = new_urn("dev", "proj", Some(&component), "test:index:Res", "x");
    assert_eq!(child, "urn:pulumi:dev::proj::my:index:Comp$test:index:Res::x");
    let grandchild = new_urn("dev", "proj", Some(&child), "test:index:Res", "y");
    assert_eq!(grandchild, "urn:pulumi:dev::proj::my:index:Comp$test:index:Res$test:index:Res::y");
    let parts = urn::parse(&grandchild).unwrap();
    assert_eq!(
        (parts.stack, parts.project, parts.ty(), parts.name),
        ("dev", "proj", "test:index:Res", "y")
    );
    // Names may contain the separator.
    assert_eq!(urn::parse("urn:pulumi:s::p::t:m:T::a::b").unwrap().name, "a::b");
}

#[test]
fn provider_references_and_default_provider_names() {
    let reference =
        ProviderReference::parse("urn:pulumi:dev::proj::pulumi:providers:test::p::1234").unwrap();
    assert_eq!(reference.urn, "urn:pulumi:dev::proj::pulumi:providers:test::p");
    assert_eq!(reference.id, "1234");
    assert!(ProviderReference::parse("urn:pulumi:dev::proj::test:index:Res::r::1").is_err());
    assert!(ProviderReference::parse("not-a-reference").is_err());
    assert_eq!(default_provider_name("", "").unwrap(), "default");
    assert_eq!(default_provider_name("1.2.3", "").unwrap(), "default_1_2_3");
    assert_eq!(default_provider_name("1.2.3-alpha.1", "").unwrap(), "default_1_2_3_alpha_1");
    // A download URL as Pulumi's engine makes it part of the name (`tokens.IntoQName`).
    assert_eq!(
        default_provider_name("2.0.0", "https://example.com/plugins").unwrap(),
        "default_2_0_0_https_/example.com/plugins"
    );
    assert_eq!(
        default_provider_name("", "s3://my-bucket//päth?x=1").unwrap(),
        "default_s3_/my-bucket/p__th_x_1"
    );
    assert_eq!(default_provider_name("", "//").unwrap(), "default__");
    assert_eq!(urn::package_of("aws:s3/bucket:Bucket"), "aws");
    assert_eq!(urn::package_of("pulumi:providers:aws"), "aws");
}

fn diff(changed: &[&str], replace: &[&str]) -> DiffResult {
    DiffResult {
        changed_keys: changed.iter().map(|s| s.to_string()).collect(),
        replace_keys: replace.iter().map(|s| s.to_string()).collect(),
        delete_before_replace: false,
    }
}

#[test]
fn steps_are_classified_from_the_diff_and_replace_on_changes() {
    assert_eq!(classify(diff(&[], &[]), &[], false).op, StepOp::Same);
    assert_eq!(classify(diff(&["a"], &[]), &[], false).op, StepOp::Update);
    assert_eq!(classify(diff(&["a"], &["a"]), &[], false).op, StepOp::Replace);
    let on_a = [PropertyPath::parse("a").unwrap()];
    let replaced = classify(diff(&["a", "b"], &[]), &on_a, true);
    assert_eq!(replaced.op, StepOp::Replace);
    assert_eq!(replaced.diff.replace_keys, ["a"]);
    assert!(replaced.diff.delete_before_replace);
    assert_eq!(classify(diff(&["b"], &[]), &on_a, false).op, StepOp::Update);
    assert_eq!(
        classify(diff(&["b"], &[]), &[PropertyPath::parse("*").unwrap()], false).op,
        StepOp::Replace
    );
}

fn map(value: serde_json::Value) -> PropertyMap {
    value.as_object().unwrap().clone()
}

#[test]
fn state_round_trips_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new(dir.path());
    let mut state = StackState::empty("proj", "dev");
    state.resources.push(ResourceState {
        urn: STACK_URN.into(),
        ty: "pulumi:pulumi:Stack".into(),
        outputs: map(json!({"z": 1, "a": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "s"}})),
        ..Default::default()
    });
    state.resources.push(ResourceState {
        urn: "urn:pulumi:dev::proj::test:index:Res::r".into(),
        ty: "test:index:Res".into(),
        custom: true,
        id: "r-1".into(),
        parent: STACK_URN.into(),
        inputs: map(json!({"b": [1, 2], "a": {"y": true, "x": null}})),
        protect: true,
        ..Default::default()
    });
    state.refresh_outputs();
    backend.save(&state).unwrap();
    let path = backend.path("proj", "dev");
    let first = std::fs::read_to_string(&path).unwrap();
    let loaded = backend.load("proj", "dev").unwrap().unwrap();
    // The secret is stored sealed, under the provider the state now names.
    assert!(
        first.contains("\"ciphertext\": \"v1:") && !first.contains("\"value\": \"s\""),
        "{first}"
    );
    assert_eq!(loaded.secrets_providers.as_ref().map(|p| p.ty.as_str()), Some("passphrase"));
    assert_eq!(StackState { secrets_providers: None, ..loaded.clone() }, state);
    backend.save(&loaded).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    // Keys are sorted whatever order they were inserted in.
    assert!(first.find("\"a\"").unwrap() < first.find("\"b\"").unwrap());
    assert!(backend.load("proj", "other").unwrap().is_none());
}
