//! Replay tells a slow program from a stuck one by what the isolate can still
//! do, never by how long it took: a program that computes for seconds between
//! two crossings replays, and one that waits for a delivery the record does
//! not hold diverges at once.

use std::path::Path;
use std::time::{Duration, Instant};

use unfold_runtime::io::system::{Discard, Seed};
use unfold_runtime::membrane::{Entry, Snapshot};
use unfold_runtime::session::{AppSession, SessionError, SessionOptions};

/// On the wall clock: a paused runtime would hide how long the program computes.
fn options() -> SessionOptions {
    SessionOptions {
        console: Box::new(Discard),
        virtual_time_origin: None,
        seed: Seed::DerivedFrom("replay".into()),
        record: true,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The handler imports modules one after the other, one of which computes for
/// a while as it is evaluated (module evaluation is not a crossing), before it
/// crosses again: the replay waits across several turns of the event loop
/// while the program works.
const SLOW_APP: &str = r#"
export async function slow() {
    const names = [];
    let result = 0;
    for (const next of ["./a.ts", "./busy.ts", "./b.ts", "./c.ts", "./d.ts"]) {
        const module = await import(next);
        names.push(module.name);
        result += module.result ?? 0;
    }
    console.log(`computed ${result} in ${names.join(", ")}`);
    return result;
}
"#;

const BUSY: &str = r#"
let x = 0;
for (let i = 0; i < 600_000_000; i++) {
    x = (x * 31 + i) % 1_000_003;
}
export const result = x;
export const name = "busy";
"#;

fn write_slow_app(dir: &Path) -> std::path::PathBuf {
    std::fs::write(dir.join("busy.ts"), BUSY).unwrap();
    for name in ["a", "b", "c", "d"] {
        std::fs::write(dir.join(format!("{name}.ts")), format!("export const name = {name:?};"))
            .unwrap();
    }
    let app = dir.join("slow.ts");
    std::fs::write(&app, SLOW_APP).unwrap();
    app
}

#[test]
fn a_program_computing_for_seconds_between_crossings_replays() {
    let dir = tempfile::tempdir().unwrap();
    let app = write_slow_app(dir.path());
    runtime().block_on(async {
        let mut session = AppSession::start(&app, options()).await.unwrap();
        let started = Instant::now();
        let result = session.invoke("slow", vec![]).await.unwrap();
        let computing = started.elapsed();
        assert!(
            computing >= Duration::from_secs(1),
            "the test needs a program that computes for a while; it took {computing:?}"
        );
        let snapshot = session.snapshot();
        drop(session);
        let restored = AppSession::restore(&snapshot, options()).await;
        let mut restored = match restored {
            Ok(restored) => restored,
            Err(error) => panic!("a slow program must replay: {error}"),
        };
        // Restored, it carries on where it was: the modules are loaded already.
        assert_eq!(restored.invoke("slow", vec![]).await.unwrap(), result);
    });
}

const WAITER: &str = r#"
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export async function wait() {
    await sleep(5);
    console.log("woke");
}
"#;

/// A record whose timer never fired: the program waits for a delivery the
/// record does not hold, and nothing else can make it cross.
fn record_without_the_timer(dir: &Path) -> Snapshot {
    let app = dir.join("waiter.ts");
    std::fs::write(&app, WAITER).unwrap();
    runtime().block_on(async {
        let mut session = AppSession::start(&app, options()).await.unwrap();
        session.invoke("wait", vec![]).await.unwrap();
        let mut snapshot = session.snapshot();
        let timer = snapshot
            .entries
            .iter()
            .position(|e| matches!(e, Entry::Start { name, .. } if name == "timer.sleep"))
            .expect("the record starts the timer");
        let delivery = timer
            + 1
            + snapshot.entries[timer + 1..]
                .iter()
                .position(|e| matches!(e, Entry::Deliver { .. }))
                .expect("the record delivers the timer");
        snapshot.entries.remove(delivery);
        snapshot
    })
}

#[test]
fn a_program_waiting_for_a_delivery_the_record_lacks_diverges_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = record_without_the_timer(dir.path());
    let started = Instant::now();
    let restored = runtime().block_on(AppSession::restore(&snapshot, options()));
    let message = match restored {
        Err(SessionError::Restore(message)) => message,
        Err(other) => panic!("expected a divergence, got {other}"),
        Ok(_) => panic!("a record missing a delivery restored"),
    };
    assert!(message.starts_with("replay diverged at entry "), "{message}");
    assert!(
        message
            .contains(r#"the record has call console.write({"stream":"stdout","text":"woke\n"})"#),
        "{message}"
    );
    assert!(message.contains("waiting for a delivery"), "{message}");
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "the divergence must not wait for a timeout: {:?}",
        started.elapsed()
    );
}
