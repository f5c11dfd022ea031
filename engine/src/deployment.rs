//! A stack's state as a Pulumi deployment (`pulumi stack export`'s JSON,
//! version 3) and back, so a stack moves between this engine and `pulumi`:
//! `unfold stack export | pulumi stack import` and the other way round.
//! Secrets stay sealed on the way: both sides use the same passphrase
//! provider, named in the deployment's `secrets_providers`.

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};

use crate::state::{ResourceState, STATE_VERSION, SecretsProvider, StackState};

/// The deployment version `pulumi stack import` reads.
pub const DEPLOYMENT_VERSION: u64 = 3;

/// `state` (as stored: secrets sealed) as an untyped Pulumi deployment.
pub fn export(state: &StackState) -> Value {
    let resources: Vec<Value> = state.resources.iter().map(export_resource).collect();
    let mut deployment = Map::new();
    deployment.insert(
        "manifest".into(),
        json!({"time": "0001-01-01T00:00:00Z", "magic": "", "version": ""}),
    );
    if let Some(provider) = &state.secrets_providers {
        deployment.insert("secrets_providers".into(), json!(provider));
    }
    deployment.insert("resources".into(), Value::Array(resources));
    json!({"version": DEPLOYMENT_VERSION, "deployment": deployment})
}

fn export_resource(r: &ResourceState) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        let empty = match &value {
            Value::String(s) => s.is_empty(),
            Value::Bool(b) => !b,
            Value::Array(items) => items.is_empty(),
            Value::Object(map) => map.is_empty() && !matches!(key, "inputs" | "outputs"),
            _ => false,
        };
        if !empty || key == "custom" {
            out.insert(key.into(), value);
        }
    };
    put("urn", json!(r.urn));
    put("custom", json!(r.custom));
    put("delete", json!(r.pending_delete));
    put("id", json!(r.id));
    put("type", json!(r.ty));
    put("inputs", Value::Object(r.inputs.clone()));
    put("outputs", Value::Object(r.outputs.clone()));
    put("parent", json!(r.parent));
    put("protect", json!(r.protect));
    put("external", json!(r.external));
    put("dependencies", json!(r.dependencies));
    put("provider", json!(r.provider));
    put("propertyDependencies", json!(r.property_dependencies));
    put("additionalSecretOutputs", json!(r.additional_secret_outputs));
    put("aliases", json!(r.aliases));
    put("importID", json!(r.import_id));
    put("replaceWith", json!(r.replace_with));
    put("retainOnDelete", json!(r.retain_on_delete));
    put("deletedWith", json!(r.deleted_with));
    // Any value but null is a trigger, false and "" included.
    if !r.replacement_trigger.is_null() {
        out.insert("replacementTrigger".into(), r.replacement_trigger.clone());
    }
    Value::Object(out)
}

/// A Pulumi deployment (`pulumi stack export`'s JSON) as the state of
/// `project`/`stack`, secrets still sealed.
pub fn import(deployment: &Value, project: &str, stack: &str) -> Result<StackState> {
    let version = deployment.get("version").and_then(Value::as_u64).unwrap_or(0);
    if !(1..=DEPLOYMENT_VERSION).contains(&version) {
        bail!(
            "a deployment of version {version}; this engine reads versions 1 to \
             {DEPLOYMENT_VERSION} (the JSON `pulumi stack export` prints)"
        );
    }
    let body = deployment.get("deployment").context("no `deployment` object")?;
    if body.get("pending_operations").and_then(Value::as_array).is_some_and(|ops| !ops.is_empty()) {
        bail!(
            "the deployment has pending operations (an update was interrupted); resolve them \
             with `pulumi refresh` or `pulumi cancel` before moving the stack"
        );
    }
    let secrets_providers = match body.get("secrets_providers") {
        None | Some(Value::Null) => None,
        Some(provider) => Some(
            serde_json::from_value::<SecretsProvider>(provider.clone())
                .context("reading `secrets_providers`")?,
        ),
    };
    let mut resources = Vec::new();
    for (index, resource) in
        body.get("resources").and_then(Value::as_array).into_iter().flatten().enumerate()
    {
        resources.push(
            import_resource(resource)
                .with_context(|| format!("resource #{index} of the deployment"))?,
        );
    }
    let mut state = StackState {
        version: STATE_VERSION,
        project: project.into(),
        stack: stack.into(),
        outputs: Map::new(),
        resources,
        secrets_providers,
    };
    state.refresh_outputs();
    Ok(state)
}

