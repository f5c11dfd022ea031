//! How long `@pulumi/aws` takes to load, and the AWS program in
//! ../npm-programs/aws and every program in ../real-world take to run (`up`:
//! preview and update), under Unfold's host and under Pulumi's Node.js SDK,
//! in the same run on the same machine.
//!
//! cargo build --release --workspace --bins
//! cargo bench -p unfold-integration-tests --bench npm_load            # 3 rounds
//! NPM_LOAD_ROUNDS=10 cargo bench -p unfold-integration-tests --bench npm_load
//! NPM_LOAD_PROGRAMS=aws,k8s-nginx cargo bench -p unfold-integration-tests --bench npm_load
//!
//! Needs `npm ci` in integration-tests/nodejs. Each round is a fresh stack, so
//! every `up` creates everything; the figure includes starting the host or
//! `node`, which a Pulumi user pays on every command too.

use std::path::Path;
use std::time::{Duration, Instant};

use unfold_engine::{HostSpec, ProjectSpec};
use unfold_integration_tests::echo_provider::stand_ins;
use unfold_integration_tests::node_peer::node_host;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn unfold_host() -> HostSpec {
    // Prefer the release build the bench is meant for; fall back to a debug one.
    let target = manifest_dir().join("../target");
    let binary = ["release", "debug"]
        .iter()
        .map(|profile| target.join(profile).join("pulumi-language-unfold"))
        .find(|path| path.is_file())
        .expect("build the host first: cargo build --release --workspace --bins");
    println!("host binary: {}", binary.display());
    HostSpec::Plugin { binary: Some(binary) }
}

async fn time_up(dir: &Path, host: &HostSpec, rounds: usize) -> Vec<Duration> {
    let spec = ProjectSpec::load(dir, "dev").unwrap();
    let program = dir.display();
    let mut times = Vec::new();
    for _ in 0..rounds {
        let state = tempfile::tempdir().unwrap();
        let engine = unfold_integration_tests::engine(state.path()).with_providers(stand_ins());
        let started = Instant::now();
        let report = engine.up(&spec, host).await;
        let elapsed = started.elapsed();
        assert!(report.succeeded(), "{program}: {:?}", report.error);
        times.push(elapsed);
    }
    times
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

#[tokio::main]
async fn main() {
    let rounds: usize =
        std::env::var("NPM_LOAD_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let only = std::env::var("NPM_LOAD_PROGRAMS").ok();
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.split(',').any(|n| n == name));
    for folder in ["npm-programs", "real-world"] {
        let link = manifest_dir().join(folder).join("node_modules");
        if std::fs::symlink_metadata(&link).is_err() {
            std::os::unix::fs::symlink("../nodejs/node_modules", &link).unwrap();
        }
    }
    let mut programs = vec![
        (manifest_dir().join("npm-programs/aws-load"), "aws-load".to_string()),
        (manifest_dir().join("npm-programs/aws"), "aws".to_string()),
    ];
    let mut real_world: Vec<_> = std::fs::read_dir(manifest_dir().join("real-world"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("Pulumi.yaml").is_file())
        .collect();
    real_world.sort();
    for dir in real_world {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        programs.push((dir, name));
    }
    let (unfold, node) = (unfold_host(), node_host());
    println!(
        "{:<44} {:>12} {:>12} {:>8}",
        "up (preview + update), median", "Unfold", "Node.js", "ratio"
    );
    for (dir, label) in programs.iter().filter(|(_, name)| wanted(name)) {
        let ours = median(&time_up(dir, &unfold, rounds).await);
        let theirs = median(&time_up(dir, &node, rounds).await);
        println!(
            "{label:<44} {:>10.0}ms {:>10.0}ms {:>7.2}x",
            ours.as_secs_f64() * 1000.0,
            theirs.as_secs_f64() * 1000.0,
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
    println!("({rounds} rounds each; ratio = Unfold / Node.js, below 1 means Unfold is faster)");
}
