//! `Pulumi.yaml`: a project's name, runtime (with its options) and `main`.
//! Each consumer builds its own view on top; the file is read only here.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

/// The file names a project file may have, in the order they are looked for.
const FILE_NAMES: [&str; 2] = ["Pulumi.yaml", "Pulumi.yml"];

/// The parts of `Pulumi.yaml` that a run needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub name: String,
    pub runtime: String,
    /// `runtime: {name, options}`: the options; empty for `runtime: <name>`.
    pub runtime_options: Map<String, Value>,
    /// `main:`, if set.
    pub main: Option<String>,
}

/// A project file that is missing or says something a project cannot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ProjectFileError {
    pub path: PathBuf,
    pub message: String,
}

#[derive(Deserialize)]
struct RawProject {
    name: Option<String>,
    runtime: Option<RawRuntime>,
    main: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawRuntime {
    Name(String),
    Detailed { name: String, options: Option<Value> },
}

/// The project file in `root`, if there is one.
fn find(root: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|name| root.join(name)).find(|path| path.is_file())
}

/// Reads the project file (`Pulumi.yaml`, or `Pulumi.yml`) in `root`.
pub fn load(root: &Path) -> Result<Project, ProjectFileError> {
    let path = find(root).ok_or_else(|| ProjectFileError {
        path: root.join(FILE_NAMES[0]),
        message:
            "not found: a Pulumi project needs a Pulumi.yaml with at least `name` and `runtime`"
                .into(),
    })?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ProjectFileError { path: path.clone(), message: e.to_string() })?;
    parse(&text).map_err(|message| ProjectFileError { path, message })
}

/// Reads the text of a project file; the error says what is wrong, and where.
fn parse(text: &str) -> Result<Project, String> {
    let raw: RawProject = serde_yaml_ng::from_str(text).map_err(|e| describe_yaml_error(&e))?;
    let name = raw.name.ok_or("missing required key `name`")?;
    let (runtime, options) = match raw.runtime {
        Some(RawRuntime::Name(name)) => (name, None),
        Some(RawRuntime::Detailed { name, options }) => (name, options),
        None => return Err("missing required key `runtime` (set `runtime: unfold`)".into()),
    };
    let runtime_options = match options {
        Some(Value::Object(options)) => options,
        _ => Map::new(),
    };
    Ok(Project { name, runtime, runtime_options, main: raw.main })
}

fn describe_yaml_error(error: &serde_yaml_ng::Error) -> String {
    match error.location() {
        Some(at) => format!("line {} column {}: {error}", at.line(), at.column()),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_runtime_is_a_name_or_a_name_with_options() {
        let project = parse("name: app\nruntime: unfold\nmain: src/\n").unwrap();
        assert_eq!((project.name.as_str(), project.runtime.as_str()), ("app", "unfold"));
        assert_eq!((project.main.as_deref(), project.runtime_options.len()), (Some("src/"), 0));

        let project =
            parse("name: app\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n")
                .unwrap();
        assert_eq!(project.runtime, "nodejs");
        assert_eq!(Value::Object(project.runtime_options), json!({"typescript": false}));
    }

    #[test]
    fn errors_say_what_is_missing_and_where() {
        assert!(parse("runtime: unfold\n").unwrap_err().contains("`name`"));
        assert!(parse("name: app\n").unwrap_err().contains("`runtime`"));
        let error = parse("name: app\nruntime: [unfold\n").unwrap_err();
        assert!(error.starts_with("line ") && error.contains("column"), "{error}");

        let dir = tempfile::tempdir().unwrap();
        let error = load(dir.path()).unwrap_err();
        assert_eq!(error.path, dir.path().join("Pulumi.yaml"));
        std::fs::write(dir.path().join("Pulumi.yml"), "name: app\nruntime: unfold\n").unwrap();
        assert_eq!(load(dir.path()).unwrap().name, "app");
    }
}
