//! The secret values a run knows of, kept out of what it logs: secret config,
//! and every value marked secret in the program's requests to the engine and
//! the engine's answers. What the program prints or logs (console, `pulumi.log`,
//! an unhandled error) reaches the engine with them replaced by `[secret]`,
//! whole, embedded in longer text, or base64-encoded. Limits as for the local
//! server's log (`unfold_function_runtime::redaction`): a transformed secret
//! is not recognized, nor one shorter than its minimum length.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use unfold_function_runtime::redaction::Redactor;
use unfold_runtime::io::system::{Console, ConsoleStream};
use unfold_wire::signatures::is_secret;

#[derive(Default)]
pub struct KnownSecrets {
    values: Vec<Value>,
    /// Rebuilt on the next redaction after a new value is learned.
    redactor: Option<Redactor>,
}

impl KnownSecrets {
    /// The run's secret config values, from its `run.context`.
    pub fn from_context(context: &Value) -> Self {
        let mut known = Self::default();
        let config = &context["config"];
        for key in context["configSecretKeys"].as_array().into_iter().flatten() {
            if let Some(value) = key.as_str().and_then(|key| config.get(key)) {
                known.add_strings(value);
            }
        }
        known
    }

    /// Notes every string inside a value marked secret anywhere in `value`.
    pub fn learn(&mut self, value: &Value) {
        match value {
            Value::Object(map) if is_secret(value) => {
                if let Some(inner) = map.get("value") {
                    self.add_strings(inner);
                }
            }
            Value::Object(map) => map.values().for_each(|v| self.learn(v)),
            Value::Array(items) => items.iter().for_each(|v| self.learn(v)),
            _ => {}
        }
    }

    fn add_strings(&mut self, value: &Value) {
        match value {
            Value::String(text) => {
                let value = Value::String(text.clone());
                if !self.values.contains(&value) {
                    self.values.push(value);
                    self.redactor = None;
                }
                // A JSON-encoded secret (an object in config) is also matched in parts.
                if let Ok(parsed @ (Value::Object(_) | Value::Array(_))) =
                    serde_json::from_str::<Value>(text)
                {
                    self.add_strings(&parsed);
                }
            }
            Value::Object(map) => map.values().for_each(|v| self.add_strings(v)),
            Value::Array(items) => items.iter().for_each(|v| self.add_strings(v)),
            _ => {}
        }
    }

    pub fn redact<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        if self.values.is_empty() {
            return Cow::Borrowed(text);
        }
        self.redactor.get_or_insert_with(|| Redactor::new(&self.values)).redact(text)
    }
}

/// A console that writes what the program prints with the known secrets redacted.
pub struct RedactingConsole {
    pub inner: Box<dyn Console>,
    pub secrets: Rc<RefCell<KnownSecrets>>,
}

impl Console for RedactingConsole {
    fn write(&self, stream: ConsoleStream, text: &str) {
        let redacted = self.secrets.borrow_mut().redact(text).into_owned();
        self.inner.write(stream, &redacted);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use unfold_wire::signatures::make_secret;

    use super::*;

    #[test]
    fn secret_config_and_marked_values_are_redacted_where_they_appear() {
        let context = json!({
            "config": {"p:password": "hunter2-secret", "p:region": "eu-west-1", "p:db": "{\"user\":\"admin-user\",\"pass\":\"s3cret-pass\"}"},
            "configSecretKeys": ["p:password", "p:db"],
        });
        let mut known = KnownSecrets::from_context(&context);
        assert_eq!(
            known.redact("using hunter2-secret in eu-west-1"),
            "using [secret] in eu-west-1"
        );
        assert_eq!(known.redact("pass=s3cret-pass"), "pass=[secret]");
        assert_eq!(known.redact("aHVudGVyMi1zZWNyZXQ="), "[secret]", "base64 too");
        known.learn(&json!({"object": {"token": make_secret(json!({"k": "tok-123456"}))}}));
        assert_eq!(known.redact("token tok-123456"), "token [secret]");
        assert_eq!(known.redact("nothing here"), "nothing here");
    }
}
