//! The host of a restored Function: answers the crossings a handler makes at
//! run time — tables, console, logs, time, environment — and parks the
//! deployment's own crossings (resource registrations still pending when the
//! bundle was cut), which have no engine to go to here.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, oneshot};

use crate::function::{HttpRequest, HttpResponse, InvokeError, LogSink};
use crate::tables::{Table, TableError};
use unfold_runtime::io::system::{self, Clock, Console, ConsoleStream};
use unfold_runtime::io::{Crossing, CrossingError, Host, Inbound};

pub type Reply = oneshot::Sender<Result<HttpResponse, InvokeError>>;

pub struct FunctionHost {
    function: String,
    tables_dir: PathBuf,
    environment: BTreeMap<String, String>,
    log: LogSink,
    clock: Clock,
    tables: RefCell<HashMap<String, Rc<Table>>>,
    inbound: RefCell<Option<UnboundedSender<Inbound>>>,
    replies: RefCell<HashMap<u64, Reply>>,
    next_invocation: Cell<u64>,
    ready: Rc<Notify>,
    failed: RefCell<Option<String>>,
}

impl FunctionHost {
    pub fn new(
        function: String,
        tables_dir: PathBuf,
        environment: BTreeMap<String, String>,
        log: LogSink,
    ) -> Self {
        Self {
            function,
            tables_dir,
            environment,
            log,
            clock: Clock::default(),
            tables: RefCell::default(),
            inbound: RefCell::default(),
            replies: RefCell::default(),
            next_invocation: Cell::new(1),
            ready: Rc::new(Notify::new()),
            failed: RefCell::default(),
        }
    }

    /// The Function this host serves.
    pub fn name(&self) -> &str {
        &self.function
    }

    /// Notified once the program serves the Function (or could not).
    pub fn ready(&self) -> Rc<Notify> {
        self.ready.clone()
    }

    /// Why the Function could not be served, if it could not.
    pub fn failure(&self) -> Option<String> {
        self.failed.borrow().clone()
    }

    /// Hands `request` to the handler; `reply` gets its answer.
    pub fn invoke(&self, request: HttpRequest, reply: Reply) {
        let id = self.next_invocation.get();
        self.next_invocation.set(id + 1);
        let sender = self.inbound.borrow().clone();
        let event = Inbound::new("invoke", json!({ "id": id, "request": request }));
        match sender.map(|s| s.send(event)) {
            Some(Ok(())) => {
                self.replies.borrow_mut().insert(id, reply);
            }
            _ => {
                let _ = reply
                    .send(Err(InvokeError::Stopped("the function's program has stopped".into())));
            }
        }
    }

    /// Answers every invocation still waiting: the program is gone.
    pub fn fail_pending(&self, reason: &str) {
        for (_, reply) in self.replies.borrow_mut().drain() {
            let _ = reply.send(Err(InvokeError::Stopped(reason.to_string())));
        }
    }

    fn reply(&self, args: Value) -> Crossing {
        #[derive(Deserialize)]
        struct Reply {
            id: u64,
            response: Option<HttpResponse>,
            error: Option<String>,
        }
        let reply: Reply = serde_json::from_value(args)?;
        let result = match (reply.response, reply.error) {
            (Some(response), None) => Ok(response),
            (_, Some(error)) => {
                (self.log)(&format!("[{}] handler failed: {error}", self.function));
                Err(InvokeError::Handler(error))
            }
            (None, None) => Err(InvokeError::Handler("the handler returned nothing".into())),
        };
        if let Some(waiter) = self.replies.borrow_mut().remove(&reply.id) {
            let _ = waiter.send(result);
        }
        Ok(Value::Null)
    }

    fn table(&self, args: &Value) -> Result<Rc<Table>, CrossingError> {
        let name = args
            .get("table")
            .and_then(Value::as_str)
            .ok_or_else(|| CrossingError::host("table crossings need {table}"))?;
        if let Some(table) = self.tables.borrow().get(name) {
            return Ok(table.clone());
        }
        let table = Rc::new(Table::open(&self.tables_dir, name).map_err(table_error)?);
        self.tables.borrow_mut().insert(name.to_string(), table.clone());
        Ok(table)
    }

