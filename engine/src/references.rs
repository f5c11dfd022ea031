//! Resource references as Pulumi's engine passes them on: whoever receives
//! one (a program, a provider) also gets the `name` and `type` its URN
//! implies, and an ID not known yet as `""`; the state keeps neither name nor
//! type. [`WireProvider`] puts every provider behind that rule, so that
//! in-process providers see what plugins see.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use serde_json::{Map, Value};
use unfold_wire::signatures::{RESOURCE_REFERENCE_SIG, SIG_KEY};
use unfold_wire::urn;

use crate::property::{self, PropertyMap};
use crate::provider::{CheckFailure, CreateResult, DiffResult, InvokeResult, Provider, ReadResult};

fn is_reference(map: &Map<String, Value>) -> bool {
    map.get(SIG_KEY).and_then(Value::as_str) == Some(RESOURCE_REFERENCE_SIG)
}

/// Rewrites every resource reference in `value` with `edit`.
fn each_reference(value: Value, edit: &dyn Fn(&mut Map<String, Value>)) -> Value {
    match value {
        Value::Object(mut map) if is_reference(&map) => {
            edit(&mut map);
            Value::Object(map)
        }
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, each_reference(v, edit))).collect())
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| each_reference(v, edit)).collect())
        }
        other => other,
    }
}

/// References as they are sent: with `name` and `type` (from the URN, when it is
/// one), and an unknown ID as `""`.
pub(crate) fn on_the_wire(value: Value) -> Value {
    each_reference(value, &|reference| {
        let parts = reference.get("urn").and_then(Value::as_str).and_then(|u| {
            urn::parse(u).ok().map(|parts| (parts.name.to_string(), parts.ty().to_string()))
        });
        if let Some((name, ty)) = parts {
            reference.entry("name").or_insert(Value::String(name));
            reference.entry("type").or_insert(Value::String(ty));
        }
        if reference.get("id").is_some_and(property::is_unknown) {
            reference.insert("id".into(), Value::String(String::new()));
        }
    })
}

/// References as the state keeps them: the URN implies `name` and `type`.
pub(crate) fn at_rest(value: Value) -> Value {
    each_reference(value, &|reference| {
        reference.remove("name");
        reference.remove("type");
    })
}

fn map_on_the_wire(map: &PropertyMap) -> PropertyMap {
    match on_the_wire(Value::Object(map.clone())) {
        Value::Object(map) => map,
        _ => unreachable!("an object stays an object"),
    }
}

fn map_at_rest(map: PropertyMap) -> PropertyMap {
    match at_rest(Value::Object(map)) {
        Value::Object(map) => map,
        _ => unreachable!("an object stays an object"),
    }
}

/// A provider that receives references as they are sent, and whose answers are kept as the
/// state keeps them.
pub(crate) struct WireProvider(pub(crate) Arc<dyn Provider>);

#[async_trait]
impl Provider for WireProvider {
    async fn check(
        &self,
        urn: &str,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> Result<(PropertyMap, Vec<CheckFailure>)> {
        let (checked, failures) =
            self.0.check(urn, &map_on_the_wire(olds), map_on_the_wire(&news)).await?;
        Ok((map_at_rest(checked), failures))
    }

    async fn diff(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
    ) -> Result<DiffResult> {
        self.0
            .diff(
                urn,
                id,
                &map_on_the_wire(old_inputs),
                &map_on_the_wire(old_outputs),
                &map_on_the_wire(new_inputs),
            )
            .await
    }

    async fn create(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<CreateResult> {
        let created = self.0.create(urn, &map_on_the_wire(inputs), timeout, preview).await?;
        Ok(CreateResult { id: created.id, outputs: map_at_rest(created.outputs) })
    }

    async fn read(
        &self,
        urn: &str,
        id: &str,
        inputs: &PropertyMap,
        state: &PropertyMap,
    ) -> Result<Option<ReadResult>> {
        let read = self.0.read(urn, id, &map_on_the_wire(inputs), &map_on_the_wire(state)).await?;
        Ok(read.map(|r| ReadResult {
            id: r.id,
            inputs: map_at_rest(r.inputs),
            outputs: map_at_rest(r.outputs),
        }))
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
        let outputs = self
            .0
            .update(
                urn,
                id,
                &map_on_the_wire(old_outputs),
                &map_on_the_wire(new_inputs),
                timeout,
                preview,
            )
            .await?;
        Ok(map_at_rest(outputs))
    }

    async fn update_with_inputs(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap> {
        let outputs = self
            .0
            .update_with_inputs(
                urn,
                id,
                &map_on_the_wire(old_inputs),
                &map_on_the_wire(old_outputs),
                &map_on_the_wire(new_inputs),
                timeout,
                preview,
            )
            .await?;
        Ok(map_at_rest(outputs))
    }

    async fn delete(
        &self,
        urn: &str,
        id: &str,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()> {
        self.0.delete(urn, id, &map_on_the_wire(outputs), timeout).await
    }

    async fn delete_with_inputs(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()> {
        self.0
            .delete_with_inputs(
                urn,
                id,
                &map_on_the_wire(old_inputs),
                &map_on_the_wire(outputs),
                timeout,
            )
            .await
    }

    async fn invoke(&self, token: &str, args: &PropertyMap) -> Result<InvokeResult> {
        let result = self.0.invoke(token, &map_on_the_wire(args)).await?;
        Ok(InvokeResult { outputs: map_at_rest(result.outputs), failures: result.failures })
    }

    async fn construct(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap> {
        let outputs = self.0.construct(urn, &map_on_the_wire(inputs), preview).await?;
        Ok(map_at_rest(outputs))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use unfold_wire::signatures::UNKNOWN;

    use super::*;

    #[test]
    fn references_on_the_wire_name_their_resource_and_hide_an_unknown_id() {
        let urn = "urn:pulumi:dev::p::corpus:index:Pair$test:index:Resource::pair-left";
        let sent = on_the_wire(
            json!({"list": [{SIG_KEY: RESOURCE_REFERENCE_SIG, "urn": urn, "id": UNKNOWN}]}),
        );
        assert_eq!(
            sent,
            json!({"list": [{SIG_KEY: RESOURCE_REFERENCE_SIG, "urn": urn, "id": "", "name": "pair-left", "type": "test:index:Resource"}]})
        );
        assert_eq!(
            at_rest(sent),
            json!({"list": [{SIG_KEY: RESOURCE_REFERENCE_SIG, "urn": urn, "id": ""}]})
        );
    }

    #[test]
    fn other_values_are_untouched() {
        let value = json!({"a": [1, "x", {"urn": "not a reference"}], "b": null});
        assert_eq!(on_the_wire(value.clone()), value);
        assert_eq!(at_rest(value.clone()), value);
    }
}
