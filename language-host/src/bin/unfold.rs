//! `unfold`: run an application module, hibernate it to a snapshot, and
//! resume it — in another process or on another machine — where it left off.
//!
//! ```text
//! unfold run app.ts --call incr --call incr --save counter.snapshot
//! unfold resume counter.snapshot --call incr
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde_json::Value;
use unfold_host::io::system::{ProcessConsole, Seed};
use unfold_host::membrane::Snapshot;
use unfold_host::session::{AppSession, SessionOptions};

#[derive(Parser)]
#[command(
    name = "unfold",
    version,
    about = "Run programs whose state can be hibernated and restored anywhere"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load a module (TypeScript or JavaScript) and call its exported functions.
    Run {
        module: PathBuf,
        #[command(flatten)]
        session: SessionArgs,
    },
    /// Restore a snapshot written by `--save` and continue calling functions.
    Resume {
        snapshot: PathBuf,
        #[command(flatten)]
        session: SessionArgs,
    },
    /// Deploy a program (tables, functions, HTTP APIs) to the local target and
    /// redeploy it on every change: `unfold dev examples/messages`.
    Dev {
        /// The project directory (where Pulumi.yaml is).
        #[arg(default_value = ".")]
        project: PathBuf,
        /// The stack to deploy.
        #[arg(long, default_value = "dev")]
        stack: String,
    },
}

#[derive(Args)]
struct SessionArgs {
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

fn main() -> ExitCode {
    unfold_host::pin_environment();
    let cli = Cli::parse();
    let session = match &cli.command {
        Command::Run { session, .. } | Command::Resume { session, .. } => session,
        Command::Dev { project, stack } => return dev(project, stack),
    };
    let virtual_time = session.virtual_time.is_some() || resumes_virtual_time(&cli.command);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(virtual_time)
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("cannot start: {error}")),
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(message),
    }
}

/// Whether `resume` restores a snapshot taken on virtual time (the runtime must then be paused).
fn resumes_virtual_time(command: &Command) -> bool {
    let Command::Resume { snapshot, .. } = command else { return false };
    let Ok(bytes) = std::fs::read(snapshot) else { return false };
    Snapshot::decode(&bytes).is_ok_and(|decoded| decoded.header.virtual_time.is_some())
}

/// `unfold dev` is the embedded engine's `dev`: it runs `unfold-engine`
/// installed beside this binary, which finds the language host and the
/// `unfold` resource plugin beside itself.
fn dev(project: &std::path::Path, stack: &str) -> ExitCode {
    let engine = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("unfold-engine")))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from("unfold-engine"));
    let status = std::process::Command::new(&engine)
        .arg("dev")
        .arg("--cwd")
        .arg(project)
        .arg("--stack")
        .arg(stack)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => fail(format!("cannot run {}: {error}", engine.display())),
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("unfold: {message}");
    ExitCode::FAILURE
}

async fn run(command: Command) -> Result<(), String> {
    let (mut session, args) = match command {
        Command::Run { module, session: args } => {
            let session =
                AppSession::start(&module, options(&args)).await.map_err(|e| e.to_string())?;
            (session, args)
        }
        Command::Resume { snapshot, session: args } => {
            let bytes = std::fs::read(&snapshot)
                .map_err(|e| format!("cannot read {}: {e}", snapshot.display()))?;
            let decoded =
                Snapshot::decode(&bytes).map_err(|e| format!("{}: {e}", snapshot.display()))?;
            let session =
                AppSession::restore(&decoded, options(&args)).await.map_err(|e| e.to_string())?;
            (session, args)
        }
        Command::Dev { .. } => {
            unreachable!("`dev` runs the embedded engine before any session starts")
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