    fn table_call(&self, name: &str, args: Value) -> Crossing {
        let table = self.table(&args)?;
        let text = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_string);
        let key =
            || text("key").ok_or_else(|| CrossingError::host(format!("{name} needs {{key}}")));
        let limit = args.get("limit").and_then(Value::as_u64).map(|n| n as usize);
        let page =
            |page: crate::tables::Page| serde_json::to_value(page).map_err(CrossingError::from);
        match name {
            "table.get" => Ok(table.get(&key()?).map_err(table_error)?.unwrap_or(Value::Null)),
            "table.put" => {
                let value = args.get("value").cloned().unwrap_or(Value::Null);
                table.put(&key()?, &value).map_err(table_error)?;
                Ok(Value::Null)
            }
            "table.delete" => Ok(Value::Bool(table.delete(&key()?).map_err(table_error)?)),
            "table.query" => {
                let prefix = text("prefix").unwrap_or_default();
                page(table.query(&prefix, limit, text("cursor").as_deref()).map_err(table_error)?)
            }
            "table.scan" => {
                page(table.scan(limit, text("cursor").as_deref()).map_err(table_error)?)
            }
            _ => Err(CrossingError::host(format!("unknown table crossing '{name}'"))),
        }
    }

    fn environment(&self, name: &str, args: Value) -> Crossing {
        match name {
            "env.get" => {
                let key = args.get("name").and_then(Value::as_str).unwrap_or_default();
                Ok(self.environment.get(key).cloned().map(Value::String).unwrap_or(Value::Null))
            }
            "env.keys" => Ok(json!(self.environment.keys().collect::<Vec<_>>())),
            _ => unfold_runtime::io::environment::call(name, args),
        }
    }

    /// Pulumi log messages from a handler go to the function's log.
    fn engine_log(&self, args: &Value) -> Crossing {
        let severity = args.get("severity").and_then(Value::as_str).unwrap_or("INFO");
        if severity != "DEBUG" {
            let message = args.get("message").and_then(Value::as_str).unwrap_or_default();
            (self.log)(&format!("[{}] {}: {message}", self.function, severity.to_lowercase()));
        }
        Ok(json!({}))
    }
}

fn table_error(error: TableError) -> CrossingError {
    CrossingError::host(error.to_string())
}

impl Console for FunctionHost {
    fn write(&self, _stream: ConsoleStream, text: &str) {
        for line in text.lines() {
            (self.log)(&format!("[{}] {line}", self.function));
        }
    }
}

impl Host for FunctionHost {
    fn call(&self, name: &str, args: Value) -> Crossing {
        match name {
            // Where the replayed deployment hands its Functions over: serve this one.
            "bundle.capture" => Ok(json!({ "serve": self.function })),
            "function.ready" => {
                if let Some(error) = args.get("error").and_then(Value::as_str) {
                    *self.failed.borrow_mut() = Some(error.to_string());
                }
                self.ready.notify_one();
                Ok(Value::Null)
            }
            "invoke.reply" => self.reply(args),
            "console.write" => system::write_console(self, args),
            "clock.now" => Ok(json!(self.clock.now())),
            _ if name.starts_with("table.") => self.table_call(name, args),
            _ if name.starts_with("env.") => self.environment(name, args),
            _ => Err(CrossingError::host(format!("{name} is not available inside a Function"))),
        }
    }

    fn start(&self, name: &str, args: &Value) -> LocalBoxFuture<'static, Crossing> {
        match name {
            "timer.sleep" => system::sleep(args),
            "engine.Log" => Box::pin(futures::future::ready(self.engine_log(args))),
            // The deployment's registrations: there is no engine at run time.
            _ if name.starts_with("monitor.")
                || name.starts_with("engine.")
                || name == "callbacks.address" =>
            {
                Box::pin(futures::future::pending())
            }
            _ => Box::pin(futures::future::ready(Err(CrossingError::host(format!(
                "{name} is not available inside a Function"
            ))))),
        }
    }

    fn attach_inbound(&self, sender: UnboundedSender<Inbound>) {
        *self.inbound.borrow_mut() = Some(sender);
    }
}
