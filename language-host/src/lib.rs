//! Unfold's language host: runs TypeScript Pulumi programs in deno_core.
//!
//! Data flows one way: program → IO gateway (`io`) → engine clients, and
//! results come back the same path.

pub mod class_fields;
pub mod cloud;
pub mod commonjs;
pub mod io;
pub mod isolate;
pub mod js_lib;
pub mod language_runtime;
pub mod membrane;
pub mod module_loader;
pub mod node_crypto;
pub mod node_resolution;
pub mod node_runtime;
pub mod npm;
pub mod program;
pub mod project;
pub mod provider_packages;
pub mod serve;
pub mod session;
pub mod transpile;

/// Pins what programs can observe of the machine's settings: the time zone and
/// the locale (as V8 and ICU read them from the environment). Call first thing
/// in `main`, before any thread or isolate exists.
pub fn pin_environment() {
    // SAFETY: called at the start of `main`, while the process has one thread.
    unsafe {
        std::env::set_var("TZ", "UTC");
        std::env::set_var("LC_ALL", "en_US.UTF-8");
    }
}
