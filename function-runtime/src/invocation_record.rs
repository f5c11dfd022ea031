//! The record of one invocation: what arrived, every crossing the handler made
//! with its answer (table reads and writes, clock, random seed, console), and
//! what it answered — in the snapshot format's entries, so the invocation
//! replays on the Function's bundle in a fresh isolate (`invocation_replay`).
//!
//! Encoding: `unfold-invocation 1`, a line with the summary (what listings
//! show, read without the rest), then a line with the prologue and the
//! entries. A store's segment holds several records one after another.

use std::path::Path;

use serde::{Deserialize, Serialize};
use unfold_runtime::membrane::Entry;
use unfold_runtime::membrane::canonical;

pub const MAGIC: &str = "unfold-invocation";
pub const FORMAT_VERSION: u32 = 1;

/// What a listing shows of an invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvocationSummary {
    /// Unique in the stack, and sorts in the order invocations arrived.
    pub id: String,
    pub function: String,
    /// The bundle file the instance was restored from.
    pub bundle: String,
    /// When it arrived, in milliseconds since the epoch.
    pub time_ms: u64,
    pub method: String,
    pub path: String,
    /// The status answered: 500 for a handler that threw, 504 past its timeout.
    pub status: u16,
    pub duration_ms: f64,
    /// The first line of the error, for a failed invocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Secret values in the record are replaced by markers (`secret_markers`).
    pub redacted: bool,
    /// The record was larger than the Function keeps: only this summary is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl InvocationSummary {
    /// Failed invocations are kept apart from the ring of recent ones.
    pub fn failed(&self) -> bool {
        self.status >= 500
    }
}

/// An invocation's summary and the crossings to replay it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvocationRecord {
    pub summary: InvocationSummary,
    /// The instance's own crossings between its restore and its first
    /// invocation (it takes up serving its Function).
    pub prologue: Vec<Entry>,
    /// The invocation's crossings, from the delivery of its request to its
    /// reply, tickets numbered as they are when it replays alone.
    pub entries: Vec<Entry>,
}

/// Line 3, as it is read (it is written entry by entry, see `encode_into`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    prologue: Vec<Entry>,
    entries: Vec<Entry>,
}

impl InvocationRecord {
    /// Three lines: the magic, the summary, the prologue and entries.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = String::with_capacity(1024);
        self.encode_into(&mut out);
        out.into_bytes()
    }

    /// Appends the encoding to `out` (records follow one another in a segment).
    pub fn encode_into(&self, out: &mut String) {
        let summary = serde_json::to_value(&self.summary).expect("summaries serialize");
        out.push_str(&format!("{MAGIC} {FORMAT_VERSION}\n"));
        canonical::write(&summary, out);
        // The entries are written straight from the record, keys in canonical order.
        out.push_str("\n{\"entries\":");
        write_entries(&self.entries, out);
        out.push_str(",\"prologue\":");
        write_entries(&self.prologue, out);
        out.push_str("}\n");
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        let mut records = Self::decode_all(bytes)?;
        match records.len() {
            1 => Ok(records.remove(0)),
            n => Err(format!("{n} records where one was expected")),
        }
    }

    /// The records one after another in `bytes` (a segment).
    pub fn decode_all(bytes: &[u8]) -> Result<Vec<Self>, String> {
        let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        let mut records = Vec::new();
        for (index, record) in lines.chunks(3).enumerate() {
            let at = |offset: usize| index * 3 + offset + 1;
            if record.iter().all(|line| line.is_empty()) {
                continue;
            }
            check_magic(record[0]).map_err(|e| format!("line {}: {e}", at(0)))?;
            let summary = record.get(1).ok_or("the summary line is missing")?;
            let summary =
                serde_json::from_slice(summary).map_err(|e| format!("line {}: {e}", at(1)))?;
            let body = record.get(2).copied().unwrap_or_default();
            let Body { prologue, entries } = if body.is_empty() {
                Body { prologue: vec![], entries: vec![] }
            } else {
                serde_json::from_slice(body).map_err(|e| format!("line {}: {e}", at(2)))?
            };
            records.push(Self { summary, prologue, entries });
        }
        Ok(records)
    }

    pub fn read(path: &Path) -> Result<Self, String> {
        let bytes = std::fs::read(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        Self::decode(&bytes).map_err(|error| format!("{}: {error}", path.display()))
    }
}

fn write_entries(entries: &[Entry], out: &mut String) {
    out.push('[');
    for (index, entry) in entries.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        entry.write_canonical(out);
    }
    out.push(']');
}

/// The summaries of the records one after another in `bytes`, without decoding the rest.
pub fn summaries(bytes: &[u8]) -> Vec<InvocationSummary> {
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    lines
        .chunks(3)
        .filter(|record| record.len() >= 2 && check_magic(record[0]).is_ok())
        .filter_map(|record| serde_json::from_slice(record[1]).ok())
        .collect()
}

fn check_magic(line: &[u8]) -> Result<(), String> {
    let expected = format!("{MAGIC} {FORMAT_VERSION}");
    if line == expected.as_bytes() {
        return Ok(());
    }
    let line = String::from_utf8_lossy(line);
    match line.strip_prefix(&format!("{MAGIC} ")) {
        Some(version) => Err(format!(
            "invocation record format {version}; this version of Unfold reads format {FORMAT_VERSION}"
        )),
        None => Err(format!("not an invocation record (it starts with {line:?})")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use unfold_runtime::membrane::CallResult;

    use super::*;

    fn record() -> InvocationRecord {
        InvocationRecord {
            summary: InvocationSummary {
                id: "1764547200000-00a1b2".into(),
                function: "get".into(),
                bundle: "/x/get/ab.bundle".into(),
                time_ms: 1_764_547_200_000,
                method: "GET".into(),
                path: "/messages/7".into(),
                status: 500,
                duration_ms: 1.25,
                error: Some("Error: no".into()),
                redacted: true,
                truncated: false,
            },
            prologue: vec![],
            entries: vec![
                Entry::Deliver { batch: vec![json!([0, true, {"event": "invoke", "id": 1}])] },
                Entry::Call {
                    name: "table.get".into(),
                    args: json!({"table": "t", "key": "7"}),
                    result: CallResult::Ok(json!(null)),
                },
            ],
        }
    }

    #[test]
    fn records_round_trip_alone_and_in_segments() {
        let record = record();
        let bytes = record.encode();
        assert_eq!(InvocationRecord::decode(&bytes).unwrap(), record);
        let mut two = String::from_utf8(bytes.clone()).unwrap();
        record.encode_into(&mut two);
        assert_eq!(summaries(two.as_bytes()), [record.summary.clone(), record.summary.clone()]);
        assert_eq!(
            InvocationRecord::decode_all(two.as_bytes()).unwrap(),
            [record.clone(), record.clone()]
        );
        assert!(record.summary.failed());
    }

    #[test]
    fn other_files_and_formats_are_named() {
        let error = InvocationRecord::decode(b"unfold-invocation 7\n{}\n").unwrap_err();
        assert!(error.contains("format 7"), "{error}");
        let error = InvocationRecord::decode(b"hello\n").unwrap_err();
        assert!(error.contains("not an invocation record"), "{error}");
    }
}
