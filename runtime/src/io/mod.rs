//! The IO gateway: the program's one way out of V8 (see docs/host-io.md).
//!
//! `gateway` holds the three ops and the per-run state they share; `host`
//! defines what a crossing answers with; `delivery` orders completions;
//! `system` is the clock and the random seed; `observer` watches live
//! crossings per context; `files` and `environment`
//! answer the `fs` and `process` built-ins; `processes` the
//! `child_process` built-in; `http` the
//! `http` built-in's requests; `app` answers an application
//! session's crossings. Pulumi's crossings are answered by the language host.

pub mod app;
pub mod delivery;
pub mod environment;
pub mod files;
pub mod gateway;
pub mod host;
pub mod http;
pub mod observer;
pub mod processes;
pub mod system;

pub use gateway::{Gateway, Outcome, unfold_io};
pub use host::{Crossing, CrossingError, Inbound};
