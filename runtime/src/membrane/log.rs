//! The record of a run: a header that pins the world and the ordered entries
//! of everything that crossed the gateway. Format: docs/snapshot-format.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::canonical;
use crate::io::CrossingError;
use crate::module_loader::LoadedModule;

/// The first line of every snapshot file.
pub const MAGIC: &str = "unfold-snapshot";
/// Bumped on any change to the meaning of the encoding.
pub const FORMAT_VERSION: u32 = 1;

/// What must be identical for a record to replay: checked before replay starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Header {
    pub format: u32,
    /// The V8 version the record was made with.
    pub v8: String,
    /// Seed of `Math.random` and `crypto.getRandomValues`, 32 hex digits.
    pub seed: String,
    /// The module the run started from.
    pub main: String,
    /// Every module loaded, in load order, with the hash of its source.
    pub modules: Vec<ModuleDigest>,
    /// SHA-256 over `modules` (specifier and hash of each, in order).
    pub modules_hash: String,
    /// Pinned settings the program can observe (time zone, locale).
    pub flags: BTreeMap<String, String>,
    /// With virtual time: the clock (ms since the epoch) when the snapshot was
    /// taken, where a restored run's clock continues from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_time: Option<f64>,
    /// Timers still running when the snapshot was taken: ticket → milliseconds
    /// left. A restored run resumes them with what was left, not their full delay.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pending_timers: BTreeMap<u32, u64>,
    /// The program's own files, embedded by `unfold run --save` so that the
    /// snapshot resumes where those files are not (a bundle carries them in
    /// its manifest instead). Absent: they are read from disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<crate::module_loader::BundledFiles>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleDigest {
    pub specifier: String,
    pub sha256: String,
}

impl From<&LoadedModule> for ModuleDigest {
    fn from(module: &LoadedModule) -> Self {
        Self { specifier: module.specifier.clone(), sha256: module.sha256.clone() }
    }
}

/// One crossing, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Entry {
    /// A synchronous crossing and its answer.
    Call { name: String, args: Value, result: CallResult },
    /// An asynchronous crossing was started; its ticket is implied by order.
    Start { ticket: u32, name: String, args: Value },
    /// A batch handed to the program by `op_io_next`: completions and inbound
    /// events exactly as delivered (`[ticket, ok, value]`).
    Deliver { batch: Vec<Value> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum CallResult {
    Ok(Value),
    Err(CrossingError),
}

impl From<&Result<Value, CrossingError>> for CallResult {
    fn from(result: &Result<Value, CrossingError>) -> Self {
        match result {
            Ok(value) => CallResult::Ok(value.clone()),
            Err(error) => CallResult::Err(error.clone()),
        }
    }
}

impl From<CallResult> for Result<Value, CrossingError> {
    fn from(result: CallResult) -> Self {
        match result {
            CallResult::Ok(value) => Ok(value),
            CallResult::Err(error) => Err(error),
        }
    }
}

impl Entry {
    /// `call`, `start` or `delivery`, as descriptions begin.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Entry::Call { .. } => "call",
            Entry::Start { .. } => "start",
            Entry::Deliver { .. } => "delivery",
        }
    }

    /// A one-line description for divergence messages.
    pub fn describe(&self) -> String {
        match self {
            Entry::Call { name, args, .. } => format!("call {name}({})", abbreviate(args)),
            Entry::Start { name, args, .. } => format!("start {name}({})", abbreviate(args)),
            Entry::Deliver { batch } => format!("delivery of {} completion(s)", batch.len()),
        }
    }
}

fn abbreviate(args: &Value) -> String {
    let text = canonical::to_string(args);
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// SHA-256 over the module list, as recorded in the header.
pub fn modules_hash(modules: &[ModuleDigest]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for module in modules {
        hasher.update(module.specifier.as_bytes());
        hasher.update([0]);
        hasher.update(module.sha256.as_bytes());
        hasher.update([b'\n']);
    }
    hex::encode(hasher.finalize())
}

/// A header plus its entries: what hibernates a program.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub header: Header,
    pub entries: Vec<Entry>,
}

