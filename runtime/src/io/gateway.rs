//! The three ops of the IO gateway and the per-run state behind them. Every
//! crossing passes the membrane here: recorded when live, answered from the
//! record while replaying.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use deno_core::{OpState, op2, v8};
use deno_error::JsErrorBox;
use futures::future::{AbortHandle, Abortable};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::sync::{Mutex, Notify};

use super::delivery::{DeliveryOrder, Sequencer};
use super::host::{Crossing, CrossingError, Inbound};
use super::observer::CrossingObserver;
use super::system::TIMER_SLEEP;
use crate::crossings::{CallContext, Router, Started};
use crate::membrane::{Answer, Divergence, Membrane};

/// How a run ended, as the program reported it with `run.finish`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    /// The program completed.
    Ok,
    /// The program failed and already reported why to the engine.
    Bail,
    /// The program failed; the message has not been reported yet.
    Error { message: String },
}

/// The module the isolate started from, for snapshot headers cut mid-run.
pub struct BootstrapModule(pub String);

/// Something ready to be delivered to the program by `op_io_next`.
#[derive(Debug)]
pub enum Ready {
    Completed { ticket: u32, result: Crossing },
    Inbound(Inbound),
}

/// Per-run gateway state, kept in the `OpState`.
pub struct Gateway {
    membrane: Membrane,
    next_ticket: u32,
    ready_tx: UnboundedSender<Ready>,
    ready_rx: Rc<Mutex<UnboundedReceiver<Ready>>>,
    /// Woken whenever the program crosses, so a replayed delivery can proceed.
    progress: Rc<Notify>,
    /// Notified once a replay has used up its record and the run is live.
    went_live: Rc<Notify>,
    /// Live crossings still running, so `io.cancel` can stop them.
    running: Rc<RefCell<HashMap<u32, AbortHandle>>>,
    /// When each running timer is due, so a snapshot can say what is left.
    timer_deadlines: Rc<RefCell<HashMap<u32, tokio::time::Instant>>>,
    divergence: Option<Divergence>,
    isolate: Option<v8::IsolateHandle>,
    /// Set while `op_io_next` waits for the program to make the crossing the
    /// record has next: if the event loop then goes idle, it never will.
    awaiting_crossing: bool,
    /// Wakes the isolate's event loop, so it looks again whether it is idle
    /// once `op_io_next` (which runs apart from it) starts waiting.
    event_loop: Option<std::task::Waker>,
    /// Set for sequenced delivery: completions waiting for their turn.
    sequencer: Option<Rc<RefCell<Sequencer>>>,
    /// Told of every live crossing (see `io::observer`).
    observer: Option<Rc<dyn CrossingObserver>>,
    /// Called once, just before the replay delivers the entry at this index.
    before_delivery: Option<(usize, Box<dyn FnOnce()>)>,
}

impl Gateway {
    /// A gateway whose membrane starts by replaying (or just records, when
    /// `membrane` is `Membrane::recording()`); inbound events read from
    /// `forward_rx` reach the program in its batches.
    pub(crate) fn new(membrane: Membrane, mut forward_rx: UnboundedReceiver<Inbound>) -> Self {
        let (ready_tx, ready_rx) = unbounded_channel();
        let inbound_tx = ready_tx.clone();
        // Inbound events join the completions so one batch orders them all.
        deno_core::unsync::spawn(async move {
            while let Some(event) = forward_rx.recv().await {
                if inbound_tx.send(Ready::Inbound(event)).is_err() {
                    break;
                }
            }
        });
        Self {
            membrane,
            next_ticket: 1,
            ready_tx,
            ready_rx: Rc::new(Mutex::new(ready_rx)),
            progress: Rc::new(Notify::new()),
            running: Rc::default(),
            timer_deadlines: Rc::default(),
            went_live: Rc::new(Notify::new()),
            divergence: None,
            isolate: None,
            awaiting_crossing: false,
            event_loop: None,
            sequencer: None,
            observer: None,
            before_delivery: None,
        }
    }

