//! A V8 isolate wired to its handlers through the IO gateway (built by
//! `run::RunBuilder`), the driver of its event loop, and the snapshot that
//! describes it.
//!
//! The driver is where replay learns that a program is stuck rather than
//! slow: when the event loop goes idle — nothing woke it while it ran, so no
//! JavaScript, module load or completion is left to run — a program waiting
//! for a delivery the record has not reached can never get there.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

use deno_core::error::CoreError;
use deno_core::{JsRuntime, ModuleSpecifier, v8};
use futures::FutureExt;
use futures::task::ArcWake;
use tokio::sync::Notify;

use crate::io::{Gateway, Outcome};
use crate::membrane::log::{FORMAT_VERSION, modules_hash};
use crate::membrane::{Divergence, Entry, Header, ModuleDigest, Snapshot};
use crate::module_loader::{LoadedModule, ProgramModuleLoader};

/// The observable settings every isolate runs with (see `pin_environment`).
pub fn pinned_flags() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("locale".to_string(), "en-US".to_string()),
        ("timeZone".to_string(), "UTC".to_string()),
    ])
}

pub struct Isolate {
    js: JsRuntime,
    loader: Rc<ProgramModuleLoader>,
    main: ModuleSpecifier,
    went_live: Rc<Notify>,
    idle: Arc<IdleWatch>,
    heap_limit_reached: Arc<AtomicBool>,
    heap_limit_notify: Arc<tokio::sync::Notify>,
    /// Whether the bootstrap's prelude is still to evaluate: it is in the
    /// heap of an isolate made from the startup snapshot.
    prelude_pending: bool,
}

/// Tells whether anything woke the event loop while it was being polled.
#[derive(Default)]
struct IdleWatch {
    woken: AtomicBool,
    task: std::sync::Mutex<Option<Waker>>,
}

impl ArcWake for IdleWatch {
    fn wake_by_ref(watch: &Arc<Self>) {
        watch.woken.store(true, Ordering::SeqCst);
        if let Some(task) = watch.task.lock().expect("waker lock").as_ref() {
            task.wake_by_ref();
        }
    }
}

impl Isolate {
    pub(crate) fn from_parts(
        js: JsRuntime,
        loader: Rc<ProgramModuleLoader>,
        main: ModuleSpecifier,
        went_live: Rc<Notify>,
        heap_limit_reached: Arc<AtomicBool>,
        heap_limit_notify: Arc<tokio::sync::Notify>,
    ) -> Self {
        Self {
            js,
            loader,
            main,
            went_live,
            idle: Arc::default(),
            heap_limit_reached,
            heap_limit_notify,
            prelude_pending: true,
        }
    }

    /// Marks the bootstrap's prelude as evaluated already (in the startup snapshot).
    pub(crate) fn prelude_in_heap(mut self) -> Self {
        self.prelude_pending = false;
        self
    }

    /// Notified when the program reaches its heap limit.
    pub fn heap_limit_notify(&self) -> Arc<tokio::sync::Notify> {
        self.heap_limit_notify.clone()
    }

