//! The reviewed list of differences that are legitimate, each with its reason,
//! and of corpus cases that cannot run under Node at all.

use std::cell::Cell;
use std::path::Path;

use serde::Deserialize;

use super::diff::Difference;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    pub exclude: Vec<Exclusion>,
    pub allow: Vec<Allowance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub case: String,
    pub reason: String,
}

/// A difference that may occur. Unset filters match everything.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    /// `registrations`, `logs`, … or `*` for every section.
    pub section: String,
    /// The field, or a prefix of it (`sourcePosition` covers `sourcePosition.line`);
    /// `[*]` stands for any array index.
    #[serde(default)]
    pub field: Option<String>,
    /// Text that either side's value contains (for set items such as log lines).
    #[serde(default)]
    pub contains: Option<String>,
    #[serde(default)]
    pub case: Option<String>,
    /// `preview` or `update`.
    #[serde(default)]
    pub phase: Option<String>,
    pub reason: String,
    /// The difference depends on timing on one side, so a run may not show it:
    /// such an entry is not stale when it allows nothing.
    #[serde(default)]
    pub intermittent: bool,
    #[serde(skip)]
    pub used: Cell<bool>,
}

impl AllowList {
    pub fn load(path: &Path) -> Self {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let list: Self = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
        for entry in &list.allow {
            assert!(
                !entry.reason.trim().is_empty(),
                "allow-list entry without a reason: {entry:?}"
            );
        }
        list
    }

    pub fn excluded(&self, case: &str) -> Option<&str> {
        self.exclude.iter().find(|e| e.case == case).map(|e| e.reason.as_str())
    }

    /// Whether the difference is allowed; marks the entry that allowed it as used.
    pub fn allows(&self, case: &str, phase: &str, difference: &Difference) -> bool {
        let field = difference.field();
        let any_index = any_index(&field);
        let texts = [&difference.node, &difference.unfold]
            .map(|v| v.as_ref().map(|v| v.to_string()).unwrap_or_default());
        let entry = self.allow.iter().find(|a| {
            (a.section == "*" || a.section == difference.section())
                && a.case.as_ref().is_none_or(|c| c == case)
                && a.phase.as_ref().is_none_or(|p| p == phase)
                && a.field.as_ref().is_none_or(|f| covers(f, &field) || covers(f, &any_index))
                && a.contains.as_ref().is_none_or(|c| texts.iter().any(|t| t.contains(c.as_str())))
        });
        entry.inspect(|e| e.used.set(true)).is_some()
    }

    /// Entries that allowed nothing in a complete run: stale, to be removed.
    pub fn unused(&self) -> Vec<&Allowance> {
        self.allow.iter().filter(|a| !a.used.get() && !a.intermittent).collect()
    }
}

/// Whether `field` is `prefix` or lies inside it.
fn covers(prefix: &str, field: &str) -> bool {
    field
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// The field with every array index written `[*]`.
fn any_index(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        match rest[open..].find(']') {
            Some(close) if rest[open + 1..open + close].bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str("[*]");
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push('[');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}
