//! Load from outside, as a user's clients make it: `wrk` against a URL.

use std::path::Path;
use std::process::Command;

/// Requests/second and the 99th-percentile latency wrk reports.
pub fn wrk(url: &str, script: Option<&Path>, seconds: u32, connections: u32) -> (f64, String) {
    let mut command = Command::new("wrk");
    command.args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--latency"]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output =
        command.arg(url).output().expect("wrk is not installed (Debian: apt-get install wrk)");
    let text = String::from_utf8_lossy(&output.stdout);
    let rate = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    (rate, p99)
}
