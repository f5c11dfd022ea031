//! Services: latency of a route whose handler calls a service on the local
//! target, beside a route that does the same work in its own handler (the
//! peer), measured in the same run on the same server; and how long
//! examples/shop's whole-app tests take under `unfold test`, beside deploying
//! the shop to the local target to try it there (the peer).
//!
//! ```sh
//! cargo build --release --bins
//! cargo bench -p unfold-integration-tests --bench services
//! ```
//!
//! Requests are sequential on one kept-alive connection, after a warm-up
//! that starts every unit. Both routes record their invocations, as deployed by default;
//! the service route records two (the route's and the service's).
//! `UNFOLD_BENCH_REQUESTS` sets how many per route (default 400). The test
//! runs are timed 10 times each, as a user runs them: the whole command.
//! Figures only.

use std::process::Command;
use std::time::{Duration, Instant};

use unfold_integration_tests::binary;
use unfold_integration_tests::local_deployment::Deployment;

const PROGRAM: &str = r#"import * as unfold from "@unfold/cloud";

const prices = unfold.importService<typeof import("./prices")>("./prices");
const table = new Map([["tea", 350], ["coffee", 420], ["cake", 600]]);

const api = new unfold.HttpApi("api");
api.route("GET", "/direct/{item}", async (req) => ({ body: { total: table.get(req.params.item)! * 2 } }));
api.route("GET", "/service/{item}", async (req) => ({ body: { total: await prices.total(req.params.item, 2) } }));
export const url = api.url;
"#;

const SERVICE: &str = r#"const table = new Map([["tea", 350], ["coffee", 420], ["cake", 600]]);

export function total(item: string, quantity: number): number {
    return table.get(item)! * quantity;
}
"#;

fn latencies(client: &ureq::Agent, url: &str, requests: usize) -> Vec<Duration> {
    let mut taken = Vec::with_capacity(requests);
    for _ in 0..requests {
        let started = Instant::now();
        let mut reply = client.get(url).call().unwrap();
        let body = reply.body_mut().read_to_string().unwrap();
        taken.push(started.elapsed());
        assert_eq!((reply.status().as_u16(), body.as_str()), (200, r#"{"total":700}"#), "{url}");
    }
    taken.sort();
    taken
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn main() {
    let requests: usize =
        std::env::var("UNFOLD_BENCH_REQUESTS").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    let deployment = Deployment::with_program(PROGRAM);
    std::fs::write(deployment.project_dir.join("prices.ts"), SERVICE).unwrap();
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let (direct, service) = (format!("{url}/direct/tea"), format!("{url}/service/tea"));
    let client = ureq::Agent::new_with_defaults();
    latencies(&client, &direct, 20);
    latencies(&client, &service, 20);

    let direct = latencies(&client, &direct, requests);
    let service = latencies(&client, &service, requests);
    println!("{requests} sequential requests per route, loopback, one kept-alive connection");
    println!("{:<40} {:>9} {:>9}", "", "p50 ms", "p99 ms");
    for (label, taken) in
        [("route doing the work itself (peer)", &direct), ("route calling a service", &service)]
    {
        println!(
            "{label:<40} {:>9.2} {:>9.2}",
            millis(percentile(taken, 0.5)),
            millis(percentile(taken, 0.99))
        );
    }
    let ratio = |p| millis(percentile(&service, p)) / millis(percentile(&direct, p));
    println!(
        "a call to a service costs {:.2}× the peer at p50, {:.2}× at p99; the call itself: {:.2} ms at p50",
        ratio(0.5),
        ratio(0.99),
        millis(percentile(&service, 0.5)) - millis(percentile(&direct, 0.5))
    );
    deployment.run("destroy");

    whole_app_tests();
}

/// `unfold test examples/shop`, beside a first deployment of the shop.
fn whole_app_tests() {
    let shop = Deployment::example("shop");
    let mut runs: Vec<Duration> = (0..10)
        .map(|_| {
            let started = Instant::now();
            let output =
                Command::new(binary("unfold")).arg("test").arg(&shop.project_dir).output().unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
            started.elapsed()
        })
        .collect();
    runs.sort();
    let started = Instant::now();
    shop.run("up");
    let deployed = started.elapsed();
    shop.run("destroy");
    let tests = percentile(&runs, 0.5);
    println!(
        "\nexamples/shop's whole-app tests (3 tests, every service), 10 runs of the whole command:"
    );
    println!(
        "  unfold test examples/shop: p50 {:.1} ms, slowest {:.1} ms",
        millis(tests),
        millis(runs[9])
    );
    println!(
        "  deploying the shop to the local target (the peer, before any request): {:.1} ms, {:.0}× the test run",
        millis(deployed),
        millis(deployed) / millis(tests)
    );
}
