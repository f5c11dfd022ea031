//! The host of an application: a module whose exported functions are invoked
//! from outside (the `unfold` CLI, a function runtime). Invocations arrive as
//! inbound `invoke` events; the program answers with `invoke.reply`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, oneshot};

use super::host::{Crossing, CrossingError, Inbound};
use crate::crossings::{CallContext, CrossingSpec, Handler, HandlerSet};

pub static APP_CONTEXT: CrossingSpec =
    CrossingSpec::sync("app.context", "`{}`", "`{entryModule}`: the URL of the module to serve");
pub static APP_READY: CrossingSpec = CrossingSpec::sync(
    "app.ready",
    "`{}` or `{error}`",
    "`null`; the module is loaded and listens for invocations (or could not load)",
);
pub static INVOKE_REPLY: CrossingSpec = CrossingSpec::sync(
    "invoke.reply",
    "`{id, value}` or `{id, error}` in a session; `{id, response}` or `{id, error}` in a Function",
    "`null`; answers the inbound `invoke` event `id`",
);

/// An application session's own crossings.
pub static APP: HandlerSet<AppHost> = HandlerSet {
    name: "app",
    handlers: &[
        Handler::sync(&APP_CONTEXT, |host, _, _| Ok(json!({ "entryModule": host.entry_module }))),
        Handler::sync(&APP_READY, AppHost::ready_crossing),
        Handler::sync(&INVOKE_REPLY, |host, _, args| host.reply(args)),
    ],
    families: &[],
};

/// What an invocation returned, or the error it threw (as the program showed it).
pub type InvocationResult = Result<Value, String>;

pub struct AppHost {
    entry_module: String,
    inbound: UnboundedSender<Inbound>,
    invocations: RefCell<HashMap<u64, oneshot::Sender<InvocationResult>>>,
    next_invocation: Cell<u64>,
    ready: Rc<Notify>,
    /// Why the program could not start serving, if it could not.
    failed: RefCell<Option<String>>,
}

impl AppHost {
    /// Serves `entry_module`; invocations go to the program through `inbound`.
    pub fn new(entry_module: String, inbound: UnboundedSender<Inbound>) -> Self {
        Self {
            entry_module,
            inbound,
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
        self.inbound
            .send(Inbound::new("invoke", json!({ "id": id, "export": export, "args": args })))
            .map_err(|_| CrossingError::host("the program has stopped"))?;
        Ok(reply_rx)
    }

    fn ready_crossing(&self, _: &mut CallContext<'_>, args: Value) -> Crossing {
        if let Some(error) = args.get("error").and_then(Value::as_str) {
            *self.failed.borrow_mut() = Some(error.to_string());
        }
        self.ready.notify_one();
        Ok(Value::Null)
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
