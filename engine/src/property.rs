//! Property values in Pulumi's wire encoding, held as JSON.
//!
//! Resource inputs and outputs travel as `google.protobuf.Struct`; special values
//! (unknowns, secrets, resource references, output values, assets) are objects
//! marked with a signature key. The engine keeps them in exactly that encoding,
//! as `serde_json` values, so state files and traces show what crossed the wire.

use serde_json::{Map, Value};
use unfold_wire::signatures::{
    OUTPUT_VALUE_SIG, RESOURCE_REFERENCE_SIG, SECRET_SIG, SIG_KEY, TYPED_UNKNOWNS, UNKNOWN,
    is_secret, make_secret, signature,
};

/// An object of named property values.
pub type PropertyMap = Map<String, Value>;

pub fn is_unknown(value: &Value) -> bool {
    match value {
        Value::String(s) => s == UNKNOWN || TYPED_UNKNOWNS.contains(&s.as_str()),
        // An output value without a `value` is unknown.
        Value::Object(map) => {
            signature(value) == Some(OUTPUT_VALUE_SIG) && !map.contains_key("value")
        }
        _ => false,
    }
}

/// True if the value is unknown or holds an unknown anywhere inside it.
pub fn contains_unknowns(value: &Value) -> bool {
    is_unknown(value)
        || match value {
            Value::Array(items) => items.iter().any(contains_unknowns),
            Value::Object(map) => map.values().any(contains_unknowns),
            _ => false,
        }
}

/// True if the value is a secret or holds one anywhere inside it.
pub(crate) fn contains_secrets(value: &Value) -> bool {
    is_secret(value)
        || match value {
            Value::Array(items) => items.iter().any(contains_secrets),
            Value::Object(map) => map.values().any(contains_secrets),
            _ => false,
        }
}

/// Replaces output values by what they stand for: their value, a secret, or
/// an unknown. Providers and state never see output values; their
/// dependencies already reached the engine as property dependencies.
pub fn flatten_output_values(value: Value) -> Value {
    match value {
        Value::Object(map)
            if map.get(SIG_KEY).and_then(Value::as_str) == Some(OUTPUT_VALUE_SIG) =>
        {
            let secret = map.get("secret").and_then(Value::as_bool).unwrap_or(false);
            let inner = match map.get("value") {
                Some(v) => flatten_output_values(v.clone()),
                None => Value::String(UNKNOWN.into()),
            };
            if secret { make_secret(inner) } else { inner }
        }
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, flatten_output_values(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(flatten_output_values).collect()),
        other => other,
    }
}

/// Removes secret markers, for programs that did not declare `acceptSecrets`.
pub fn reveal_secrets(value: Value) -> Value {
    match value {
        Value::Object(mut map) if map.get(SIG_KEY).and_then(Value::as_str) == Some(SECRET_SIG) => {
            reveal_secrets(map.remove("value").unwrap_or(Value::Null))
        }
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, reveal_secrets(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(reveal_secrets).collect()),
        other => other,
    }
}

/// Replaces resource references by the custom resource's ID (or the
/// component's URN), for programs that did not declare `acceptResources`.
pub(crate) fn downgrade_resource_references(value: Value) -> Value {
    match value {
        Value::Object(map)
            if map.get(SIG_KEY).and_then(Value::as_str) == Some(RESOURCE_REFERENCE_SIG) =>
        {
            match map.get("id").and_then(Value::as_str) {
                Some("") => Value::String(UNKNOWN.into()),
                Some(id) => Value::String(id.into()),
                None => map.get("urn").cloned().unwrap_or(Value::Null),
            }
        }
        Value::Object(map) => Value::Object(
            map.into_iter().map(|(k, v)| (k, downgrade_resource_references(v))).collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(downgrade_resource_references).collect())
        }
        other => other,
    }
}

/// Rebuilds a value with every object's keys in sorted order, so that its
/// serialization is canonical (the crate keeps JSON objects in insertion order).
pub(crate) fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(canonical_map(map)),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

pub fn canonical_map(map: &PropertyMap) -> PropertyMap {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| *k);
    entries.into_iter().map(|(k, v)| (k.clone(), canonical(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn output_values_flatten_to_plain_secret_or_unknown() {
        let value = json!({
            "a": {SIG_KEY: OUTPUT_VALUE_SIG, "value": 1, "dependencies": ["urn:x"]},
            "b": {SIG_KEY: OUTPUT_VALUE_SIG, "value": "s", "secret": true},
            "c": {SIG_KEY: OUTPUT_VALUE_SIG},
        });
        assert_eq!(
            flatten_output_values(value),
            json!({"a": 1, "b": {SIG_KEY: SECRET_SIG, "value": "s"}, "c": UNKNOWN})
        );
    }
}
