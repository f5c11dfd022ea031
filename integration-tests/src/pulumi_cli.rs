//! Pulumi's real CLI as the suites run it: built by `scripts/pulumi-cli`
//! (its folder in `UNFOLD_PULUMI_BIN`), in a home of the test's own, state in
//! a local file backend, secrets under a passphrase, never checking for
//! updates or downloading plugins.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The passphrase of every stack the suites create.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// The folder holding `pulumi`.
pub fn bin_dir() -> PathBuf {
    let dir = std::env::var_os("UNFOLD_PULUMI_BIN").map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "UNFOLD_PULUMI_BIN is not set: run `export UNFOLD_PULUMI_BIN=\"$(scripts/pulumi-cli)\"` \
             (it builds Pulumi's CLI once per machine), or run scripts/test"
        )
    });
    assert!(dir.join("pulumi").is_file(), "no pulumi in {}", dir.display());
    dir
}

/// `pulumi args… --non-interactive` in `cwd`, with `root/home` as its home,
/// `root/backend` as its backend and `plugins` (the folder of the plugins it
/// may launch) on PATH, and nothing else of the caller's environment.
pub fn command(root: &Path, plugins: &Path, cwd: &Path, args: &[&str]) -> Command {
    let bin = bin_dir();
    let mut command = Command::new(bin.join("pulumi"));
    command
        .args(args)
        .arg("--non-interactive")
        .current_dir(cwd)
        .env_clear()
        .env(
            "PATH",
            format!("{}:{}:/usr/local/bin:/usr/bin:/bin", bin.display(), plugins.display()),
        )
        .env("HOME", root.join("home"))
        .env("PULUMI_HOME", root.join("home"))
        .env("PULUMI_BACKEND_URL", format!("file://{}", root.join("backend").display()))
        .env("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
        .env("PULUMI_SKIP_UPDATE_CHECK", "true")
        .env("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true")
        .env("PULUMI_SKIP_CONFIRMATIONS", "true");
    command
}
