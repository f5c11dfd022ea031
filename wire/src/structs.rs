//! `google.protobuf.Struct` ↔ JSON objects, as property maps cross the wire.
//!
//! Written by hand rather than through serde: `pbjson_types` decodes a JSON
//! `null` as a `Value` with no kind, which Pulumi's engine and SDKs reject
//! (`Unrecognized structpb value kind`); null must travel as `NULL_VALUE`.

use serde_json::{Map, Number, Value};
use unfold_proto::pbjson_types as pb;
use unfold_proto::pbjson_types::value::Kind;

/// Why a `Struct` cannot be read as JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StructError {
    #[error(
        "property '{0}' is a google.protobuf.Value with no kind set (null must be sent as NULL_VALUE)"
    )]
    MissingKind(String),
    #[error("property '{0}' is a number that JSON cannot hold (NaN or infinite)")]
    NotFinite(String),
}

/// A JSON object as a wire `Struct`; `null` anywhere becomes `NULL_VALUE`.
pub fn to_struct(map: &Map<String, Value>) -> pb::Struct {
    pb::Struct { fields: map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect() }
}

/// A JSON value as a wire `Value`; `null` anywhere becomes `NULL_VALUE`.
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
        Value::Object(map) => Kind::StructValue(to_struct(map)),
    };
    pb::Value { kind: Some(kind) }
}

/// A wire `Struct` as a JSON object (none is the empty object). Whole numbers
/// become JSON integers, so `1` reads back as `1`, not `1.0`. A `Struct` keeps
/// its fields in a hash map, so keys are sorted: the same properties give the
/// same object, printed the same way every time.
///
/// A `Value` with no kind set is an error, as it is for Pulumi's engine.
pub fn from_struct(value: Option<&pb::Struct>) -> Result<Map<String, Value>, StructError> {
    match value {
        Some(value) => object(value, ""),
        None => Ok(Map::new()),
    }
}

fn object(value: &pb::Struct, path: &str) -> Result<Map<String, Value>, StructError> {
    let mut fields: Vec<(&String, &pb::Value)> = value.fields.iter().collect();
    fields.sort_by_key(|(key, _)| *key);
    fields
        .into_iter()
        .map(|(key, field)| {
            let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            Ok((key.clone(), json(field, &path)?))
        })
        .collect()
}

