//! How long `@pulumi/aws` takes to load, and the AWS program in
//! ../npm-programs/aws to run (`up`: preview and update), under Unfold's host
//! and under Pulumi's Node.js SDK, in the same run on the same machine.
//!
//! cargo build --release --workspace --bins
//! cargo bench -p unfold-engine --bench npm_load            # 5 rounds
//! NPM_LOAD_ROUNDS=10 cargo bench -p unfold-engine --bench npm_load
//!
//! Needs `npm ci` in integration-tests/nodejs. Each round is a fresh stack, so
//! every `up` creates everything; the figure includes starting the host or
//! `node`, which a Pulumi user pays on every command too.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use unfold_engine::{HostSpec, ProjectSpec, ProviderRegistry};
use unfold_integration_tests::echo_provider::EchoProvider;

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

fn node_host() -> HostSpec {
    HostSpec::NodeSdk {
        node: PathBuf::from("node"),
        sdk: manifest_dir().join("nodejs/node_modules/@pulumi/pulumi"),
    }
}

fn providers() -> ProviderRegistry {
    let mut registry = unfold_integration_tests::test_providers();
    let aws = EchoProvider::new().answering(
        "aws:index/getCallerIdentity:getCallerIdentity",
        json!({ "accountId": "123456789012", "arn": "arn:aws:iam::123456789012:user/unfold", "id": "123456789012", "userId": "AIDAUNFOLD" }),
    );
    registry.register("aws", Arc::new(aws));
    registry
}

async fn time_up(program: &str, host: &HostSpec, rounds: usize) -> Vec<Duration> {
    let spec =
        ProjectSpec::load(manifest_dir().join("npm-programs").join(program), "bench").unwrap();
    let mut times = Vec::new();
    for _ in 0..rounds {
        let state = tempfile::tempdir().unwrap();
        let engine = unfold_integration_tests::engine(state.path()).with_providers(providers());
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
        std::env::var("NPM_LOAD_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let link = manifest_dir().join("npm-programs/node_modules");
    if std::fs::symlink_metadata(&link).is_err() {
        std::os::unix::fs::symlink("../nodejs/node_modules", &link).unwrap();
    }
    let (unfold, node) = (unfold_host(), node_host());
    println!(
        "{:<44} {:>12} {:>12} {:>8}",
        "up (preview + update), median", "Unfold", "Node.js", "ratio"
    );
    for (program, label) in [
        ("aws-load", "load @pulumi/aws (no resources)"),
        ("aws", "AWS program (5 resources + invoke)"),
    ] {
        let ours = median(&time_up(program, &unfold, rounds).await);
        let theirs = median(&time_up(program, &node, rounds).await);
        println!(
            "{label:<44} {:>10.0}ms {:>10.0}ms {:>7.2}x",
            ours.as_secs_f64() * 1000.0,
            theirs.as_secs_f64() * 1000.0,
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
    println!("({rounds} rounds each; ratio = Unfold / Node.js, below 1 means Unfold is faster)");
}
