//! The host of a restored Function: answers the crossings a handler makes at
//! run time — tables, console, logs, time, environment — and parks the
//! deployment's own crossings (resource registrations still pending when the
//! bundle was cut), which have no engine to go to here.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, oneshot};

use crate::bundle::BUNDLE_CAPTURE;
use crate::function::{HttpRequest, HttpResponse, InvokeError, LogSink, UnitCaller};
use crate::tables::{OpenTables, TableError, TableStore};
use unfold_runtime::crossings::{
    CallContext, CrossingSpec, Family, Handler, HandlerSet, Started, Undeclared, ready,
};
use unfold_runtime::io::app::INVOKE_REPLY;
use unfold_runtime::io::system::{Console, ConsoleStream};
use unfold_runtime::io::{Crossing, CrossingError, Inbound};

pub static FUNCTION_READY: CrossingSpec = CrossingSpec::sync(
    "function.ready",
    "`{}` or `{error}`",
    "`null`; the restored program serves its Function (or could not)",
);
const TABLE_KEY: &str = "`{table, key}`";
pub static TABLE_GET: CrossingSpec =
    CrossingSpec::sync("table.get", TABLE_KEY, "the item's JSON value, or `null`");
pub static TABLE_PUT: CrossingSpec =
    CrossingSpec::sync("table.put", "`{table, key, value}`", "`null`");
pub static TABLE_DELETE: CrossingSpec =
    CrossingSpec::sync("table.delete", TABLE_KEY, "whether the item existed");
pub static TABLE_QUERY: CrossingSpec = CrossingSpec::sync(
    "table.query",
    "`{table, prefix, limit?, cursor?}`",
    "`{items: [{key, value}], cursor?}`: items whose key starts with `prefix`, in key order",
);
pub static TABLE_SCAN: CrossingSpec = CrossingSpec::sync(
    "table.scan",
    "`{table, limit?, cursor?}`",
    "`{items: [{key, value}], cursor?}`: every item, in key order",
);
pub static SERVICE_CALL: CrossingSpec = CrossingSpec::asynchronous(
    "service.call",
    "`{service, method, args}`: `args` as structured values (js-lib's `cloud/structured.ts`)",
    "JSON text of `{result}` or `{error: {name, message}}`, what the service's unit answered (text, so a replay sees its keys in their order)",
);
pub static FUNCTION_INVOKE: CrossingSpec = CrossingSpec::asynchronous(
    "function.invoke",
    "`{function, request: {method, path, params, query, headers, body}}`",
    "`{status, headers, body}`, what the Function answered; a handler that threw or did not answer in time fails the crossing",
);
pub static ENGINE_LOG: CrossingSpec = CrossingSpec::asynchronous(
    "engine.Log",
    "Engine `LogRequest` in proto3 JSON (`{severity, message, urn, streamId, ephemeral}`)",
    "`{}`; sent to the engine in the order started (in a Function: to its log)",
);

/// What a restored Function answers at run time; the deployment's own
/// crossings (registrations still pending when the bundle was cut) are parked.
pub static FUNCTION: HandlerSet<FunctionHost> = HandlerSet {
    name: "function",
    handlers: &[
        // Where the replayed deployment hands its Functions over: serve this one.
        Handler::sync(&BUNDLE_CAPTURE, |host, _, _| Ok(json!({ "serve": host.function }))),
        Handler::sync(&FUNCTION_READY, FunctionHost::ready_crossing),
        Handler::sync(&INVOKE_REPLY, |host, _, args| host.reply(args)),
        Handler::sync(&TABLE_GET, FunctionHost::table_call),
        Handler::sync(&TABLE_PUT, FunctionHost::table_call),
        Handler::sync(&TABLE_DELETE, FunctionHost::table_call),
        Handler::sync(&TABLE_QUERY, FunctionHost::table_call),
        Handler::sync(&TABLE_SCAN, FunctionHost::table_call),
        Handler::asynchronous(&SERVICE_CALL, FunctionHost::service_call),
        Handler::asynchronous(&FUNCTION_INVOKE, FunctionHost::function_invoke),
        Handler::asynchronous(&ENGINE_LOG, |host, _, args| ready(host.engine_log(args))),
    ],
    // There is no engine at run time.
    families: &[
        Family { prefix: "monitor.", undeclared: Undeclared::Parked },
        Family { prefix: "engine.", undeclared: Undeclared::Parked },
        Family { prefix: "callbacks.", undeclared: Undeclared::Parked },
    ],
};

pub type Reply = oneshot::Sender<Result<HttpResponse, InvokeError>>;

pub struct FunctionHost {
    function: String,
    log: LogSink,
    tables: OpenTables,
    units: Option<UnitCaller>,
    inbound: UnboundedSender<Inbound>,
    replies: RefCell<HashMap<u64, Reply>>,
    next_invocation: Cell<u64>,
    ready: Rc<Notify>,
    failed: RefCell<Option<String>>,
}

