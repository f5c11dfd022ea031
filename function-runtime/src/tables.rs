//! Tables on the local target: one SQLite database per table, holding JSON
//! values by string key. Keys sort bytewise, so a key prefix selects a range.
//! A Function reaches its tables through [`Tables`]: these files, or a
//! service with the same semantics (DynamoDB, on Lambda).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

use crate::table_writer::{TableWriter, Write};

/// Most items a single query or scan returns, whatever `limit` asks for.
pub const MAX_PAGE: usize = 1000;

/// The directory of a stack's tables under the local target's state directory.
pub fn tables_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("tables")
}

/// Where the table named `name` lives.
pub fn table_path(tables_dir: &Path, name: &str) -> PathBuf {
    tables_dir.join(format!("{name}.sqlite"))
}

/// Whether `name` can name a table: it becomes a file name.
pub fn valid_table_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !name.starts_with('.')
}

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("'{0}' is not a valid table name: use letters, digits, '-', '_' and '.'")]
    InvalidName(String),
    #[error("table '{0}' does not exist (was it deployed?)")]
    Missing(String),
    #[error("table '{table}': {source}")]
    Sqlite { table: String, source: rusqlite::Error },
    #[error("table '{table}': {message}")]
    Invalid { table: String, message: String },
    /// The service holding the table failed or could not be reached.
    #[error("table '{table}': {message}")]
    Unavailable { table: String, message: String },
}

/// The table operations a handler has, by table name. Calls block the
/// Function's thread until answered: a handler's table calls are synchronous
/// crossings, which replay the same way whatever answered them.
pub trait Tables {
    fn get(&self, table: &str, key: &str) -> Result<Option<Value>, TableError>;
    fn put(&self, table: &str, key: &str, value: &Value) -> Result<(), TableError>;
    fn delete(&self, table: &str, key: &str) -> Result<bool, TableError>;
    /// Items whose key starts with `prefix`, in key order, after `cursor`
    /// (the last key of the previous page), at most `limit` (and `MAX_PAGE`).
    fn query(
        &self,
        table: &str,
        prefix: &str,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<Page, TableError>;
}

/// Where a Function's tables are.
#[derive(Clone)]
pub enum TableStore {
    /// The local target's SQLite files, in this directory (`tables_dir`).
    Local(PathBuf),
    /// A service, shared by every instance of the process.
    Remote(Arc<dyn Tables + Send + Sync>),
}

impl TableStore {
    /// The tables, for the one thread a Function runs on.
    pub fn open(&self) -> OpenTables {
        match self {
            TableStore::Local(dir) => {
                OpenTables::Local(LocalTables { dir: dir.clone(), open: RefCell::default() })
            }
            TableStore::Remote(service) => OpenTables::Remote(service.clone()),
        }
    }
}

/// A Function's tables, on its thread.
pub enum OpenTables {
    Local(LocalTables),
    Remote(Arc<dyn Tables + Send + Sync>),
}

impl std::ops::Deref for OpenTables {
    type Target = dyn Tables;

    fn deref(&self) -> &Self::Target {
        match self {
            OpenTables::Local(local) => local,
            OpenTables::Remote(service) => service.as_ref(),
        }
    }
}

/// The local target's tables, each opened on first use.
pub struct LocalTables {
    dir: PathBuf,
    open: RefCell<HashMap<String, Rc<Table>>>,
}

impl LocalTables {
    fn table(&self, name: &str) -> Result<Rc<Table>, TableError> {
        if let Some(table) = self.open.borrow().get(name) {
            return Ok(table.clone());
        }
        let table = Rc::new(Table::open(&self.dir, name)?);
        self.open.borrow_mut().insert(name.to_string(), table.clone());
        Ok(table)
    }
}

impl Tables for LocalTables {
    fn get(&self, table: &str, key: &str) -> Result<Option<Value>, TableError> {
        self.table(table)?.get(key)
    }

    fn put(&self, table: &str, key: &str, value: &Value) -> Result<(), TableError> {
        self.table(table)?.put(key, value)
    }

    fn delete(&self, table: &str, key: &str) -> Result<bool, TableError> {
        self.table(table)?.delete(key)
    }

