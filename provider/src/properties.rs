//! Resource properties as the engine sends them (protobuf `Struct`) and as the
//! resources work with them (JSON), keeping track of secrets and unknowns.
//!
//! Secrets arrive as Pulumi's signature objects. Resources work on revealed
//! values; which top-level properties were secret (or held a secret anywhere
//! inside) is remembered so outputs can wrap them again: a secret input never
//! comes back as plain text.

use std::collections::BTreeSet;

use pbjson_types::Struct;
use serde_json::{Map, Value, json};

/// The key that marks a signature object, and the signature of a secret.
pub const SIG_KEY: &str = "4dabf18193072939515e22adb298388d";
pub const SECRET_SIG: &str = "1b47061264138c4ac30d75fd1eb44270";
/// The string the engine sends for a value not known yet (during previews).
pub const UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// A protobuf Struct as a JSON object (pbjson speaks the proto3 JSON mapping).
pub fn struct_to_json(properties: Option<&Struct>) -> Map<String, Value> {
    match properties.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    }
}

/// A JSON object as a protobuf Struct.
pub fn json_to_struct(map: Map<String, Value>) -> Struct {
    serde_json::from_value(Value::Object(map)).unwrap_or_default()
}

/// Wraps `value` as a secret.
pub fn secret(value: Value) -> Value {
    json!({ SIG_KEY: SECRET_SIG, "value": value })
}

/// The unknown value.
pub fn unknown() -> Value {
    Value::String(UNKNOWN.into())
}

fn secret_inner(value: &Value) -> Option<&Value> {
    let object = value.as_object()?;
    (object.get(SIG_KEY)?.as_str()? == SECRET_SIG)
        .then(|| object.get("value").unwrap_or(&Value::Null))
}

/// `value` with every secret unwrapped, and whether there was one.
pub fn reveal(value: &Value) -> (Value, bool) {
    if let Some(inner) = secret_inner(value) {
        return (reveal(inner).0, true);
    }
    match value {
        Value::Array(items) => {
            let mut any = false;
            let items = items
                .iter()
                .map(|item| {
                    let (item, was) = reveal(item);
                    any |= was;
                    item
                })
                .collect();
            (Value::Array(items), any)
        }
        Value::Object(object) => {
            let mut any = false;
            let object = object
                .iter()
                .map(|(key, item)| {
                    let (item, was) = reveal(item);
                    any |= was;
                    (key.clone(), item)
                })
                .collect();
            (Value::Object(object), any)
        }
        other => (other.clone(), false),
    }
}

/// Whether `value` is or holds an unknown.
pub fn contains_unknown(value: &Value) -> bool {
    match value {
        Value::String(text) => text == UNKNOWN,
        Value::Array(items) => items.iter().any(contains_unknown),
        Value::Object(object) => object.values().any(contains_unknown),
        _ => false,
    }
}

/// Revealed properties and the names of those that were secret.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Props {
    pub values: Map<String, Value>,
    pub secret: BTreeSet<String>,
}

impl Props {
    pub fn from_struct(properties: Option<&Struct>) -> Self {
        Self::from_json(&struct_to_json(properties))
    }

    pub fn from_json(map: &Map<String, Value>) -> Self {
        let mut props = Props::default();
        for (key, value) in map {
            let (value, was_secret) = reveal(value);
            if was_secret {
                props.secret.insert(key.clone());
            }
            props.values.insert(key.clone(), value);
        }
        props
    }

    /// Back to the engine's form, secrets wrapped again.
    pub fn to_struct(&self) -> Struct {
        json_to_struct(self.to_json())
    }

    pub fn to_json(&self) -> Map<String, Value> {
        self.values
            .iter()
            .map(|(key, value)| {
                let value =
                    if self.secret.contains(key) { secret(value.clone()) } else { value.clone() };
                (key.clone(), value)
            })
            .collect()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key).filter(|value| !value.is_null())
    }

    /// A known string property.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str).filter(|text| *text != UNKNOWN)
    }

    pub fn is_unknown(&self, key: &str) -> bool {
        self.values.get(key).is_some_and(contains_unknown)
    }

    pub fn set(&mut self, key: &str, value: Value) {
        self.values.insert(key.into(), value);
    }

    /// Sets a property that must not be shown in plain text.
    pub fn set_secret(&mut self, key: &str, value: Value) {
        self.values.insert(key.into(), value);
        self.secret.insert(key.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_revealed_and_wrapped_again() {
        let map = json!({
            "name": "t",
            "secrets": secret(json!("[1]")),
            "environment": {"A": "a", "B": secret(json!("b"))},
        });
        let props = Props::from_json(map.as_object().unwrap());
        assert_eq!(props.str("secrets"), Some("[1]"));
        assert_eq!(props.values["environment"], json!({"A": "a", "B": "b"}));
        assert_eq!(
            props.secret,
            BTreeSet::from(["environment".to_string(), "secrets".to_string()])
        );
        let back = Props::from_struct(Some(&props.to_struct()));
        assert_eq!(back, props);
        assert_eq!(props.to_json()["secrets"], secret(json!("[1]")));
    }

    #[test]
    fn unknowns_are_seen_anywhere() {
        let props = Props::from_json(
            json!({"a": UNKNOWN, "b": [{"c": UNKNOWN}], "d": "x"}).as_object().unwrap(),
        );
        assert!(props.is_unknown("a") && props.is_unknown("b") && !props.is_unknown("d"));
        assert_eq!(props.str("a"), None);
    }
}
