//! Unfold's language host: runs TypeScript Pulumi programs in deno_core.
//!
//! Data flows one way: program → IO gateway (`io`) → engine clients, and
//! results come back the same path.

pub mod class_fields;
pub mod io;
pub mod js_lib;
pub mod language_runtime;
pub mod membrane;
pub mod module_loader;
pub mod npm;
pub mod program;
pub mod project;
pub mod serve;
pub mod transpile;
