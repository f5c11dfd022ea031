//! `unfold invocations` and `unfold replay`: the invocations a stack's
//! Functions recorded on the local target, and any one of them replayed in a
//! local isolate — the handler sees exactly what it saw live, and the replay
//! says whether it did exactly what it did live.
//!
//! ```text
//! unfold invocations --cwd examples/messages
//! unfold replay 1764547200000-a1b2c3 --cwd examples/messages --inspect-brk
//! ```

use std::cell::RefCell;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};

use clap::Args;
use serde_json::Value;
use unfold_function_runtime::invocation_record::{InvocationRecord, InvocationSummary};
use unfold_function_runtime::invocation_replay::{BeforeStart, ReplaySpec, replay};
use unfold_function_runtime::invocation_store;
use unfold_provider::state::StateDir;
use unfold_runtime::isolate::Isolate;

use unfold_function_runtime::inspector_server::{
    Inspect, InspectorServer, Listener, Registration, Targets,
};

#[derive(Args)]
pub struct LocalStackArgs {
    /// The project directory (where Pulumi.yaml is).
    #[arg(long, default_value = ".")]
    cwd: PathBuf,
    #[arg(long, default_value = "dev")]
    stack: String,
}

impl LocalStackArgs {
    /// The stack's local target: `<project>/.unfold/<stack>/local`.
    fn state(&self) -> StateDir {
        StateDir::new(self.cwd.join(".unfold").join(&self.stack).join("local"))
    }
}

#[derive(Args)]
pub struct InvocationsArgs {
    /// Only this Function's invocations (default: every Function's).
    function: Option<String>,
    /// Only failed invocations (500, 504).
    #[arg(long)]
    failed: bool,
    /// One JSON summary per line instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    stack: LocalStackArgs,
}

#[derive(Args)]
pub struct ReplayArgs {
    /// The invocation's id, as `unfold invocations` lists it.
    invocation: String,
    /// Serve the V8 inspector protocol (Chrome DevTools, VS Code) while replaying.
    #[arg(long, value_name = "HOST:PORT", num_args = 0..=1, default_missing_value = "127.0.0.1:9229")]
    inspect: Option<SocketAddr>,
    /// As --inspect, and wait for a debugger, paused before the first statement.
    #[arg(long = "inspect-brk", value_name = "HOST:PORT", num_args = 0..=1, default_missing_value = "127.0.0.1:9229", conflicts_with = "inspect")]
    inspect_brk: Option<SocketAddr>,
    #[command(flatten)]
    stack: LocalStackArgs,
}

pub fn list(args: InvocationsArgs) -> ExitCode {
    let state = args.stack.state();
    let functions = match args.function {
        Some(name) => vec![name],
        None => state.function_names(),
    };
    let mut summaries = Vec::new();
    for name in &functions {
        match state.deployed_function(name) {
            Ok(function) => summaries.extend(invocation_store::list(&function.invocations)),
            Err(error) => return fail(error),
        }
    }
    summaries.retain(|summary| !args.failed || summary.failed());
    summaries.sort_by(|a, b| a.id.cmp(&b.id));
    if args.json {
        for summary in &summaries {
            println!("{}", serde_json::to_string(summary).expect("summaries serialize"));
        }
    } else if summaries.is_empty() {
        eprintln!("no invocations recorded in {}", state.path().display());
    } else {
        print_table(&summaries);
    }
    ExitCode::SUCCESS
}

fn print_table(summaries: &[InvocationSummary]) {
    let rows: Vec<[String; 6]> = summaries
        .iter()
        .map(|s| {
            [
                s.id.clone(),
                time(s.time_ms),
                s.function.clone(),
                format!("{} {}", s.method, s.path),
                s.status.to_string(),
                format!("{:.1} ms", s.duration_ms),
            ]
        })
        .collect();
    let header = ["ID", "TIME", "FUNCTION", "ROUTE", "STATUS", "DURATION"].map(String::from);
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> =
            row.iter().zip(widths).map(|(cell, width)| format!("{cell:width$}")).collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

fn time(ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms)).to_string()
}

