//! The Unfold runtime core: TypeScript and JavaScript programs in V8 (through
//! deno_core) behind one recorded gateway.
//!
//! Data flows one way: program → IO gateway (`io`) → the handler that answers
//! the crossing; the membrane (`membrane`) records what crosses, or answers it
//! from a record while replaying. It knows nothing of Pulumi or of Functions:
//! the language host and the function runtime each declare the crossings they
//! answer (`crossings`), and every run is assembled by `run::RunBuilder`.

pub mod class_fields;
pub mod closure;
pub mod commonjs;
pub mod crossings;
pub mod esm_to_commonjs;
pub mod io;
pub mod isolate;
pub mod js_lib;
pub mod membrane;
pub mod module_loader;
pub mod module_record;
pub mod module_sources;
pub mod node_crypto;
pub mod node_resolution;
pub mod node_runtime;
pub mod node_zlib;
pub mod run;
pub mod session;
pub mod startup_snapshot;
pub mod transpile;
pub mod typescript_format;

/// Starts V8 (its platform and flags) ahead of the first isolate, so a
/// server's first request does not pay for it. Later calls do nothing.
pub fn start_v8() {
    deno_core::JsRuntime::init_platform(None);
}

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
