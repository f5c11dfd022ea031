//! docs/host-io.md's tables of crossings, written from the declarations, so
//! the documentation lists exactly the crossings that exist.

use std::collections::BTreeMap;

use super::{CrossingKind, CrossingSpec, HandlerSet, Undeclared};

/// What one handler set declares, as the documentation shows it.
pub struct Declared {
    pub set: &'static str,
    pub specs: Vec<&'static CrossingSpec>,
    pub families: Vec<(&'static str, Undeclared)>,
}

/// The declarations of `set`.
pub fn declared<S>(set: &'static HandlerSet<S>) -> Declared {
    Declared {
        set: set.name,
        specs: set.specs().collect(),
        families: set.families.iter().map(|f| (f.prefix, f.undeclared)).collect(),
    }
}

/// The Markdown between the doc's markers: a table of synchronous and one of
/// asynchronous crossings, each row naming the sets that answer it. Fails when
/// two sets declare one name differently.
pub fn tables(sets: &[Declared]) -> Result<String, String> {
    let mut crossings: BTreeMap<&str, (&CrossingSpec, Vec<&str>)> = BTreeMap::new();
    for declared in sets {
        for spec in &declared.specs {
            let (known, answered_by) = crossings.entry(spec.name).or_insert((spec, Vec::new()));
            if *known != *spec {
                return Err(format!("'{}' is declared differently by two sets", spec.name));
            }
            answered_by.push(declared.set);
        }
    }
    let mut out = String::new();
    for (kind, title) in [
        (CrossingKind::Sync, "## Sync crossings (`call`)"),
        (CrossingKind::Async, "## Async crossings (`request`)"),
    ] {
        out.push_str(title);
        out.push_str("\n\n| name | args | result | answered by |\n|---|---|---|---|\n");
        for (name, (spec, answered_by)) in &crossings {
            if spec.kind != kind {
                continue;
            }
            out.push_str(&format!(
                "| `{name}` | {} | {} | {} |\n",
                spec.args,
                spec.result,
                answered_by.join(", ")
            ));
        }
        out.push('\n');
    }
    out.push_str("Other members of a family of async crossings, not declared by name:\n\n");
    for declared in sets {
        for (prefix, undeclared) in &declared.families {
            let what = match undeclared {
                Undeclared::Unimplemented => "fail with code `\"Unimplemented\"`",
                Undeclared::Parked => "never complete",
            };
            out.push_str(&format!("- `{prefix}*` in `{}`: {what}\n", declared.set));
        }
    }
    Ok(out)
}
