//! Property values in Pulumi's wire encoding, held as JSON.
//!
//! Resource inputs and outputs travel as `google.protobuf.Struct`; special values
//! (unknowns, secrets, resource references, output values, assets) are objects
//! marked with a signature key. The engine keeps them in exactly that encoding,
//! as `serde_json` values, so state files and traces show what crossed the wire.

use anyhow::{Context, Result};
use serde_json::{Map, Value};
use unfold_proto::pbjson_types as pb;
use unfold_proto::pbjson_types::value::Kind;

/// An object of named property values.
pub type PropertyMap = Map<String, Value>;

/// The key whose value marks a special object.
pub const SIG_KEY: &str = "4dabf18193072939515e22adb298388d";
pub const SECRET_SIG: &str = "1b47061264138c4ac30d75fd1eb44270";
pub const RESOURCE_REFERENCE_SIG: &str = "5cf8f73096256a8f31e491e813e4eb8e";
pub const OUTPUT_VALUE_SIG: &str = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/// The value of a property that is not known until the resource exists.
pub const UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// Typed unknowns the engine may also emit; all of them mean "unknown".
const TYPED_UNKNOWNS: [&str; 6] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/// Converts a wire `Struct` into a property map. Whole numbers become JSON
/// integers so that `1` reads back as `1`, not `1.0`. A `Struct` keeps its
/// fields in a hash map, so keys are sorted here: the same registration gives
/// the same map, and reports print it the same way every run.
///
/// A `Value` with no kind set is rejected: Pulumi's engine fails on one
/// (`Unrecognized structpb value kind`), so a host must send null as `NULL_VALUE`.
pub fn from_struct(value: Option<&unfold_proto::pbjson_types::Struct>) -> Result<PropertyMap> {
    let Some(value) = value else {
        return Ok(PropertyMap::new());
    };
    for (key, field) in &value.fields {
        check_kinds(field, key)?;
    }
    match integral_numbers(serde_json::to_value(value).context("encoding a Struct as JSON")?) {
        Value::Object(map) => Ok(canonical_map(&map)),
        other => anyhow::bail!("a Struct encoded as {other}, not an object"),
    }
}

fn check_kinds(value: &pb::Value, path: &str) -> Result<()> {
    match &value.kind {
        None => anyhow::bail!(
            "property '{path}' is a google.protobuf.Value with no kind set (null must be sent as NULL_VALUE)"
        ),
        Some(Kind::ListValue(list)) => list
            .values
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_kinds(item, &format!("{path}[{i}]"))),
        Some(Kind::StructValue(object)) => object
            .fields
            .iter()
            .try_for_each(|(key, item)| check_kinds(item, &format!("{path}.{key}"))),
        Some(_) => Ok(()),
    }
}

/// Converts a property map into a wire `Struct`. Built by hand rather than
/// through serde: `pbjson_types` decodes JSON `null` as a `Value` with no kind,
/// which Pulumi's SDKs reject; it must be `NULL_VALUE`.
pub fn to_struct(map: &PropertyMap) -> Result<pb::Struct> {
    Ok(struct_of(map))
}

fn struct_of(map: &PropertyMap) -> pb::Struct {
    pb::Struct { fields: map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect() }
}

fn to_value(value: &Value) -> pb::Value {
    let kind = match value {
        Value::Null => Kind::NullValue(pb::NullValue::NullValue as i32),
        Value::Bool(b) => Kind::BoolValue(*b),
        // Every JSON number has an f64 value (arbitrary precision is not enabled).
        Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or_default()),
        Value::String(s) => Kind::StringValue(s.clone()),
        Value::Array(items) => {
            Kind::ListValue(pb::ListValue { values: items.iter().map(to_value).collect() })
        }
        Value::Object(map) => Kind::StructValue(struct_of(map)),
    };
    pb::Value { kind: Some(kind) }
}

fn integral_numbers(value: Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
                Value::from(f as i64)
            }
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(integral_numbers).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, integral_numbers(v))).collect())
        }
        other => other,
    }
}

fn signature(value: &Value) -> Option<&str> {
    value.as_object()?.get(SIG_KEY)?.as_str()
}

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

pub fn is_secret(value: &Value) -> bool {
    signature(value) == Some(SECRET_SIG)
}

/// True if the value is a secret or holds one anywhere inside it.
pub fn contains_secrets(value: &Value) -> bool {
    is_secret(value)
        || match value {
            Value::Array(items) => items.iter().any(contains_secrets),
            Value::Object(map) => map.values().any(contains_secrets),
            _ => false,
        }
}

/// Wraps a value as a secret (once: a secret stays a single wrapper).
pub fn make_secret(value: Value) -> Value {
    if is_secret(&value) {
        return value;
    }
    let mut map = PropertyMap::new();
    map.insert(SIG_KEY.into(), SECRET_SIG.into());
    map.insert("value".into(), value);
    Value::Object(map)
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
pub fn downgrade_resource_references(value: Value) -> Value {
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
pub fn canonical(value: &Value) -> Value {
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

    #[test]
    fn structs_convert_with_sorted_keys() {
        let map = json!({"z": 1, "a": {"y": 2, "b": 3}, "m": [{"k": 1, "c": 2}]})
            .as_object()
            .unwrap()
            .clone();
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        let converted = Value::Object(from_struct(Some(&to_struct(&map).unwrap())).unwrap());
        assert_eq!(keys(&converted), ["a", "m", "z"]);
        assert_eq!(keys(&converted["a"]), ["b", "y"]);
        assert_eq!(keys(&converted["m"][0]), ["c", "k"]);
    }

    #[test]
    fn null_is_sent_as_null_value_and_a_missing_kind_is_rejected() {
        let map = json!({"n": null, "l": [null], "o": {"x": null}}).as_object().unwrap().clone();
        let wire = to_struct(&map).unwrap();
        let null = Some(Kind::NullValue(0));
        assert_eq!(wire.fields["n"].kind, null);
        let Some(Kind::ListValue(list)) = &wire.fields["l"].kind else { panic!("a list") };
        assert_eq!(list.values[0].kind, null);
        let Some(Kind::StructValue(object)) = &wire.fields["o"].kind else { panic!("an object") };
        assert_eq!(object.fields["x"].kind, null);
        assert_eq!(from_struct(Some(&wire)).unwrap(), map);

        let mut missing = wire.clone();
        missing.fields.insert(
            "bad".into(),
            pb::Value {
                kind: Some(Kind::ListValue(pb::ListValue {
                    values: vec![pb::Value { kind: None }],
                })),
            },
        );
        let error = from_struct(Some(&missing)).unwrap_err().to_string();
        assert!(error.contains("'bad[0]'") && error.contains("NULL_VALUE"), "{error}");
    }

    #[test]
    fn structs_round_trip_with_integral_numbers() {
        let map = json!({"n": 3, "f": 1.5, "s": ["x", true, null]}).as_object().unwrap().clone();
        assert_eq!(from_struct(Some(&to_struct(&map).unwrap())).unwrap(), map);
    }
}
