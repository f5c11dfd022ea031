//! The membrane: records every crossing of the IO gateway, and replays a
//! record into a fresh isolate so the program's heap is rebuilt exactly.
//!
//! Recording appends an entry for each call, start and delivery. Replaying
//! walks a record strictly in order: each outgoing crossing must match the next
//! entry (name and canonical arguments) and gets the recorded answer without
//! running; deliveries are handed over in the recorded batches. When the record
//! is exhausted the run goes live and keeps recording.

pub mod canonical;
pub mod log;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::io::CrossingError;
pub use log::{CallResult, Entry, Header, ModuleDigest, Snapshot};

/// A replayed run did something other than what the record says. Each names
/// the entry of the record (0-based) where the run and the record part ways.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Divergence {
    /// The program made a crossing where the record has another entry (a
    /// different crossing, or a delivery the program did not wait for).
    #[error(
        "replay diverged at entry {index}: the record has {expected}, but the program made {actual}"
    )]
    DifferentCrossing { index: usize, expected: String, actual: String },
    /// The program made the crossing the record has, with other arguments.
    #[error(
        "replay diverged at entry {index}: the record has {expected}, but the program made {actual}"
    )]
    DifferentArguments { index: usize, expected: String, actual: String },
    /// The program crossed after the record ended, in a run that never goes live.
    #[error(
        "replay diverged at entry {index}: the record has the end of the record, but the program made {actual}"
    )]
    PastTheEnd { index: usize, actual: String },
    /// The program waits for a delivery, but the record has it cross first, and
    /// nothing left in the isolate can make it.
    #[error(
        "replay diverged at entry {index}: the record has {expected}, but the program made no crossing: the program is waiting for a delivery"
    )]
    WaitingForDelivery { index: usize, expected: String },
    /// A module's source is not the one the record was made with.
    #[error("cannot restore: the snapshot expects module #{} to be {expected} (sha256 {expected_sha256}), but {actual} (sha256 {actual_sha256}) was loaded; the program changed since the snapshot was taken", index + 1)]
    ModuleChanged {
        index: usize,
        expected: String,
        expected_sha256: String,
        actual: String,
        actual_sha256: String,
    },
}

impl Divergence {
    /// The entry (or, for a module, the position in the load order) where it happened.
    pub fn index(&self) -> usize {
        match self {
            Divergence::DifferentCrossing { index, .. }
            | Divergence::DifferentArguments { index, .. }
            | Divergence::PastTheEnd { index, .. }
            | Divergence::WaitingForDelivery { index, .. }
            | Divergence::ModuleChanged { index, .. } => *index,
        }
    }

    /// What the record has there.
    pub fn expected(&self) -> &str {
        match self {
            Divergence::DifferentCrossing { expected, .. }
            | Divergence::DifferentArguments { expected, .. }
            | Divergence::WaitingForDelivery { expected, .. }
            | Divergence::ModuleChanged { expected, .. } => expected,
            Divergence::PastTheEnd { .. } => "the end of the record",
        }
    }

    /// What the program did instead.
    pub fn actual(&self) -> &str {
        match self {
            Divergence::DifferentCrossing { actual, .. }
            | Divergence::DifferentArguments { actual, .. }
            | Divergence::PastTheEnd { actual, .. }
            | Divergence::ModuleChanged { actual, .. } => actual,
            Divergence::WaitingForDelivery { .. } => {
                "no crossing: the program is waiting for a delivery"
            }
        }
    }
}

/// Where a crossing's answer comes from.
pub enum Answer<T> {
    /// From the record: do not perform the crossing.
    Replayed(T),
    /// Perform it live (and record it).
    Live,
}

/// The record so far and, while replaying, the cursor into the old record.
pub struct Membrane {
    log: Vec<Entry>,
    replay: Option<Replay>,
    /// Off only when nothing will ever restore the run (`record: false`).
    recording: bool,
    /// The record is all there is: the run never goes live.
    only_replay: bool,
}

impl Default for Membrane {
    fn default() -> Self {
        Self { log: Vec::new(), replay: None, recording: true, only_replay: false }
    }
}

struct Replay {
    entries: Vec<Entry>,
    next: usize,
    /// Tickets started in the record whose completion it has not delivered yet.
    pending: BTreeMap<u32, (String, Value)>,
    /// Time left on timers that were running when the record was taken.
    timers_left: BTreeMap<u32, u64>,
}

impl Membrane {
    /// A membrane that records from the first crossing.
    pub fn recording() -> Self {
        Self::default()
    }

