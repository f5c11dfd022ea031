//! Child processes in their own process group, stopped as the CLI stops
//! plugins: interrupt the group, wait, then kill.

use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::process::Child;

/// How long a host has to exit after an interrupt.
const INTERRUPT_GRACE: Duration = Duration::from_secs(5);

pub(crate) async fn interrupt_then_kill(child: &mut Child) {
    if let Some(pid) = child.id() {
        // The child leads its own group, so the interrupt reaches everything it started.
        let _ = killpg(Pid::from_raw(pid as i32), Signal::SIGINT);
        if tokio::time::timeout(INTERRUPT_GRACE, child.wait()).await.is_ok() {
            return;
        }
        let _ = killpg(Pid::from_raw(pid as i32), Signal::SIGKILL);
    }
    let _ = child.kill().await;
}
