//! A call between units on the local target: latency of a route whose handler
//! calls a service, beside a route that does the same work in its own
//! handler (the peer), measured in the same run on the same server.
//!
//! ```sh
//! cargo build --release --bins
//! cargo bench -p unfold-integration-tests --bench services
//! ```
//!
//! Requests are sequential, one connection each, after a warm-up that starts
//! every unit. Both routes record their invocations, as deployed by default;
//! the service route records two (the route's and the service's).
//! `UNFOLD_BENCH_REQUESTS` sets how many per route (default 400). Figures only.

use std::time::{Duration, Instant};

use unfold_integration_tests::http::http;
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

fn latencies(url: &str, requests: usize) -> Vec<Duration> {
    let mut taken = Vec::with_capacity(requests);
    for _ in 0..requests {
        let started = Instant::now();
        let reply = http("GET", url, "", "").unwrap();
        taken.push(started.elapsed());
        assert_eq!((reply.status, reply.body.as_str()), (200, r#"{"total":700}"#), "{url}");
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
    latencies(&direct, 20);
    latencies(&service, 20);

    let direct = latencies(&direct, requests);
    let service = latencies(&service, requests);
    println!("{requests} sequential requests per route, loopback, one connection each");
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
}
