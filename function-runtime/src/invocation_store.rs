//! Where a Function's invocation records are kept: `invocations/` in its
//! directory. Bounded: the last `keep` invocations, and apart from them the
//! last `keepFailed` failed ones (500, 504), so a failure stays to be replayed
//! long after the traffic that followed it.
//!
//! A thread of the store's own writes what instances hand over, without
//! waiting for the disk (records are for diagnosis: no invocation waits on
//! them). What arrives within 20 ms of a record goes with it into one
//! *segment* file, `<first id>.segment`, so under load a write covers many
//! invocations;
//! a failed invocation gets a file of its own, `<id>.invocation`. Segments go
//! once the newer ones hold `keep` invocations.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::invocation_record::{InvocationRecord, InvocationSummary, summaries};
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

/// The records of one Function, shared by its instances. Records are handed
/// to a writer thread of the store's own, so an invocation's thread only
/// gives its record away.
pub struct InvocationStore {
    settings: RecordingSettings,
    /// Where the next id's digits come from (see `new_id`).
    next_serial: AtomicU32,
    shelf: Arc<Shelf>,
    writer: Mutex<mpsc::Sender<Message>>,
}

enum Message {
    Save(Box<InvocationRecord>),
    /// Answered once every record sent before it is written.
    Flush(mpsc::Sender<()>),
}

/// How long the writer waits after a record arrives for others to write with
/// it: a busy Function's records then cost one file write per interval.
const COALESCE: Duration = Duration::from_millis(20);

/// What writes reports that fail (the Function's log).
pub type ErrorSink = Arc<dyn Fn(&str) + Send + Sync>;

/// The records on disk, and which to keep.
struct Shelf {
    dir: PathBuf,
    settings: RecordingSettings,
    markers: SecretMarkers,
    kept: Mutex<Kept>,
}

/// The files on disk, oldest first.
#[derive(Default)]
struct Kept {
    /// Segments, with how many invocations each holds.
    segments: VecDeque<(PathBuf, usize)>,
    /// Failed invocations' files.
    failed: VecDeque<PathBuf>,
}

impl Kept {
    fn recent(&self) -> usize {
        self.segments.iter().map(|(_, count)| count).sum()
    }
}

/// `<function dir>/invocations`.
pub fn invocations_dir(function_dir: &Path) -> PathBuf {
    function_dir.join("invocations")
}

fn record_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.invocation"))
}

fn segment_path(dir: &Path, first: &str) -> PathBuf {
    dir.join(format!("{first}.segment"))
}

/// The record files and segments in `dir`, by name (the order they were written in).
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "invocation" || ext == "segment"))
        .collect();
    paths.sort();
    paths
}

fn is_segment(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "segment")
}

impl InvocationStore {
    /// The store in `dir`, taking over the records already there; failed
    /// writes are reported to `errors`.
    pub fn open(
        dir: PathBuf,
        settings: RecordingSettings,
        secrets: &[Value],
        errors: ErrorSink,
    ) -> Self {
        let mut kept = Kept::default();
        for path in files(&dir) {
            match is_segment(&path) {
                true => {
                    let count = std::fs::read(&path).map(|b| summaries(&b).len()).unwrap_or(0);
                    kept.segments.push_back((path, count));
                }
                false => kept.failed.push_back(path),
            }
        }
        let markers =
            if settings.secrets { SecretMarkers::default() } else { SecretMarkers::new(secrets) };
        let shelf =
            Arc::new(Shelf { dir, settings: settings.clone(), markers, kept: Mutex::new(kept) });
        shelf.prune(&mut shelf.kept.lock().unwrap_or_else(|p| p.into_inner()));
        let (writer, messages) = mpsc::channel();
        let writing = shelf.clone();
        let report = errors.clone();
        // Ends once the store is dropped and what was sent is written.
        let spawned =
            std::thread::Builder::new().name("invocation records".into()).spawn(move || {
                while let Ok(first) = messages.recv() {
                    // Everything that arrives meanwhile goes into the same write.
                    std::thread::sleep(COALESCE);
                    let mut records = Vec::new();
                    let mut flushed = Vec::new();
                    for message in std::iter::once(first).chain(messages.try_iter()) {
                        match message {
                            Message::Save(record) => records.push(*record),
                            Message::Flush(done) => flushed.push(done),
                        }
                    }
                    if let Err(error) = writing.save(records) {
                        errors(&format!("cannot record invocations: {error}"));
                    }
                    for done in flushed {
                        let _ = done.send(());
                    }
                }
            });
        if let Err(error) = spawned {
            report(&format!("cannot start writing invocation records: {error}"));
        }
        let mut start = [0u8; 4];
        let _ = getrandom::fill(&mut start);
        let next_serial = AtomicU32::new(u32::from_le_bytes(start));
        Self { settings, next_serial, shelf, writer: Mutex::new(writer) }
    }

