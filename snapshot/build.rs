//! Makes the startup snapshot (see `unfold_runtime::startup_snapshot`): V8's
//! heap with js-lib's bootstrap modules evaluated, and js-lib compiled.

use std::path::{Path, PathBuf};

fn main() {
    let js_lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("../js-lib");
    println!("cargo:rerun-if-changed={}", js_lib.display());
    let (heap, table) = unfold_runtime::startup_snapshot::build()
        .unwrap_or_else(|error| panic!("cannot make the startup snapshot: {error}"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("heap.snap"), heap).expect("OUT_DIR is writable");
    std::fs::write(out.join("lib.json"), table).expect("OUT_DIR is writable");
}
