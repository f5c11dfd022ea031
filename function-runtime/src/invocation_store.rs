//! Where a Function's invocation records are kept: `invocations/` in its
//! directory, one file per invocation. Bounded: the last `keep` invocations,
//! and apart from them the last `keepFailed` failed ones (500, 504), so a
//! failure stays to be replayed long after the traffic that followed it.
//! Records are written without waiting for the disk: they are for diagnosis,
//! and an invocation's answer never waits on them.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::invocation_record::{InvocationRecord, InvocationSummary, read_summary};
use crate::secret_markers::SecretMarkers;

/// How a Function keeps its invocations (the `invocations` option of `Function`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RecordingSettings {
    /// Whether invocations are recorded at all.
    pub enabled: bool,
    /// The most recent invocations kept.
    pub keep: usize,
    /// Failed invocations kept besides them.
    pub keep_failed: usize,
    /// A larger record keeps only its summary.
    pub max_bytes: usize,
    /// Keep the Function's secret values in records instead of markers.
    pub secrets: bool,
}

impl Default for RecordingSettings {
    fn default() -> Self {
        Self { enabled: true, keep: 100, keep_failed: 100, max_bytes: 1 << 20, secrets: false }
    }
}

/// The records of one Function, shared by its instances.
pub struct InvocationStore {
    dir: PathBuf,
    settings: RecordingSettings,
    markers: SecretMarkers,
    /// Ids of the records on disk, oldest first.
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    recent: VecDeque<String>,
    failed: VecDeque<String>,
}

/// `<function dir>/invocations`.
pub fn invocations_dir(function_dir: &Path) -> PathBuf {
    function_dir.join("invocations")
}

fn record_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.invocation"))
}

impl InvocationStore {
    /// The store in `dir`, taking over the records already there.
    pub fn open(dir: PathBuf, settings: RecordingSettings, secrets: &[Value]) -> Self {
        let mut kept = Kept::default();
        for summary in list(&dir) {
            match summary.failed() {
                true => kept.failed.push_back(summary.id),
                false => kept.recent.push_back(summary.id),
            }
        }
        let store = Self {
            dir,
            markers: if settings.secrets {
                SecretMarkers::default()
            } else {
                SecretMarkers::new(secrets)
            },
            settings,
            kept: Mutex::new(kept),
        };
        store.prune(&mut store.kept.lock().unwrap_or_else(|p| p.into_inner()));
        store
    }

    pub fn settings(&self) -> &RecordingSettings {
        &self.settings
    }

    /// Writes `record` (its secrets hidden), then drops what is past the limits.
    pub fn save(&self, mut record: InvocationRecord) -> Result<(), String> {
        let error = record.summary.error.as_deref().and_then(|text| self.markers.hide_text(text));
        record.summary.redacted = self.markers.hide(&mut record.prologue)
            | self.markers.hide(&mut record.entries)
            | error.is_some();
        if error.is_some() {
            record.summary.error = error;
        }
        let mut bytes = record.encode();
        if bytes.len() > self.settings.max_bytes {
            record.summary.truncated = true;
            record.prologue.clear();
            record.entries.clear();
            bytes = record.encode();
        }
        let id = record.summary.id.clone();
        let failed = record.summary.failed();
        crate::private_files::create_dir_all(&self.dir)
            .map_err(|error| format!("cannot create {}: {error}", self.dir.display()))?;
        let path = record_path(&self.dir, &id);
        crate::private_files::write(&path, &bytes)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        match failed {
            true => kept.failed.push_back(id),
            false => kept.recent.push_back(id),
        }
        self.prune(&mut kept);
        Ok(())
    }

    fn prune(&self, kept: &mut Kept) {
        let limits =
            [(&mut kept.recent, self.settings.keep), (&mut kept.failed, self.settings.keep_failed)];
        for (ids, limit) in limits {
            while ids.len() > limit {
                if let Some(id) = ids.pop_front() {
                    let _ = std::fs::remove_file(record_path(&self.dir, &id));
                }
            }
        }
    }

