//! The function runtime: restores a Function's bundle by replaying its record
//! into a fresh isolate on a thread of its own, then serves invocations with
//! live IO (tables, console) through the gateway.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use std::rc::Rc;
use std::time::Instant;

use deno_core::error::CoreError;
use deno_core::v8;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::bundle::Bundle;
use crate::function_host::{FUNCTION, FunctionHost, Reply};
use crate::inspector_server::Targets;
use crate::invocation_recorder::InvocationRecorder;
use crate::invocation_store::InvocationStore;
use crate::tables::TableStore;
use unfold_runtime::crossings::OUTCOME;
use unfold_runtime::io::environment::{ENVIRONMENT, Environment};
use unfold_runtime::io::http::HTTP;
use unfold_runtime::io::observer::CrossingObserver;
use unfold_runtime::io::system::{Clock, SYSTEM, Seed, System};
use unfold_runtime::isolate::{Isolate, check_restorable};
use unfold_runtime::membrane::Membrane;
use unfold_runtime::module_loader::{ModuleRecord, ProgramFiles, ProgramModuleLoader};
use unfold_runtime::run::RunBuilder;

/// Where a function's console output and errors go (one line at a time).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// Calls another unit of the same stack (a service, or a Function handed over
/// by reference): the unit's name and a request to it, answered with the
/// unit's response. The target provides it; a target without one answers
/// every such call with an error.
pub type UnitCaller = Arc<
    dyn Fn(
            String,
            HttpRequest,
        ) -> futures::future::BoxFuture<'static, Result<HttpResponse, InvokeError>>
        + Send
        + Sync,
>;

/// A [`UnitCaller`] whose calls (`call`) run on `runtime`, where the target's
/// clients and connections live: an instance awaits them on an event loop of
/// its own, on its own thread.
pub fn unit_caller<F, Fut>(runtime: tokio::runtime::Handle, call: F) -> UnitCaller
where
    F: Fn(String, HttpRequest) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<HttpResponse, InvokeError>> + Send + 'static,
{
    Arc::new(move |unit, request| {
        let task = runtime.spawn(call(unit, request));
        Box::pin(async move {
            task.await.unwrap_or_else(|error| Err(InvokeError::Stopped(error.to_string())))
        })
    })
}

/// Everything needed to start a function.
#[derive(Clone)]
pub struct FunctionSpec {
    /// The bundle file (see `cloud::bundle`).
    pub bundle: PathBuf,
    /// Values of the bundle's secret placeholders, in order.
    pub secrets: Vec<Value>,
    /// The stack's tables.
    pub tables: TableStore,
    /// Longest an invocation may run.
    pub timeout: Duration,
    /// The most heap the program may use, in bytes (none: V8's default).
    pub memory: Option<usize>,
    /// Extra environment the handler sees through `process.env`.
    pub environment: BTreeMap<String, String>,
    pub log: LogSink,
    /// Where each invocation's record is kept; none: not recorded.
    pub invocations: Option<Arc<InvocationStore>>,
    /// How the handler reaches the stack's other units (services, Functions).
    pub units: Option<UnitCaller>,
    /// Lists the instance's isolate for debuggers while it runs (and inlines
    /// source maps, so breakpoints go in the .ts files).
    pub inspector: Option<Inspectable>,
}

/// An instance as debuggers see it: in `targets`, under `title`.
#[derive(Clone)]
pub struct Inspectable {
    pub targets: Targets,
    pub title: String,
}

/// An HTTP request as a handler sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HttpRequest {
    pub method: String,
    /// The path below the API's base path, e.g. `/messages/7`.
    pub path: String,
    /// Path parameters matched by the route (`{id}` → `id`).
    pub params: BTreeMap<String, String>,
    pub query: BTreeMap<String, String>,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    /// The body as text (requests are limited to UTF-8 bodies).
    pub body: String,
}

impl HttpRequest {
    /// Adds header `name` (lower case), joining a repeated one with ", " as
    /// the Fetch API's Headers does.
    pub fn add_header(&mut self, name: &str, value: String) {
        self.headers
            .entry(name.to_string())
            .and_modify(|joined| *joined = format!("{joined}, {value}"))
            .or_insert(value);
    }

    /// Why the body is not the JSON its content type says it is, if it is
    /// not: every target refuses such a request (400) before a handler sees it.
    pub fn invalid_json(&self) -> Option<String> {
        let is_json = self.headers.get("content-type").is_some_and(|kind| {
            kind.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json")
        });
        if !is_json || self.body.trim().is_empty() {
            return None;
        }
        serde_json::from_str::<serde::de::IgnoredAny>(&self.body)
            .err()
            .map(|problem| format!("the request body is not valid JSON: {problem}"))
    }
}

