//! Runs one Pulumi program in a fresh isolate and reports how it ended.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use deno_core::v8;
use serde_json::Value;
use unfold_proto::LogRequest;

use crate::pulumi_host::{PULUMI, PulumiHost};
use crate::service_isolates::{Launcher, ServiceIsolates, ServiceLaunch};
use unfold_runtime::crossings::OUTCOME;
use unfold_runtime::io::Outcome;
use unfold_runtime::io::delivery::DeliveryOrder;
use unfold_runtime::io::environment::{ENVIRONMENT, Environment};
use unfold_runtime::io::files::FILES;
use unfold_runtime::io::http::HTTP;
use unfold_runtime::io::processes::PROCESSES;
use unfold_runtime::io::system::{Clock, Console, SYSTEM, System};
use unfold_runtime::membrane::{Membrane, Snapshot};
use unfold_runtime::module_loader::{ModuleRecord, ProgramFiles, ProgramModuleLoader};
use unfold_runtime::run::RunBuilder;

/// What Pulumi runs are called in messages.
const PULUMI_RUN: &str = "a Pulumi program run";

/// Everything a run needs besides the program's files.
pub struct ProgramRun {
    /// The answer to the `run.context` crossing (see docs/host-io.md).
    pub context: Value,
    /// The entry module's path, for messages.
    pub entry_path: String,
    pub monitor_address: String,
    pub engine_address: Option<String>,
    /// Where to save the run's snapshot (the membrane's record), if anywhere.
    pub snapshot_path: Option<PathBuf>,
    /// Whether the membrane keeps a record (the `record` runtime option).
    pub record: bool,
    /// Set when the engine cancels the run (LanguageRuntime.Cancel), before
    /// the isolate is terminated.
    pub cancelled: Arc<AtomicBool>,
}

/// Where an isolate of the run writes its console output.
pub type ConsoleFactory = Arc<dyn Fn() -> Box<dyn Console> + Send + Sync>;

/// Runs the program to completion on the calling thread (which it blocks),
/// and the services it imports each on a thread of its own (see
/// `service_isolates`). `on_isolate` receives a handle that can terminate
/// the run from elsewhere.
pub fn run(
    spec: ProgramRun,
    console: ConsoleFactory,
    on_isolate: impl FnOnce(v8::IsolateHandle),
) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            return Outcome::Error {
                message: format!("could not start the program's event loop: {error}"),
            };
        }
    };
    let services = ServiceIsolates::new(launcher(&spec, console.clone()));
    runtime.block_on(async {
        let outcome = run_on_current_thread(spec, console(), on_isolate, &services, None).await;
        // A program that ended without waiting for its services failed: theirs stop too.
        services.shut_down(outcome != Outcome::Ok).await;
        outcome
    })
}

/// Starts each service of the run as a program run of its own, whose entry
/// module is the service's module, on a thread of its own.
fn launcher(spec: &ProgramRun, console: ConsoleFactory) -> Launcher {
    let context = spec.context.clone();
    let (monitor, engine) = (spec.monitor_address.clone(), spec.engine_address.clone());
    let (record, cancelled) = (spec.record, spec.cancelled.clone());
    Arc::new(move |launch: ServiceLaunch| {
        let mut context = context.clone();
        context["entryModule"] = Value::String(launch.url.clone());
        context["service"] = serde_json::json!({ "name": launch.name, "options": launch.options });
        let spec = ProgramRun {
            context,
            entry_path: launch.url.trim_start_matches("file://").to_string(),
            monitor_address: monitor.clone(),
            engine_address: engine.clone(),
            snapshot_path: None,
            record,
            cancelled: cancelled.clone(),
        };
        let console = console.clone();
        std::thread::Builder::new()
            .name(format!("service {}", launch.name))
            .spawn(move || {
                let outcome =
                    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                        Ok(runtime) => {
                            let (isolates, name) = (launch.isolates.clone(), launch.name.clone());
                            let on_isolate = |isolate| isolates.running(&name, isolate);
                            runtime.block_on(run_on_current_thread(
                                spec,
                                console(),
                                on_isolate,
                                &launch.isolates,
                                Some(launch.name.clone()),
                            ))
                        }
                        Err(_) => Outcome::Error { message: "no event loop".into() },
                    };
                launch.isolates.finished(&launch.name, outcome == Outcome::Ok);
            })
            .map(drop)
            .map_err(|error| format!("cannot start its thread: {error}"))
    })
}