    /// The markers secrets are hidden behind in this store's records.
    pub fn markers(&self) -> &SecretMarkers {
        &self.markers
    }
}

/// The summaries of the records in `dir`, oldest first; unreadable files are skipped.
pub fn list(dir: &Path) -> Vec<InvocationSummary> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "invocation"))
        .collect();
    paths.sort();
    paths.iter().filter_map(|path| read_summary(path).ok()).collect()
}

/// The record `id` in `dir`.
pub fn read(dir: &Path, id: &str) -> Result<InvocationRecord, String> {
    InvocationRecord::read(&record_path(dir, id))
}

/// A new invocation id: the time it arrived (so ids sort in arrival order) and
/// random digits that keep it unique.
pub fn new_id(time_ms: u64) -> String {
    let mut bytes = [0u8; 3];
    let _ = getrandom::fill(&mut bytes);
    format!("{time_ms:013}-{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use unfold_runtime::membrane::{CallResult, Entry};

    use super::*;

    fn record(id: &str, status: u16, text: &str) -> InvocationRecord {
        InvocationRecord {
            summary: InvocationSummary {
                id: id.into(),
                function: "f".into(),
                bundle: "b".into(),
                time_ms: 1,
                method: "GET".into(),
                path: "/".into(),
                status,
                duration_ms: 0.5,
                error: None,
                redacted: false,
                truncated: false,
            },
            prologue: vec![],
            entries: vec![Entry::Call {
                name: "console.write".into(),
                args: json!({"stream": "stdout", "text": text}),
                result: CallResult::Ok(Value::Null),
            }],
        }
    }

    fn ids(dir: &Path) -> Vec<String> {
        list(dir).into_iter().map(|s| s.id).collect()
    }

    #[test]
    fn the_ring_keeps_recent_and_failed_apart_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let settings = RecordingSettings { keep: 2, keep_failed: 1, ..Default::default() };
        let store = InvocationStore::open(dir.path().into(), settings.clone(), &[]);
        store.save(record("01", 500, "a")).unwrap();
        for id in ["02", "03", "04"] {
            store.save(record(id, 200, "b")).unwrap();
        }
        assert_eq!(ids(dir.path()), ["01", "03", "04"], "the failure outlives newer successes");
        store.save(record("05", 504, "c")).unwrap();
        assert_eq!(ids(dir.path()), ["03", "04", "05"]);
        drop(store);
        let store = InvocationStore::open(dir.path().into(), settings, &[]);
        store.save(record("06", 200, "d")).unwrap();
        assert_eq!(ids(dir.path()), ["04", "05", "06"], "a new store counts what is on disk");
    }

    #[test]
    fn secrets_are_stored_as_markers_unless_kept_and_big_records_keep_their_summary() {
        let dir = tempfile::tempdir().unwrap();
        let store = InvocationStore::open(
            dir.path().into(),
            RecordingSettings::default(),
            &[json!("s3cr3t!")],
        );
        store.save(record("01", 200, "the key is s3cr3t!")).unwrap();
        let stored = read(dir.path(), "01").unwrap();
        assert!(stored.summary.redacted);
        assert!(!String::from_utf8_lossy(&stored.encode()).contains("s3cr3t!"));
        let mut entries = stored.entries;
        store.markers().reveal(&mut entries).unwrap();
        assert_eq!(entries, record("01", 200, "the key is s3cr3t!").entries);

        let settings = RecordingSettings { secrets: true, max_bytes: 600, ..Default::default() };
        let store = InvocationStore::open(dir.path().join("kept"), settings, &[json!("s3cr3t!")]);
        store.save(record("02", 200, "s3cr3t!")).unwrap();
        store.save(record("03", 200, &"x".repeat(700))).unwrap();
        let kept = read(&dir.path().join("kept"), "02").unwrap();
        assert!(
            !kept.summary.redacted && String::from_utf8_lossy(&kept.encode()).contains("s3cr3t!")
        );
        let big = read(&dir.path().join("kept"), "03").unwrap();
        assert!(big.summary.truncated && big.entries.is_empty());
    }
}
