//! The corpus cases and what each needs to run: config, a second step, or
//! another stack deployed first.

use std::path::{Path, PathBuf};

/// One corpus program and how to drive it.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub dir: PathBuf,
    /// `(key, value, secret)` set for every step.
    pub config: Vec<(&'static str, &'static str, bool)>,
    /// 2 when the program reads `step` and behaves differently in step 2.
    pub steps: u32,
    /// A corpus case deployed into the same backend first (as stack `dev` of its project).
    pub before: Option<&'static str>,
}

/// Config the cases require (keys without a namespace belong to the project).
fn config_for(name: &str) -> Vec<(&'static str, &'static str, bool)> {
    match name {
        "fail-bad-json-config" => vec![("settings", "{not json", false)],
        "l1-config-secret" => vec![("password", "hunter2", true)],
        "l1-config-types-object" => {
            vec![
                ("anObject", r#"{"name":"widget","sizes":[1,2,3]}"#, false),
                ("aList", r#"["x","y"]"#, false),
            ]
        }
        "l1-config-types-optional" => vec![("other:key", "from another namespace", false)],
        "l1-config-types-primitive" => {
            vec![("aString", "text", false), ("aNumber", "42.5", false), ("aBool", "true", false)]
        }
        "l1-stack-reference" => vec![("other", "organization/stack-reference-source/dev", false)],
        _ => Vec::new(),
    }
}

/// Every folder of the corpus with a Pulumi.yaml, in name order.
pub fn discover(corpus: &Path) -> Vec<Case> {
    let mut cases: Vec<Case> = std::fs::read_dir(corpus)
        .expect("reading the corpus")
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|dir| dir.join("Pulumi.yaml").is_file())
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let program = std::fs::read_to_string(dir.join("index.ts")).unwrap_or_default();
            Case {
                config: config_for(&name),
                steps: if program.contains(r#"getNumber("step")"#) { 2 } else { 1 },
                before: (name == "l1-stack-reference").then_some("stack-reference-source"),
                name,
                dir,
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}
