//! The startup snapshot, made by this crate's build script: every binary that
//! creates isolates calls `install` once, first thing.
//!
//! `UNFOLD_STARTUP_SNAPSHOT=off` starts isolates without it, as the runtime's
//! own tests do: for measuring what it saves, and as a way around it should a
//! snapshot ever misbehave.

use unfold_runtime::startup_snapshot::{self, StartupSnapshot};

const SNAPSHOT: StartupSnapshot = StartupSnapshot {
    heap: include_bytes!(concat!(env!("OUT_DIR"), "/heap.snap")),
    lib: include_bytes!(concat!(env!("OUT_DIR"), "/lib.json")),
};

/// The variable that turns the snapshot off.
pub const SWITCH: &str = "UNFOLD_STARTUP_SNAPSHOT";

/// Makes every isolate of this process start from the snapshot, unless
/// `UNFOLD_STARTUP_SNAPSHOT=off`.
pub fn install() {
    if std::env::var(SWITCH).is_ok_and(|value| value == "off") {
        return;
    }
    // Both halves were made by the same build from the same sources.
    startup_snapshot::install(SNAPSHOT).expect("the startup snapshot is built with this binary");
}
