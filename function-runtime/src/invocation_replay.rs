//! Replaying one recorded invocation: the Function's bundle is restored in a
//! fresh isolate, then the invocation's request is delivered and every
//! crossing its handler makes is answered from the record — table reads give
//! what they gave live, whatever the table holds now. The run never goes
//! live: a crossing the record does not have is a divergence, reported by
//! the entry of the invocation where it happened.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use serde_json::Value;
use unfold_runtime::isolate::Isolate;
use unfold_runtime::membrane::{Divergence, Entry, Membrane};

use crate::bundle::Bundle;
use crate::function::{FunctionParts, function_isolate};
use crate::invocation_record::InvocationRecord;
use crate::secret_markers::SecretMarkers;
use crate::tables::TableStore;

/// See [`ReplaySpec::before_start`].
pub type BeforeStart = Box<dyn FnOnce(&mut Isolate) -> Option<Box<dyn FnOnce()>>>;

/// What a replay needs besides the record.
pub struct ReplaySpec {
    pub record: InvocationRecord,
    /// The Function's secret values, as its bundle's placeholders and the
    /// record's markers need them.
    pub secrets: Vec<Value>,
    pub environment: BTreeMap<String, String>,
    /// The Function's timeout: a replay running longer is stopped (none under
    /// a debugger, which may hold the program paused).
    pub timeout: Option<Duration>,
    /// Give V8 the program's source maps, for a debugger to show the .ts files.
    pub inspect_source_maps: bool,
    /// Called with the isolate before the replay starts (to attach an
    /// inspector); what it returns is called once the Function is restored,
    /// just before the invocation's request is delivered.
    pub before_start: Option<BeforeStart>,
}

/// How a replay went.
#[derive(Debug)]
pub struct ReplayReport {
    /// Console output the handler made, in order: (`stdout`|`stderr`, text).
    pub console: Vec<(String, String)>,
    /// What the replayed handler answered: `{response}` or `{error}`.
    pub reply: Option<Value>,
    /// The handler did not answer within the Function's timeout (as it did
    /// not live, if the record's status is 504 and there is no divergence).
    pub timed_out: bool,
    /// Where the replay left the record, if it did.
    pub divergence: Option<ReplayDivergence>,
}

/// A replay that parted from the record.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplayDivergence {
    /// While the bundle was restored: the bundle is not what the record was made with.
    InRestore(String),
    /// At `entry` of the invocation's own entries.
    InInvocation { entry: usize, message: String },
    /// The program stopped (an error outside the handler) before it answered.
    Stopped(String),
    /// The handler ran past the Function's timeout, where live it answered.
    TimedOut { timeout: Duration, status: u16 },
}

impl std::fmt::Display for ReplayDivergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InRestore(message) => {
                write!(f, "the bundle did not restore as recorded: {message}")
            }
            Self::InInvocation { entry, message } => {
                write!(f, "the replay diverged at entry {entry} of the invocation: {message}")
            }
            Self::Stopped(message) => {
                write!(f, "the program stopped before it answered: {message}")
            }
            Self::TimedOut { timeout, status } => write!(
                f,
                "the handler did not answer within {timeout:?}, where live it answered {status}"
            ),
        }
    }
}