/// Encodes a header and entries as a snapshot (see `Snapshot::encode`)
/// without copying them: a record can hold thousands of entries.
pub fn encode(header: &Header, entries: &[Entry]) -> Vec<u8> {
    encode_parts(header, &encode_entries(entries))
}

/// A snapshot from its header and its entries as `encode_entries` wrote them.
pub fn encode_parts(header: &Header, encoded_entries: &[u8]) -> Vec<u8> {
    let mut out = format!("{MAGIC} {FORMAT_VERSION}\n");
    let header = serde_json::to_value(header).expect("headers serialize");
    canonical::write(&header, &mut out);
    out.push('\n');
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(encoded_entries);
    bytes
}

/// The entries alone, one canonical line each, as `encode` writes them.
pub fn encode_entries(entries: &[Entry]) -> Vec<u8> {
    let mut out = String::new();
    write_entries(entries, &mut out);
    out.into_bytes()
}

fn write_entries(entries: &[Entry], out: &mut String) {
    for entry in entries {
        entry.write_canonical(out);
        out.push('\n');
    }
}

impl Entry {
    /// Appends the entry's canonical JSON (keys in sorted order by construction).
    pub fn write_canonical(&self, out: &mut String) {
        match self {
            Entry::Call { name, args, result } => {
                out.push_str("{\"args\":");
                canonical::write(args, out);
                out.push_str(",\"kind\":\"call\",\"name\":");
                canonical::write_str(name, out);
                out.push_str(",\"result\":");
                match result {
                    CallResult::Ok(value) => {
                        out.push_str("{\"ok\":");
                        canonical::write(value, out);
                    }
                    CallResult::Err(error) => {
                        out.push_str("{\"err\":");
                        canonical::write(
                            &serde_json::to_value(error).expect("errors serialize"),
                            out,
                        );
                    }
                }
                out.push_str("}}");
            }
            Entry::Start { ticket, name, args } => {
                out.push_str("{\"args\":");
                canonical::write(args, out);
                out.push_str(",\"kind\":\"start\",\"name\":");
                canonical::write_str(name, out);
                out.push_str(&format!(",\"ticket\":{ticket}}}"));
            }
            Entry::Deliver { batch } => {
                out.push_str("{\"batch\":[");
                for (i, delivered) in batch.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    canonical::write(delivered, out);
                }
                out.push_str("],\"kind\":\"deliver\"}");
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not an Unfold snapshot: the first line must be `{MAGIC} {FORMAT_VERSION}`")]
    NotASnapshot,
    #[error(
        "snapshot format {found} is not supported by this version of Unfold (it reads format {FORMAT_VERSION})"
    )]
    Version { found: String },
    #[error("snapshot line {line}: {message}")]
    Line { line: usize, message: String },
}

impl Snapshot {
    /// Encodes as `unfold-snapshot 1`, the header, then one entry per line,
    /// each in canonical JSON: identical snapshots give identical bytes.
    pub fn encode(&self) -> Vec<u8> {
        encode(&self.header, &self.entries)
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let text = std::str::from_utf8(bytes).map_err(|_| DecodeError::NotASnapshot)?;
        let mut lines = text.lines();
        let first = lines.next().ok_or(DecodeError::NotASnapshot)?;
        let version = first.strip_prefix(MAGIC).map(str::trim).ok_or(DecodeError::NotASnapshot)?;
        if version != FORMAT_VERSION.to_string() {
            return Err(DecodeError::Version { found: version.to_string() });
        }
        let line_error = |line: usize, error: serde_json::Error| DecodeError::Line {
            line,
            message: error.to_string(),
        };
        let header_line =
            lines.next().ok_or(DecodeError::Line { line: 2, message: "missing header".into() })?;
        let header: Header = serde_json::from_str(header_line).map_err(|e| line_error(2, e))?;
        let entries = lines
            .enumerate()
            .map(|(i, line)| serde_json::from_str(line).map_err(|e| line_error(i + 3, e)))
            .collect::<Result<_, _>>()?;
        Ok(Self { header, entries })
    }
}
