//! A report as the CLI prints it: the steps, the outputs and the counts.

use std::fmt::Write;

use serde_json::Value;
use unfold_wire::signatures::{SECRET_SIG, SIG_KEY};
use unfold_wire::urn;

use crate::property;
use crate::report::{Operation, RunReport};
use crate::steps::StepOp;

pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    if let Some(preview) = &report.preview {
        out += &render(preview);
        out += "\n";
    }
    let preview = report.operation == Operation::Preview;
    for step in &report.steps {
        let name =
            urn::parse(&step.urn).map(|p| p.name.to_string()).unwrap_or_else(|_| step.urn.clone());
        let detail = if step.diffs.is_empty() {
            String::new()
        } else {
            format!(" [diff: {}]", step.diffs.join(", "))
        };
        let _ = writeln!(
            out,
            " {:<3}{:<40} {:<24} {}{detail}",
            step.op.symbol(),
            step.ty,
            name,
            step.op.verb()
        );
    }
    if !report.outputs.is_empty() {
        out += "\nOutputs:\n";
        for (key, value) in &report.outputs {
            let _ = writeln!(out, "    {key}: {}", elided(&display_value(value), key));
        }
    }
    if report.steps.is_empty() {
        return out;
    }
    out += "\nResources:\n";
    let tense = |op: StepOp| match (op, preview) {
        (StepOp::Create, true) => "to create",
        (StepOp::Create, false) => "created",
        (StepOp::Update, true) => "to update",
        (StepOp::Update, false) => "updated",
        (StepOp::Replace, true) => "to replace",
        (StepOp::Replace, false) => "replaced",
        (StepOp::Delete, true) => "to delete",
        (StepOp::Delete, false) => "deleted",
        (StepOp::Import, true) => "to import",
        (StepOp::Import, false) => "imported",
        (StepOp::Read, _) => "read",
        (StepOp::Same, _) => "unchanged",
    };
    for op in [
        StepOp::Create,
        StepOp::Update,
        StepOp::Replace,
        StepOp::Delete,
        StepOp::Import,
        StepOp::Read,
    ] {
        let n = report.count(op);
        if n > 0 {
            let _ = writeln!(out, "    {} {n} {}", op.symbol(), tense(op));
        }
    }
    let same = report.count(StepOp::Same);
    if same > 0 {
        let _ = writeln!(out, "    {same} unchanged");
    }
    out
}

/// Shows a value as JSON, with secrets masked and unknowns spelled out.
/// Longer than a screen (80 × 25): shown cut, with its size.
const SCREEN: usize = 2000;
/// How much of an elided value is shown.
const GLIMPSE: usize = 200;

/// `text`, or its start and its size when it would fill more than a screen.
fn elided(text: &str, key: &str) -> String {
    if text.len() <= SCREEN {
        return text.to_string();
    }
    let mut cut = GLIMPSE;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}… [{}, elided: `unfold stack output {key}` prints it whole]",
        &text[..cut],
        human_size(text.len())
    )
}

fn human_size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

pub fn display_value(value: &Value) -> String {
    fn mask(value: &Value) -> Value {
        match value {
            Value::Object(map) if map.get(SIG_KEY).and_then(Value::as_str) == Some(SECRET_SIG) => {
                "[secret]".into()
            }
            v if property::is_unknown(v) => "output<unknown>".into(),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), mask(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(mask).collect()),
            other => other.clone(),
        }
    }
    mask(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_longer_than_a_screen_is_cut_with_its_size() {
        assert_eq!(elided("short", "k"), "short");
        let long = "é".repeat(3 << 19);
        let shown = elided(&long, "big");
        assert!(shown.len() < 300, "{shown}");
        assert!(
            shown.ends_with("… [3.0 MB, elided: `unfold stack output big` prints it whole]"),
            "{shown}"
        );
    }
}
