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
use super::host::{BundleCut, Crossing, CrossingError, Host, Inbound};
use crate::membrane::{Answer, Divergence, Membrane};
use crate::module_loader::ProgramModuleLoader;

/// How long a replaying program may sit waiting while the record expects it
/// to cross first, before that counts as a divergence.
const REPLAY_STALL: Duration = Duration::from_millis(500);

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
    host: Rc<dyn Host>,
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
    outcome: Option<Outcome>,
    divergence: Option<Divergence>,
    isolate: Option<v8::IsolateHandle>,
    /// Replay only: a crossing past the end of the record is a divergence.
    record_only: bool,
    /// Set for sequenced delivery: completions waiting for their turn.
    sequencer: Option<Rc<RefCell<Sequencer>>>,
}

impl Gateway {
    /// A gateway whose membrane starts by replaying (or just records, when
    /// `membrane` is `Membrane::recording()`).
    pub fn new(host: Rc<dyn Host>, membrane: Membrane) -> Self {
        let (ready_tx, ready_rx) = unbounded_channel();
        let inbound_tx = ready_tx.clone();
        let (forward_tx, mut forward_rx) = unbounded_channel::<Inbound>();
        host.attach_inbound(forward_tx);
        // Inbound events join the completions so one batch orders them all.
        deno_core::unsync::spawn(async move {
            while let Some(event) = forward_rx.recv().await {
                if inbound_tx.send(Ready::Inbound(event)).is_err() {
                    break;
                }
            }
        });
        Self {
            host,
            membrane,
            next_ticket: 1,
            ready_tx,
            ready_rx: Rc::new(Mutex::new(ready_rx)),
            progress: Rc::new(Notify::new()),
            running: Rc::default(),
            timer_deadlines: Rc::default(),
            went_live: Rc::new(Notify::new()),
            outcome: None,
            divergence: None,
            isolate: None,
            record_only: false,
            sequencer: None,
        }
    }

    /// Chooses how live completions are batched (see `io::delivery`).
    pub fn with_delivery(mut self, order: DeliveryOrder) -> Self {
        self.sequencer = (order == DeliveryOrder::Sequenced).then(Rc::default);
        self
    }

    /// A gateway that only replays and never goes live: a crossing past the
    /// end of the record, or waiting for a delivery it does not hold, diverges.
    pub fn record_only(host: Rc<dyn Host>, membrane: Membrane) -> Self {
        Self { record_only: true, ..Self::new(host, membrane) }
    }

    /// Lets a divergence stop the program at once, wherever it is.
    pub fn set_isolate(&mut self, isolate: v8::IsolateHandle) {
        self.isolate = Some(isolate);
    }

    /// The outcome the program reported, if it reached `run.finish`.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
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

