//! The crossings a program can make, declared: every crossing has a name, a
//! kind (answered at once, or started and delivered later), and the JSON shapes
//! of its arguments and its result (docs/host-io.md is generated from them).
//!
//! Like deno_core's extensions, each crate declares the crossings it answers as
//! a `HandlerSet`: a `const` list of specs, each with its handler fn. A run is
//! built from a list of sets bound to their state (`run::RunBuilder`); the
//! `Router` sends each crossing to the one set that declares it, and answers a
//! name no set declares with an error naming the crossing and the kind of run.

pub(crate) mod builtin;
pub(crate) mod context;
pub mod doc;
mod router;

use futures::future::LocalBoxFuture;
use serde_json::Value;

pub use builtin::{GATEWAY, IO_CANCEL, IO_QUIET, OUTCOME, RUN_FINISH};
pub use context::CallContext;
pub(crate) use router::{BoundSet, Router, bind};

use crate::io::Crossing;

/// Whether a crossing is answered at once or started and delivered later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossingKind {
    /// `call(name, args)`: the answer is needed now.
    Sync,
    /// `request(name, args)`: returns a ticket; the answer comes in a batch.
    Async,
}

/// What a crossing is: its name, its kind, and the JSON it carries (as the
/// documentation writes it: argument and result shapes, and what it means).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrossingSpec {
    pub name: &'static str,
    pub kind: CrossingKind,
    pub args: &'static str,
    pub result: &'static str,
    /// False only for the crossing that reports how the run ended: it is the
    /// run's answer to its host, not something replay has to rebuild.
    pub recorded: bool,
}

impl CrossingSpec {
    pub const fn sync(name: &'static str, args: &'static str, result: &'static str) -> Self {
        Self { name, kind: CrossingKind::Sync, args, result, recorded: true }
    }

    pub const fn asynchronous(
        name: &'static str,
        args: &'static str,
        result: &'static str,
    ) -> Self {
        Self { name, kind: CrossingKind::Async, args, result, recorded: true }
    }

    /// The crossing bypasses the membrane: neither recorded nor replayed.
    pub const fn unrecorded(self) -> Self {
        Self { recorded: false, ..self }
    }
}

/// What starting an asynchronous crossing led to.
pub enum Started {
    /// Runs on the run's thread; its result is delivered when it completes.
    Running(LocalBoxFuture<'static, Crossing>),
    /// Completes once nothing else is in flight (`io.quiet`, see `io::delivery`).
    WhenQuiet,
}

/// Answers a synchronous crossing.
pub type SyncHandler<S> = fn(&S, &mut CallContext<'_>, Value) -> Crossing;
/// Starts an asynchronous crossing.
pub type AsyncHandler<S> = fn(&S, &mut CallContext<'_>, &Value) -> Started;

/// How a declared crossing is answered.
pub enum HandlerFn<S: 'static> {
    Sync(SyncHandler<S>),
    Async(AsyncHandler<S>),
}

/// A declared crossing and the fn that answers it, given the set's state `S`.
pub struct Handler<S: 'static> {
    pub spec: &'static CrossingSpec,
    pub answer: HandlerFn<S>,
}

impl<S> Handler<S> {
    /// `spec` answered by `handler`; `spec` must be synchronous.
    pub const fn sync(spec: &'static CrossingSpec, handler: SyncHandler<S>) -> Self {
        assert!(matches!(spec.kind, CrossingKind::Sync), "a sync handler needs a sync spec");
        Self { spec, answer: HandlerFn::Sync(handler) }
    }

    /// `spec` started by `handler`; `spec` must be asynchronous.
    pub const fn asynchronous(spec: &'static CrossingSpec, handler: AsyncHandler<S>) -> Self {
        assert!(matches!(spec.kind, CrossingKind::Async), "an async handler needs an async spec");
        Self { spec, answer: HandlerFn::Async(handler) }
    }
}

/// A family of asynchronous crossings a set stands in for without declaring
/// each member: `monitor.<Method>` for a method the host does not forward.
pub struct Family {
    /// Names starting with this (`"monitor."`).
    pub prefix: &'static str,
    pub undeclared: Undeclared,
}

/// What a family does with a member no set declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undeclared {
    /// Fails with code `Unimplemented`, as a gRPC server answers a method it lacks.
    Unimplemented,
    /// Never completes: there is nobody to answer it in this run.
    Parked,
}

/// The crossings one part of the product answers, with their handlers.
pub struct HandlerSet<S: 'static> {
    /// Names the set in messages and in the documentation.
    pub name: &'static str,
    pub handlers: &'static [Handler<S>],
    pub families: &'static [Family],
}

impl<S> HandlerSet<S> {
    /// The specs of the crossings the set declares.
    pub fn specs(&self) -> impl Iterator<Item = &'static CrossingSpec> + 'static {
        self.handlers.iter().map(|handler| handler.spec)
    }
}

/// A started crossing answered at once (failures, and answers already known).
pub fn ready(result: Crossing) -> Started {
    Started::Running(Box::pin(futures::future::ready(result)))
}
