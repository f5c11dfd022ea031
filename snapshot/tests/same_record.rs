//! A run started from the startup snapshot makes the same record, byte for
//! byte, as one that loads and evaluates everything itself — and each replays
//! the other's. The run without the snapshot is this test binary again, in a
//! child process that does not install it.

use std::path::Path;
use std::process::Command;

use serde_json::json;
use unfold_runtime::io::system::{Discard, Seed};
use unfold_runtime::membrane::Snapshot;
use unfold_runtime::session::{AppSession, SessionOptions};

const PROGRAM: &str = r#"
import * as path from "node:path";
import { EventEmitter } from "node:events";

export function work(name: string) {
    const emitter = new EventEmitter();
    let heard = "";
    emitter.on("hello", (who: string) => { heard = who; });
    emitter.emit("hello", name);
    console.log("working", path.join("a", name));
    return { heard, at: Date.now(), draw: Math.random() };
}
"#;

/// Where the child writes its record; set only in the child.
const RECORD_TO: &str = "UNFOLD_TEST_RECORD_TO";

fn options() -> SessionOptions {
    SessionOptions {
        console: Box::new(Discard),
        virtual_time_origin: Some(1_000_000.0),
        seed: Seed::DerivedFrom("same-record".into()),
        record: true,
    }
}

/// Runs `session` on a paused clock: time moves only as timers fire, so both
/// runs read the same times.
fn on_virtual_time<T>(session: impl Future<Output = T>) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(session)
}

fn record(program: &Path) -> Vec<u8> {
    on_virtual_time(async {
        let mut session = AppSession::start(program, options()).await.expect("the program starts");
        session.invoke("work", vec![json!("unfold")]).await.expect("work runs");
        session.snapshot().encode()
    })
}

fn replays(bytes: &[u8]) {
    let snapshot = Snapshot::decode(bytes).expect("records decode");
    on_virtual_time(async {
        AppSession::restore(&snapshot, options()).await.expect("the record replays");
    });
}

#[test]
fn a_run_from_the_snapshot_records_what_a_run_without_it_records() {
    if let Ok(out) = std::env::var(RECORD_TO) {
        // The child: no snapshot installed. Replays the parent's record, then writes its own.
        let dir = Path::new(&out).parent().unwrap();
        replays(&std::fs::read(dir.join("with.record")).unwrap());
        std::fs::write(&out, record(&dir.join("program.ts"))).unwrap();
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("program.ts");
    std::fs::write(&program, PROGRAM).unwrap();
    unfold_snapshot::install();
    let with = record(&program);
    std::fs::write(dir.path().join("with.record"), &with).unwrap();

    let without_path = dir.path().join("without.record");
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "a_run_from_the_snapshot_records_what_a_run_without_it_records"])
        .env(RECORD_TO, &without_path)
        .status()
        .unwrap();
    assert!(status.success(), "the run without the snapshot failed");
    let without = std::fs::read(&without_path).unwrap();

    let decoded = Snapshot::decode(&with).unwrap();
    let modules: Vec<&str> = decoded.header.modules.iter().map(|m| m.specifier.as_str()).collect();
    assert!(
        modules.iter().any(|m| m.ends_with("/unfold/console.ts")),
        "the record names the modules that came from the snapshot: {modules:?}"
    );
    assert!(
        with == without,
        "the records differ:\n{decoded:#?}\n---\n{:#?}",
        Snapshot::decode(&without).unwrap()
    );
    replays(&without);
}
