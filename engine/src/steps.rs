//! Steps: what a deployment does to each resource, decided by comparing the
//! program's registration with the stored state.

use serde::Serialize;

use crate::property_path::PropertyPath;
use crate::provider::DiffResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepOp {
    Same,
    Create,
    Update,
    /// Create the replacement, then delete the old resource (or the reverse
    /// with `deleteBeforeReplace`).
    Replace,
    Delete,
    /// A resource the program reads but does not manage.
    Read,
    Import,
}

impl StepOp {
    /// The marker the CLI prints before the resource.
    pub fn symbol(self) -> &'static str {
        match self {
            StepOp::Same => " ",
            StepOp::Create => "+",
            StepOp::Update => "~",
            StepOp::Replace => "+-",
            StepOp::Delete => "-",
            StepOp::Read => ">",
            StepOp::Import => "=",
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            StepOp::Same => "same",
            StepOp::Create => "create",
            StepOp::Update => "update",
            StepOp::Replace => "replace",
            StepOp::Delete => "delete",
            StepOp::Read => "read",
            StepOp::Import => "import",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub op: StepOp,
    pub urn: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// The input keys that changed (updates and replacements).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diffs: Vec<String>,
    /// The keys that forced a replacement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replace_keys: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub delete_before_replace: bool,
}

/// The decision for a resource that exists in the stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub op: StepOp,
    pub diff: DiffResult,
}

/// Classifies a registration of a resource that already exists, given the
/// provider's diff and the resource's `replaceOnChanges` paths: no change is
/// `same`; a change to a key the provider or `replaceOnChanges` names is a
/// `replace`; any other change is an `update`.
pub fn classify(
    mut diff: DiffResult,
    replace_on_changes: &[PropertyPath],
    delete_before_replace: bool,
) -> Classification {
    for key in &diff.changed_keys {
        if !diff.replace_keys.contains(key) && replace_on_changes.iter().any(|p| p.covers_key(key))
        {
            diff.replace_keys.push(key.clone());
        }
    }
    let op = if !diff.has_changes() {
        StepOp::Same
    } else if diff.replace_keys.is_empty() {
        StepOp::Update
    } else {
        diff.delete_before_replace |= delete_before_replace;
        StepOp::Replace
    };
    Classification { op, diff }
}
