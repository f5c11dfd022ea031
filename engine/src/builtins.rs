//! The engine's own functions, in the `pulumi` package: what Pulumi's built-in
//! provider answers without a plugin. `pulumi:pulumi:getResource` gives a
//! program the state of a resource this deployment has already registered or
//! read, by its URN; SDKs use it to rebuild resources from references
//! (`opts.urn`) without registering them a second time.

use anyhow::{Result, anyhow, bail};
use serde_json::Value;
use unfold_wire::signatures::UNKNOWN;

use crate::property::PropertyMap;
use crate::state::ResourceState;

/// The package whose functions the engine answers itself.
pub(crate) const PACKAGE: &str = "pulumi";
pub(crate) const GET_RESOURCE: &str = "pulumi:pulumi:getResource";

/// Answers the built-in function `tok`, with `settled` the resources this deployment has
/// registered or read so far.
pub(crate) fn invoke(
    tok: &str,
    args: &PropertyMap,
    settled: &[ResourceState],
) -> Result<PropertyMap> {
    match tok {
        GET_RESOURCE => get_resource(args, settled),
        other => bail!("unrecognized function name: '{other}'"),
    }
}

/// `{urn}` → `{urn, id, provider, state}`: the resource's current outputs as `state`. Only
/// resources settled in this deployment count, as in Pulumi's engine: one merely present in
/// the previous state is unknown.
fn get_resource(args: &PropertyMap, settled: &[ResourceState]) -> Result<PropertyMap> {
    let urn = match args.get("urn") {
        Some(Value::String(urn)) => urn,
        Some(other) => bail!("{GET_RESOURCE}: `urn` must be a string, not {other}"),
        None => bail!("{GET_RESOURCE}: missing required argument `urn`"),
    };
    let resource = settled.iter().rev().find(|r| r.urn == *urn).ok_or_else(|| {
        anyhow!("invocation of {GET_RESOURCE} returned an error: unknown resource {urn}")
    })?;
    // In a preview a new resource has no ID yet; the engine says so with an empty one.
    let id = if resource.id == UNKNOWN { "" } else { resource.id.as_str() };
    let mut result = PropertyMap::new();
    result.insert("urn".into(), urn.clone().into());
    result.insert("id".into(), id.into());
    result.insert("provider".into(), resource.provider.clone().into());
    result.insert("state".into(), Value::Object(resource.outputs.clone()));
    Ok(result)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn settled() -> Vec<ResourceState> {
        vec![ResourceState {
            urn: "urn:pulumi:dev::p::test:index:Resource::a".into(),
            ty: "test:index:Resource".into(),
            custom: true,
            id: UNKNOWN.into(),
            provider: "urn:pulumi:dev::p::pulumi:providers:test::default::x".into(),
            outputs: json!({"value": "v"}).as_object().unwrap().clone(),
            ..Default::default()
        }]
    }

    fn args(value: Value) -> PropertyMap {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn finds_a_settled_resource_and_hides_an_unknown_id() {
        let found = invoke(
            GET_RESOURCE,
            &args(json!({"urn": "urn:pulumi:dev::p::test:index:Resource::a"})),
            &settled(),
        )
        .unwrap();
        assert_eq!(
            Value::Object(found),
            json!({
                "urn": "urn:pulumi:dev::p::test:index:Resource::a",
                "id": "",
                "provider": "urn:pulumi:dev::p::pulumi:providers:test::default::x",
                "state": {"value": "v"},
            })
        );
    }

    #[test]
    fn an_unsettled_urn_is_an_unknown_resource() {
        let error = invoke(
            GET_RESOURCE,
            &args(json!({"urn": "urn:pulumi:dev::p::test:index:Resource::b"})),
            &settled(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invocation of pulumi:pulumi:getResource returned an error: unknown resource urn:pulumi:dev::p::test:index:Resource::b"
        );
    }

    #[test]
    fn other_functions_are_not_recognized() {
        let error = invoke("pulumi:pulumi:nope", &PropertyMap::new(), &[]).unwrap_err();
        assert_eq!(error.to_string(), "unrecognized function name: 'pulumi:pulumi:nope'");
        let error = invoke(GET_RESOURCE, &PropertyMap::new(), &[]).unwrap_err();
        assert!(error.to_string().contains("missing required argument `urn`"), "{error}");
    }
}
