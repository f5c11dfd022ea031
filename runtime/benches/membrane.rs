//! What the membrane costs: recording overhead per crossing against the same
//! crossing unrecorded, replay throughput, and the time to restore a session
//! from a 1000-event record. Run with `cargo bench -p unfold-host --bench membrane`.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;
use unfold_runtime::io::system::{Discard, Seed};
use unfold_runtime::membrane::Snapshot;
use unfold_runtime::session::{AppSession, SessionOptions};

const PROGRAM: &str = r#"
// Each Date.now() is one synchronous crossing (`clock.now`).
export function crossings(count: number) {
    let last = 0;
    for (let i = 0; i < count; i++) last = Date.now();
    return last > 0;
}
"#;

fn options(record: bool) -> SessionOptions {
    SessionOptions {
        console: Box::new(Discard),
        virtual_time_origin: None,
        seed: Seed::DerivedFrom("bench".into()),
        record,
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn time_crossings(program: &Path, record: bool, count: u64) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..5 {
        let mut session =
            AppSession::start(program, options(record)).await.expect("program starts");
        session.invoke("crossings", vec![json!(1000)]).await.expect("warm-up");
        let started = Instant::now();
        session.invoke("crossings", vec![json!(count)]).await.expect("crossings run");
        samples.push(started.elapsed());
    }
    median(samples)
}

async fn recorded_snapshot(program: &Path, crossings: u64) -> Snapshot {
    let mut session = AppSession::start(program, options(true)).await.expect("program starts");
    session.invoke("crossings", vec![json!(crossings)]).await.expect("crossings run");
    Snapshot::decode(&session.snapshot().encode()).expect("snapshots decode")
}

async fn time_restore(snapshot: &Snapshot) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        let session =
            AppSession::restore(snapshot, options(true)).await.expect("snapshot restores");
        samples.push(started.elapsed());
        drop(session);
    }
    median(samples)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let program = dir.path().join("bench.ts");
    std::fs::write(&program, PROGRAM).expect("program written");
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let count = 200_000;
        let recorded = time_crossings(&program, true, count).await;
        let unrecorded = time_crossings(&program, false, count).await;
        let per_op = |d: Duration| d.as_secs_f64() * 1e6 / count as f64;
        println!("membrane: {count} synchronous crossings (median of 5)");
        println!("  recorded      {:>8.3} µs/op", per_op(recorded));
        println!("  unrecorded    {:>8.3} µs/op", per_op(unrecorded));
        println!(
            "  overhead      {:>8.3} µs/op   (goal ≤ 10 µs/op)",
            per_op(recorded) - per_op(unrecorded)
        );

        let big = recorded_snapshot(&program, 100_000).await;
        let replay = time_restore(&big).await;
        let events = big.entries.len() as f64;
        println!(
            "replay: {} events restored in {:.1} ms → {:.0} events/s   (goal ≥ 200k events/s)",
            big.entries.len(),
            replay.as_secs_f64() * 1e3,
            events / replay.as_secs_f64()
        );

        let small = recorded_snapshot(&program, 985).await;
        let restore = time_restore(&small).await;
        println!(
            "restore: {}-event record in {:.2} ms   (goal ≤ 20 ms)",
            small.entries.len(),
            restore.as_secs_f64() * 1e3
        );
    });
}
