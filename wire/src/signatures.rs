//! The markers of Pulumi's special property values. Resource inputs and
//! outputs travel as `google.protobuf.Struct`; a secret, a resource reference
//! or an output value is an object whose [`SIG_KEY`] names what it is, and a
//! value not known yet (during a preview) is one of the unknown strings.

use serde_json::{Map, Value};

/// The key whose value marks a special object.
pub const SIG_KEY: &str = "4dabf18193072939515e22adb298388d";
/// `{SIG_KEY: SECRET_SIG, "value": …}`: a secret.
pub const SECRET_SIG: &str = "1b47061264138c4ac30d75fd1eb44270";
/// `{SIG_KEY: RESOURCE_REFERENCE_SIG, "urn": …, "id": …}`: a reference to a resource.
pub const RESOURCE_REFERENCE_SIG: &str = "5cf8f73096256a8f31e491e813e4eb8e";
/// `{SIG_KEY: OUTPUT_VALUE_SIG, "value"?: …, "secret"?: …, "dependencies"?: …}`: an output.
pub const OUTPUT_VALUE_SIG: &str = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/// The value of a property that is not known until the resource exists.
pub const UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// Typed unknowns (bool, number, string, array, asset, archive, object) the
/// engine may also send; all of them mean "unknown".
pub const TYPED_UNKNOWNS: [&str; 6] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/// The signature of a special object, if `value` is one.
pub fn signature(value: &Value) -> Option<&str> {
    value.as_object()?.get(SIG_KEY)?.as_str()
}

pub fn is_secret(value: &Value) -> bool {
    signature(value) == Some(SECRET_SIG)
}

/// Wraps a value as a secret (once: a secret stays a single wrapper).
pub fn make_secret(value: Value) -> Value {
    if is_secret(&value) {
        return value;
    }
    let mut map = Map::new();
    map.insert(SIG_KEY.into(), SECRET_SIG.into());
    map.insert("value".into(), value);
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_secret_is_wrapped_once() {
        let secret = make_secret(json!("s"));
        assert_eq!(secret, json!({SIG_KEY: SECRET_SIG, "value": "s"}));
        assert!(is_secret(&secret));
        assert_eq!(make_secret(secret.clone()), secret);
        assert_eq!(signature(&json!({SIG_KEY: OUTPUT_VALUE_SIG})), Some(OUTPUT_VALUE_SIG));
        assert_eq!(signature(&json!("s")), None);
    }
}
