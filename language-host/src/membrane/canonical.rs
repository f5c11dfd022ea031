//! Canonical JSON: object keys sorted, no insignificant whitespace, numbers as
//! serde_json prints them (shortest round-trip form). Equal values give equal
//! bytes, which is what argument comparison and deterministic snapshots need.

use serde_json::Value;

/// Writes `value` canonically.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// Appends a JSON string literal.
pub fn write_str(text: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(text).expect("strings serialize"));
}

/// Appends `value` canonically.
pub fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let a = json!({"b": 1, "a": {"d": [1, {"z": null, "y": true}], "c": "x"}});
        assert_eq!(to_string(&a), r#"{"a":{"c":"x","d":[1,{"y":true,"z":null}]},"b":1}"#);
    }

    #[test]
    fn strings_are_escaped_as_json() {
        assert_eq!(to_string(&json!({"k\"ey": "line\nbreak ✓"})), r#"{"k\"ey":"line\nbreak ✓"}"#);
    }
}