    /// Tells `observer` of every live crossing from now on.
    pub(crate) fn with_observer(mut self, observer: Option<Rc<dyn CrossingObserver>>) -> Self {
        self.observer = observer;
        self
    }

    /// Calls `hook` just before the replay delivers the entry at `index` —
    /// outside the program, which is between two turns (where a debugger can
    /// be waited for).
    pub fn before_delivery(&mut self, index: usize, hook: Box<dyn FnOnce()>) {
        self.before_delivery = Some((index, hook));
    }

    /// The hook due before the delivery the replay is at, if any.
    fn take_delivery_hook(&mut self) -> Option<Box<dyn FnOnce()>> {
        let position = self.membrane.position()?;
        let due = matches!(&self.before_delivery, Some((index, _)) if *index == position);
        due.then(|| self.before_delivery.take().map(|(_, hook)| hook)).flatten()
    }

    /// The ticket the next asynchronous crossing will get.
    pub fn next_ticket(&self) -> u32 {
        self.next_ticket
    }

    /// Chooses how live completions are batched (see `io::delivery`).
    pub(crate) fn with_delivery(mut self, order: DeliveryOrder) -> Self {
        self.sequencer = (order == DeliveryOrder::Sequenced).then(Rc::default);
        self
    }

    /// Lets a divergence stop the program at once, wherever it is.
    pub(crate) fn set_isolate(&mut self, isolate: v8::IsolateHandle) {
        self.isolate = Some(isolate);
    }

    /// Why replay stopped, if it did.
    pub fn divergence(&self) -> Option<&Divergence> {
        self.divergence.as_ref()
    }

    pub fn membrane(&self) -> &Membrane {
        &self.membrane
    }

    /// Milliseconds left on each running timer (rounded up), by ticket.
    pub fn timers_left(&self) -> std::collections::BTreeMap<u32, u64> {
        let now = tokio::time::Instant::now();
        self.timer_deadlines
            .borrow()
            .iter()
            .map(|(ticket, due)| {
                (
                    *ticket,
                    (due.saturating_duration_since(now).as_nanos() as u64).div_ceil(1_000_000),
                )
            })
            .collect()
    }

    /// Notified when a replay has finished and the program runs live.
    pub fn went_live(&self) -> Rc<Notify> {
        self.went_live.clone()
    }

    fn diverge(&mut self, divergence: Divergence) -> JsErrorBox {
        let error = JsErrorBox::generic(divergence.to_string());
        if self.divergence.is_none() {
            self.divergence = Some(divergence);
        }
        if let Some(isolate) = &self.isolate {
            isolate.terminate_execution();
        }
        error
    }

    /// Called when the isolate's event loop has gone idle: if the program is
    /// waiting for a delivery while the record has it cross first, nothing
    /// left can make it cross, and the replay has diverged.
    pub(crate) fn stalled(&mut self) -> Option<JsErrorBox> {
        if !self.awaiting_crossing || !self.membrane.is_replaying() {
            return None;
        }
        let divergence = self.membrane.waiting_for_delivery()?;
        Some(self.diverge(divergence))
    }

    /// The waker of the task that drives the event loop, while replaying.
    pub(crate) fn set_event_loop(&mut self, waker: std::task::Waker) {
        self.event_loop = Some(waker);
    }

    /// Whether a replay is under way (only then can the program stall).
    pub(crate) fn is_replaying(&self) -> bool {
        self.membrane.is_replaying()
    }

    /// Stops a running crossing; the program is told with a `Cancelled`
    /// completion, so its pump never waits for something that will not come.
    pub(crate) fn cancel_live(&self, ticket: u32) {
        if let Some(abort) = self.running.borrow_mut().remove(&ticket) {
            abort.abort();
            self.timer_deadlines.borrow_mut().remove(&ticket);
            let cancelled = CrossingError {
                code: "Cancelled".into(),
                message: "cancelled by the program".into(),
            };
            let _ = self.ready_tx.send(Ready::Completed { ticket, result: Err(cancelled) });
        }
    }

