//! The three ops of the IO gateway and the per-run state behind them.

use std::cell::RefCell;
use std::rc::Rc;

use deno_core::{OpState, op2};
use deno_error::JsErrorBox;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::host::{Crossing, Host, Inbound};

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

/// Something ready to be delivered to the program by `op_io_next`.
#[derive(Debug)]
pub enum Ready {
    Completed { ticket: u32, result: Crossing },
    Inbound(Inbound),
}

/// Per-run gateway state, kept in the `OpState`.
pub struct Gateway {
    host: Rc<dyn Host>,
    next_ticket: u32,
    ready_tx: UnboundedSender<Ready>,
    ready_rx: Rc<Mutex<UnboundedReceiver<Ready>>>,
    outcome: Option<Outcome>,
}

impl Gateway {
    pub fn new(host: Rc<dyn Host>) -> Self {
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
        Self { host, next_ticket: 1, ready_tx, ready_rx: Rc::new(Mutex::new(ready_rx)), outcome: None }
    }

    /// The outcome the program reported, if it reached `run.finish`.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }
}

fn into_js_error(error: super::host::CrossingError) -> JsErrorBox {
    JsErrorBox::new("Error", format!("{} ({})", error.message, error.code))
}

#[op2]
#[serde]
fn op_io_call(state: &mut OpState, #[string] name: String, #[serde] args: serde_json::Value) -> Result<serde_json::Value, JsErrorBox> {
    let gateway = state.borrow_mut::<Gateway>();
    if name == "run.finish" {
        let outcome: Outcome = serde_json::from_value(args)
            .map_err(|error| JsErrorBox::type_error(format!("run.finish: {error}")))?;
        gateway.outcome = Some(outcome);
        return Ok(Value::Null);
    }
    gateway.host.call(&name, args).map_err(into_js_error)
}

#[op2]
fn op_io_start(state: &mut OpState, #[string] name: String, #[serde] args: serde_json::Value) -> u32 {
    let gateway = state.borrow_mut::<Gateway>();
    let ticket = gateway.next_ticket;
    gateway.next_ticket += 1;
    let crossing = gateway.host.start(&name, args);
    let ready_tx = gateway.ready_tx.clone();
    deno_core::unsync::spawn(async move {
        let result = crossing.await;
        // The receiver lives as long as the runtime; a send can only fail at teardown.
        let _ = ready_tx.send(Ready::Completed { ticket, result });
    });
    ticket
}

#[op2]
#[serde]
async fn op_io_next(state: Rc<RefCell<OpState>>) -> Result<Vec<serde_json::Value>, JsErrorBox> {
    let ready_rx = state.borrow().borrow::<Gateway>().ready_rx.clone();
    let mut ready_rx = ready_rx
        .try_lock()
        .map_err(|_| JsErrorBox::generic("op_io_next is already waiting: only the pump may call it"))?;
    let first = ready_rx.recv().await.ok_or_else(|| JsErrorBox::generic("the host has shut down"))?;
    let mut batch = vec![batch_entry(first)];
    while let Ok(ready) = ready_rx.try_recv() {
        batch.push(batch_entry(ready));
    }
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
