//! Secret values at rest. In memory a secret is `{sig: SECRET, value}`; in a
//! state file, as in Pulumi's deployments, it is `{sig: SECRET, ciphertext}`
//! where the ciphertext seals the value's JSON text.

use std::collections::HashMap;
use std::sync::Mutex;

use anyhow::{Context, Result};
use serde_json::{Map, Value};
use unfold_wire::signatures::{SECRET_SIG, SIG_KEY, is_secret};

use super::passphrase::StackSecrets;

/// Seals and opens values with one stack's key, remembering each pairing so
/// an unchanged secret keeps its ciphertext: saving the same state twice
/// writes the same bytes.
#[derive(Debug)]
pub struct SecretCodec {
    secrets: StackSecrets,
    sealed: Mutex<HashMap<String, String>>,
}

impl SecretCodec {
    pub fn new(secrets: StackSecrets) -> Self {
        Self { secrets, sealed: Mutex::default() }
    }

    pub fn secrets(&self) -> &StackSecrets {
        &self.secrets
    }

    /// `value` with every secret inside it sealed.
    pub fn seal(&self, value: &Value) -> Value {
        match value {
            Value::Object(map) if is_sealed(map) => value.clone(),
            Value::Object(map) if is_secret(value) => {
                let plain = map.get("value").cloned().unwrap_or(Value::Null);
                let text = plain.to_string();
                let mut sealed = self.sealed.lock().expect("codec cache");
                let ciphertext = sealed
                    .entry(text.clone())
                    .or_insert_with(|| self.secrets.encrypt(&text))
                    .clone();
                sealed_secret(ciphertext)
            }
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), self.seal(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.seal(v)).collect()),
            other => other.clone(),
        }
    }

    /// `value` with every sealed secret inside it opened.
    pub fn open(&self, value: Value) -> Result<Value> {
        Ok(match value {
            Value::Object(mut map) if is_sealed(&map) => {
                let Some(Value::String(ciphertext)) = map.remove("ciphertext") else {
                    unreachable!("is_sealed checked the ciphertext");
                };
                let text = self.secrets.decrypt(&ciphertext)?;
                let plain: Value =
                    serde_json::from_str(&text).context("a secret that is not JSON")?;
                self.sealed.lock().expect("codec cache").insert(text, ciphertext);
                let mut secret = Map::new();
                secret.insert(SIG_KEY.into(), SECRET_SIG.into());
                secret.insert("value".into(), plain);
                Value::Object(secret)
            }
            Value::Object(map) => Value::Object(
                map.into_iter().map(|(k, v)| Ok((k, self.open(v)?))).collect::<Result<_>>()?,
            ),
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.open(v)).collect::<Result<_>>()?)
            }
            other => other,
        })
    }
}

fn sealed_secret(ciphertext: String) -> Value {
    let mut map = Map::new();
    map.insert(SIG_KEY.into(), SECRET_SIG.into());
    map.insert("ciphertext".into(), Value::String(ciphertext));
    Value::Object(map)
}

fn is_sealed(map: &Map<String, Value>) -> bool {
    map.get(SIG_KEY).and_then(Value::as_str) == Some(SECRET_SIG)
        && map.get("ciphertext").is_some_and(Value::is_string)
}

/// True if a sealed secret is anywhere inside `value`.
pub fn holds_sealed(value: &Value) -> bool {
    match value {
        Value::Object(map) => is_sealed(map) || map.values().any(holds_sealed),
        Value::Array(items) => items.iter().any(holds_sealed),
        _ => false,
    }
}