    /// Delivers the completion of a crossing the handler started.
    fn track(&self, ticket: u32, name: &str, args: &Value, started: Started) {
        let crossing = match started {
            Started::WhenQuiet => {
                // Answered by the gateway: see `io::delivery`.
                match &self.sequencer {
                    Some(sequencer) => sequencer.borrow_mut().started_quiet(ticket),
                    None => {
                        let _ = self
                            .ready_tx
                            .send(Ready::Completed { ticket, result: Ok(Value::Null) });
                    }
                }
                return;
            }
            Started::Running(crossing) => crossing,
        };
        let is_timer = name == TIMER_SLEEP.name;
        if let Some(sequencer) = &self.sequencer {
            sequencer.borrow_mut().started(ticket, is_timer);
        }
        if is_timer {
            let ms = args.get("ms").and_then(Value::as_f64).unwrap_or(0.0).max(0.0);
            let due = tokio::time::Instant::now() + Duration::from_secs_f64(ms / 1000.0);
            self.timer_deadlines.borrow_mut().insert(ticket, due);
        }
        let (abort, registration) = AbortHandle::new_pair();
        let crossing = Abortable::new(crossing, registration);
        self.running.borrow_mut().insert(ticket, abort);
        let running = self.running.clone();
        let deadlines = self.timer_deadlines.clone();
        let ready_tx = self.ready_tx.clone();
        deno_core::unsync::spawn(async move {
            if let Ok(result) = crossing.await {
                running.borrow_mut().remove(&ticket);
                deadlines.borrow_mut().remove(&ticket);
                // The receiver lives as long as the runtime; a send can only fail at teardown.
                let _ = ready_tx.send(Ready::Completed { ticket, result });
            }
        });
    }
}

/// Performs `name` live through the run's handlers and delivers its
/// completion under `ticket`.
fn start_live(state: &mut OpState, ticket: u32, name: &str, args: &Value) {
    let router = state.borrow::<Rc<Router>>().clone();
    let started = router.start(&mut CallContext::new(state, name, Some(ticket)), name, args);
    state.borrow::<Gateway>().track(ticket, name, args, started);
}

/// Once the record is used up, goes live: crossings the record started but
/// never completed are performed for real.
fn go_live_if_replayed(state: &mut OpState) {
    let gateway = state.borrow_mut::<Gateway>();
    let Some(unfinished) = gateway.membrane.finish_replay_if_done() else { return };
    gateway.went_live.notify_one();
    for (ticket, name, args) in unfinished {
        start_live(state, ticket, &name, &args);
    }
}

fn into_js_error(error: CrossingError) -> JsErrorBox {
    JsErrorBox::new("Error", format!("{} ({})", error.message, error.code))
}

#[op2]
#[serde]
fn op_io_call(
    state: &mut OpState,
    #[string] name: String,
    #[serde] args: serde_json::Value,
    #[smi] context: u32,
) -> Result<serde_json::Value, JsErrorBox> {
    io_call(state, name, args, context)
}

/// `op_io_call` for arguments nested deeper than serde_v8 converts (128
/// levels), which the program sends as JSON text instead.
#[op2]
#[serde]
fn op_io_call_json(
    state: &mut OpState,
    #[string] name: String,
    #[string] args: String,
    #[smi] context: u32,
) -> Result<serde_json::Value, JsErrorBox> {
    io_call(state, name.clone(), deep_args(&name, &args)?, context)
}

