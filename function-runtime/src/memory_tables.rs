//! Tables held in memory, for whole-app tests: the same semantics as the
//! local target's (key order, prefixes, pages and cursors), nothing on disk,
//! and emptied at will between tests.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::Value;

use crate::tables::{Item, Page, TableError, Tables, page_size};

#[derive(Default)]
pub struct MemoryTables {
    tables: Mutex<BTreeMap<String, BTreeMap<String, Value>>>,
}

impl MemoryTables {
    /// Empties every table.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, BTreeMap<String, Value>>> {
        self.tables.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Tables for MemoryTables {
    fn get(&self, table: &str, key: &str) -> Result<Option<Value>, TableError> {
        Ok(self.lock().get(table).and_then(|items| items.get(key)).cloned())
    }

    fn put(&self, table: &str, key: &str, value: &Value) -> Result<(), TableError> {
        self.lock().entry(table.to_string()).or_default().insert(key.to_string(), value.clone());
        Ok(())
    }

    fn delete(&self, table: &str, key: &str) -> Result<bool, TableError> {
        Ok(self.lock().get_mut(table).is_some_and(|items| items.remove(key).is_some()))
    }

    fn query(
        &self,
        table: &str,
        prefix: &str,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<Page, TableError> {
        let limit = page_size(limit);
        let tables = self.lock();
        let after = cursor.unwrap_or("");
        let items: Vec<Item> = tables
            .get(table)
            .into_iter()
            .flatten()
            .filter(|(key, _)| key.as_str() > after && key.starts_with(prefix))
            .take(limit + 1)
            .map(|(key, value)| Item { key: key.clone(), value: value.clone() })
            .collect();
        Ok(Page::from_one_more(items, limit))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pages_follow_key_order_within_a_prefix() {
        let tables = MemoryTables::default();
        for key in ["b2", "a1", "b1", "b3", "c1"] {
            tables.put("t", key, &json!(key)).unwrap();
        }
        let first = tables.query("t", "b", Some(2), None).unwrap();
        let keys: Vec<_> = first.items.iter().map(|item| item.key.as_str()).collect();
        assert_eq!((keys, first.cursor.as_deref()), (vec!["b1", "b2"], Some("b2")));
        let rest = tables.query("t", "b", Some(2), first.cursor.as_deref()).unwrap();
        let keys: Vec<_> = rest.items.iter().map(|item| item.key.as_str()).collect();
        assert_eq!((keys, rest.cursor), (vec!["b3"], None));
        assert!(tables.delete("t", "b1").unwrap());
        assert!(!tables.delete("t", "b1").unwrap());
        tables.clear();
        assert_eq!(tables.get("t", "a1").unwrap(), None);
    }
}