    /// Performs `name` live and delivers its completion under `ticket`.
    fn start_live(&self, ticket: u32, name: &str, args: &Value) {
        if name == "io.quiet" {
            // Answered by the gateway: see `io::delivery`.
            match &self.sequencer {
                Some(sequencer) => sequencer.borrow_mut().started_quiet(ticket),
                None => {
                    let _ =
                        self.ready_tx.send(Ready::Completed { ticket, result: Ok(Value::Null) });
                }
            }
            return;
        }
        if let Some(sequencer) = &self.sequencer {
            sequencer.borrow_mut().started(ticket, name == "timer.sleep");
        }
        if name == "timer.sleep" {
            let ms = args.get("ms").and_then(Value::as_f64).unwrap_or(0.0).max(0.0);
            let due = tokio::time::Instant::now() + Duration::from_secs_f64(ms / 1000.0);
            self.timer_deadlines.borrow_mut().insert(ticket, due);
        }
        let (abort, registration) = AbortHandle::new_pair();
        let crossing = Abortable::new(self.host.start(name, args), registration);
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

    /// Stops a running crossing; the program is told with a `Cancelled`
    /// completion, so its pump never waits for something that will not come.
    fn cancel_live(&self, args: &Value) -> Crossing {
        let ticket = args.get("ticket").and_then(Value::as_u64).ok_or_else(|| CrossingError {
            code: "InvalidArgument".into(),
            message: "io.cancel needs {ticket}".into(),
        })? as u32;
        if let Some(abort) = self.running.borrow_mut().remove(&ticket) {
            abort.abort();
            self.timer_deadlines.borrow_mut().remove(&ticket);
            let cancelled = CrossingError {
                code: "Cancelled".into(),
                message: "cancelled by the program".into(),
            };
            let _ = self.ready_tx.send(Ready::Completed { ticket, result: Err(cancelled) });
        }
        Ok(Value::Null)
    }

    /// Once the record is used up, goes live: crossings the record started
    /// but never completed are performed for real.
    fn go_live_if_replayed(&mut self) {
        if self.record_only {
            return;
        }
        if let Some(unfinished) = self.membrane.finish_replay_if_done() {
            self.went_live.notify_one();
            for (ticket, name, args) in unfinished {
                self.start_live(ticket, &name, &args);
            }
        }
    }
}

/// Hands the record so far to the host, which cuts Function bundles from it.
fn capture_bundle(state: &OpState, args: Value) -> Crossing {
    let loader = state.borrow::<Rc<ProgramModuleLoader>>();
    let main = &state.borrow::<BootstrapModule>().0;
    let gateway = state.borrow::<Gateway>();
    let entries = gateway.membrane.entries();
    let header =
        crate::isolate::snapshot_header(loader, main, entries, gateway.timers_left(), None);
    gateway.host.capture_bundle(BundleCut { entries, header, loader, args })
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
) -> Result<serde_json::Value, JsErrorBox> {
    let gateway = state.borrow_mut::<Gateway>();
    if name == "run.finish" {
        let outcome: Outcome = serde_json::from_value(args)
            .map_err(|error| JsErrorBox::type_error(format!("run.finish: {error}")))?;
        gateway.outcome = Some(outcome);
        return Ok(Value::Null);
    }
    gateway.go_live_if_replayed();
    let result = match gateway.membrane.call(&name, &args) {
        Ok(Answer::Replayed(result)) => {
            gateway.progress.notify_one();
            result
        }
        Ok(Answer::Live) => {
            let result = match name.as_str() {
                "io.cancel" => gateway.cancel_live(&args),
                "bundle.capture" => capture_bundle(state, args.clone()),
                _ => gateway.host.call(&name, args.clone()),
            };
            let gateway = state.borrow_mut::<Gateway>();
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
) -> Result<u32, JsErrorBox> {
    let gateway = state.borrow_mut::<Gateway>();
    let ticket = gateway.next_ticket;
    gateway.next_ticket += 1;
    gateway.go_live_if_replayed();
    match gateway.membrane.start(ticket, &name, &args) {
        Ok(Answer::Replayed(())) => gateway.progress.notify_one(),
        Ok(Answer::Live) => {
            gateway.start_live(ticket, &name, &args);
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
    // made every crossing the record puts before them.
    loop {
        let replaying = {
            let mut state = state.borrow_mut();
            let gateway = state.borrow_mut::<Gateway>();
            gateway.go_live_if_replayed();
            if let Some(batch) = gateway.membrane.next_delivery() {
                return Ok(batch);
            }
            gateway.membrane.is_replaying()
        };
        if !replaying {
            break;
        }
        if tokio::time::timeout(REPLAY_STALL, progress.notified()).await.is_err() {
            let mut state = state.borrow_mut();
            let gateway = state.borrow_mut::<Gateway>();
            let (index, expected) =
                gateway.membrane.expected_next().unwrap_or((0, "nothing".into()));
            let divergence = Divergence {
                index,
                expected,
                actual: "no crossing: the program is waiting for a delivery".into(),
            };
            return Err(gateway.diverge(divergence));
        }
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
    state.borrow_mut().borrow_mut::<Gateway>().membrane.record_delivery(&batch);
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
    ops = [op_io_call, op_io_start, op_io_next],
    options = { gateway: Gateway },
    state = |state, options| {
        state.put(options.gateway);
    },
);