async fn run_on_current_thread(
    spec: ProgramRun,
    console: Box<dyn Console>,
    on_isolate: impl FnOnce(v8::IsolateHandle),
    services: &ServiceIsolates,
    service: Option<String>,
) -> Outcome {
    let run = RunBuilder::new(PULUMI_RUN, "unfold/main.ts");
    let seed = PulumiHost::seed(&spec.context);
    let secret_config = spec
        .context
        .get("configSecretKeys")
        .and_then(Value::as_array)
        .is_some_and(|keys| !keys.is_empty());
    let host = match PulumiHost::new(
        spec.context,
        Some(&spec.monitor_address),
        spec.engine_address.as_deref(),
        run.inbound(),
    ) {
        Ok(host) => Rc::new(host.with_services(services.clone(), service)),
        Err(error) => {
            return Outcome::Error { message: format!("invalid engine address: {error:#}") };
        }
    };
    let membrane = if spec.record { Membrane::recording() } else { Membrane::disabled() };
    let system = System::new(host.redacting(console), Clock::default(), Some(&seed));
    let mut isolate = run
        .crossings(&OUTCOME, Rc::new(()))
        .crossings(&PULUMI, host.clone())
        .crossings(&SYSTEM, Rc::new(system))
        .crossings(&FILES, Rc::new(()))
        .crossings(&PROCESSES, Rc::new(()))
        .crossings(&HTTP, Rc::new(()))
        .crossings(&ENVIRONMENT, Rc::new(Environment::Process))
        .membrane(membrane)
        // Sequenced: the same answers make the same record, which Function bundles are cut from.
        .delivery(DeliveryOrder::Sequenced)
        .build();
    on_isolate(isolate.handle());
    let evaluated = isolate.run_to_completion().await;
    if let Some(path) = spec.snapshot_path.as_ref().filter(|_| spec.record) {
        let record = isolate.encode_snapshot(None);
        let record = if crate::sealed_record::holds_secrets(secret_config, &record) {
            crate::sealed_record::seal(&record)
        } else {
            Ok(record)
        };
        match record {
            Ok(record) => save_snapshot(&host, path, &record).await,
            Err(error) => {
                warn(
                    &host,
                    format!("could not save the program's snapshot to {}: {error}", path.display()),
                )
                .await
            }
        }
    }

    let failure = match (isolate.outcome(), evaluated) {
        (Some(outcome), _) => return outcome,
        // The engine stopped the deployment and says why: a program cut short, or
        // left waiting on registrations it will never answer, is not another
        // failure to report.
        (None, _) if spec.cancelled.load(Ordering::SeqCst) => return Outcome::Bail,
        (None, Ok(())) if host.monitor_gone() => return Outcome::Bail,
        (None, Err(error)) => describe_failure(&spec.entry_path, &error.to_string()),
        (None, Ok(())) => format!(
            "Running program '{}' failed: the program stopped making progress before it finished. \
             Nothing is left that could settle the promises it is waiting for (an output, a \
             top-level await or an apply callback that never resolves).",
            spec.entry_path
        ),
    };
    report(&host, failure).await
}

/// Writes the run's record next to the project; failing to is worth a warning,
/// not a failed run. Only the owner may read it (a record with secrets is
/// also sealed, see `sealed_record`).
async fn save_snapshot(host: &PulumiHost, path: &Path, encoded: &[u8]) {
    let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let partial = path.with_extension("partial");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&partial)?;
        file.write_all(encoded)?;
        std::fs::rename(&partial, path)
    });
    if let Err(error) = written {
        warn(host, format!("could not save the program's snapshot to {}: {error}", path.display()))
            .await;
    }
}

async fn warn(host: &PulumiHost, message: String) {
    let request = LogRequest {
        severity: unfold_proto::LogSeverity::Warning as i32,
        message,
        ..Default::default()
    };
    let _ = host.log(request).await;
}

/// V8's words for a stalled top-level await become what the user needs to know.
fn describe_failure(entry_path: &str, error: &str) -> String {
    const STALLED: &str = "Top-level await promise never resolved";
    match error.strip_prefix(STALLED) {
        Some(location) => format!(
            "Running program '{entry_path}' failed: a top-level await can never finish, because nothing \
             is left that could settle the promise it waits for{}",
            location.replace("file://", "")
        ),
        None => {
            format!("Running program '{entry_path}' failed with an unhandled exception:\n{error}")
        }
    }
}

/// Reports a failure the program could not report itself, as the Node.js SDK
/// would: an error log line, then a bailed run.
async fn report(host: &PulumiHost, message: String) -> Outcome {
    let message = host.redact(&message);
    let request = LogRequest {
        severity: unfold_proto::LogSeverity::Error as i32,
        message: message.clone(),
        ..Default::default()
    };
    match host.log(request).await {
        Ok(Ok(_)) => Outcome::Bail,
        _ => Outcome::Error { message },
    }
}

/// Replays a Pulumi run's record into a fresh isolate, with no engine: every
/// crossing is answered from the record. A faithful record replays to the end
/// and reports the outcome the run had; anything else is the divergence.
pub async fn replay(snapshot: &Snapshot) -> Result<Outcome, String> {
    let expected = unfold_runtime::isolate::check_restorable(&snapshot.header)?;
    let membrane =
        Membrane::replaying_only(snapshot.entries.clone(), snapshot.header.pending_timers.clone());
    // The record answers every crossing: only the run's outcome has a handler.
    let mut isolate = RunBuilder::new("a replay of a Pulumi run", "unfold/main.ts")
        .crossings(&OUTCOME, Rc::new(()))
        .membrane(membrane)
        .modules(ProgramModuleLoader::new(ProgramFiles::Disk, ModuleRecord::verifying(expected)))
        .build();
    let evaluated = isolate.run_to_completion().await;
    if let Some(divergence) = isolate.divergence() {
        return Err(divergence.to_string());
    }
    let remaining = isolate.replay_remaining();
    if remaining > 0 {
        return Err(format!(
            "the program finished with {remaining} entries of the record not replayed"
        ));
    }
    match (isolate.outcome(), evaluated) {
        (Some(outcome), _) => Ok(outcome),
        (None, Err(error)) => Err(error.to_string()),
        (None, Ok(())) => Err("the replayed program never finished".into()),
    }
}