fn import_resource(r: &Value) -> Result<ResourceState> {
    let text = |key: &str| r.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    let flag = |key: &str| r.get(key).and_then(Value::as_bool).unwrap_or(false);
    let map = |key: &str| r.get(key).and_then(Value::as_object).cloned().unwrap_or_default();
    let list = |key: &str| -> Vec<String> {
        r.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let urn = text("urn");
    if urn.is_empty() {
        bail!("a resource without a `urn`");
    }
    Ok(ResourceState {
        ty: text("type"),
        custom: flag("custom"),
        id: text("id"),
        parent: text("parent"),
        provider: text("provider"),
        inputs: map("inputs"),
        outputs: map("outputs"),
        dependencies: list("dependencies"),
        property_dependencies: map("propertyDependencies")
            .into_iter()
            .map(|(k, v)| {
                let urns = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|u| u.as_str().map(str::to_string))
                    .collect();
                (k, urns)
            })
            .collect(),
        protect: flag("protect"),
        retain_on_delete: flag("retainOnDelete"),
        deleted_with: text("deletedWith"),
        aliases: list("aliases"),
        additional_secret_outputs: list("additionalSecretOutputs"),
        import_id: text("importID"),
        replace_with: list("replaceWith"),
        replacement_trigger: r.get("replacementTrigger").cloned().unwrap_or(Value::Null),
        external: flag("external"),
        pending_delete: flag("delete"),
        urn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_survives_export_and_import() {
        let mut state = StackState::empty("p", "dev");
        state.secrets_providers = Some(SecretsProvider::passphrase("v1:c2FsdA==:v1:a:b"));
        state.resources.push(ResourceState {
            urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev".into(),
            ty: "pulumi:pulumi:Stack".into(),
            outputs: json!({"x": 1}).as_object().cloned().unwrap(),
            ..Default::default()
        });
        state.resources.push(ResourceState {
            urn: "urn:pulumi:dev::p::test:index:R::r".into(),
            ty: "test:index:R".into(),
            custom: true,
            id: "r-1".into(),
            parent: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev".into(),
            inputs: json!({"a": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:x:y"}})
                .as_object()
                .cloned()
                .unwrap(),
            dependencies: vec!["urn:a".into()],
            property_dependencies: [("a".to_string(), vec!["urn:a".to_string()])].into(),
            protect: true,
            retain_on_delete: true,
            deleted_with: "urn:b".into(),
            aliases: vec!["urn:old".into()],
            additional_secret_outputs: vec!["a".into()],
            import_id: "imp".into(),
            pending_delete: true,
            ..Default::default()
        });
        state.refresh_outputs();
        let exported = export(&state);
        assert_eq!(exported["version"], 3);
        assert_eq!(exported["deployment"]["secrets_providers"]["type"], "passphrase");
        assert_eq!(exported["deployment"]["resources"][1]["importID"], "imp");
        assert_eq!(exported["deployment"]["resources"][1]["delete"], true);
        assert_eq!(import(&exported, "p", "dev").unwrap(), state);
    }

    #[test]
    fn an_unreadable_deployment_is_refused_with_the_reason() {
        let error = import(&json!({"version": 4, "deployment": {}}), "p", "dev").unwrap_err();
        assert!(error.to_string().contains("version 4"), "{error}");
        let pending =
            json!({"version": 3, "deployment": {"pending_operations": [{"type": "creating"}]}});
        let error = import(&pending, "p", "dev").unwrap_err();
        assert!(error.to_string().contains("pending operations"), "{error}");
    }
}
