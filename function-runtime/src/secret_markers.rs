//! Secret values kept out of stored invocation records, reversibly: each
//! occurrence of a Function's secret string — whole, or inside a longer text —
//! becomes a marker naming which secret it was, `⟦secret N⟧`. A replay puts
//! the values back from the Function's own secrets, so a record on disk holds
//! none, yet the replayed handler sees exactly what it saw live.
//!
//! Their base64 forms are recognized too. Limits, as for log redaction: secrets shorter than [`MIN_SECRET_LEN`], and
//! secrets the handler transformed (hashed, split, re-encoded), are not
//! recognized.

use serde_json::Value;
use unfold_runtime::membrane::Entry;

use crate::bundle::for_each_value;
pub use crate::redaction::MIN_SECRET_LEN;
use crate::redaction::secret_strings;

/// The Function's secret strings, in a stable order the markers index.
#[derive(Debug, Clone, Default)]
pub struct SecretMarkers {
    /// Sorted longest first (then by text), so a secret inside another is not
    /// matched before it.
    needles: Vec<String>,
}

impl SecretMarkers {
    /// Markers for the strings among `secrets` (see `redaction::secret_strings`).
    pub fn new(secrets: &[Value]) -> Self {
        let mut needles = secret_strings(secrets);
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        Self { needles }
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Replaces every secret in `entries` by its marker; whether any was found.
    pub fn hide(&self, entries: &mut [Entry]) -> bool {
        if self.needles.is_empty() {
            return false;
        }
        let mut found = false;
        for entry in entries {
            for_each_value(entry, &mut |value| {
                map_strings(value, &mut |text| {
                    let hidden = self.hide_text(text);
                    found |= hidden.is_some();
                    hidden
                })
            });
        }
        found
    }

    /// `text` with its secrets replaced by markers, if it holds any.
    pub fn hide_text(&self, text: &str) -> Option<String> {
        let mut out: Option<String> = None;
        for (index, needle) in self.needles.iter().enumerate() {
            let current = out.as_deref().unwrap_or(text);
            if current.contains(needle.as_str()) {
                out = Some(current.replace(needle.as_str(), &marker(index)));
            }
        }
        out
    }

    /// Puts the secret values back where `hide` left markers.
    pub fn reveal(&self, entries: &mut [Entry]) -> Result<(), String> {
        let mut missing = None;
        for entry in entries {
            for_each_value(entry, &mut |value| {
                map_strings(value, &mut |text| {
                    if !text.contains(MARKER_OPEN) {
                        return None;
                    }
                    let mut out = text.to_string();
                    for (index, needle) in self.needles.iter().enumerate() {
                        out = out.replace(&marker(index), needle);
                    }
                    if out.contains(MARKER_OPEN) && missing.is_none() {
                        missing = Some(out.clone());
                    }
                    Some(out)
                })
            });
        }
        match missing {
            None => Ok(()),
            Some(text) => Err(format!(
                "the record hides a secret the Function no longer has (in {text:?}): it was recorded before the Function's secrets changed"
            )),
        }
    }
}

const MARKER_OPEN: &str = "⟦secret ";

fn marker(index: usize) -> String {
    format!("{MARKER_OPEN}{index}⟧")
}

/// Replaces each string in `value` for which `f` answers a new text.
fn map_strings(value: &mut Value, f: &mut impl FnMut(&str) -> Option<String>) {
    match value {
        Value::String(text) => {
            if let Some(new) = f(text) {
                *text = new;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| map_strings(item, f)),
        Value::Object(map) => map.values_mut().for_each(|item| map_strings(item, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use unfold_runtime::membrane::CallResult;

    use super::*;

    fn put(value: Value) -> Entry {
        Entry::Call {
            name: "table.put".into(),
            args: json!({"table": "t", "key": "k", "value": value}),
            result: CallResult::Ok(Value::Null),
        }
    }

    #[test]
    fn secrets_hide_whole_and_embedded_and_come_back() {
        let markers = SecretMarkers::new(&[json!("hunter22"), json!("{\"token\":\"tok-123\"}")]);
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode("hunter22");
        let original = vec![put(
            json!({"password": "hunter22", "log": "used tok-123 twice: tok-123", "basic": encoded}),
        )];
        let mut entries = original.clone();
        assert!(markers.hide(&mut entries));
        let text = serde_json::to_string(&entries).unwrap();
        assert!(!text.contains("hunter22") && !text.contains("tok-123"), "{text}");
        assert!(!text.contains(&encoded), "{text}");
        assert!(text.contains("⟦secret"), "{text}");
        markers.reveal(&mut entries).unwrap();
        assert_eq!(entries, original);
    }

    #[test]
    fn nothing_to_hide_changes_nothing_and_unknown_markers_are_reported() {
        let markers = SecretMarkers::new(&[json!("abc"), json!(12345)]);
        assert!(markers.is_empty(), "short and non-string values are not recognized");
        let mut entries = vec![put(json!("plain"))];
        assert!(!markers.hide(&mut entries));
        let mut stale = vec![put(json!("⟦secret 3⟧"))];
        let error = markers.reveal(&mut stale).unwrap_err();
        assert!(error.contains("no longer has"), "{error}");
    }
}
