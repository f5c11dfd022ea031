//! The local target's server, as the suites clean it up.

use std::path::Path;

/// Stops the server a stack's local target runs (its `server.json` names the
/// pid), so that a failed test does not leave it behind. `local` is the
/// stack's `.unfold/<stack>/local` folder.
pub fn stop_server(local: &Path) {
    let Ok(text) = std::fs::read_to_string(local.join("server.json")) else { return };
    let pid = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|value| value.get("pid")?.as_i64());
    if let Some(pid) = pid {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid as i32),
            nix::sys::signal::Signal::SIGTERM,
        );
    }
}
