//! `dev`: deploy a program to the local target, then watch its files and
//! deploy again on every change — the functions swap to the new code while
//! tables and the server's URL stay.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::{Engine, HostSpec, ProjectSpec, RunReport};

/// How often the program's files are checked for changes.
const POLL: Duration = Duration::from_millis(300);
/// Folders that are state or dependencies, not the program's source.
const IGNORED: &[&str] = &["node_modules", ".unfold", ".git", "target"];

/// Deploys `project`, hands each report to `on_report`, and redeploys whenever
/// a file of the program changes, until `stop` completes.
pub async fn watch(
    engine: &Engine,
    project: &ProjectSpec,
    host: &HostSpec,
    mut on_report: impl FnMut(&RunReport),
    stop: impl Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    loop {
        let seen = fingerprint(&project.root_directory);
        on_report(&engine.up(project, host).await);
        loop {
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(POLL) => {}
            }
            if fingerprint(&project.root_directory) != seen {
                break;
            }
        }
    }
}

/// Modification time and size of every source file under `root`.
fn fingerprint(root: &Path) -> BTreeMap<PathBuf, (SystemTime, u64)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(metadata) = entry.metadata() else { continue };
            if metadata.is_dir() {
                if !IGNORED.iter().any(|ignored| entry.file_name() == *ignored) {
                    pending.push(path);
                }
            } else if let Ok(modified) = metadata.modified() {
                files.insert(path, (modified, metadata.len()));
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_source_file_changes_the_fingerprint_but_state_does_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.ts"), "export const a = 1;").unwrap();
        std::fs::create_dir_all(dir.path().join(".unfold/dev")).unwrap();
        let before = fingerprint(dir.path());
        std::fs::write(dir.path().join(".unfold/dev/update.snapshot"), "x").unwrap();
        assert_eq!(fingerprint(dir.path()), before, "state files are not the program");
        std::fs::write(dir.path().join("index.ts"), "export const a = 22;").unwrap();
        assert_ne!(fingerprint(dir.path()), before);
    }
}