/// What a handler answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// Why an invocation got no response. It crosses between units as JSON (a
/// unit called on Lambda answers its caller with it).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum InvokeError {
    /// The handler threw (or its promise rejected); the text is the error's stack.
    #[error("the handler failed: {0}")]
    Handler(String),
    #[error("the handler did not answer within {0:?}")]
    Timeout(Duration),
    /// The program reached its memory limit and was stopped.
    #[error("the function ran out of memory: {0}")]
    OutOfMemory(String),
    /// The function's isolate is gone (it failed to restore or stopped).
    #[error("the function is not running: {0}")]
    Stopped(String),
}

/// A running function: cheap to clone, usable from any thread. The isolate
/// stops when the last clone is dropped.
#[derive(Clone)]
pub struct FunctionInstance {
    name: String,
    restore_time: Duration,
    timeout: Duration,
    jobs: mpsc::UnboundedSender<Job>,
    /// Stops a handler that runs past its timeout: its isolate is terminated
    /// (and the instance stops), so no core stays busy after the 504.
    isolate: v8::IsolateHandle,
    /// Set before a timeout terminates the isolate, so its thread knows why.
    timed_out: Arc<AtomicBool>,
}

struct Job {
    request: HttpRequest,
    reply: Reply,
}

impl FunctionInstance {
    /// Restores the bundle on a new thread; resolves once the function serves.
    pub async fn start(spec: FunctionSpec) -> Result<Self, String> {
        let (ready_tx, ready_rx) = oneshot::channel();
        let (jobs, jobs_rx) = mpsc::unbounded_channel();
        let timeout = spec.timeout;
        let timed_out = Arc::new(AtomicBool::new(false));
        let stopped_by_timeout = timed_out.clone();
        let label =
            spec.bundle.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        std::thread::Builder::new()
            .name(format!("function {label}"))
            .spawn(move || {
                let runtime =
                    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                        Ok(runtime) => runtime,
                        Err(error) => {
                            let _ = ready_tx.send(Err(format!(
                                "cannot start the function's event loop: {error}"
                            )));
                            return;
                        }
                    };
                runtime.block_on(run(spec, jobs_rx, ready_tx, stopped_by_timeout));
            })
            .map_err(|error| format!("cannot start the function's thread: {error}"))?;
        let (name, restore_time, isolate) = ready_rx
            .await
            .map_err(|_| "the function stopped while it was being restored".to_string())??;
        Ok(Self { name, restore_time, timeout, jobs, isolate, timed_out })
    }

    /// The Function's name, as the program gave it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How long restoring the bundle took (cold start).
    pub fn restore_time(&self) -> Duration {
        self.restore_time
    }

    /// Runs the handler on `request`, answering `Timeout` after the Function's
    /// timeout; then the instance is terminated and answers `Stopped` from then on.
    pub async fn invoke(&self, request: HttpRequest) -> Result<HttpResponse, InvokeError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { request, reply })
            .map_err(|_| InvokeError::Stopped("the function's program has stopped".into()))?;
        match tokio::time::timeout(self.timeout, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(InvokeError::Stopped(
                "the function's program stopped before it answered".into(),
            )),
            Err(_) => {
                self.timed_out.store(true, Ordering::SeqCst);
                self.isolate.terminate_execution();
                Err(InvokeError::Timeout(self.timeout))
            }
        }
    }
}

type Ready = Result<(String, Duration, v8::IsolateHandle), String>;

/// The function's thread: restore, then serve until every handle is dropped.
async fn run(
    spec: FunctionSpec,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    ready: oneshot::Sender<Ready>,
    timed_out: Arc<AtomicBool>,
) {
    let started = Instant::now();
    let log = spec.log.clone();
    let memory = spec.memory;
    let inspector = spec.inspector.clone();
    let (mut isolate, host, recorder) = match restore(spec).await {
        Ok(restored) => restored,
        Err(error) => {
            log(&format!("cannot start the function: {error}"));
            let _ = ready.send(Err(error));
            return;
        }
    };
    if let Some(recorder) = &recorder {
        recorder.serving(isolate.next_ticket());
    }
    let name = host.name().to_string();
    // Listed for debuggers until the isolate stops.
    let _listed = inspector.and_then(|inspectable| {
        let registered = inspectable.targets.register(&inspectable.title, &isolate);
        registered.map_err(|error| log(&format!("not listed for debuggers: {error}"))).ok()
    });
    let _ = ready.send(Ok((name.clone(), started.elapsed(), isolate.handle())));
    // A program terminated at its heap limit may not fail the event loop (the
    // termination can end inside a delivery): the limit wakes this loop itself.
    let heap_limit = isolate.heap_limit_notify();
    // Why the program stopped, when it failed.
    let mut stopped = None;
    loop {
        let next = isolate
            .serve_until(Box::pin(async {
                tokio::select! {
                    job = jobs.recv() => Some(job),
                    () = heap_limit.notified() => None,
                }
            }))
            .await;
        match next {
            Ok(Some(Some(job))) => host.invoke(job.request, job.reply),
            Ok(Some(None)) => break,
            Ok(None) | Err(_) if isolate.heap_limit_reached() => {
                let limit = memory.map(|bytes| bytes >> 20).unwrap_or_default();
                let reason = format!("it used more than its {limit} MB of memory and was stopped");
                log(&reason);
                stopped = Some(reason.clone());
                host.fail_pending_with(InvokeError::OutOfMemory(reason));
                break;
            }
            // Only the heap limit wakes the loop without a job.
            Ok(None) => break,
            Err(error) => {
                let reason = format!("the function's program failed: {error}");
                log(&reason);
                stopped = Some(reason.clone());
                host.fail_pending(&reason);
                // Later requests find the channel closed and answer Stopped.
                break;
            }
        }
    }
    // Invocations left unanswered are recorded as their clients were answered.
    if let Some(recorder) = &recorder {
        match (timed_out.load(Ordering::SeqCst), stopped) {
            (true, _) => recorder.abandon(504, "the handler did not answer within its timeout"),
            (false, reason) => recorder.abandon(
                500,
                &reason.unwrap_or_else(|| "the function stopped before it answered".into()),
            ),
        }
    }
}

