//! The one way an isolate is started. A run is its kind (for messages), the
//! handler sets that answer its crossings (the gateway's own always among
//! them), its membrane, the order its completions are delivered in, and where
//! its modules come from; `build` wires them into a fresh isolate.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use deno_core::{JsRuntime, ModuleSpecifier, RuntimeOptions};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::crossings::{BoundSet, GATEWAY, HandlerSet, Router, bind};
use crate::io::delivery::DeliveryOrder;
use crate::io::gateway::{BootstrapModule, unfold_io};
use crate::io::observer::CrossingObserver;
use crate::io::{Gateway, Inbound};
use crate::isolate::Isolate;
use crate::membrane::Membrane;
use crate::module_loader::{LIB_URL, ProgramModuleLoader};
use crate::startup_snapshot;

/// The extensions of every isolate, the startup snapshot's included: the same
/// ops in the same order, or the snapshot does not fit.
pub(crate) fn extensions(
    io: deno_core::Extension,
    loader: &Rc<ProgramModuleLoader>,
) -> Vec<deno_core::Extension> {
    vec![io, loader.extension(), crate::closure::unfold_closure::init()]
}

/// Everything a run is made of, gathered before its isolate exists.
pub struct RunBuilder {
    kind: &'static str,
    bootstrap: String,
    sets: Vec<Box<dyn BoundSet>>,
    membrane: Membrane,
    delivery: DeliveryOrder,
    modules: Option<ProgramModuleLoader>,
    heap_limit: Option<usize>,
    observer: Option<Rc<dyn CrossingObserver>>,
    inbound_tx: UnboundedSender<Inbound>,
    inbound_rx: UnboundedReceiver<Inbound>,
}

impl RunBuilder {
    /// A run of `kind` ("a Pulumi program run") that starts from `bootstrap`,
    /// a js-lib path such as `unfold/main.ts`. By default it records, delivers
    /// completions as they arrive and reads modules from disk.
    pub fn new(kind: &'static str, bootstrap: &str) -> Self {
        let (inbound_tx, inbound_rx) = unbounded_channel();
        Self {
            kind,
            bootstrap: bootstrap.to_string(),
            sets: vec![bind(&GATEWAY, Rc::new(()))],
            membrane: Membrane::recording(),
            delivery: DeliveryOrder::Arrival,
            modules: None,
            heap_limit: None,
            observer: None,
            inbound_tx,
            inbound_rx,
        }
    }

    /// Where the host sends events that arrive in the program unasked.
    pub fn inbound(&self) -> UnboundedSender<Inbound> {
        self.inbound_tx.clone()
    }

    /// Adds the crossings `set` declares, answered from `state`.
    pub fn crossings<S: 'static>(mut self, set: &'static HandlerSet<S>, state: Rc<S>) -> Self {
        self.sets.push(bind(set, state));
        self
    }

    /// Whether the run records, replays first, or only replays.
    pub fn membrane(mut self, membrane: Membrane) -> Self {
        self.membrane = membrane;
        self
    }

    pub fn delivery(mut self, order: DeliveryOrder) -> Self {
        self.delivery = order;
        self
    }

    /// Where the program's modules come from (files on disk by default).
    pub fn modules(mut self, loader: ProgramModuleLoader) -> Self {
        self.modules = Some(loader);
        self
    }

    /// Caps the isolate's heap at `bytes`: a program that reaches it is
    /// terminated (see `Isolate::heap_limit_reached`) instead of taking the
    /// process's memory, or V8's fatal out-of-memory, down with it.
    pub fn heap_limit(mut self, bytes: usize) -> Self {
        self.heap_limit = Some(bytes);
        self
    }

    /// Tells `observer` of every live crossing, with the context it was made in.
    pub fn observer(mut self, observer: Rc<dyn CrossingObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// A fresh isolate ready to `start`; must be called on the run's thread,
    /// inside its tokio runtime.
    pub fn build(self) -> Isolate {
        let loader = Rc::new(self.modules.unwrap_or_default());
        let router = Rc::new(Router::new(self.kind, self.sets));
        let gateway = Gateway::new(self.membrane, self.inbound_rx)
            .with_delivery(self.delivery)
            .with_observer(self.observer);
        let went_live = gateway.went_live();
        let snapshot = startup_snapshot::installed();
        if let Some(snapshot) = snapshot {
            loader.start_from_snapshot(&snapshot.in_heap);
        }
        let mut js = JsRuntime::new(RuntimeOptions {
            module_loader: Some(loader.clone()),
            startup_snapshot: snapshot.map(|snapshot| snapshot.heap),
            extensions: extensions(unfold_io::init(gateway), &loader),
            // Serializing closures reads captured values through the inspector.
            inspector: true,
            create_params: self
                .heap_limit
                .map(|bytes| deno_core::v8::CreateParams::default().heap_limits(0, bytes)),
            ..Default::default()
        });
        let handle = js.v8_isolate().thread_safe_handle();
        let heap_limit_reached = Arc::new(AtomicBool::new(false));
        let heap_limit_notify = Arc::new(tokio::sync::Notify::new());
        if self.heap_limit.is_some() {
            let (handle, reached) = (handle.clone(), heap_limit_reached.clone());
            let notify = heap_limit_notify.clone();
            js.add_near_heap_limit_callback(move |current, _initial| {
                reached.store(true, Ordering::SeqCst);
                notify.notify_one();
                handle.terminate_execution();
                // Room for the terminated program to unwind; the isolate is discarded after.
                current * 2
            });
        }
        let main = ModuleSpecifier::parse(&format!("{LIB_URL}{}", self.bootstrap))
            .expect("js-lib URLs are valid");
        {
            let state = js.op_state();
            let mut state = state.borrow_mut();
            state.borrow_mut::<Gateway>().set_isolate(handle);
            state.put(BootstrapModule(main.to_string()));
            state.put(router);
            state.put(crate::closure::ClosureInspector(Rc::downgrade(&js.inspector())));
        }
        let isolate =
            Isolate::from_parts(js, loader, main, went_live, heap_limit_reached, heap_limit_notify);
        if snapshot.is_some() { isolate.prelude_in_heap() } else { isolate }
    }
}