impl FunctionHost {
    /// Serves `function`; requests reach the program through `inbound`.
    pub fn new(
        function: String,
        tables: &TableStore,
        units: Option<UnitCaller>,
        log: LogSink,
        inbound: UnboundedSender<Inbound>,
    ) -> Self {
        Self {
            function,
            log,
            tables: tables.open(),
            units,
            inbound,
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
        let event = Inbound::new("invoke", json!({ "id": id, "request": request }));
        match self.inbound.send(event) {
            Ok(()) => {
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
        self.fail_pending_with(InvokeError::Stopped(reason.to_string()));
    }

    /// Answers every invocation still waiting with `error`.
    pub fn fail_pending_with(&self, error: InvokeError) {
        for (_, reply) in self.replies.borrow_mut().drain() {
            let _ = reply.send(Err(error.clone()));
        }
    }

    /// Where the console of a Function's program goes: its log, line by line.
    pub fn console(&self) -> FunctionConsole {
        FunctionConsole { function: self.function.clone(), log: self.log.clone() }
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

    fn table_call(&self, cx: &mut CallContext<'_>, args: Value) -> Crossing {
        answer_table(&self.tables, cx.name(), &args)
    }

    /// A call to a service: sent to its unit as a request whose body is the
    /// call; the unit's answer (a result, or the error it threw) is the result.
    fn service_call(&self, _: &mut CallContext<'_>, args: &Value) -> Started {
        let service = args.get("service").and_then(Value::as_str).unwrap_or_default().to_string();
        let method = args.get("method").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut request = HttpRequest {
            method: "POST".into(),
            path: format!("/{method}"),
            body: json!({ "method": method, "args": args.get("args") }).to_string(),
            ..Default::default()
        };
        request.add_header("content-type", "application/json".into());
        let called = format!("service '{service}'");
        let answer = match self.call_unit(&called, service, request) {
            Ok(answer) => answer,
            Err(error) => return ready(Err(error)),
        };
        Started::Running(Box::pin(async move {
            let response = answer.await.map_err(|error| {
                CrossingError::host(format!("{called} did not answer {method}: {error}"))
            })?;
            // As text: a record keeps JSON objects' keys in canonical order,
            // and the program must see the result's own order on replay too.
            match serde_json::from_str::<serde::de::IgnoredAny>(&response.body) {
                Ok(_) => Ok(Value::String(response.body)),
                Err(error) => Err(CrossingError::host(format!(
                    "{called} answered {method} with something other than a call's answer ({}): {error}",
                    response.status
                ))),
            }
        }))
    }

    /// A Function invoked through a reference to it: the request goes to its
    /// unit as a route's request would, and its response is the result.
    fn function_invoke(&self, _: &mut CallContext<'_>, args: &Value) -> Started {
        let function = args.get("function").and_then(Value::as_str).unwrap_or_default().to_string();
        let request = match args.get("request").cloned().map(serde_json::from_value::<HttpRequest>)
        {
            Some(Ok(request)) => request,
            _ => {
                let error = "function.invoke needs {function, request: {method, path, params, query, headers, body}}";
                return ready(Err(CrossingError::host(error)));
            }
        };
        let called = format!("Function '{function}'");
        let answer = match self.call_unit(&called, function, request) {
            Ok(answer) => answer,
            Err(error) => return ready(Err(error)),
        };
        Started::Running(Box::pin(async move {
            let response = answer.await.map_err(|error| match error {
                // Its stack is in the Function's own log; the caller gets what was thrown.
                InvokeError::Handler(stack) => CrossingError::host(format!(
                    "{called} failed: {}",
                    stack.lines().next().unwrap_or_default()
                )),
                other => CrossingError::host(format!("{called}: {other}")),
            })?;
            Ok(serde_json::to_value(response)?)
        }))
    }

    /// Sends `request` to the stack's unit `name` through the target's caller.
    fn call_unit(
        &self,
        called: &str,
        name: String,
        request: HttpRequest,
    ) -> Result<futures::future::BoxFuture<'static, Result<HttpResponse, InvokeError>>, CrossingError>
    {
        let caller = self.units.clone().ok_or_else(|| {
            CrossingError::host(format!(
                "cannot call {called}: this target does not call other units yet (the local target does)"
            ))
        })?;
        Ok(caller(name, request))
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

/// Answers the table crossing `name` (`table.get`, `table.put`, …) from `tables`.
pub fn answer_table(tables: &OpenTables, name: &str, args: &Value) -> Crossing {
    let table = args
        .get("table")
        .and_then(Value::as_str)
        .ok_or_else(|| CrossingError::host("table crossings need {table}"))?;
    let text = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_string);
    let key = || text("key").ok_or_else(|| CrossingError::host(format!("{name} needs {{key}}")));
    let limit = args.get("limit").and_then(Value::as_u64).map(|n| n as usize);
    let page = |page: crate::tables::Page| serde_json::to_value(page).map_err(CrossingError::from);
    match name {
        "table.get" => Ok(tables.get(table, &key()?).map_err(table_error)?.unwrap_or(Value::Null)),
        "table.put" => {
            let value = args.get("value").cloned().unwrap_or(Value::Null);
            tables.put(table, &key()?, &value).map_err(table_error)?;
            Ok(Value::Null)
        }
        "table.delete" => Ok(Value::Bool(tables.delete(table, &key()?).map_err(table_error)?)),
        "table.query" | "table.scan" => {
            let prefix = text("prefix").unwrap_or_default();
            let cursor = text("cursor");
            page(tables.query(table, &prefix, limit, cursor.as_deref()).map_err(table_error)?)
        }
        _ => Err(CrossingError::host(format!("unknown table crossing '{name}'"))),
    }
}

fn table_error(error: TableError) -> CrossingError {
    CrossingError::host(error.to_string())
}

/// A Function's console: each line goes to its log, prefixed with its name.
pub struct FunctionConsole {
    function: String,
    log: LogSink,
}

impl Console for FunctionConsole {
    fn write(&self, _stream: ConsoleStream, text: &str) {
        for line in text.lines() {
            (self.log)(&format!("[{}] {line}", self.function));
        }
    }
}