pub fn replay_one(args: ReplayArgs) -> ExitCode {
    let state = args.stack.state();
    let (record, function) = match find(&state, &args.invocation) {
        Ok(found) => found,
        Err(error) => return fail(error),
    };
    let summary = record.summary.clone();
    eprintln!(
        "replaying invocation {} of Function '{}': {} {} answered {} ({})",
        summary.id,
        summary.function,
        summary.method,
        summary.path,
        summary.status,
        time(summary.time_ms)
    );
    let inspect = match (args.inspect, args.inspect_brk) {
        (Some(address), _) => Some(Inspect { address, wait: false }),
        (_, Some(address)) => Some(Inspect { address, wait: true }),
        _ => None,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("cannot start: {error}")),
    };
    let listener = match inspect.map(|inspect| Listener::bind(inspect.address)).transpose() {
        Ok(listener) => listener,
        Err(error) => return fail(error),
    };
    // Kept until the replay ends, so a debugger stays attached throughout.
    let server: Rc<RefCell<Option<(Registration, InspectorServer)>>> = Rc::default();
    let before_start = inspect.zip(listener).map(|(inspect, listener)| {
        let (server, title) = (server.clone(), format!("invocation {}", summary.id));
        Box::new(move |isolate: &mut Isolate| {
            let targets = Targets::default();
            let started = InspectorServer::start(listener, targets.clone(), "unfold replay")
                .and_then(|started| Ok((targets.register(&title, isolate)?, started)));
            match started {
                Ok((registration, started)) => {
                    announce(&registration.websocket_url(&started), started.address());
                    let wait = wait_for_debugger(isolate, inspect.wait);
                    *server.borrow_mut() = Some((registration, started));
                    Some(wait)
                }
                Err(error) => {
                    eprintln!("cannot serve the inspector: {error}");
                    None
                }
            }
        }) as BeforeStart
    });
    let function_timeout = function.timeout;
    let spec = ReplaySpec {
        record,
        secrets: function.secrets,
        environment: function.environment,
        timeout: inspect.is_none().then_some(function_timeout),
        inspect_source_maps: inspect.is_some(),
        before_start,
    };
    let report = match runtime.block_on(replay(spec)) {
        Ok(report) => report,
        Err(error) => return fail(error),
    };
    server.borrow_mut().take();
    for (stream, text) in &report.console {
        match stream.as_str() {
            "stderr" => eprint!("{text}"),
            _ => print!("{text}"),
        }
    }
    match report.timed_out {
        true => eprintln!("the handler did not answer within {function_timeout:?}"),
        false => print_reply(report.reply.as_ref()),
    }
    match report.divergence {
        None => {
            eprintln!("the replay matched the record: the same crossings and the same answer");
            ExitCode::SUCCESS
        }
        Some(divergence) => fail(divergence.to_string()),
    }
}

fn print_reply(reply: Option<&Value>) {
    let Some(reply) = reply else {
        eprintln!("the handler did not answer");
        return;
    };
    if let Some(error) = reply.get("error").and_then(Value::as_str) {
        eprintln!("the handler failed: {error}");
        return;
    }
    let response = reply.get("response").cloned().unwrap_or_default();
    let status = response.get("status").and_then(Value::as_u64).unwrap_or(200);
    eprintln!("the handler answered {status}");
    if let Some(body) = response.get("body").and_then(Value::as_str) {
        println!("{body}");
    }
}

/// The record `id` and the Function it belongs to.
fn find(
    state: &StateDir,
    id: &str,
) -> Result<(InvocationRecord, unfold_provider::state::DeployedFunction), String> {
    for name in state.function_names() {
        let function = state.deployed_function(&name)?;
        if let Some(record) = invocation_store::find(&function.invocations, id)? {
            return Ok((record, function));
        }
    }
    Err(format!(
        "no invocation {id} is recorded in {}; `unfold invocations` lists those that are",
        state.path().display()
    ))
}

fn fail(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// Tells the user where the debugger attaches.
fn announce(url: &str, address: SocketAddr) {
    eprintln!("Debugger listening on {url}");
    eprintln!(
        "Visit chrome://inspect to connect to it, or attach VS Code (type \"node\", request \"attach\", port {}).",
        address.port()
    );
}

/// What waits for a debugger once the Function is restored: the replay then
/// takes up the invocation with the debugger attached — paused on its first
/// statement with `pause`, until the debugger resumes.
fn wait_for_debugger(isolate: &Isolate, pause: bool) -> Box<dyn FnOnce()> {
    // Weak: the isolate's runtime must be the last to hold its inspector.
    let inspector = Rc::downgrade(&isolate.inspector());
    Box::new(move || {
        let Some(inspector) = inspector.upgrade() else { return };
        eprintln!("Waiting for a debugger to attach (the invocation is about to start)...");
        match pause {
            true => inspector.wait_for_session_and_break_on_next_statement(),
            false => inspector.wait_for_session(),
        }
    })
}
