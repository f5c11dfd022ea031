//! Cuts an instance's live crossings into one record per invocation.
//!
//! An instance may serve several invocations at once, their crossings
//! interleaved. The Function's program runs each in its own context (the
//! invocation's id, see `io::observer`), so every call and start is tagged
//! with its invocation; a completion belongs to whoever started its ticket,
//! and a request to the invocation it opens. Each record then holds only its
//! own entries, with tickets renumbered as the invocation gets them when it
//! replays alone on a freshly restored instance.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use unfold_runtime::io::Crossing;
use unfold_runtime::io::app::INVOKE_REPLY;
use unfold_runtime::io::observer::CrossingObserver;
use unfold_runtime::membrane::Entry;

use crate::invocation_record::{InvocationRecord, InvocationSummary};
use crate::invocation_store::InvocationStore;

/// Where an instance's records go, and what names them.
pub struct InvocationRecorder {
    function: String,
    bundle: String,
    store: Arc<InvocationStore>,
    /// Where a failed invocation is named, so it can be found to replay.
    log: crate::function::LogSink,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// Until the instance serves: its crossings after the restore.
    prologue: Vec<Entry>,
    /// The ticket an invocation replayed alone starts numbering from; set
    /// once the instance serves.
    first_ticket: Option<u32>,
    open: HashMap<u32, Open>,
    /// Live ticket → (invocation, its ticket in the invocation's record).
    tickets: HashMap<u32, (u32, u32)>,
}

struct Open {
    id: String,
    time_ms: u64,
    started: Instant,
    method: String,
    path: String,
    entries: Vec<Entry>,
    next_ticket: u32,
}

impl InvocationRecorder {
    pub fn new(
        function: String,
        bundle: String,
        store: Arc<InvocationStore>,
        log: crate::function::LogSink,
    ) -> Rc<Self> {
        Rc::new(Self { function, bundle, store, log, state: RefCell::default() })
    }

    /// The instance is restored and serves: what it crossed so far is the
    /// prologue of every record; `next_ticket` is the ticket its next start gets.
    pub fn serving(&self, next_ticket: u32) {
        self.state.borrow_mut().first_ticket = Some(next_ticket);
    }

    /// The instance stopped with invocations unanswered (a timeout, the memory
    /// limit): each is recorded with `status` and `reason`.
    pub fn abandon(&self, status: u16, reason: &str) {
        let open: Vec<Open> = self.state.borrow_mut().open.drain().map(|(_, open)| open).collect();
        for open in open {
            self.finish(open, status, Some(reason.to_string()));
        }
    }

    fn finish(&self, open: Open, status: u16, error: Option<String>) {
        let prologue = self.state.borrow().prologue.clone();
        let record = InvocationRecord {
            summary: InvocationSummary {
                id: open.id,
                function: self.function.clone(),
                bundle: self.bundle.clone(),
                time_ms: open.time_ms,
                method: open.method,
                path: open.path,
                status,
                duration_ms: open.started.elapsed().as_secs_f64() * 1000.0,
                error: error.map(|text| text.lines().next().unwrap_or_default().to_string()),
                redacted: false,
                truncated: false,
            },
            prologue,
            entries: open.entries,
        };
        if record.summary.failed() {
            let id = &record.summary.id;
            (self.log)(&format!(
                "invocation {id} answered {status}; replay it with `unfold replay {id}`",
                status = record.summary.status
            ));
        }
        self.store.save(record);
    }

    /// Opens the record of the invocation an `invoke` event starts.
    fn open(&self, state: &mut State, event: &Value, item: &Value) {
        let Some(id) = event.get("id").and_then(Value::as_u64) else { return };
        let request = event.get("request");
        let text = |key: &str| {
            request.and_then(|r| r.get(key)).and_then(Value::as_str).unwrap_or_default().to_string()
        };
        let time_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as u64)
            .unwrap_or_default();
        let open = Open {
            id: self.store.new_id(time_ms),
            time_ms,
            started: Instant::now(),
            method: text("method"),
            path: text("path"),
            entries: vec![Entry::Deliver { batch: vec![item.clone()] }],
            next_ticket: state.first_ticket.unwrap_or(1),
        };
        state.open.insert(id as u32, open);
    }
}

impl CrossingObserver for InvocationRecorder {
    fn called(&self, context: u32, name: &str, args: &Value, result: &Crossing) {
        let mut state = self.state.borrow_mut();
        let entry = Entry::Call { name: name.into(), args: args.clone(), result: result.into() };
        if state.first_ticket.is_none() {
            state.prologue.push(entry);
            return;
        }
        let Some(open) = state.open.get_mut(&context) else { return };
        open.entries.push(entry);
        if name != INVOKE_REPLY.name {
            return;
        }
        let open = state.open.remove(&context).expect("found above");
        drop(state);
        let (status, error) = match (args.get("response"), args.get("error")) {
            (_, Some(Value::String(error))) => (500, Some(error.clone())),
            (Some(response), _) => {
                (response.get("status").and_then(Value::as_u64).unwrap_or(200) as u16, None)
            }
            _ => (500, Some("the handler returned nothing".to_string())),
        };
        self.finish(open, status, error);
    }

    fn started(&self, context: u32, ticket: u32, name: &str, args: &Value) {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        if state.first_ticket.is_none() {
            state.prologue.push(Entry::Start { ticket, name: name.into(), args: args.clone() });
            return;
        }
        let Some(open) = state.open.get_mut(&context) else { return };
        let own = open.next_ticket;
        open.next_ticket += 1;
        state.tickets.insert(ticket, (context, own));
        open.entries.push(Entry::Start { ticket: own, name: name.into(), args: args.clone() });
    }

    fn delivered(&self, batch: &[Value]) {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        if state.first_ticket.is_none() {
            state.prologue.push(Entry::Deliver { batch: batch.to_vec() });
            return;
        }
        // Each invocation gets its share of the batch, in the batch's order.
        let mut shares: Vec<(u32, Vec<Value>)> = Vec::new();
        for item in batch {
            let ticket = item.get(0).and_then(Value::as_u64).unwrap_or_default() as u32;
            if ticket == 0 {
                let event = item.get(2).cloned().unwrap_or_default();
                if event.get("event").and_then(Value::as_str) == Some("invoke") {
                    self.open(state, &event, item);
                }
                continue;
            }
            let Some((invocation, own)) = state.tickets.remove(&ticket) else { continue };
            let mut item = item.clone();
            item[0] = json!(own);
            match shares.iter_mut().find(|(owner, _)| *owner == invocation) {
                Some((_, items)) => items.push(item),
                None => shares.push((invocation, vec![item])),
            }
        }
        for (invocation, items) in shares {
            if let Some(open) = state.open.get_mut(&invocation) {
                open.entries.push(Entry::Deliver { batch: items });
            }
        }
    }
}