    fn query(
        &self,
        table: &str,
        prefix: &str,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<Page, TableError> {
        self.table(table)?.query(prefix, limit, cursor)
    }
}

/// One page of a query or scan; `cursor` continues after its last item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// How many items a page asked for with `limit` holds: 1 to `MAX_PAGE`.
pub fn page_size(limit: Option<usize>) -> usize {
    limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE)
}

impl Page {
    /// The page of `size` items from up to `size + 1` read in key order: an
    /// extra item means there is a next page, which starts after the last key.
    pub fn from_one_more(mut items: Vec<Item>, size: usize) -> Self {
        let cursor = (items.len() > size).then(|| {
            items.truncate(size);
            items.last().map(|item| item.key.clone()).unwrap_or_default()
        });
        Page { items, cursor }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub key: String,
    pub value: Value,
}

/// An open table: its own connection for reads, and the process's one
/// writer to it for writes (see `table_writer`).
pub struct Table {
    name: String,
    connection: Connection,
    writer: Arc<TableWriter>,
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID";

impl Table {
    /// Creates the table's database if it does not exist yet.
    pub fn create(tables_dir: &Path, name: &str) -> Result<PathBuf, TableError> {
        if !valid_table_name(name) {
            return Err(TableError::InvalidName(name.into()));
        }
        crate::private_files::create_dir_all(tables_dir).map_err(|error| TableError::Invalid {
            table: name.into(),
            message: format!("cannot create {}: {error}", tables_dir.display()),
        })?;
        let path = table_path(tables_dir, name);
        let connection = Connection::open(&path)
            .map_err(|source| TableError::Sqlite { table: name.into(), source })?;
        connection
            .execute_batch(&format!("PRAGMA journal_mode=WAL; {SCHEMA};"))
            .map_err(|source| TableError::Sqlite { table: name.into(), source })?;
        // SQLite creates its files with the umask's mode; a table is the user's data.
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            if file.exists() {
                crate::private_files::restrict(&file).map_err(|error| TableError::Invalid {
                    table: name.into(),
                    message: format!("cannot make {} private: {error}", file.display()),
                })?;
            }
        }
        Ok(path)
    }

    /// Deletes the table's database and everything in it.
    pub fn remove(tables_dir: &Path, name: &str) -> std::io::Result<()> {
        let path = table_path(tables_dir, name);
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            match std::fs::remove_file(&file) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
                _ => {}
            }
        }
        Ok(())
    }

    /// Opens an existing table.
    pub fn open(tables_dir: &Path, name: &str) -> Result<Self, TableError> {
        if !valid_table_name(name) {
            return Err(TableError::InvalidName(name.into()));
        }
        let path = table_path(tables_dir, name);
        if !path.exists() {
            return Err(TableError::Missing(name.into()));
        }
        let sqlite = |source| TableError::Sqlite { table: name.into(), source };
        let open = || {
            let connection = Connection::open(&path)?;
            connection.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok(connection)
        };
        let connection = open().map_err(sqlite)?;
        let writer = TableWriter::shared(&path, || {
            let connection = open()?;
            // Durability: each acknowledged write is in the WAL on disk before the
            // handler hears it succeeded (a kill -9 or a power cut loses no
            // acknowledged write).
            connection.pragma_update(None, "synchronous", "FULL")?;
            Ok(connection)
        })
        .map_err(sqlite)?;
        Ok(Self { name: name.into(), connection, writer })
    }

    /// Applies `write` through the process's writer; the rows it changed.
    fn write(&self, write: Write) -> Result<usize, TableError> {
        self.writer
            .write(write)
            .map_err(|message| TableError::Invalid { table: self.name.clone(), message })
    }