fn io_call(
    state: &mut OpState,
    name: String,
    args: serde_json::Value,
    context: u32,
) -> Result<serde_json::Value, JsErrorBox> {
    let router = state.borrow::<Rc<Router>>().clone();
    if router.spec(&name).is_some_and(|spec| !spec.recorded) {
        return router
            .call(&mut CallContext::new(state, &name, None), &name, args)
            .map_err(into_js_error);
    }
    go_live_if_replayed(state);
    let gateway = state.borrow_mut::<Gateway>();
    let result = match gateway.membrane.call(&name, &args) {
        Ok(Answer::Replayed(result)) => {
            gateway.progress.notify_one();
            result
        }
        Ok(Answer::Live) => {
            let result =
                router.call(&mut CallContext::new(state, &name, None), &name, args.clone());
            let gateway = state.borrow_mut::<Gateway>();
            if let Some(observer) = &gateway.observer {
                observer.called(context, &name, &args, &result);
            }
            gateway.membrane.record_call(&name, args, &result);
            result
        }
        Err(divergence) => return Err(gateway.diverge(divergence)),
    };
    result.map_err(into_js_error)
}

#[op2]
fn op_io_start(
    state: &mut OpState,
    #[string] name: String,
    #[serde] args: serde_json::Value,
    #[smi] context: u32,
) -> Result<u32, JsErrorBox> {
    io_start(state, name, args, context)
}

/// `op_io_start` for arguments nested too deep for serde_v8, as JSON text.
#[op2(fast)]
fn op_io_start_json(
    state: &mut OpState,
    #[string] name: String,
    #[string] args: String,
    #[smi] context: u32,
) -> Result<u32, JsErrorBox> {
    io_start(state, name.clone(), deep_args(&name, &args)?, context)
}

/// The deepest nesting a crossing's arguments may have. Values this deep
/// exist (a provider's deeply nested map); deeper ones would only exhaust the
/// stack of whatever walks them next.
const MAX_ARGS_DEPTH: usize = 1024;

/// Parses arguments sent as JSON text because they nest deeper than serde_v8
/// converts, up to [`MAX_ARGS_DEPTH`] levels.
fn deep_args(name: &str, text: &str) -> Result<serde_json::Value, JsErrorBox> {
    let depth = nesting_depth(text);
    if depth > MAX_ARGS_DEPTH {
        return Err(JsErrorBox::range_error(format!(
            "the arguments of crossing '{name}' nest {depth} levels deep; at most {MAX_ARGS_DEPTH} can cross"
        )));
    }
    let mut parser = serde_json::Deserializer::from_str(text);
    parser.disable_recursion_limit();
    serde::Deserialize::deserialize(&mut parser).map_err(|error| {
        JsErrorBox::type_error(format!("the arguments of crossing '{name}' are not JSON: {error}"))
    })
}

/// How deep arrays and objects nest in JSON text (brackets inside strings
/// do not count).
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for byte in text.bytes() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn io_start(
    state: &mut OpState,
    name: String,
    args: serde_json::Value,
    context: u32,
) -> Result<u32, JsErrorBox> {
    let gateway = state.borrow_mut::<Gateway>();
    let ticket = gateway.next_ticket;
    gateway.next_ticket += 1;
    go_live_if_replayed(state);
    let gateway = state.borrow_mut::<Gateway>();
    match gateway.membrane.start(ticket, &name, &args) {
        Ok(Answer::Replayed(())) => gateway.progress.notify_one(),
        Ok(Answer::Live) => {
            start_live(state, ticket, &name, &args);
            let gateway = state.borrow_mut::<Gateway>();
            if let Some(observer) = &gateway.observer {
                observer.started(context, ticket, &name, &args);
            }
            gateway.membrane.record_start(ticket, &name, args);
        }
        Err(divergence) => return Err(gateway.diverge(divergence)),
    }
    Ok(ticket)
}

