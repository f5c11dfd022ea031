//! What serializing a closure needs from V8 (js-lib's
//! `pulumi/runtime/closure`): the values a function captured and where it was
//! defined, and the analysis of its text (`parse`).
//!
//! Captured values are only reachable through V8's inspector, as the Node.js
//! SDK reaches them: `Runtime.getProperties` on the function lists its
//! internal properties, among them `[[Scopes]]`, the scope chain it closes
//! over. Those are inspector handles (object ids), not values; a
//! `Runtime.callFunctionOn` on the probe object the caller left on the global
//! object (under `Symbol.for("unfold.closure.probe")`) hands each one back to
//! JavaScript as a real value.
//!
//! The session is a deno_core local session created for each call: its
//! `dispatch` goes straight to `V8InspectorSession::dispatchProtocolMessage`,
//! which answers synchronously through the session's callback, so it can run
//! inside an op while JavaScript is on the stack (as the Node.js SDK's
//! in-process `inspector.Session` does). Nothing it evaluates calls back into
//! an op, so the session container it borrows is never re-entered.

pub mod parse;
pub mod super_refs;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use deno_core::{InspectorMsg, InspectorMsgKind, InspectorSessionKind, JsRuntimeInspector};
use deno_core::{ModuleLoader, OpState, op2, v8};
use deno_error::JsErrorBox;
use serde_json::{Value, json};

use crate::module_loader::ProgramModuleLoader;

deno_core::extension!(
    unfold_closure,
    ops = [op_closure_internals, op_closure_location, op_closure_parse, op_closure_rewrite_super]
);

/// The runtime's inspector, put in the op state once the runtime exists; weak,
/// because deno_core requires the runtime to hold the only reference at teardown.
pub struct ClosureInspector(pub Weak<JsRuntimeInspector>);

/// The expression that finds the caller's probe object.
const PROBE: &str = "globalThis[Symbol.for(\"unfold.closure.probe\")]";
/// Inspector handles made here are released together.
const GROUP: &str = "unfold-closure";

/// Fills `probe.internal` with the internal properties (`[[Scopes]]`,
/// `[[TargetFunction]]`, `[[BoundThis]]`, `[[BoundArgs]]`, …) of `probe.fn`.
#[op2(fast)]
pub fn op_closure_internals(state: Rc<RefCell<OpState>>) -> Result<(), JsErrorBox> {
    let inspector =
        state.borrow().try_borrow::<ClosureInspector>().and_then(|i| i.0.upgrade()).ok_or_else(
            || JsErrorBox::generic("this runtime has no inspector to read closures with"),
        )?;
    let mut session = Session::new(inspector);
    let result = session.internals();
    session.call("Runtime.releaseObjectGroup", json!({ "objectGroup": GROUP }))?;
    result
}

/// Where `function` was defined: `{ file, line, column }`, zero-based, in the
/// program's own source (through the transpiler's source map, as stack traces
/// are).
#[op2]
#[serde]
pub fn op_closure_location(
    scope: &mut v8::PinScope,
    state: &OpState,
    function: v8::Local<v8::Function>,
) -> serde_json::Value {
    let file = function
        .get_script_origin(scope)
        .resource_name()
        .map(|name| name.to_rust_string_lossy(scope))
        .unwrap_or_default();
    let line = function.get_script_line_number().unwrap_or(0);
    let column = function.get_script_column_number().unwrap_or(0);
    let (line, column) = state
        .try_borrow::<Rc<ProgramModuleLoader>>()
        .and_then(|loader| loader.get_source_map(&file))
        .and_then(|map| deno_ast::swc::sourcemap::SourceMap::from_slice(&map).ok())
        .and_then(|map| map.lookup_token(line, column).map(|t| (t.get_src_line(), t.get_src_col())))
        .unwrap_or((line, column));
    json!({ "file": file, "line": line, "column": column })
}

/// The analysis of a function's text (see `parse::parse_function`):
/// `{ error }` when it cannot be serialized.
#[op2]
#[serde]
pub fn op_closure_parse(#[string] text: String) -> serde_json::Value {
    match parse::parse_function(&text) {
        Ok(parsed) => serde_json::to_value(parsed).expect("plain data serializes"),
        Err(error) => json!({ "error": error }),
    }
}

