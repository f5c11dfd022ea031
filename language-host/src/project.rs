//! The project on disk: Pulumi.yaml and the program's entry module.

use std::path::{Path, PathBuf};

use unfold_wire::project::Project;

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(
        "no program entry in {dir}: expected {tried}; create one, or point `main` in Pulumi.yaml at the program's file or folder"
    )]
    NoEntry { dir: PathBuf, tried: String },
}

/// Reads `Pulumi.yaml` (or `Pulumi.yml`) in `root`.
pub fn load(root: &Path) -> Result<Project, ProjectError> {
    unfold_wire::project::load(root)
        .map_err(|error| ProjectError::Invalid { path: error.path, message: error.message })
}

/// The file to run: `entry_point` inside `program_dir`, where a folder means
/// its package.json `main`, else its `index.ts` / `index.js`.
pub fn entry_module(program_dir: &Path, entry_point: &str) -> Result<PathBuf, ProjectError> {
    let target = program_dir.join(entry_point);
    if target.is_file() {
        return Ok(target);
    }
    if !target.is_dir() {
        return Err(ProjectError::NoEntry {
            dir: program_dir.to_path_buf(),
            tried: target.display().to_string(),
        });
    }
    if let Some(main) = package_main(&target)? {
        let candidate = target.join(&main);
        let stem = candidate.with_extension("");
        let candidates = [
            candidate.clone(),
            stem.with_extension("ts"),
            stem.with_extension("js"),
            candidate.join("index.ts"),
        ];
        if let Some(found) = candidates.into_iter().find(|path| path.is_file()) {
            return Ok(found);
        }
    }
    const INDEXES: &[&str] = &["index.ts", "index.mts", "index.js", "index.mjs"];
    INDEXES
        .iter()
        .map(|name| target.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| ProjectError::NoEntry { dir: target.clone(), tried: INDEXES.join(" or ") })
}

fn package_main(dir: &Path) -> Result<Option<String>, ProjectError> {
    let path = dir.join("package.json");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
    let package: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        ProjectError::Invalid { path: path.clone(), message: format!("invalid JSON: {e}") }
    })?;
    Ok(package.get("main").and_then(|main| main.as_str()).map(str::to_string))
}

/// `<project>/.unfold/<stack>/`: Unfold's local state for a stack — run
/// records, Function bundles and the local target.
pub fn stack_dir(root: &Path, stack: &str) -> PathBuf {
    root.join(".unfold").join(stack.replace(['/', '\\'], "_"))
}
