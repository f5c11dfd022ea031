//! The host of an application: a module whose exported functions are invoked
//! from outside (the `unfold` CLI, a function runtime). Invocations arrive as
//! inbound `invoke` events; the program answers with `invoke.reply`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, oneshot};

use super::host::{Crossing, CrossingError, Host, Inbound};
use super::system::{self, Clock, Console, Seed};

/// What an invocation returned, or the error it threw (as the program showed it).
pub type InvocationResult = Result<Value, String>;

pub struct AppHost {
    entry_module: String,
    console: Box<dyn Console>,
    clock: Clock,
    seed: String,
    inbound: RefCell<Option<UnboundedSender<Inbound>>>,
    invocations: RefCell<HashMap<u64, oneshot::Sender<InvocationResult>>>,
    next_invocation: Cell<u64>,
    ready: Rc<Notify>,
    /// Why the program could not start serving, if it could not.
    failed: RefCell<Option<String>>,
}

impl AppHost {
    pub fn new(entry_module: String, console: Box<dyn Console>, clock: Clock, seed: Seed) -> Self {
        Self {
            entry_module,
            console,
            clock,
            seed: seed.generate(),
            inbound: RefCell::new(None),
            invocations: RefCell::new(HashMap::new()),
            next_invocation: Cell::new(1),
            ready: Rc::new(Notify::new()),
            failed: RefCell::new(None),
        }
    }

    /// The error that kept the program from loading, if any.
    pub fn load_error(&self) -> Option<String> {
        self.failed.borrow().clone()
    }

    /// Numbers invocations after those already in a restored record, so a
    /// restored run records exactly what an uninterrupted one would.
    pub fn continue_after(&self, invocations_so_far: u64) {
        self.next_invocation.set(invocations_so_far + 1);
    }

    /// The clock now, if it is virtual.
    pub fn virtual_time(&self) -> Option<f64> {
        matches!(self.clock, Clock::Virtual { .. }).then(|| self.clock.now())
    }

    /// Notified when the program has loaded and listens for invocations.
    pub fn ready(&self) -> Rc<Notify> {
        self.ready.clone()
    }

    /// Delivers an invocation of the exported function `export`; the receiver
    /// yields its result once the program replies (drive the event loop meanwhile).
    pub fn invoke(
        &self,
        export: &str,
        args: Vec<Value>,
    ) -> Result<oneshot::Receiver<InvocationResult>, CrossingError> {
        let id = self.next_invocation.get();
        self.next_invocation.set(id + 1);
        let (reply_tx, reply_rx) = oneshot::channel();
        self.invocations.borrow_mut().insert(id, reply_tx);
        let sender = self
            .inbound
            .borrow()
            .clone()
            .ok_or_else(|| CrossingError::host("the program is not running"))?;
        sender
            .send(Inbound::new("invoke", json!({ "id": id, "export": export, "args": args })))
            .map_err(|_| CrossingError::host("the program has stopped"))?;
        Ok(reply_rx)
    }

    fn reply(&self, args: Value) -> Crossing {
        #[derive(Deserialize)]
        struct Reply {
            id: u64,
            value: Option<Value>,
            error: Option<String>,
        }
        let reply: Reply = serde_json::from_value(args)?;
        let waiter = self.invocations.borrow_mut().remove(&reply.id);
        // An invocation restored from a record has nobody waiting for it.
        if let Some(waiter) = waiter {
            let _ = waiter.send(match reply.error {
                Some(error) => Err(error),
                None => Ok(reply.value.unwrap_or(Value::Null)),
            });
        }
        Ok(Value::Null)
    }
}

impl Host for AppHost {
    fn call(&self, name: &str, args: Value) -> Crossing {
        match name {
            "app.context" => Ok(json!({ "entryModule": self.entry_module })),
            "app.ready" => {
                if let Some(error) = args.get("error").and_then(Value::as_str) {
                    *self.failed.borrow_mut() = Some(error.to_string());
                }
                self.ready.notify_one();
                Ok(Value::Null)
            }
            "invoke.reply" => self.reply(args),
            "console.write" => system::write_console(self.console.as_ref(), args),
            "clock.now" => Ok(json!(self.clock.now())),
            "random.seed" => Ok(Value::String(self.seed.clone())),
            _ => Err(CrossingError::host(format!("unknown synchronous crossing '{name}'"))),
        }
    }

    fn start(&self, name: &str, args: &Value) -> LocalBoxFuture<'static, Crossing> {
        match name {
            "timer.sleep" => system::sleep(args),
            _ => Box::pin(futures::future::ready(Err(CrossingError::host(format!(
                "unknown asynchronous crossing '{name}'"
            ))))),
        }
    }

    fn attach_inbound(&self, sender: UnboundedSender<Inbound>) {
        *self.inbound.borrow_mut() = Some(sender);
    }
}
