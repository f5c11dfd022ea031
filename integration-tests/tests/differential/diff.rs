//! Field-level differences between two observed runs.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use super::observed::{RECORD_SECTIONS, SET_SECTIONS};

/// One field whose value differs; `None` means the field is absent on that side.
#[derive(Debug, Clone)]
pub struct Difference {
    /// `section`, then the record key (a URN, an invoke token) if any, then the field path.
    pub path: Vec<String>,
    pub node: Option<Value>,
    pub unfold: Option<Value>,
}

impl Difference {
    pub fn section(&self) -> &str {
        &self.path[0]
    }

    fn is_record(&self) -> bool {
        RECORD_SECTIONS.contains(&self.section())
    }

    /// The record key: a URN, an invoke token; empty outside records.
    pub fn key(&self) -> &str {
        if self.is_record() { self.path.get(1).map_or("", String::as_str) } else { "" }
    }

    /// The field path inside a record (`object.value`, `aliases[0].name`); empty
    /// when a whole record or set item differs.
    pub fn field(&self) -> String {
        let start = if self.is_record() { 2 } else { 1 };
        join(&self.path[start.min(self.path.len())..])
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<Value>| {
            v.as_ref().map_or("<absent>".to_string(), |v| abbreviate(&v.to_string()))
        };
        let location = match (self.is_record(), self.field().as_str()) {
            (true, "") => format!("{} {} <whole record>", self.section(), self.key()),
            (true, field) => format!("{} {} {field}", self.section(), self.key()),
            (false, field) => format!("{} {field}", self.section()),
        };
        write!(
            f,
            "{location}\n      node:   {}\n      unfold: {}",
            show(&self.node),
            show(&self.unfold)
        )
    }
}

fn abbreviate(text: &str) -> String {
    const LIMIT: usize = 400;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}… ({} chars)", &text[..cut], text.chars().count()),
        None => text.to_string(),
    }
}

fn join(path: &[String]) -> String {
    let mut out = String::new();
    for part in path {
        if part.starts_with('[') || out.is_empty() {
            out.push_str(part);
        } else {
            out.push('.');
            out.push_str(part);
        }
    }
    out
}

/// Every difference between two observed runs.
pub fn differences(node: &Value, unfold: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    let sections: BTreeSet<&String> =
        node.as_object().into_iter().chain(unfold.as_object()).flat_map(|o| o.keys()).collect();
    for section in sections {
        let (a, b) = (node.get(section), unfold.get(section));
        if SET_SECTIONS.contains(&section.as_str()) {
            set_differences(section, a, b, &mut out);
        } else {
            walk(&mut vec![section.clone()], a, b, &mut out);
        }
    }
    out
}

/// Items present on one side only; each is its own difference.
fn set_differences(
    section: &str,
    node: Option<&Value>,
    unfold: Option<&Value>,
    out: &mut Vec<Difference>,
) {
    let items = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
    let (node, unfold) = (items(node), items(unfold));
    let mut remaining = unfold.clone();
    for item in node {
        match remaining.iter().position(|u| *u == item) {
            Some(i) => {
                remaining.remove(i);
            }
            None => out.push(Difference {
                path: vec![section.to_string()],
                node: Some(item),
                unfold: None,
            }),
        }
    }
    for item in remaining {
        out.push(Difference { path: vec![section.to_string()], node: None, unfold: Some(item) });
    }
}

fn walk(
    path: &mut Vec<String>,
    node: Option<&Value>,
    unfold: Option<&Value>,
    out: &mut Vec<Difference>,
) {
    match (node, unfold) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                path.push(key.clone());
                walk(path, a.get(key), b.get(key), out);
                path.pop();
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                path.push(format!("[{i}]"));
                walk(path, a.get(i), b.get(i), out);
                path.pop();
            }
        }
        (a, b) if a != b => {
            out.push(Difference { path: path.clone(), node: a.cloned(), unfold: b.cloned() })
        }
        _ => {}
    }
}
