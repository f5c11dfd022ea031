//! Secret values kept out of what a Function's server writes down: a handler
//! that logs or throws a secret (a connection string in an error message, a
//! token in a stack trace) must not put it in `server.log`.
//!
//! Every string among a Function's secret values is recognized whole or
//! embedded in a longer text, as is its base64 form. Limits: a secret the
//! handler transformed (split, hashed, re-encoded otherwise) cannot be
//! recognized, and strings shorter than [`MIN_SECRET_LEN`] are left alone, as
//! they would match ordinary text.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine;
use serde_json::Value;

/// What a recognized secret is replaced with.
pub const REDACTED: &str = "[secret]";
/// Shorter strings are not recognized as secrets (see the module docs).
pub const MIN_SECRET_LEN: usize = 4;

/// Replaces known secret values in text.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    matcher: Option<AhoCorasick>,
}

impl Redactor {
    /// A redactor for the strings in `secrets` (nested values included).
    pub fn new(secrets: &[Value]) -> Self {
        let needles = secret_strings(secrets);
        let matcher = (!needles.is_empty())
            .then(|| {
                AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&needles).ok()
            })
            .flatten();
        Self { matcher }
    }

    /// `text` with every known secret replaced by [`REDACTED`].
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match &self.matcher {
            Some(matcher) if matcher.is_match(text) => {
                Cow::Owned(matcher.replace_all(text, &vec![REDACTED; matcher.patterns_len()]))
            }
            _ => Cow::Borrowed(text),
        }
    }
}

/// What recognizes `secrets` in text: each string among them (nested values
/// included) of at least [`MIN_SECRET_LEN`], and its base64 form; sorted.
pub(crate) fn secret_strings(secrets: &[Value]) -> Vec<String> {
    let mut needles = Vec::new();
    for secret in secrets {
        collect_strings(secret, &mut needles);
    }
    needles.retain(|needle| needle.chars().count() >= MIN_SECRET_LEN);
    let encoded: Vec<String> = needles
        .iter()
        .map(|needle| base64::engine::general_purpose::STANDARD.encode(needle))
        .collect();
    needles.extend(encoded);
    needles.sort();
    needles.dedup();
    needles
}

fn collect_strings(value: &Value, into: &mut Vec<String>) {
    match value {
        // Secret structured values travel as their JSON text, too.
        Value::String(text) => {
            into.push(text.clone());
            if let Ok(inner @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str(text) {
                collect_strings(&inner, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, into)),
        Value::Object(map) => map.values().for_each(|item| collect_strings(item, into)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_are_replaced_whole_embedded_and_base64_encoded() {
        let redactor = Redactor::new(&[json!("hunter22"), json!({ "password": "p@ss-word" })]);
        assert_eq!(redactor.redact("login failed for hunter22"), "login failed for [secret]");
        assert_eq!(
            redactor.redact("url=postgres://u:p@ss-word@db/x"),
            "url=postgres://u:[secret]@db/x"
        );
        let encoded = base64::engine::general_purpose::STANDARD.encode("hunter22");
        assert_eq!(redactor.redact(&format!("Basic {encoded}")), "Basic [secret]");
        assert!(matches!(redactor.redact("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn short_strings_and_no_secrets_redact_nothing() {
        assert_eq!(Redactor::new(&[json!("ab")]).redact("a cab"), "a cab");
        assert_eq!(Redactor::new(&[]).redact("text"), "text");
    }
}
