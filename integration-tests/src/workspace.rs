//! Where the suites find the workspace's binaries and examples.

use std::path::{Path, PathBuf};

/// A binary of the workspace (`pulumi-language-unfold`, `unfold`, …) from the
/// profile directory the running test was built into.
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test executable is in target/<profile>/deps");
    let binary = profile_dir.join(name);
    assert!(
        binary.is_file(),
        "{} does not exist: run `cargo build --workspace --bins` first",
        binary.display()
    );
    binary
}

/// A folder of the repository, from its root: `examples/messages`.
pub fn repository_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
}
