//! Property paths as resource options name them (`ignoreChanges`,
//! `replaceOnChanges`): `a`, `a.b`, `a[0]`, `a["b.c"]`, `a[*]`, `*`.

use anyhow::{Result, bail};
use serde_json::Value;

use crate::property::PropertyMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
    Wildcard,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyPath(pub(crate) Vec<Segment>);

impl PropertyPath {
    pub fn parse(text: &str) -> Result<Self> {
        let mut segments = Vec::new();
        let mut chars = text.chars().peekable();
        let mut key = String::new();
        let flush = |key: &mut String, segments: &mut Vec<Segment>| {
            if !key.is_empty() {
                let k = std::mem::take(key);
                segments.push(if k == "*" { Segment::Wildcard } else { Segment::Key(k) });
            }
        };
        while let Some(c) = chars.next() {
            match c {
                '.' => flush(&mut key, &mut segments),
                '[' => {
                    flush(&mut key, &mut segments);
                    let mut inner = String::new();
                    let mut closed = false;
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        while let Some(c) = chars.next() {
                            match c {
                                '\\' => inner.extend(chars.next()),
                                '"' => break,
                                c => inner.push(c),
                            }
                        }
                        closed = chars.next() == Some(']');
                        segments.push(Segment::Key(inner));
                    } else {
                        for c in chars.by_ref() {
                            if c == ']' {
                                closed = true;
                                break;
                            }
                            inner.push(c);
                        }
                        segments.push(match inner.as_str() {
                            "*" => Segment::Wildcard,
                            n => match n.parse() {
                                Ok(i) => Segment::Index(i),
                                Err(_) => {
                                    bail!("invalid property path '{text}': '[{n}]' is not an index")
                                }
                            },
                        });
                    }
                    if !closed {
                        bail!("invalid property path '{text}': unterminated '['");
                    }
                }
                c => key.push(c),
            }
        }
        flush(&mut key, &mut segments);
        if segments.is_empty() {
            bail!("invalid property path '{text}': empty");
        }
        Ok(Self(segments))
    }

    /// The top-level key the path starts with (`None` for a leading `*`).
    pub(crate) fn root_key(&self) -> Option<&str> {
        match self.0.first() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// True if a change of the top-level `key` falls under this path.
    pub(crate) fn covers_key(&self, key: &str) -> bool {
        match self.0.first() {
            Some(Segment::Wildcard) => true,
            Some(Segment::Key(k)) => k == key,
            _ => false,
        }
    }

    pub(crate) fn get<'a>(&self, map: &'a PropertyMap) -> Option<&'a Value> {
        let (first, rest) = self.0.split_first()?;
        let mut value = match first {
            Segment::Key(k) => map.get(k)?,
            _ => return None,
        };
        for segment in rest {
            value = match (segment, value) {
                (Segment::Key(k), Value::Object(m)) => m.get(k)?,
                (Segment::Index(i), Value::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// Sets the value at the path, creating intermediate objects; `None`
    /// removes it. Paths through wildcards or missing arrays are left alone.
    pub(crate) fn set(&self, map: &mut PropertyMap, value: Option<Value>) {
        let Some((Segment::Key(first), rest)) = self.0.split_first() else { return };
        let Some((last, middle)) = rest.split_last() else {
            match value {
                Some(v) => map.insert(first.clone(), v),
                None => map.remove(first),
            };
            return;
        };
        let mut target =
            map.entry(first.clone()).or_insert_with(|| Value::Object(PropertyMap::new()));
        for segment in middle {
            target = match (segment, target) {
                (Segment::Key(k), Value::Object(m)) => {
                    m.entry(k.clone()).or_insert_with(|| Value::Object(PropertyMap::new()))
                }
                (Segment::Index(i), Value::Array(a)) if *i < a.len() => &mut a[*i],
                _ => return,
            };
        }
        match (last, target, value) {
            (Segment::Key(k), Value::Object(m), Some(v)) => {
                m.insert(k.clone(), v);
            }
            (Segment::Key(k), Value::Object(m), None) => {
                m.remove(k);
            }
            (Segment::Index(i), Value::Array(a), Some(v)) if *i < a.len() => a[*i] = v,
            _ => {}
        }
    }
}

/// Applies `ignoreChanges`: each path in the new inputs takes its old value
/// (or is removed if the old inputs lacked it), as the engine does before diffing.
pub(crate) fn apply_ignore_changes(
    old: &PropertyMap,
    new: &mut PropertyMap,
    paths: &[String],
) -> Result<()> {
    for text in paths {
        let path = PropertyPath::parse(text)?;
        if path.0 == [Segment::Wildcard] {
            *new = old.clone();
            continue;
        }
        path.set(new, path.get(old).cloned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_dots_brackets_and_quotes() {
        let path = PropertyPath::parse(r#"a.b[0]["c.d"]"#).unwrap();
        assert_eq!(
            path.0,
            vec![
                Segment::Key("a".into()),
                Segment::Key("b".into()),
                Segment::Index(0),
                Segment::Key("c.d".into())
            ]
        );
    }

    #[test]
    fn ignore_changes_restores_old_values() {
        let old = json!({"a": {"b": 1}, "c": 2}).as_object().unwrap().clone();
        let mut new = json!({"a": {"b": 5}, "c": 3, "d": 4}).as_object().unwrap().clone();
        apply_ignore_changes(&old, &mut new, &["a.b".into(), "d".into()]).unwrap();
        assert_eq!(Value::Object(new), json!({"a": {"b": 1}, "c": 3}));
    }
}
