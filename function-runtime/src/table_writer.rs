//! The one writing connection a server process holds to each table, with
//! group commit.
//!
//! Every `Table` of the process open on the same file shares it (a table
//! deleted and made again is a new file, with a writer of its own). The
//! Function instances of a server used to write through connections of their
//! own and contend for SQLite's write lock, whose busy handler sleeps up to
//! 100 ms a try; under load the slowest writes waited most of a second.
//!
//! A write is queued, then its thread waits for the connection. Whoever holds
//! the connection commits every write queued so far in one transaction, with
//! one fsync (`synchronous=FULL`), and hands each its result: writes that
//! arrive while a commit is on disk go together in the next one. A write is
//! acknowledged only once the transaction that holds it has committed.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use rusqlite::{Connection, params};

/// A change to a table.
pub(crate) enum Write {
    Put { key: String, value: String },
    Delete { key: String },
}

/// A write waiting for the commit that holds it: its result is the number
/// of rows it changed.
struct Queued {
    write: Write,
    result: Mutex<Option<Result<usize, String>>>,
}

pub(crate) struct TableWriter {
    connection: Mutex<Connection>,
    queue: Mutex<Vec<Arc<Queued>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl TableWriter {
    /// The writer of the table database at `path`, opened with `open` if the
    /// process has none for that file yet.
    pub(crate) fn shared(
        path: &Path,
        open: impl Fn() -> rusqlite::Result<Connection>,
    ) -> rusqlite::Result<Arc<Self>> {
        type Writers = Mutex<HashMap<(PathBuf, u64), Weak<TableWriter>>>;
        static WRITERS: OnceLock<Writers> = OnceLock::new();
        let inode = std::fs::metadata(path).map(|meta| meta.ino()).unwrap_or_default();
        let key = (path.to_path_buf(), inode);
        let mut writers = lock(WRITERS.get_or_init(Default::default));
        writers.retain(|_, writer| writer.strong_count() > 0);
        if let Some(writer) = writers.get(&key).and_then(Weak::upgrade) {
            return Ok(writer);
        }
        let writer =
            Arc::new(Self { connection: Mutex::new(open()?), queue: Mutex::new(Vec::new()) });
        writers.insert(key, Arc::downgrade(&writer));
        Ok(writer)
    }

    /// Applies `write` once it is committed; the rows it changed.
    pub(crate) fn write(&self, write: Write) -> Result<usize, String> {
        let queued = Arc::new(Queued { write, result: Mutex::new(None) });
        lock(&self.queue).push(queued.clone());
        let connection = lock(&self.connection);
        // Committed by whoever held the connection before.
        if let Some(result) = lock(&queued.result).take() {
            return result;
        }
        let batch = std::mem::take(&mut *lock(&self.queue));
        if let Err(error) = commit(&connection, &batch) {
            for each in &batch {
                *lock(&each.result) = Some(Err(error.clone()));
            }
        }
        lock(&queued.result).take().unwrap_or_else(|| Err("the write was not committed".into()))
    }
}

/// Applies `batch` in one transaction, each write's result in its slot.
fn commit(connection: &Connection, batch: &[Arc<Queued>]) -> Result<(), String> {
    let transaction = connection.unchecked_transaction().map_err(|error| error.to_string())?;
    for queued in batch {
        let result = match &queued.write {
            Write::Put { key, value } => transaction.execute(
                "INSERT INTO items (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            ),
            Write::Delete { key } => {
                transaction.execute("DELETE FROM items WHERE key = ?1", params![key])
            }
        };
        *lock(&queued.result) = Some(result.map_err(|error| error.to_string()));
    }
    transaction.commit().map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer(dir: &Path) -> Arc<TableWriter> {
        let path = dir.join("t.sqlite");
        let open = || {
            let connection = Connection::open(&path)?;
            connection.execute_batch(
                "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;",
            )?;
            Ok(connection)
        };
        TableWriter::shared(&path, open).unwrap()
    }

    #[test]
    fn writes_queued_during_a_commit_are_committed_by_the_next_holder() {
        let dir = tempfile::tempdir().unwrap();
        let writer = writer(dir.path());
        // A commit in progress: the connection is held.
        let held = lock(&writer.connection);
        let threads: Vec<_> = (0..3)
            .map(|n| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    writer.write(Write::Put { key: format!("k{n}"), value: "1".into() })
                })
            })
            .collect();
        while lock(&writer.queue).len() < 3 {
            std::thread::yield_now();
        }
        drop(held);
        for thread in threads {
            assert_eq!(thread.join().unwrap(), Ok(1));
        }
        assert!(lock(&writer.queue).is_empty());
        let deleted = writer.write(Write::Delete { key: "k1".into() });
        assert_eq!(deleted, Ok(1));
        let count: i64 = lock(&writer.connection)
            .query_row("SELECT count(*) FROM items", [], |row| row.get(0))
            .unwrap();
        assert_eq!(count, 2);
    }
}
