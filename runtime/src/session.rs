//! An application session: a module whose exported functions are invoked one
//! after another, recorded as it goes, that can be hibernated to a snapshot
//! and restored in another process to continue exactly where it was.
//!
//! Sessions run on the calling thread's tokio runtime, which must be a
//! current-thread runtime (V8 isolates are not `Send`).

use std::path::Path;
use std::rc::Rc;

use deno_core::error::CoreError;
use serde_json::Value;

use crate::io::app::{APP, APP_CONTEXT, AppHost};
use crate::io::system::{Clock, Console, SYSTEM, Seed, System};
use crate::isolate::{Isolate, check_restorable};
use crate::membrane::{Entry, Membrane, Snapshot};
use crate::module_loader::{ModuleRecord, ProgramFiles, ProgramModuleLoader};
use crate::run::RunBuilder;

/// What application sessions are called in messages.
const SESSION: &str = "an application session";

/// How a session sees the world.
pub struct SessionOptions {
    pub console: Box<dyn Console>,
    /// `Some(origin)`: virtual time starting at `origin` ms since the epoch,
    /// advancing only as timers fire (the runtime must be built paused).
    pub virtual_time_origin: Option<f64>,
    pub seed: Seed,
    /// Keep a record (needed for `snapshot`); off only to measure its cost.
    pub record: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{0}")]
    Restore(String),
    #[error("{0}")]
    Program(String),
    #[error("{export} threw: {message}")]
    Invocation { export: String, message: String },
}

pub struct AppSession {
    isolate: Isolate,
    host: Rc<AppHost>,
    system: Rc<System>,
}

impl AppSession {
    /// Loads `entry` and waits until it listens for invocations.
    pub async fn start(entry: &Path, options: SessionOptions) -> Result<Self, SessionError> {
        let entry = std::path::absolute(entry).map_err(|e| SessionError::Program(e.to_string()))?;
        let url = url::Url::from_file_path(&entry).map_err(|()| {
            SessionError::Program(format!("{} is not a file path", entry.display()))
        })?;
        let membrane = if options.record { Membrane::recording() } else { Membrane::disabled() };
        let mut session = Self::build(
            url.to_string(),
            options,
            membrane,
            ProgramModuleLoader::new(ProgramFiles::Disk, ModuleRecord::recording()),
        );
        let ready = session.host.ready();
        session.boot(Box::pin(async move { ready.notified().await })).await?;
        match session.host.load_error() {
            Some(error) => Err(SessionError::Program(error)),
            None => Ok(session),
        }
    }

    /// Rebuilds the session a snapshot describes by replaying it into a fresh
    /// isolate; console output from before the snapshot is not repeated. A
    /// snapshot taken on virtual time continues on virtual time from where it was.
    pub async fn restore(
        snapshot: &Snapshot,
        mut options: SessionOptions,
    ) -> Result<Self, SessionError> {
        if snapshot.header.virtual_time.is_some() {
            options.virtual_time_origin = snapshot.header.virtual_time;
        }
        let expected = check_restorable(&snapshot.header).map_err(SessionError::Restore)?;
        let entry = entry_module(snapshot).ok_or_else(|| {
            SessionError::Restore(
                "cannot restore: the snapshot does not say which module it ran".into(),
            )
        })?;
        let membrane =
            Membrane::replaying(snapshot.entries.clone(), snapshot.header.pending_timers.clone());
        // Snapshots from before files were embedded read them from disk.
        let files = match &snapshot.header.files {
            Some(files) => ProgramFiles::Bundle(files.clone()),
            None => ProgramFiles::Disk,
        };
        let mut session = Self::build(
            entry,
            options,
            membrane,
            ProgramModuleLoader::new(files, ModuleRecord::verifying(expected)),
        );
        session.host.continue_after(invocations_in(&snapshot.entries));
        let went_live = session.isolate.went_live();
        session.boot(Box::pin(async move { went_live.notified().await })).await?;
        Ok(session)
    }

    /// The session's run: the app's crossings and the system's.
    fn build(
        entry: String,
        options: SessionOptions,
        membrane: Membrane,
        modules: ProgramModuleLoader,
    ) -> Self {
        let run = RunBuilder::new(SESSION, "unfold/app.ts");
        let host = Rc::new(AppHost::new(entry, run.inbound()));
        let system = Rc::new(new_system(options));
        let isolate = run
            .crossings(&APP, host.clone())
            .crossings(&SYSTEM, system.clone())
            .membrane(membrane)
            .modules(modules)
            .build();
        Self { isolate, host, system }
    }

    /// Calls the exported function `export` with `args` and returns what it returned.
    pub async fn invoke(&mut self, export: &str, args: Vec<Value>) -> Result<Value, SessionError> {
        let reply = self.host.invoke(export, args).map_err(|e| SessionError::Program(e.message))?;
        let result =
            self.isolate.run_until(Box::pin(reply)).await.map_err(|error| self.failure(error))?;
        match result {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(message)) => {
                Err(SessionError::Invocation { export: export.to_string(), message })
            }
            Err(_) => {
                Err(SessionError::Program(format!("the program stopped before {export} returned")))
            }
        }
    }

    /// Everything so far, as a snapshot that `restore` accepts, with the
    /// program's files embedded: it resumes without them on disk.
    pub fn snapshot(&self) -> Snapshot {
        let mut snapshot = self.isolate.snapshot(self.system.virtual_time());
        snapshot.header.files = Some(self.isolate.bundle_files());
        snapshot
    }

    /// Evaluates the app bootstrap, driving the event loop until `until` completes.
    async fn boot(
        &mut self,
        until: std::pin::Pin<Box<dyn Future<Output = ()>>>,
    ) -> Result<(), SessionError> {
        let evaluation = self.isolate.start().await.map_err(|error| self.failure(error))?;
        // The bootstrap's top-level code finishes at once; the app then waits for events.
        let mut evaluation = Box::pin(evaluation);
        let waited = self.isolate.run_until(until).await;
        if let Err(error) = waited {
            return Err(self.failure(error));
        }
        if let std::task::Poll::Ready(Err(error)) = futures::poll!(&mut evaluation) {
            return Err(self.failure(error));
        }
        Ok(())
    }

    /// A divergence explains a terminated isolate better than V8's own error.
    fn failure(&self, error: CoreError) -> SessionError {
        match self.isolate.divergence() {
            Some(divergence) => SessionError::Restore(divergence.to_string()),
            None => SessionError::Program(error.to_string()),
        }
    }
}

fn new_system(options: SessionOptions) -> System {
    let clock = match options.virtual_time_origin {
        Some(origin) => Clock::virtual_from(origin),
        None => Clock::default(),
    };
    System::new(options.console, clock, Some(&options.seed))
}

/// The entry module a recorded session ran, from its `app.context` crossing.
fn entry_module(snapshot: &Snapshot) -> Option<String> {
    snapshot.entries.iter().find_map(|entry| match entry {
        Entry::Call { name, result: crate::membrane::CallResult::Ok(context), .. }
            if name == APP_CONTEXT.name =>
        {
            context.get("entryModule").and_then(Value::as_str).map(str::to_string)
        }
        _ => None,
    })
}

fn invocations_in(entries: &[Entry]) -> u64 {
    entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Deliver { batch } => Some(batch),
            _ => None,
        })
        .flatten()
        .filter(|delivered| {
            delivered.get(2).and_then(|event| event.get("event")) == Some(&Value::from("invoke"))
        })
        .count() as u64
}
