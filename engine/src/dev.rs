//! `dev`: deploy a program to the local target, then watch its files and
//! deploy again on every change — the functions swap to the new code while
//! tables and the server's URL stay.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use crate::{Engine, HostSpec, ProjectSpec, RunReport};

/// How long the files must be quiet before a change is acted on: an editor's
/// save is several events, and one save is one redeploy.
const SETTLE: Duration = Duration::from_millis(200);
/// Folders that are state or dependencies, not the program's source.
const IGNORED: &[&str] = &["node_modules", ".unfold", ".git", "target"];

/// Deploys `project`, hands each report to `on_report`, and redeploys whenever
/// a file of the program changes, until `stop` completes. Fails only if the
/// program's files cannot be watched.
pub async fn watch(
    engine: &Engine,
    project: &ProjectSpec,
    host: &HostSpec,
    mut on_report: impl FnMut(&RunReport),
    stop: impl Future<Output = ()>,
) -> Result<()> {
    let mut stop = std::pin::pin!(stop);
    // Watching starts before the first deployment, so an edit made while it
    // runs is not lost: it causes the next one.
    let mut sources = Sources::watch(&project.root_directory)?;
    loop {
        on_report(&engine.up(project, host).await);
        tokio::select! {
            () = &mut stop => return Ok(()),
            () = sources.changed() => {}
        }
    }
}

/// The program's source files under a root, watched: the root itself, and
/// every folder below it except the ignored ones.
struct Sources {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: UnboundedReceiver<Event>,
}

impl Sources {
    fn watch(root: &Path) -> Result<Self> {
        let (sender, events) = unbounded_channel();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
            if let Ok(event) = event {
                let _ = sender.send(event);
            }
        })
        .context("starting to watch the program's files")?;
        let root = root.to_path_buf();
        // Not the whole tree at once: node_modules alone can hold more folders
        // than the system lets one process watch.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", root.display()))?;
        let mut sources = Self { root, watcher, events };
        let folders = std::fs::read_dir(&sources.root)
            .with_context(|| format!("reading {}", sources.root.display()))?;
        for entry in folders.flatten() {
            sources.watch_folder(&entry.path());
        }
        Ok(sources)
    }

    /// Watches a new folder directly below the root, unless it is ignored.
    fn watch_folder(&mut self, path: &Path) {
        if path.parent() == Some(self.root.as_path()) && path.is_dir() && !self.is_ignored(path) {
            // A folder that is gone again by now needs no watching.
            let _ = self.watcher.watch(path, RecursiveMode::Recursive);
        }
    }

    fn is_ignored(&self, path: &Path) -> bool {
        path.strip_prefix(&self.root).is_ok_and(|relative| {
            relative
                .components()
                .any(|part| IGNORED.iter().any(|ignored| part.as_os_str() == *ignored))
        })
    }

    /// Whether an event changes a source file (reading one does not).
    fn is_source_change(&self, event: &Event) -> bool {
        matches!(
            event.kind,
            EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        ) && event.paths.iter().any(|path| !self.is_ignored(path))
    }

    /// Returns once a source file has changed and the files have been quiet for [`SETTLE`].
    async fn changed(&mut self) {
        loop {
            let Some(event) = self.events.recv().await else {
                return std::future::pending().await;
            };
            if self.note(&event) {
                break;
            }
        }
        loop {
            match tokio::time::timeout(SETTLE, self.events.recv()).await {
                Ok(Some(event)) => {
                    self.note(&event);
                }
                Ok(None) | Err(_) => return,
            }
        }
    }

    /// Takes in an event: starts watching folders it creates; true if it changes a source file.
    fn note(&mut self, event: &Event) -> bool {
        if matches!(event.kind, EventKind::Create(_)) {
            for path in &event.paths {
                self.watch_folder(path);
            }
        }
        self.is_source_change(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the watched files change within a while.
    async fn changes(sources: &mut Sources) -> bool {
        tokio::time::timeout(Duration::from_secs(2), sources.changed()).await.is_ok()
    }

    #[tokio::test]
    async fn a_changed_source_file_is_a_change_but_state_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("index.ts"), "export const a = 1;").unwrap();
        std::fs::create_dir_all(root.join(".unfold/dev")).unwrap();
        std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
        let mut sources = Sources::watch(&root).unwrap();

        std::fs::write(root.join(".unfold/dev/update.snapshot"), "x").unwrap();
        std::fs::write(root.join("node_modules/x/index.js"), "x").unwrap();
        assert!(!changes(&mut sources).await, "state files are not the program");

        std::fs::write(root.join("index.ts"), "export const a = 22;").unwrap();
        assert!(changes(&mut sources).await);
        assert!(!changes(&mut sources).await, "one save is one change");

        std::fs::create_dir_all(root.join("lib")).unwrap();
        assert!(changes(&mut sources).await, "a new folder is a change");
        std::fs::write(root.join("lib/util.ts"), "export {};").unwrap();
        assert!(changes(&mut sources).await, "and what is in it is watched");
    }
}