fn json(value: &pb::Value, path: &str) -> Result<Value, StructError> {
    Ok(match &value.kind {
        None => return Err(StructError::MissingKind(path.to_string())),
        Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::BoolValue(b)) => Value::Bool(*b),
        Some(Kind::NumberValue(f)) => {
            number(*f).ok_or_else(|| StructError::NotFinite(path.into()))?
        }
        Some(Kind::StringValue(s)) => Value::String(s.clone()),
        Some(Kind::ListValue(list)) => Value::Array(
            list.values
                .iter()
                .enumerate()
                .map(|(i, item)| json(item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Some(Kind::StructValue(inner)) => Value::Object(object(inner, path)?),
    })
}

/// Whole numbers within f64's exact range as integers; others as floats.
fn number(f: f64) -> Option<Value> {
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        return Some(Value::from(f as i64));
    }
    Number::from_f64(f).map(Value::Number)
}

/// Gives every `Value` without a kind the kind `NULL_VALUE`: for a `Struct`
/// decoded from proto3 JSON by `pbjson_types`, which leaves `null` kindless.
pub fn restore_nulls(properties: &mut pb::Struct) {
    fn restore(value: &mut pb::Value) {
        match &mut value.kind {
            None => value.kind = Some(Kind::NullValue(pb::NullValue::NullValue as i32)),
            Some(Kind::StructValue(inner)) => restore_nulls(inner),
            Some(Kind::ListValue(list)) => list.values.iter_mut().for_each(restore),
            Some(_) => {}
        }
    }
    properties.fields.values_mut().for_each(restore);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NULL: Option<Kind> = Some(Kind::NullValue(pb::NullValue::NullValue as i32));

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn list(value: &pb::Value) -> &pb::ListValue {
        let Some(Kind::ListValue(list)) = &value.kind else { panic!("a list: {value:?}") };
        list
    }

    fn object(value: &pb::Value) -> &pb::Struct {
        let Some(Kind::StructValue(object)) = &value.kind else { panic!("an object: {value:?}") };
        object
    }

    #[test]
    fn json_null_becomes_null_value_at_any_depth() {
        let nulls =
            map(json!({"n": null, "l": [1, null, [null]], "o": {"x": null, "y": [{"z": null}]}}));
        let wire = to_struct(&nulls);
        assert_eq!(wire.fields["n"].kind, NULL);
        let l = list(&wire.fields["l"]);
        assert_eq!(l.values[1].kind, NULL);
        assert_eq!(list(&l.values[2]).values[0].kind, NULL);
        let o = object(&wire.fields["o"]);
        assert_eq!(o.fields["x"].kind, NULL);
        assert_eq!(object(&list(&o.fields["y"]).values[0]).fields["z"].kind, NULL);
        assert_eq!(from_struct(Some(&wire)).unwrap(), nulls);
    }

    #[test]
    fn null_value_becomes_json_null_at_any_depth() {
        let null = pb::Value { kind: NULL };
        let wire = pb::Struct {
            fields: [
                ("n".to_string(), null.clone()),
                (
                    "l".to_string(),
                    pb::Value {
                        kind: Some(Kind::ListValue(pb::ListValue { values: vec![null.clone()] })),
                    },
                ),
                (
                    "o".to_string(),
                    pb::Value {
                        kind: Some(Kind::StructValue(pb::Struct {
                            fields: [("x".to_string(), null)].into(),
                        })),
                    },
                ),
            ]
            .into(),
        };
        assert_eq!(
            Value::Object(from_struct(Some(&wire)).unwrap()),
            json!({"l": [null], "n": null, "o": {"x": null}})
        );
    }

    #[test]
    fn a_value_without_a_kind_is_rejected_with_its_path() {
        let mut wire = to_struct(&map(json!({"o": {"l": [1]}})));
        let Some(Kind::StructValue(o)) = &mut wire.fields.get_mut("o").unwrap().kind else {
            unreachable!()
        };
        let Some(Kind::ListValue(l)) = &mut o.fields.get_mut("l").unwrap().kind else {
            unreachable!()
        };
        l.values.push(pb::Value { kind: None });
        let error = from_struct(Some(&wire)).unwrap_err();
        assert_eq!(error, StructError::MissingKind("o.l[1]".into()));
        assert!(error.to_string().contains("NULL_VALUE"), "{error}");
    }

    #[test]
    fn nulls_decoded_by_pbjson_are_restored() {
        let mut decoded: pb::Struct =
            serde_json::from_value(json!({"n": null, "l": [null], "o": {"x": null}})).unwrap();
        assert_eq!(decoded.fields["n"].kind, None, "pbjson leaves null kindless");
        restore_nulls(&mut decoded);
        assert_eq!(decoded.fields["n"].kind, NULL);
        assert_eq!(list(&decoded.fields["l"]).values[0].kind, NULL);
        assert_eq!(object(&decoded.fields["o"]).fields["x"].kind, NULL);
    }

    #[test]
    fn keys_are_sorted_and_whole_numbers_are_integers() {
        let value = map(json!({"z": 1, "f": 1.5, "a": {"y": 2, "b": 3}, "m": [{"k": 1, "c": 2}]}));
        let back = Value::Object(from_struct(Some(&to_struct(&value))).unwrap());
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&back), ["a", "f", "m", "z"]);
        assert_eq!(keys(&back["a"]), ["b", "y"]);
        assert_eq!(keys(&back["m"][0]), ["c", "k"]);
        assert_eq!(back, Value::Object(value));
        assert!(back["z"].is_i64() && back["f"].is_f64());
    }

    #[test]
    fn a_number_json_cannot_hold_is_rejected() {
        let wire = pb::Struct {
            fields: [("x".to_string(), pb::Value { kind: Some(Kind::NumberValue(f64::NAN)) })]
                .into(),
        };
        assert_eq!(from_struct(Some(&wire)), Err(StructError::NotFinite("x".into())));
    }
}
