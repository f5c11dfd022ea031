//! The local target's server, as the suites find, measure and clean it up.
//! `local` is a stack's `.unfold/<stack>/local` folder.

use std::path::Path;

/// The process ID of the stack's server, as its `server.json` records it.
pub fn server_pid(local: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(local.join("server.json")).ok()?;
    let info = serde_json::from_str::<serde_json::Value>(&text).ok()?;
    u32::try_from(info.get("pid")?.as_u64()?).ok()
}

/// Stops the stack's server, so that a failed test does not leave it behind.
pub fn stop_server(local: &Path) {
    if let Some(pid) = server_pid(local) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid as i32),
            nix::sys::signal::Signal::SIGTERM,
        );
    }
}

/// The resident memory of process `pid`, in bytes.
pub fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|error| panic!("cannot read the status of process {pid}: {error}"));
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("Linux reports VmRSS");
    line.split_whitespace().nth(1).and_then(|kib| kib.parse::<u64>().ok()).expect("VmRSS in kB")
        * 1024
}