/// Replays the bundle's record into a fresh isolate until the program serves the Function.
async fn restore(
    spec: FunctionSpec,
) -> Result<(Isolate, Rc<FunctionHost>, Option<Rc<InvocationRecorder>>), String> {
    let bundle = Bundle::read(&spec.bundle)?;
    let entries = bundle.entries_with_secrets(&spec.secrets)?;
    let membrane = Membrane::replaying(entries, bundle.snapshot.header.pending_timers.clone())
        .forgetting_live_crossings();
    let recorder = spec.invocations.filter(|store| store.settings().enabled).map(|store| {
        let (function, path) =
            (bundle.manifest.function.clone(), spec.bundle.display().to_string());
        InvocationRecorder::new(function, path, store, spec.log.clone())
    });
    let parts = FunctionParts {
        tables: spec.tables,
        units: spec.units,
        log: spec.log,
        memory: spec.memory,
        environment: spec.environment,
        observer: recorder.clone().map(|recorder| recorder as Rc<dyn CrossingObserver>),
        inline_source_maps: spec.inspector.is_some(),
    };
    let (mut isolate, host) = function_isolate(bundle, membrane, parts)?;
    let function = host.name().to_string();
    let failure = |isolate: &Isolate, error: CoreError| match isolate.divergence() {
        Some(divergence) => format!("cannot restore Function '{function}': {divergence}"),
        None => format!("cannot restore Function '{function}': {error}"),
    };
    // The bootstrap's evaluation never completes here: the program ends up serving.
    if let Err(error) = isolate.start().await {
        return Err(failure(&isolate, error));
    }
    let ready = host.ready();
    let served = isolate.run_until(Box::pin(async move { ready.notified().await })).await;
    if let Err(error) = served {
        return Err(failure(&isolate, error));
    }
    if let Some(error) = host.failure() {
        return Err(format!("cannot serve Function '{function}': {error}"));
    }
    Ok((isolate, host, recorder))
}

/// What a Function's isolate is made of besides its bundle and membrane.
pub(crate) struct FunctionParts {
    pub tables: TableStore,
    pub units: Option<UnitCaller>,
    pub log: LogSink,
    pub memory: Option<usize>,
    pub environment: BTreeMap<String, String>,
    pub observer: Option<Rc<dyn CrossingObserver>>,
    /// Source maps go into the program's compiled code (for a debugger).
    pub inline_source_maps: bool,
}

/// A fresh isolate for `bundle`'s Function, its crossings answered by a
/// `FunctionHost` or by `membrane` (a restore, or an invocation's replay).
pub(crate) fn function_isolate(
    bundle: Bundle,
    membrane: Membrane,
    parts: FunctionParts,
) -> Result<(Isolate, Rc<FunctionHost>), String> {
    let expected = check_restorable(&bundle.snapshot.header)?;
    let function = bundle.manifest.function.clone();
    let mut run = RunBuilder::new("a Function", "unfold/main.ts");
    if let Some(bytes) = parts.memory {
        run = run.heap_limit(bytes);
    }
    if let Some(observer) = parts.observer {
        run = run.observer(observer);
    }
    let host =
        Rc::new(FunctionHost::new(function, &parts.tables, parts.units, parts.log, run.inbound()));
    // Each invocation seeds a generator of its own (see `generator` in js-lib's globals).
    let system = System::new(Box::new(host.console()), Clock::default(), Some(&Seed::Random));
    let isolate = run
        .crossings(&OUTCOME, Rc::new(()))
        .crossings(&FUNCTION, host.clone())
        .crossings(&SYSTEM, Rc::new(system))
        .crossings(&ENVIRONMENT, Rc::new(Environment::Given(parts.environment)))
        .crossings(&HTTP, Rc::new(()))
        .membrane(membrane)
        .modules(
            ProgramModuleLoader::new(
                ProgramFiles::Bundle(bundle.manifest.files),
                ModuleRecord::verifying(expected),
            )
            .inlining_source_maps(parts.inline_source_maps),
        )
        .build();
    Ok((isolate, host))
}
