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
    // Most strings need no escaping; the rest are escaped as serde_json does.
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(text).expect("strings serialize"));
    }
}

/// Appends `value` canonically.
pub fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut fields: Vec<(&String, &Value)> = map.iter().collect();
            fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in fields.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write(value, out);
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
        Value::String(text) => write_str(text, out),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Null => out.push_str("null"),
        Value::Number(number) => out.push_str(&number.to_string()),
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
        for text in ["plain", "tab\there", "back\\slash", "\u{1}", "quote\"", "é✓", "\u{7f}"] {
            assert_eq!(to_string(&json!(text)), serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