    /// A membrane that lets crossings through without keeping a record: the
    /// run cannot be snapshotted, and saves the (small) cost of recording.
    pub fn disabled() -> Self {
        Self { recording: false, ..Self::default() }
    }

    /// A membrane that first replays `entries`, then records. `timers_left`
    /// (from the snapshot header) shortens timers that were in flight.
    pub fn replaying(entries: Vec<Entry>, timers_left: BTreeMap<u32, u64>) -> Self {
        let replay = (!entries.is_empty()).then(|| Replay {
            entries,
            next: 0,
            pending: BTreeMap::new(),
            timers_left,
        });
        Self { replay, ..Self::default() }
    }

    /// A membrane that replays `entries` and never goes live: a crossing past
    /// the end of the record diverges.
    pub fn replaying_only(entries: Vec<Entry>, timers_left: BTreeMap<u32, u64>) -> Self {
        let replay = Replay { entries, next: 0, pending: BTreeMap::new(), timers_left };
        Self { replay: Some(replay), only_replay: true, ..Self::default() }
    }

    /// Keeps no record of what happens after the replay: for runs that are
    /// never snapshotted again (a function serving requests).
    pub fn forgetting_live_crossings(mut self) -> Self {
        self.recording = false;
        self
    }

    pub fn is_replaying(&self) -> bool {
        self.replay.is_some()
    }

    /// The index of the entry the replay is at, while replaying.
    pub fn position(&self) -> Option<usize> {
        self.replay.as_ref().map(|replay| replay.next)
    }

    /// Entries of the record not replayed yet.
    pub fn remaining(&self) -> usize {
        self.replay.as_ref().map_or(0, |replay| replay.entries.len() - replay.next)
    }

    /// The full record: replayed entries followed by live ones.
    pub fn entries(&self) -> &[Entry] {
        &self.log
    }

    /// A synchronous crossing: the recorded answer, or `Live`.
    pub fn call(
        &mut self,
        name: &str,
        args: &Value,
    ) -> Result<Answer<Result<Value, CrossingError>>, Divergence> {
        let Some(replay) = self.replay.as_mut() else { return Ok(Answer::Live) };
        let index = replay.next;
        match replay.entries.get(index) {
            Some(Entry::Call { name: n, args: a, result }) if n == name && same(a, args) => {
                let answer = result.clone().into();
                self.advance();
                Ok(Answer::Replayed(answer))
            }
            other => Err(diverged(index, other, name, || {
                format!("call {name}({})", canonical::to_string(args))
            })),
        }
    }

    pub fn record_call(&mut self, name: &str, args: Value, result: &Result<Value, CrossingError>) {
        if !self.recording {
            return;
        }
        self.log.push(Entry::Call { name: name.to_string(), args, result: result.into() });
    }

    /// An asynchronous crossing starting: `Replayed(())` when the record
    /// holds it (its completion will come from the record too), else `Live`.
    pub fn start(
        &mut self,
        ticket: u32,
        name: &str,
        args: &Value,
    ) -> Result<Answer<()>, Divergence> {
        let Some(replay) = self.replay.as_mut() else { return Ok(Answer::Live) };
        let index = replay.next;
        match replay.entries.get(index) {
            Some(Entry::Start { ticket: t, name: n, args: a })
                if *t == ticket && n == name && same(a, args) =>
            {
                replay.pending.insert(ticket, (name.to_string(), args.clone()));
                self.advance();
                Ok(Answer::Replayed(()))
            }
            other => Err(diverged(index, other, name, || {
                format!("start {name}({})", canonical::to_string(args))
            })),
        }
    }

    pub fn record_start(&mut self, ticket: u32, name: &str, args: Value) {
        if !self.recording {
            return;
        }
        self.log.push(Entry::Start { ticket, name: name.to_string(), args });
    }

    /// The next recorded delivery, if the record is at one. `None` means the
    /// record expects the program to cross first (or has ended).
    pub fn next_delivery(&mut self) -> Option<Vec<Value>> {
        let replay = self.replay.as_mut()?;
        let Some(Entry::Deliver { batch }) = replay.entries.get(replay.next) else { return None };
        let batch = batch.clone();
        for delivered in &batch {
            if let Some(ticket) = delivered.get(0).and_then(Value::as_u64) {
                replay.pending.remove(&(ticket as u32));
            }
        }
        self.advance();
        Some(batch)
    }