// Lazy: the batch is taken only when the event loop polls, after the program's
// microtasks have drained, never during the call. A batch taken eagerly would
// interleave with the previous batch's continuations in a way the record does
// not capture, so replay could not reproduce it.
#[op2(async(lazy), fast)]
#[serde]
async fn op_io_next(state: Rc<RefCell<OpState>>) -> Result<Vec<serde_json::Value>, JsErrorBox> {
    let (ready_rx, progress, sequencer) = {
        let state = state.borrow();
        let gateway = state.borrow::<Gateway>();
        (gateway.ready_rx.clone(), gateway.progress.clone(), gateway.sequencer.clone())
    };
    let mut ready_rx = ready_rx.try_lock().map_err(|_| {
        JsErrorBox::generic("op_io_next is already waiting: only the pump may call it")
    })?;
    // While replaying, deliveries come from the record once the program has
    // made every crossing the record puts before them. Until it has, the
    // program is working; should the event loop go idle meanwhile, nothing can
    // make it cross any more, and `Gateway::stalled` reports the divergence.
    loop {
        let hook = state.borrow_mut().borrow_mut::<Gateway>().take_delivery_hook();
        if let Some(hook) = hook {
            hook();
        }
        let replaying = {
            let mut state = state.borrow_mut();
            go_live_if_replayed(&mut state);
            let gateway = state.borrow_mut::<Gateway>();
            if let Some(batch) = gateway.membrane.next_delivery() {
                gateway.awaiting_crossing = false;
                return Ok(batch);
            }
            let replaying = gateway.membrane.is_replaying();
            if replaying && !gateway.awaiting_crossing {
                gateway.awaiting_crossing = true;
                if let Some(event_loop) = &gateway.event_loop {
                    event_loop.wake_by_ref();
                }
            }
            replaying
        };
        if !replaying {
            break;
        }
        progress.notified().await;
    }
    let shut_down = || JsErrorBox::generic("the host has shut down");
    let batch = match sequencer {
        None => {
            let first = ready_rx.recv().await.ok_or_else(shut_down)?;
            let mut batch = vec![batch_entry(first)];
            while let Ok(ready) = ready_rx.try_recv() {
                batch.push(batch_entry(ready));
            }
            batch
        }
        Some(sequencer) => loop {
            while let Ok(ready) = ready_rx.try_recv() {
                sequencer.borrow_mut().arrived(ready);
            }
            if let Some(ready) = sequencer.borrow_mut().take_next() {
                break vec![batch_entry(ready)];
            }
            let ready = ready_rx.recv().await.ok_or_else(shut_down)?;
            sequencer.borrow_mut().arrived(ready);
        },
    };
    let mut state = state.borrow_mut();
    let gateway = state.borrow_mut::<Gateway>();
    if let Some(observer) = &gateway.observer {
        observer.delivered(&batch);
    }
    gateway.membrane.record_delivery(&batch);
    Ok(batch)
}

fn batch_entry(ready: Ready) -> Value {
    match ready {
        Ready::Completed { ticket, result: Ok(value) } => json!([ticket, true, value]),
        Ready::Completed { ticket, result: Err(error) } => json!([ticket, false, error]),
        Ready::Inbound(event) => json!([0, true, event]),
    }
}

deno_core::extension!(
    unfold_io,
    ops = [op_io_call, op_io_call_json, op_io_start, op_io_start_json, op_io_next],
    options = { gateway: Gateway },
    state = |state, options| {
        state.put(options.gateway);
    },
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings() {
        assert_eq!(nesting_depth(r#"{"a":[1,{"b":"[[[{"}]}"#), 3);
        assert_eq!(nesting_depth(r#"["\"[", {}]"#), 2);
        assert_eq!(nesting_depth("1"), 0);
    }

    #[test]
    fn deep_arguments_cross_up_to_the_limit() {
        let nested = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        let value = deep_args("test.deep", &nested(300)).unwrap();
        let mut depth = 0;
        let mut at = &value;
        while let Some(inner) = at.get(0) {
            depth += 1;
            at = inner;
        }
        assert_eq!((depth, at), (300, &serde_json::json!(1)));
        let error = deep_args("test.deep", &nested(MAX_ARGS_DEPTH + 1)).unwrap_err();
        assert!(error.to_string().contains("'test.deep' nest 1025 levels deep"), "{error}");
    }
}