/// `code` with its `super` references rewritten (see `super_refs`).
#[op2]
#[string]
pub fn op_closure_rewrite_super(
    #[string] code: String,
    is_static: bool,
) -> Result<String, JsErrorBox> {
    super_refs::rewrite_super_references(&code, is_static).map_err(|error| {
        JsErrorBox::generic(format!("the class member could not be rewritten: {error}"))
    })
}

struct Session {
    session: deno_core::LocalInspectorSession,
    replies: Rc<RefCell<Vec<InspectorMsg>>>,
    next_id: i32,
}

impl Session {
    fn new(inspector: Rc<JsRuntimeInspector>) -> Self {
        let replies = Rc::new(RefCell::new(Vec::new()));
        let sink = replies.clone();
        let session = JsRuntimeInspector::create_local_session(
            inspector,
            Box::new(move |msg| sink.borrow_mut().push(msg)),
            InspectorSessionKind::NonBlocking { wait_for_disconnect: false },
        );
        Self { session, replies, next_id: 1 }
    }

    /// Sends `method` and returns its result; the reply arrives during the dispatch.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, JsErrorBox> {
        let id = self.next_id;
        self.next_id += 1;
        self.session.post_message(id, method, Some(params));
        let reply = {
            let mut replies = self.replies.borrow_mut();
            let index = replies
                .iter()
                .position(|m| matches!(m.kind, InspectorMsgKind::Message(i) if i == id));
            index.map(|i| replies.remove(i))
        };
        let reply = reply.ok_or_else(|| {
            JsErrorBox::generic(format!("the inspector did not answer {method} synchronously"))
        })?;
        let mut reply: Value = serde_json::from_str(&reply.content)
            .map_err(|e| JsErrorBox::generic(format!("inspector reply to {method}: {e}")))?;
        if let Some(error) = reply.get("error") {
            return Err(JsErrorBox::generic(format!("inspector {method}: {error}")));
        }
        let result = reply["result"].take();
        if let Some(details) = result.get("exceptionDetails") {
            return Err(JsErrorBox::generic(format!("inspector {method}: {details}")));
        }
        Ok(result)
    }

    fn internals(&mut self) -> Result<(), JsErrorBox> {
        let probe = self.call(
            "Runtime.evaluate",
            json!({ "expression": PROBE, "objectGroup": GROUP, "silent": true }),
        )?;
        let probe_id = object_id(&probe["result"])?;
        let function = self.call(
            "Runtime.callFunctionOn",
            json!({
                "objectId": probe_id,
                "functionDeclaration": "function () { return this.fn; }",
                "objectGroup": GROUP,
                "silent": true,
            }),
        )?;
        let function_id = object_id(&function["result"])?;
        let properties = self.call(
            "Runtime.getProperties",
            json!({ "objectId": function_id, "ownProperties": false }),
        )?;
        let internals = properties["internalProperties"].as_array().cloned().unwrap_or_default();
        for property in internals {
            let (Some(name), Some(value)) = (property["name"].as_str(), property.get("value"))
            else {
                continue;
            };
            self.call(
                "Runtime.callFunctionOn",
                json!({
                    "objectId": probe_id,
                    "functionDeclaration": "function (name, value) { this.internal[name] = value; }",
                    "arguments": [{ "value": name }, call_argument(value)],
                    "silent": true,
                }),
            )?;
        }
        Ok(())
    }
}

fn object_id(remote: &Value) -> Result<&str, JsErrorBox> {
    remote["objectId"]
        .as_str()
        .ok_or_else(|| JsErrorBox::generic(format!("the inspector gave no object for {remote}")))
}

/// A `Runtime.RemoteObject` passed back as a `Runtime.CallArgument`.
fn call_argument(remote: &Value) -> Value {
    if let Some(id) = remote.get("objectId") {
        json!({ "objectId": id })
    } else if let Some(value) = remote.get("unserializableValue") {
        json!({ "unserializableValue": value })
    } else if let Some(value) = remote.get("value") {
        json!({ "value": value })
    } else {
        json!({})
    }
}