    fn sqlite(&self) -> impl Fn(rusqlite::Error) -> TableError + '_ {
        |source| TableError::Sqlite { table: self.name.clone(), source }
    }

    fn decode(&self, text: String) -> Result<Value, TableError> {
        serde_json::from_str(&text).map_err(|error| TableError::Invalid {
            table: self.name.clone(),
            message: format!("stored value is not JSON: {error}"),
        })
    }

    pub fn get(&self, key: &str) -> Result<Option<Value>, TableError> {
        let text: Option<String> = self
            .connection
            .query_row("SELECT value FROM items WHERE key = ?1", params![key], |row| row.get(0))
            .optional()
            .map_err(self.sqlite())?;
        text.map(|text| self.decode(text)).transpose()
    }

    pub fn put(&self, key: &str, value: &Value) -> Result<(), TableError> {
        if matches!(value, Value::Null) {
            return Err(TableError::Invalid {
                table: self.name.clone(),
                message: "cannot store null; delete the key instead".into(),
            });
        }
        self.write(Write::Put { key: key.to_string(), value: value.to_string() })?;
        Ok(())
    }

    /// Removes `key`; whether it was there.
    pub fn delete(&self, key: &str) -> Result<bool, TableError> {
        let removed = self.write(Write::Delete { key: key.to_string() })?;
        Ok(removed > 0)
    }

    /// Items whose key starts with `prefix`, in key order, after `cursor`.
    pub fn query(
        &self,
        prefix: &str,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<Page, TableError> {
        let limit = page_size(limit);
        let after = cursor.unwrap_or("");
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT key, value FROM items WHERE key > ?1 AND substr(key, 1, length(?2)) = ?2 ORDER BY key LIMIT ?3",
            )
            .map_err(self.sqlite())?;
        let rows = statement
            .query_map(params![after, prefix, (limit + 1) as i64], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(self.sqlite())?;
        let mut items = Vec::new();
        for row in rows {
            let (key, value) = row.map_err(self.sqlite())?;
            items.push(Item { key, value: self.decode(value)? });
        }
        Ok(Page::from_one_more(items, limit))
    }

    /// Every item, in key order, a page at a time.
    pub fn scan(&self, limit: Option<usize>, cursor: Option<&str>) -> Result<Page, TableError> {
        self.query("", limit, cursor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn items_round_trip_and_pages_follow_key_order() {
        let dir = tempfile::tempdir().unwrap();
        Table::create(dir.path(), "messages").unwrap();
        let table = Table::open(dir.path(), "messages").unwrap();
        for i in 0..5 {
            table.put(&format!("m{i}"), &json!({"n": i})).unwrap();
        }
        table.put("other", &json!("x")).unwrap();
        assert_eq!(table.get("m3").unwrap(), Some(json!({"n": 3})));
        assert_eq!(table.get("nope").unwrap(), None);
        let first = table.query("m", Some(2), None).unwrap();
        assert_eq!(first.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["m0", "m1"]);
        let second = table.query("m", Some(2), first.cursor.as_deref()).unwrap();
        assert_eq!(second.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["m2", "m3"]);
        let last = table.query("m", Some(2), second.cursor.as_deref()).unwrap();
        assert_eq!((last.items.len(), last.cursor), (1, None));
        assert_eq!(table.scan(None, None).unwrap().items.len(), 6);
        assert!(table.delete("m0").unwrap());
        assert!(!table.delete("m0").unwrap());
    }

    #[test]
    fn tables_open_on_one_file_write_through_one_connection() {
        let dir = tempfile::tempdir().unwrap();
        Table::create(dir.path(), "t").unwrap();
        let first = Table::open(dir.path(), "t").unwrap();
        let second = Table::open(dir.path(), "t").unwrap();
        assert!(Arc::ptr_eq(&first.writer, &second.writer));
        // Deleted and made again, the table is a new file with a writer of its own.
        Table::remove(dir.path(), "t").unwrap();
        Table::create(dir.path(), "t").unwrap();
        let again = Table::open(dir.path(), "t").unwrap();
        assert!(!Arc::ptr_eq(&first.writer, &again.writer));
        again.put("k", &json!(1)).unwrap();
        assert_eq!(again.get("k").unwrap(), Some(json!(1)));
    }

    #[test]
    fn concurrent_writers_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        Table::create(dir.path(), "t").unwrap();
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let dir = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    let table = Table::open(&dir, "t").unwrap();
                    for n in 0..50 {
                        table.put(&format!("{writer}-{n}"), &json!(n)).unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        let table = Table::open(dir.path(), "t").unwrap();
        assert_eq!(table.query("", Some(1000), None).unwrap().items.len(), 400);
    }

    #[test]
    fn bad_names_and_missing_tables_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(Table::create(dir.path(), "../x"), Err(TableError::InvalidName(_))));
        assert!(matches!(Table::open(dir.path(), "absent"), Err(TableError::Missing(_))));
        Table::create(dir.path(), "t").unwrap();
        Table::remove(dir.path(), "t").unwrap();
        assert!(matches!(Table::open(dir.path(), "t"), Err(TableError::Missing(_))));
    }
}