    /// True once the program reached the heap limit it was built with (and was terminated).
    pub fn heap_limit_reached(&self) -> bool {
        self.heap_limit_reached.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Calls `hook` just before the replay delivers the entry at `index` of its record.
    pub fn before_delivery(&mut self, index: usize, hook: Box<dyn FnOnce()>) {
        self.js.op_state().borrow_mut().borrow_mut::<Gateway>().before_delivery(index, hook);
    }

    /// The isolate's V8 inspector, for a debugger to attach to.
    pub fn inspector(&self) -> Rc<deno_core::JsRuntimeInspector> {
        self.js.inspector()
    }

    /// Something that can stop the isolate from another thread.
    pub fn handle(&mut self) -> v8::IsolateHandle {
        self.js.v8_isolate().thread_safe_handle()
    }

    /// Loads and starts evaluating the bootstrap; the returned future settles
    /// when its top-level code has run (drive the event loop meanwhile).
    pub async fn start(
        &mut self,
    ) -> Result<impl Future<Output = Result<(), CoreError>> + use<>, CoreError> {
        if std::mem::take(&mut self.prelude_pending) {
            crate::startup_snapshot::evaluate_prelude(&mut self.js).await?;
        }
        let id = self.js.load_main_es_module(&self.main).await?;
        Ok(self.js.mod_evaluate(id))
    }

    /// Runs the bootstrap until nothing is left to do.
    pub async fn run_to_completion(&mut self) -> Result<(), CoreError> {
        let evaluation = self.start().await?;
        std::future::poll_fn(|cx| self.poll_event_loop(cx)).await?;
        evaluation.await
    }

    /// Drives the event loop until `until` completes; an event loop that
    /// finishes first is an error (as `JsRuntime::with_event_loop_promise`).
    pub async fn run_until<T>(
        &mut self,
        until: impl Future<Output = T> + Unpin,
    ) -> Result<T, CoreError> {
        let mut until = until;
        std::future::poll_fn(|cx| {
            if let Poll::Ready(value) = until.poll_unpin(cx) {
                return Poll::Ready(Ok(value));
            }
            if let Poll::Ready(result) = self.poll_event_loop(cx) {
                result?;
                if let Poll::Ready(value) = until.poll_unpin(cx) {
                    return Poll::Ready(Ok(value));
                }
                return Poll::Ready(Err(
                    deno_core::error::CoreErrorKind::PendingPromiseResolution.into_box()
                ));
            }
            Poll::Pending
        })
        .await
    }

    /// Drives the event loop while waiting for `next`, which may complete
    /// after the event loop has nothing left to do (a serving program waits
    /// for requests); an event loop error ends the wait.
    pub async fn serve_until<T>(
        &mut self,
        next: impl Future<Output = T> + Unpin,
    ) -> Result<T, CoreError> {
        let mut next = next;
        std::future::poll_fn(|cx| {
            if let Poll::Ready(value) = next.poll_unpin(cx) {
                return Poll::Ready(Ok(value));
            }
            if let Poll::Ready(Err(error)) = self.poll_event_loop(cx) {
                return Poll::Ready(Err(error));
            }
            Poll::Pending
        })
        .await
    }

    /// One turn of the event loop. While replaying, a turn that ends with
    /// nothing woken (nothing left to run until a delivery) is where a program
    /// waiting for a delivery the record does not hold is found.
    fn poll_event_loop(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), CoreError>> {
        let state = self.js.op_state();
        if !state.borrow().borrow::<Gateway>().is_replaying() {
            return self.js.poll_event_loop(cx, Default::default());
        }
        *self.idle.task.lock().expect("waker lock") = Some(cx.waker().clone());
        state.borrow_mut().borrow_mut::<Gateway>().set_event_loop(cx.waker().clone());
        self.idle.woken.store(false, Ordering::SeqCst);
        let waker = futures::task::waker(self.idle.clone());
        let result = self.js.poll_event_loop(&mut Context::from_waker(&waker), Default::default());
        if result.is_pending() && !self.idle.woken.load(Ordering::SeqCst) {
            let stalled = state.borrow_mut().borrow_mut::<Gateway>().stalled();
            if let Some(error) = stalled {
                return Poll::Ready(Err(error.into()));
            }
        }
        result
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.js.op_state().borrow().try_borrow::<Outcome>().cloned()
    }

    pub fn divergence(&self) -> Option<Divergence> {
        self.js.op_state().borrow().borrow::<Gateway>().divergence().cloned()
    }

    /// Notified when a replay has finished and the program runs live.
    pub fn went_live(&self) -> Rc<Notify> {
        self.went_live.clone()
    }

    /// The ticket the program's next asynchronous crossing will get.
    pub fn next_ticket(&self) -> u32 {
        self.js.op_state().borrow().borrow::<Gateway>().next_ticket()
    }

    /// Entries of the record being replayed that the program has not reached.
    pub fn replay_remaining(&self) -> usize {
        self.js.op_state().borrow().borrow::<Gateway>().membrane().remaining()
    }

    /// The record so far, with the header that pins what it ran on.
    /// `virtual_time` is the clock now, for runs on virtual time.
    /// The program's own files loaded so far, as a bundle or snapshot embeds them.
    pub fn bundle_files(&self) -> crate::module_loader::BundledFiles {
        self.loader.bundle_files()
    }

    pub fn snapshot(&self, virtual_time: Option<f64>) -> Snapshot {
        let state = self.js.op_state();
        let state = state.borrow();
        let entries = state.borrow::<Gateway>().membrane().entries();
        Snapshot { header: self.header(entries, virtual_time), entries: entries.to_vec() }
    }

    /// The snapshot's encoding, written straight from the record without copying it.
    pub fn encode_snapshot(&self, virtual_time: Option<f64>) -> Vec<u8> {
        let state = self.js.op_state();
        let state = state.borrow();
        let entries = state.borrow::<Gateway>().membrane().entries();
        crate::membrane::log::encode(&self.header(entries, virtual_time), entries)
    }

    fn header(&self, entries: &[Entry], virtual_time: Option<f64>) -> Header {
        let timers_left = self.js.op_state().borrow().borrow::<Gateway>().timers_left();
        snapshot_header(&self.loader, self.main.as_str(), entries, timers_left, virtual_time)
    }
}

/// The header of a snapshot of `entries`, taken now.
pub fn snapshot_header(
    loader: &ProgramModuleLoader,
    main: &str,
    entries: &[Entry],
    timers_left: BTreeMap<u32, u64>,
    virtual_time: Option<f64>,
) -> Header {
    let modules: Vec<ModuleDigest> =
        loader.loaded_modules().iter().map(ModuleDigest::from).collect();
    Header {
        format: FORMAT_VERSION,
        v8: v8::VERSION_STRING.to_string(),
        seed: recorded_seed(entries),
        main: main.to_string(),
        modules_hash: modules_hash(&modules),
        modules,
        flags: pinned_flags(),
        virtual_time,
        pending_timers: timers_left,
        files: None,
    }
}

/// The seed the program's random numbers came from, if it used any.
fn recorded_seed(entries: &[Entry]) -> String {
    entries
        .iter()
        .find_map(|entry| match entry {
            Entry::Call { name, result: crate::membrane::CallResult::Ok(seed), .. }
                if name == crate::io::system::RANDOM_SEED.name =>
            {
                seed.as_str().map(str::to_string)
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// Why a snapshot cannot be restored here, before anything runs.
pub fn check_restorable(header: &Header) -> Result<Vec<LoadedModule>, String> {
    if header.v8 != v8::VERSION_STRING {
        return Err(format!(
            "cannot restore: the snapshot was recorded with V8 {} and this is V8 {}",
            header.v8,
            v8::VERSION_STRING
        ));
    }
    if header.flags != pinned_flags() {
        return Err(format!(
            "cannot restore: the snapshot was recorded with settings {:?}",
            header.flags
        ));
    }
    if modules_hash(&header.modules) != header.modules_hash {
        return Err(
            "cannot restore: the snapshot's module list does not match its modulesHash".into()
        );
    }
    Ok(header
        .modules
        .iter()
        .map(|m| LoadedModule { specifier: m.specifier.clone(), sha256: m.sha256.clone() })
        .collect())
}
