//! `unfold run` and `unfold resume`: run an application module, hibernate it
//! to a snapshot, and resume it — in another process or on another machine —
//! where it left off.
//!
//! ```text
//! unfold run app.ts --call incr --call incr --save counter.snapshot
//! unfold resume counter.snapshot --call incr
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::Value;
use unfold_runtime::io::system::{ProcessConsole, Seed};
use unfold_runtime::membrane::Snapshot;
use unfold_runtime::session::{AppSession, SessionOptions};

/// What `run` or `resume` starts from.
pub enum Start {
    Module(PathBuf),
    Snapshot(PathBuf),
}

#[derive(Args)]
pub struct SessionArgs {
    /// Call an exported function: `name` or `name=[json, args]`. Repeatable; calls run in order.
    #[arg(long = "call", value_name = "EXPORT[=ARGS]")]
    calls: Vec<String>,
    /// Write the session's snapshot here afterwards.
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
    /// Print each call's result as JSON on stdout.
    #[arg(long)]
    print_results: bool,
    /// Deterministic time: starts at this many ms since the epoch and advances only as timers fire.
    #[arg(long, value_name = "EPOCH_MS")]
    virtual_time: Option<f64>,
    /// Derive the random seed from this name instead of the operating system.
    #[arg(long, value_name = "NAME")]
    seed: Option<String>,
}

/// Runs a session on a single-threaded runtime, paused when its time is virtual.
pub fn main(start: Start, args: SessionArgs) -> ExitCode {
    let virtual_time = args.virtual_time.is_some() || resumes_virtual_time(&start);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(virtual_time)
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("cannot start: {error}")),
    };
    match runtime.block_on(run(start, args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(message),
    }
}

/// Whether `resume` restores a snapshot taken on virtual time (the runtime must then be paused).
fn resumes_virtual_time(start: &Start) -> bool {
    let Start::Snapshot(snapshot) = start else { return false };
    let Ok(bytes) = std::fs::read(snapshot) else { return false };
    Snapshot::decode(&bytes).is_ok_and(|decoded| decoded.header.virtual_time.is_some())
}

fn fail(message: String) -> ExitCode {
    eprintln!("unfold: {message}");
    ExitCode::FAILURE
}

async fn run(start: Start, args: SessionArgs) -> Result<(), String> {
    let mut session = match start {
        Start::Module(module) => {
            AppSession::start(&module, options(&args)).await.map_err(|e| e.to_string())?
        }
        Start::Snapshot(snapshot) => {
            let bytes = std::fs::read(&snapshot)
                .map_err(|e| format!("cannot read {}: {e}", snapshot.display()))?;
            let decoded =
                Snapshot::decode(&bytes).map_err(|e| format!("{}: {e}", snapshot.display()))?;
            AppSession::restore(&decoded, options(&args)).await.map_err(|e| e.to_string())?
        }
    };
    for call in &args.calls {
        let (export, call_args) = parse_call(call)?;
        let result = session.invoke(export, call_args).await.map_err(|e| e.to_string())?;
        if args.print_results {
            println!("{result}");
        }
    }
    if let Some(path) = &args.save {
        std::fs::write(path, session.snapshot().encode())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn options(args: &SessionArgs) -> SessionOptions {
    SessionOptions {
        console: Box::new(ProcessConsole),
        virtual_time_origin: args.virtual_time,
        seed: match &args.seed {
            Some(name) => Seed::DerivedFrom(name.clone()),
            None => Seed::Random,
        },
        record: true,
    }
}

/// `name` or `name=[json, args]`.
fn parse_call(call: &str) -> Result<(&str, Vec<Value>), String> {
    match call.split_once('=') {
        None => Ok((call, Vec::new())),
        Some((export, json)) => match serde_json::from_str::<Value>(json) {
            Ok(Value::Array(args)) => Ok((export, args)),
            Ok(_) => Err(format!(
                "--call {call}: the arguments must be a JSON array, e.g. {export}=[1, \"two\"]"
            )),
            Err(error) => Err(format!("--call {call}: invalid JSON arguments: {error}")),
        },
    }
}