    /// A new invocation id: the time it arrived (so ids sort in arrival order)
    /// and six hex digits that keep it unique — a count from a random start,
    /// so no invocation pays for a call to the system's randomness.
    pub fn new_id(&self, time_ms: u64) -> String {
        let serial = self.next_serial.fetch_add(1, Ordering::Relaxed) & 0xff_ffff;
        format!("{time_ms:013}-{serial:06x}")
    }

    pub fn settings(&self) -> &RecordingSettings {
        &self.settings
    }

    /// Hands `record` to the writer: its secrets are hidden, it is written,
    /// and what is past the limits is dropped.
    pub fn save(&self, record: InvocationRecord) {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writer.send(Message::Save(Box::new(record)));
    }

    /// Waits until every record saved so far is on disk.
    pub fn flush(&self) {
        let (done, written) = mpsc::channel();
        let sent = {
            let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            writer.send(Message::Flush(done)).is_ok()
        };
        if sent {
            let _ = written.recv();
        }
    }

    /// The markers secrets are hidden behind in this store's records.
    pub fn markers(&self) -> &SecretMarkers {
        &self.shelf.markers
    }
}

impl Shelf {
    /// Writes `records`: the failed each in a file, the rest in one segment.
    fn save(&self, records: Vec<InvocationRecord>) -> Result<(), String> {
        if records.is_empty() {
            return Ok(());
        }
        crate::private_files::create_dir_all(&self.dir)
            .map_err(|error| format!("cannot create {}: {error}", self.dir.display()))?;
        let mut segment = String::new();
        let (mut first, mut count) = (None, 0);
        let mut failed = Vec::new();
        for record in records {
            let (summary, encoded) = self.encoded(record);
            if summary.failed() {
                let path = record_path(&self.dir, &summary.id);
                write(&path, encoded.as_bytes())?;
                failed.push(path);
            } else {
                first.get_or_insert(summary.id);
                segment.push_str(&encoded);
                count += 1;
            }
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(first) = first {
            let path = segment_path(&self.dir, &first);
            write(&path, segment.as_bytes())?;
            kept.segments.push_back((path, count));
        }
        kept.failed.extend(failed);
        self.prune(&mut kept);
        Ok(())
    }

    /// `record` encoded, its secrets hidden, cut to its summary when too large.
    fn encoded(&self, mut record: InvocationRecord) -> (InvocationSummary, String) {
        let error = record.summary.error.as_deref().and_then(|text| self.markers.hide_text(text));
        record.summary.redacted = self.markers.hide(&mut record.prologue)
            | self.markers.hide(&mut record.entries)
            | error.is_some();
        if error.is_some() {
            record.summary.error = error;
        }
        let mut encoded = String::with_capacity(2048);
        record.encode_into(&mut encoded);
        if encoded.len() > self.settings.max_bytes {
            record.summary.truncated = true;
            record.prologue.clear();
            record.entries.clear();
            encoded.clear();
            record.encode_into(&mut encoded);
        }
        (record.summary, encoded)
    }

    fn prune(&self, kept: &mut Kept) {
        // A segment goes once the newer ones hold `keep` invocations.
        while let Some((oldest, count)) = kept.segments.front().cloned() {
            if kept.recent() - count < self.settings.keep {
                break;
            }
            let _ = std::fs::remove_file(oldest);
            kept.segments.pop_front();
        }
        while kept.failed.len() > self.settings.keep_failed {
            if let Some(oldest) = kept.failed.pop_front() {
                let _ = std::fs::remove_file(oldest);
            }
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::private_files::write(path, bytes)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// The summaries of the records in `dir`, in the order they arrived;
/// unreadable files are skipped.
pub fn list(dir: &Path) -> Vec<InvocationSummary> {
    let mut listed: Vec<InvocationSummary> = files(dir)
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .flat_map(|bytes| summaries(&bytes))
        .collect();
    listed.sort_by(|a, b| a.id.cmp(&b.id));
    listed
}

/// The record `id` in `dir`.
pub fn read(dir: &Path, id: &str) -> Result<InvocationRecord, String> {
    find(dir, id)?.ok_or_else(|| format!("no invocation {id} is recorded in {}", dir.display()))
}

/// The record `id` in `dir`, if it is there.
pub fn find(dir: &Path, id: &str) -> Result<Option<InvocationRecord>, String> {
    let own = record_path(dir, id);
    if own.is_file() {
        return InvocationRecord::read(&own).map(Some);
    }
    for segment in files(dir).into_iter().filter(|path| is_segment(path)) {
        let Ok(bytes) = std::fs::read(&segment) else { continue };
        if !summaries(&bytes).iter().any(|summary| summary.id == id) {
            continue;
        }
        let records = InvocationRecord::decode_all(&bytes)
            .map_err(|error| format!("{}: {error}", segment.display()))?;
        if let Some(record) = records.into_iter().find(|record| record.summary.id == id) {
            return Ok(Some(record));
        }
    }
    Ok(None)
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

    fn panics() -> ErrorSink {
        Arc::new(|message: &str| panic!("{message}"))
    }

    fn ids(dir: &Path) -> Vec<String> {
        list(dir).into_iter().map(|s| s.id).collect()
    }

    #[test]
    fn the_ring_keeps_recent_and_failed_apart_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let settings = RecordingSettings { keep: 2, keep_failed: 1, ..Default::default() };
        let store = InvocationStore::open(dir.path().into(), settings.clone(), &[], panics());
        // Flushed one by one: each record is a write (a segment) of its own.
        let save = |store: &InvocationStore, id: &str, status: u16| {
            store.save(record(id, status, "a"));
            store.flush();
        };
        save(&store, "01", 500);
        for id in ["02", "03", "04"] {
            save(&store, id, 200);
        }
        assert_eq!(ids(dir.path()), ["01", "03", "04"], "the failure outlives newer successes");
        save(&store, "05", 504);
        assert_eq!(ids(dir.path()), ["03", "04", "05"]);
        drop(store);
        let store = InvocationStore::open(dir.path().into(), settings, &[], panics());
        save(&store, "06", 200);
        assert_eq!(ids(dir.path()), ["04", "05", "06"], "a new store counts what is on disk");

        // Records that arrive together may share a write: at least `keep` stay.
        store.save(record("07", 200, "b"));
        store.save(record("08", 200, "c"));
        store.flush();
        let kept = ids(dir.path());
        assert!(kept.ends_with(&["07".to_string(), "08".to_string()]), "{kept:?}");
        assert!(kept.contains(&"05".to_string()) && kept.len() <= 4, "{kept:?}");
        assert_eq!(read(dir.path(), "08").unwrap(), record("08", 200, "c"));
    }

    #[test]
    fn secrets_are_stored_as_markers_unless_kept_and_big_records_keep_their_summary() {
        let dir = tempfile::tempdir().unwrap();
        let store = InvocationStore::open(
            dir.path().into(),
            RecordingSettings::default(),
            &[json!("s3cr3t!")],
            panics(),
        );
        store.save(record("01", 200, "the key is s3cr3t!"));
        store.flush();
        let stored = read(dir.path(), "01").unwrap();
        assert!(stored.summary.redacted);
        assert!(!String::from_utf8_lossy(&stored.encode()).contains("s3cr3t!"));
        let mut entries = stored.entries;
        store.markers().reveal(&mut entries).unwrap();
        assert_eq!(entries, record("01", 200, "the key is s3cr3t!").entries);

        let settings = RecordingSettings { secrets: true, max_bytes: 600, ..Default::default() };
        let store =
            InvocationStore::open(dir.path().join("kept"), settings, &[json!("s3cr3t!")], panics());
        store.save(record("02", 200, "s3cr3t!"));
        store.save(record("03", 200, &"x".repeat(700)));
        store.flush();
        let kept = read(&dir.path().join("kept"), "02").unwrap();
        assert!(
            !kept.summary.redacted && String::from_utf8_lossy(&kept.encode()).contains("s3cr3t!")
        );
        let big = read(&dir.path().join("kept"), "03").unwrap();
        assert!(big.summary.truncated && big.entries.is_empty());
    }
}
