//! examples/messages on the local target: the size of each Function's bundle,
//! the cold restore time of each Function (bundle replayed into a fresh
//! isolate, as the server logs it), and requests/second and p99 latency of
//! the POST route under `wrk` on loopback — next to the same server's
//! health endpoint, which answers without a function, measured in the same
//! run as the peer.
//!
//! ```sh
//! cargo build --release --bins
//! cargo bench -p unfold-engine --bench cloud      # needs `wrk` (Debian: apt-get install wrk)
//! ```
//!
//! The cold restores are measured twice in the same run: as deployed, and in
//! a second deployment with `UNFOLD_STARTUP_SNAPSHOT=off` (the peer). Memory
//! per idle Function is the server's resident memory after one request to
//! each Function, less before any. Load runs at 16 and 64 connections.
//!
//! `UNFOLD_BENCH_SECONDS` sets each load's duration (default 5). Figures only.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use unfold_engine::{HostSpec, ProjectSpec};
use unfold_integration_tests::load::wrk;
use unfold_integration_tests::local_target;

/// Set in the child run that measures cold restores without the startup snapshot.
const COLD_ONLY: &str = "UNFOLD_BENCH_COLD_ONLY";

fn binary(name: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let release = target.join("release").join(name);
    if release.is_file() { release } else { target.join("debug").join(name) }
}

fn main() {
    let seconds: u32 =
        std::env::var("UNFOLD_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let project_dir = dir.path().join("messages");
    std::fs::create_dir_all(&project_dir).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/messages");
    for file in ["Pulumi.yaml", "index.ts"] {
        std::fs::copy(example.join(file), project_dir.join(file)).unwrap();
    }
    let host = HostSpec::Plugin { binary: Some(binary("pulumi-language-unfold")) };
    let plugin = binary("pulumi-resource-unfold");
    let cold_only = std::env::var(COLD_ONLY).is_ok();
    if !cold_only {
        println!("binaries: {}", plugin.parent().unwrap().display());
    }
    let engine = unfold_integration_tests::engine(project_dir.join(".state"))
        .with_providers(unfold_integration_tests::test_providers().with_plugin("unfold", plugin));
    let project = ProjectSpec::load(&project_dir, "dev").unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(engine.up(&project, &host));
    assert_eq!(report.error, None, "{:#?}", report.diagnostics);
    let url = report.outputs["url"].as_str().unwrap().to_string();
    let base = url.rsplit_once('/').unwrap().0.to_string();
    let local = project_dir.join(".unfold/dev/local");
    let server = local_target::server_pid(&local).expect("the server recorded its pid");
    let idle_rss = local_target::rss_bytes(server);

    let state = engine.state("messages", "dev").unwrap().unwrap();
    let functions: Vec<_> =
        state.resources.iter().filter(|r| r.ty == "unfold:index:Function").collect();
    if !cold_only {
        println!("\nbundles (one per Function):");
        for resource in &functions {
            let size = resource.outputs.get("size").and_then(Value::as_u64).unwrap_or_default();
            let name = resource.urn.rsplit("::").next().unwrap_or_default();
            println!("  {name:<24} {size:>8} bytes");
        }
    }

    // First requests: each starts its Function cold.
    let post = |id: &str| {
        Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-X", "POST", "-H", "content-type: application/json"])
            .args(["-d", &format!(r#"{{"id":"{id}","text":"hello"}}"#), &format!("{url}/messages")])
            .status()
            .unwrap();
    };
    post("warm-up");
    let _ = Command::new("curl")
        .args(["-s", "-o", "/dev/null", &format!("{url}/messages/warm-up")])
        .status();
    let log = std::fs::read_to_string(local.join("server.log")).unwrap_or_default();
    let cold: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("started in"))
        .map(|line| line.split_once(' ').map_or(line, |(_, rest)| rest))
        .collect();
    if cold_only {
        for line in cold {
            println!("  {line}");
        }
        let destroyed = runtime.block_on(engine.destroy(&project));
        assert_eq!(destroyed.error, None);
        return;
    }
    println!(
        "\ncold restore (bundle → serving isolate, each the first in a fresh server process):"
    );
    for line in cold {
        println!("  {line}");
    }
    // The peer: the same, with isolates started without the startup snapshot.
    let without = Command::new(std::env::current_exe().unwrap())
        .env(COLD_ONLY, "1")
        .env("UNFOLD_STARTUP_SNAPSHOT", "off")
        .output()
        .unwrap();
    println!("cold restore without the startup snapshot (UNFOLD_STARTUP_SNAPSHOT=off):");
    print!("{}", String::from_utf8_lossy(&without.stdout));
    println!(
        "\nmemory per idle Function (server RSS after one request to each, minus before): {} KiB",
        local_target::rss_bytes(server).saturating_sub(idle_rss) / 1024 / functions.len() as u64
    );

    let script = dir.path().join("post.lua");
    std::fs::write(
        &script,
        "counter = 0\nrequest = function()\n  counter = counter + 1\n  local body = '{\"id\":\"m' .. counter .. '\",\"text\":\"hello\"}'\n  return wrk.format('POST', nil, {['content-type']='application/json'}, body)\nend\n",
    )
    .unwrap();
    for connections in [16, 64] {
        println!("\nload: wrk -t2 -c{connections} -d{seconds}s, loopback");
        let health = wrk(&format!("{base}/.unfold/health"), None, seconds, connections);
        let gets = wrk(&format!("{url}/messages/warm-up"), None, seconds, connections);
        let posts = wrk(&format!("{url}/messages"), Some(&script), seconds, connections);
        println!("  {:<36} {:>12} {:>12}", "", "requests/s", "p99");
        println!(
            "  {:<36} {:>12.0} {:>12}",
            "GET /.unfold/health (no function)", health.0, health.1
        );
        println!("  {:<36} {:>12.0} {:>12}", "GET /messages/{id} (function, read)", gets.0, gets.1);
        println!("  {:<36} {:>12.0} {:>12}", "POST /messages (function, write)", posts.0, posts.1);
        println!(
            "  GET / health: 1/{:.1}   POST / health: 1/{:.1}",
            health.0 / gets.0.max(1.0),
            health.0 / posts.0.max(1.0)
        );
    }

    let destroyed = runtime.block_on(engine.destroy(&project));
    assert_eq!(destroyed.error, None);
}