    pub fn record_delivery(&mut self, batch: &[Value]) {
        if !self.recording {
            return;
        }
        self.log.push(Entry::Deliver { batch: batch.to_vec() });
    }

    /// The divergence of a program that waits for a delivery while the record
    /// has it cross first (or has ended, in a run that never goes live).
    pub fn waiting_for_delivery(&self) -> Option<Divergence> {
        let replay = self.replay.as_ref()?;
        let expected = match replay.entries.get(replay.next) {
            Some(Entry::Deliver { .. }) => return None,
            Some(entry) => entry.describe(),
            None if self.only_replay => "the end of the record".into(),
            None => return None,
        };
        Some(Divergence::WaitingForDelivery { index: replay.next, expected })
    }

    /// Ends the replay once the record is used up, returning the crossings it
    /// started but never completed: they must now be performed live.
    pub fn finish_replay_if_done(&mut self) -> Option<Vec<(u32, String, Value)>> {
        let replay = self.replay.as_ref()?;
        if self.only_replay || replay.next < replay.entries.len() {
            return None;
        }
        let replay = self.replay.take().expect("checked above");
        let resumed = replay.pending.into_iter().map(|(ticket, (name, args))| {
            match replay.timers_left.get(&ticket) {
                Some(left) if name == crate::io::system::TIMER_SLEEP.name => {
                    (ticket, name, serde_json::json!({ "ms": left }))
                }
                _ => (ticket, name, args),
            }
        });
        Some(resumed.collect())
    }

    fn advance(&mut self) {
        let replay = self.replay.as_mut().expect("advance only while replaying");
        self.log.push(replay.entries[replay.next].clone());
        replay.next += 1;
    }
}

fn same(recorded: &Value, actual: &Value) -> bool {
    recorded == actual || canonical::to_string(recorded) == canonical::to_string(actual)
}

