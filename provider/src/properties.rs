//! Resource properties as the engine sends them (protobuf `Struct`) and as the
//! resources work with them (JSON), keeping track of secrets and unknowns.
//!
//! Secrets arrive as Pulumi's signature objects. Resources work on revealed
//! values; which top-level properties were secret (or held a secret anywhere
//! inside) is remembered so outputs can wrap them again: a secret input never
//! comes back as plain text.

use std::collections::BTreeSet;

use pbjson_types::Struct;
use serde_json::{Map, Value};
use tonic::Status;
use unfold_wire::signatures::{UNKNOWN, is_secret, make_secret};
use unfold_wire::structs;

/// The unknown value.
pub(crate) fn unknown() -> Value {
    Value::String(UNKNOWN.into())
}

fn secret_inner(value: &Value) -> Option<&Value> {
    is_secret(value).then(|| value.get("value").unwrap_or(&Value::Null))
}

/// `value` with every secret unwrapped, and whether there was one.
pub(crate) fn reveal(value: &Value) -> (Value, bool) {
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
pub(crate) fn contains_unknown(value: &Value) -> bool {
    match value {
        Value::String(text) => text == UNKNOWN,
        Value::Array(items) => items.iter().any(contains_unknown),
        Value::Object(object) => object.values().any(contains_unknown),
        _ => false,
    }
}

/// Revealed properties and the names of those that were secret.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Props {
    pub(crate) values: Map<String, Value>,
    pub(crate) secret: BTreeSet<String>,
}

impl Props {
    /// Properties as the engine sent them; a malformed value is an invalid argument.
    pub(crate) fn from_struct(properties: Option<&Struct>) -> Result<Self, Status> {
        structs::from_struct(properties)
            .map(|map| Self::from_json(&map))
            .map_err(|error| Status::invalid_argument(error.to_string()))
    }

    pub(crate) fn from_json(map: &Map<String, Value>) -> Self {
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
    pub(crate) fn to_struct(&self) -> Struct {
        structs::to_struct(&self.to_json())
    }

    pub(crate) fn to_json(&self) -> Map<String, Value> {
        self.values
            .iter()
            .map(|(key, value)| {
                let value = if self.secret.contains(key) {
                    make_secret(value.clone())
                } else {
                    value.clone()
                };
                (key.clone(), value)
            })
            .collect()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key).filter(|value| !value.is_null())
    }

    /// A known string property.
    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str).filter(|text| *text != UNKNOWN)
    }

    pub(crate) fn is_unknown(&self, key: &str) -> bool {
        self.values.get(key).is_some_and(contains_unknown)
    }

    pub(crate) fn set(&mut self, key: &str, value: Value) {
        self.values.insert(key.into(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn secret(value: Value) -> Value {
        make_secret(value)
    }

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
        let back = Props::from_struct(Some(&props.to_struct())).unwrap();
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