/// Replays `spec.record` on its bundle; `Err` when it cannot start at all.
/// Runs the isolate on this thread: call it inside a single-threaded runtime.
pub async fn replay(spec: ReplaySpec) -> Result<ReplayReport, String> {
    let record = spec.record;
    if record.summary.truncated {
        return Err(format!(
            "invocation {} was larger than the Function keeps, so only its summary was recorded",
            record.summary.id
        ));
    }
    let bundle_path = PathBuf::from(&record.summary.bundle);
    if !bundle_path.exists() {
        return Err(format!(
            "the bundle invocation {} ran on ({}) is gone: Function '{}' has been redeployed since",
            record.summary.id,
            bundle_path.display(),
            record.summary.function
        ));
    }
    let bundle = Bundle::read(&bundle_path)?;
    let mut entries = bundle.entries_with_secrets(&spec.secrets)?;
    // The invocation's entries follow the bundle's and the instance's prologue.
    let invocation_start = entries.len() + record.prologue.len();
    let mut own = [record.prologue, record.entries].concat();
    if record.summary.redacted {
        SecretMarkers::new(&spec.secrets).reveal(&mut own)?;
    }
    // Kept to read the console and the reply off what the replay matched.
    let invocation = own[invocation_start - entries.len()..].to_vec();
    entries.extend(own);
    let total = entries.len();
    let timers = bundle.snapshot.header.pending_timers.clone();
    let membrane = Membrane::replaying_only(entries, timers);
    let parts = FunctionParts {
        // Never opened: every table crossing is answered from the record.
        tables: TableStore::Local(std::env::temp_dir()),
        // Never called: service calls are answered from the record too.
        units: None,
        log: Arc::new(|_: &str| {}),
        memory: None,
        environment: spec.environment,
        observer: None,
        inline_source_maps: spec.inspect_source_maps,
    };
    let (mut isolate, _host) = function_isolate(bundle, membrane, parts)?;
    if let Some(before_start) = spec.before_start
        && let Some(before_invocation) = before_start(&mut isolate)
    {
        isolate.before_delivery(invocation_start, before_invocation);
    }
    let watchdog = spec.timeout.map(|timeout| Watchdog::start(timeout, isolate.handle()));
    let ended = match isolate.start().await {
        Ok(_evaluation) => isolate.run_until(Box::pin(std::future::pending::<()>())).await.err(),
        Err(error) => Some(error),
    };
    let timed_out = watchdog.is_some_and(Watchdog::stop);
    let consumed = total - isolate.replay_remaining();
    let status = record.summary.status;
    let divergence = match (isolate.divergence(), ended) {
        _ if timed_out && (consumed < total || status != 504) => {
            Some(ReplayDivergence::TimedOut { timeout: spec.timeout.unwrap_or_default(), status })
        }
        _ if timed_out => None,
        // The program made every crossing the record holds and waits for more.
        (Some(Divergence::WaitingForDelivery { index, .. }), _) if index == total => None,
        (Some(divergence), _) if divergence.index() < invocation_start => {
            Some(ReplayDivergence::InRestore(divergence.to_string()))
        }
        (Some(divergence), _) => Some(ReplayDivergence::InInvocation {
            entry: divergence.index() - invocation_start,
            message: divergence.to_string(),
        }),
        (None, Some(error)) if consumed < total => {
            Some(ReplayDivergence::Stopped(error.to_string()))
        }
        (None, _) => None,
    };
    let replayed = &invocation[..consumed.saturating_sub(invocation_start)];
    Ok(ReplayReport {
        console: console_of(replayed),
        reply: reply_of(replayed),
        timed_out,
        divergence,
    })
}

/// Stops the isolate once `timeout` has passed, from a thread of its own: a
/// handler that never yields keeps the isolate's thread.
struct Watchdog {
    cancel: std::sync::mpsc::Sender<()>,
    fired: Arc<AtomicBool>,
}

impl Watchdog {
    fn start(timeout: Duration, isolate: deno_core::v8::IsolateHandle) -> Self {
        let (cancel, cancelled) = std::sync::mpsc::channel::<()>();
        let fired = Arc::new(AtomicBool::new(false));
        let flag = fired.clone();
        std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = cancelled.recv_timeout(timeout) {
                flag.store(true, Ordering::SeqCst);
                isolate.terminate_execution();
            }
        });
        Self { cancel, fired }
    }

    /// Whether it fired.
    fn stop(self) -> bool {
        let _ = self.cancel.send(());
        self.fired.load(Ordering::SeqCst)
    }
}

fn console_of(entries: &[Entry]) -> Vec<(String, String)> {
    entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Call { name, args, .. } if name == "console.write" => Some((
                args.get("stream").and_then(Value::as_str).unwrap_or("stdout").to_string(),
                args.get("text").and_then(Value::as_str).unwrap_or_default().to_string(),
            )),
            _ => None,
        })
        .collect()
}

fn reply_of(entries: &[Entry]) -> Option<Value> {
    entries.iter().find_map(|entry| match entry {
        Entry::Call { name, args, .. } if name == unfold_runtime::io::app::INVOKE_REPLY.name => {
            Some(args.clone())
        }
        _ => None,
    })
}