fn diverged(
    index: usize,
    expected: Option<&Entry>,
    name: &str,
    actual: impl FnOnce() -> String,
) -> Divergence {
    let actual = actual();
    match expected {
        None => Divergence::PastTheEnd { index, actual },
        Some(entry @ (Entry::Call { name: n, .. } | Entry::Start { name: n, .. }))
            if n == name && entry.kind_name() == actual.split(' ').next().unwrap_or_default() =>
        {
            Divergence::DifferentArguments { index, expected: entry.describe(), actual }
        }
        Some(entry) => Divergence::DifferentCrossing { index, expected: entry.describe(), actual },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record() -> Vec<Entry> {
        let mut live = Membrane::recording();
        live.record_call("clock.now", json!({}), &Ok(json!(1000)));
        live.record_start(1, "timer.sleep", json!({"ms": 10}));
        live.record_start(2, "timer.sleep", json!({"ms": 5}));
        live.record_delivery(&[json!([2, true, null])]);
        live.record_call(
            "console.write",
            json!({"stream": "stdout", "text": "hi\n"}),
            &Ok(Value::Null),
        );
        live.entries().to_vec()
    }

    #[test]
    fn a_faithful_replay_answers_from_the_record_then_goes_live() {
        let mut replay = Membrane::replaying(record(), BTreeMap::new());
        assert!(
            matches!(replay.call("clock.now", &json!({})), Ok(Answer::Replayed(Ok(v))) if v == json!(1000))
        );
        assert!(matches!(
            replay.start(1, "timer.sleep", &json!({"ms": 10})),
            Ok(Answer::Replayed(()))
        ));
        assert!(replay.next_delivery().is_none(), "ticket 2 must start before the delivery");
        assert!(matches!(
            replay.start(2, "timer.sleep", &json!({"ms": 5})),
            Ok(Answer::Replayed(()))
        ));
        assert_eq!(replay.next_delivery(), Some(vec![json!([2, true, null])]));
        let write = json!({"text": "hi\n", "stream": "stdout"}); // key order does not matter
        assert!(matches!(
            replay.call("console.write", &write),
            Ok(Answer::Replayed(Ok(Value::Null)))
        ));
        // Ticket 1 never completed in the record: it must be performed live.
        assert_eq!(
            replay.finish_replay_if_done(),
            Some(vec![(1, "timer.sleep".into(), json!({"ms": 10}))])
        );
        assert!(matches!(replay.call("clock.now", &json!({})), Ok(Answer::Live)));
        assert_eq!(replay.entries(), record().as_slice(), "the new record continues the old one");
    }

    #[test]
    fn an_extra_call_is_reported_at_its_index() {
        let mut replay = Membrane::replaying(record(), BTreeMap::new());
        replay.call("clock.now", &json!({})).unwrap();
        let error = replay.call("clock.now", &json!({})).err().unwrap();
        assert!(matches!(error, Divergence::DifferentCrossing { .. }), "{error:?}");
        assert_eq!(error.index(), 1);
        assert_eq!(error.expected(), r#"start timer.sleep({"ms":10})"#);
        assert_eq!(error.actual(), "call clock.now({})");
    }

    #[test]
    fn a_missing_call_is_reported_at_its_index() {
        let mut replay = Membrane::replaying(record(), BTreeMap::new());
        let error = replay.start(1, "timer.sleep", &json!({"ms": 10})).err().unwrap();
        assert_eq!(error.index(), 0);
        assert_eq!(error.expected(), "call clock.now({})");
    }

    #[test]
    fn changed_arguments_are_reported_with_both_calls() {
        let mut replay = Membrane::replaying(record(), BTreeMap::new());
        replay.call("clock.now", &json!({})).unwrap();
        let error = replay.start(1, "timer.sleep", &json!({"ms": 11})).err().unwrap();
        assert!(matches!(error, Divergence::DifferentArguments { .. }), "{error:?}");
        assert_eq!((error.index(), error.actual()), (1, r#"start timer.sleep({"ms":11})"#));
    }

    #[test]
    fn reordered_starts_are_reported() {
        let mut replay = Membrane::replaying(record(), BTreeMap::new());
        replay.call("clock.now", &json!({})).unwrap();
        let error = replay.start(1, "timer.sleep", &json!({"ms": 5})).err().unwrap();
        assert_eq!(error.index(), 1);
    }

    #[test]
    fn crossings_past_the_end_and_waits_for_missing_deliveries_are_divergences() {
        let mut replay = Membrane::replaying_only(vec![], BTreeMap::new());
        let error = replay.call("clock.now", &json!({})).err().unwrap();
        assert_eq!(
            error.to_string(),
            "replay diverged at entry 0: the record has the end of the record, but the program made call clock.now({})"
        );
        assert_eq!(replay.finish_replay_if_done(), None, "a replay-only run never goes live");
        let waiting = replay.waiting_for_delivery().unwrap();
        assert_eq!(waiting.index(), 0);
        assert!(
            waiting.to_string().ends_with("the program is waiting for a delivery"),
            "{waiting}"
        );

        let replay = Membrane::replaying(record(), BTreeMap::new());
        let waiting = replay.waiting_for_delivery().unwrap();
        assert_eq!(
            waiting,
            Divergence::WaitingForDelivery { index: 0, expected: "call clock.now({})".into() }
        );
    }

    #[test]
    fn snapshots_round_trip_byte_for_byte() {
        let snapshot = Snapshot {
            header: Header {
                format: log::FORMAT_VERSION,
                v8: "test".into(),
                seed: "00".repeat(16),
                main: "file:///app.ts".into(),
                modules: vec![],
                modules_hash: log::modules_hash(&[]),
                flags: [("tz".to_string(), "UTC".to_string())].into(),
                virtual_time: Some(1.5e12),
                pending_timers: [(3, 7)].into(),
                files: None,
            },
            entries: record(),
        };
        let bytes = snapshot.encode();
        let decoded = Snapshot::decode(&bytes).unwrap();
        assert_eq!(decoded, snapshot);
        assert_eq!(decoded.encode(), bytes);
    }

    #[test]
    fn entries_are_written_as_canonical_json_of_their_serde_form() {
        let mut entries = record();
        let error = CrossingError { code: "Unavailable".into(), message: "gone \"away\"".into() };
        entries.push(Entry::Call {
            name: "monitor.x".into(),
            args: json!({"b": [1, {"z": 1, "a": 2}], "a": "é"}),
            result: CallResult::Err(error),
        });
        for entry in &entries {
            let mut written = String::new();
            entry.write_canonical(&mut written);
            assert_eq!(written, canonical::to_string(&serde_json::to_value(entry).unwrap()));
        }
    }

    #[test]
    fn decoding_names_the_bad_line() {
        let error = Snapshot::decode(b"unfold-snapshot 1\n{}\n").unwrap_err();
        assert!(error.to_string().starts_with("snapshot line 2:"), "{error}");
        let error = Snapshot::decode(b"unfold-snapshot 9\n").unwrap_err();
        assert!(error.to_string().contains("format 9"), "{error}");
    }
}
