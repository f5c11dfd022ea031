//! The membrane as a user meets it: programs hibernated with `unfold run --save`
//! and resumed by `unfold resume` in another process, compared with runs that
//! were never interrupted; and restores of tampered records, which must stop at
//! the entry where the program and the record part ways.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use unfold_runtime::io::system::{Discard, Seed};
use unfold_runtime::membrane::{Entry, Snapshot};
use unfold_runtime::session::{AppSession, SessionError, SessionOptions};

fn program(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs").join(name)
}

fn counter_app() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/counter/app.ts")
}

/// Runs the `unfold` binary; returns stdout, failing the test on a non-zero exit.
fn unfold(args: &[String]) -> String {
    let output =
        Command::new(env!("CARGO_BIN_EXE_unfold")).args(args).output().expect("unfold runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 stdout");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "unfold {args:?} failed:\nstdout: {stdout}\nstderr: {stderr}");
    stdout
}

fn calls(export: &str, steps: impl IntoIterator<Item = u32>) -> Vec<String> {
    steps.into_iter().map(|n| format!("--call={export}=[{n}]")).collect()
}

fn args(parts: &[&[String]]) -> Vec<String> {
    parts.iter().flat_map(|part| part.iter().cloned()).collect()
}

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

#[test]
fn the_counter_resumes_in_another_process_without_repeating_itself() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("counter.snapshot");
    let app = counter_app().display().to_string();
    let first = unfold(&s(&[
        "run",
        &app,
        "--call=incr",
        "--call=incr",
        "--call=incr",
        &format!("--save={}", saved.display()),
    ]));
    assert_eq!(
        first.lines().collect::<Vec<_>>(),
        [
            "Incrementing counter from 0 to 1",
            "Incrementing counter from 1 to 2",
            "Incrementing counter from 2 to 3"
        ]
    );

    let resumed = unfold(&s(&[
        "resume",
        &saved.display().to_string(),
        "--call=incr",
        "--call=incr",
        "--call=incr",
        "--call=settle=[\"released after the restore\"]",
        "--call=pendingValue",
        "--call=state",
        "--print-results",
    ]));
    let lines: Vec<&str> = resumed.lines().collect();
    assert_eq!(
        lines,
        [
            "Incrementing counter from 3 to 4",
            "4",
            "Incrementing counter from 4 to 5",
            "5",
            "Incrementing counter from 5 to 6",
            "6",
            "null",
            "\"released after the restore\"",
            r#"{"counter":6,"history":[1,2,3,4,5,6],"seen":[[1,"call 1"],[2,"call 2"],[3,"call 3"],[4,"call 4"],[5,"call 5"],[6,"call 6"]],"label":"incr","total":6}"#,
        ]
    );
}

/// A snapshot carries the program's files: it resumes on a machine where
/// they are not, as a bundle restores without its program's sources.
#[test]
fn a_snapshot_resumes_without_the_program_files_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("app");
    std::fs::create_dir(&source).unwrap();
    std::fs::write(
        source.join("main.ts"),
        "import { step } from \"./steps\";\nlet total = 0;\nexport function add(n: number): number {\n    total = step(total, n);\n    return total;\n}\n",
    )
    .unwrap();
    std::fs::write(
        source.join("steps.ts"),
        "export function step(total: number, n: number): number {\n    return total + n * 10;\n}\n",
    )
    .unwrap();
    let saved = dir.path().join("app.snapshot");
    let main = source.join("main.ts").display().to_string();
    let first = unfold(
        &s(&["run", &main, "--call=add=[1]", "--call=add=[2]", "--print-results"])
            .into_iter()
            .chain([format!("--save={}", saved.display())])
            .collect::<Vec<_>>(),
    );
    assert_eq!(first.lines().collect::<Vec<_>>(), ["10", "30"]);

    std::fs::remove_dir_all(&source).unwrap();
    let resumed =
        unfold(&s(&["resume", &saved.display().to_string(), "--call=add=[3]", "--print-results"]));
    assert_eq!(resumed.lines().collect::<Vec<_>>(), ["60"], "the state and both modules came back");
}

/// Record → restore in a new process → continue must equal a run that was
/// never interrupted: the same final state, and the same record byte for byte.
fn assert_resumes_like_an_uninterrupted_run(
    name: &str,
    export: &str,
    steps: u32,
    snapshot_after: u32,
) {
    let dir = tempfile::tempdir().unwrap();
    let file = program(name).display().to_string();
    let settings = s(&["--virtual-time=1767225600000", "--seed=determinism"]);
    let whole = dir.path().join("whole.snapshot");
    let part = dir.path().join("part.snapshot");
    let resumed = dir.path().join("resumed.snapshot");

    let uninterrupted = unfold(&args(&[
        &s(&["run", &file]),
        &settings,
        &calls(export, 1..=steps),
        &s(&["--call=dump", "--print-results", &format!("--save={}", whole.display())]),
    ]));
    unfold(&args(&[
        &s(&["run", &file]),
        &settings,
        &calls(export, 1..=snapshot_after),
        &s(&[&format!("--save={}", part.display())]),
    ]));
    let continued = unfold(&args(&[
        &s(&["resume", &part.display().to_string()]),
        &calls(export, snapshot_after + 1..=steps),
        &s(&["--call=dump", "--print-results", &format!("--save={}", resumed.display())]),
    ]));

    let final_state = |stdout: &str| stdout.lines().last().unwrap_or_default().to_string();
    assert_eq!(
        final_state(&continued),
        final_state(&uninterrupted),
        "{name}: the restored run's state differs"
    );
    assert!(
        final_state(&uninterrupted).len() > 4,
        "{name}: the program recorded nothing: {uninterrupted}"
    );
    let (whole, resumed) = (std::fs::read(whole).unwrap(), std::fs::read(resumed).unwrap());
    assert!(
        whole == resumed,
        "{name}: records differ:\n{}\n---\n{}",
        String::from_utf8_lossy(&whole),
        String::from_utf8_lossy(&resumed)
    );
}

#[test]
fn random_numbers_continue_after_a_restore() {
    assert_resumes_like_an_uninterrupted_run("random.ts", "step", 4, 2);
}

#[test]
fn the_clock_continues_after_a_restore() {
    assert_resumes_like_an_uninterrupted_run("time.ts", "step", 4, 2);
}

#[test]
fn timers_fire_in_the_same_order_after_a_restore() {
    assert_resumes_like_an_uninterrupted_run("timers.ts", "step", 3, 1);
}

#[test]
fn promise_races_settle_the_same_way_after_a_restore() {
    assert_resumes_like_an_uninterrupted_run("race.ts", "step", 4, 2);
}

#[test]
fn async_iteration_continues_after_a_restore() {
    assert_resumes_like_an_uninterrupted_run("async-iteration.ts", "step", 4, 3);
}

#[test]
fn formatting_json_and_class_hierarchies_survive_a_restore() {
    assert_resumes_like_an_uninterrupted_run("intl-json-classes.ts", "step", 4, 2);
}

#[test]
fn pinned_settings_are_what_programs_see() {
    let out = unfold(&s(&[
        "run",
        &program("intl-json-classes.ts").display().to_string(),
        "--call=step=[1]",
        "--call=dump",
        "--print-results",
    ]));
    let state: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(state["timeZone"], "UTC");
    assert_eq!(state["locale"], "en-US");
    assert_eq!(state["described"], json!(["square of 1.001.000,25"]));
    assert_eq!(state["currency"], "€1,234.50");
}

// ---- randomized operation sequences, in process -------------------------------------------

fn options() -> SessionOptions {
    SessionOptions {
        console: Box::new(Discard),
        virtual_time_origin: Some(1_767_225_600_000.0),
        seed: Seed::DerivedFrom("fuzz".into()),
        record: true,
    }
}

/// A small deterministic generator for test inputs (xorshift64*).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % sides
    }
}

fn random_ops(dice: &mut Dice) -> Value {
    let count = 1 + dice.roll(6);
    let ops: Vec<String> = (0..count)
        .map(|_| match dice.roll(6) {
            0 => "random".to_string(),
            1 => "now".to_string(),
            2 => format!("sleep:{}", dice.roll(20)),
            3 => format!("race:{}", dice.roll(15)),
            4 => "log".to_string(),
            _ => "uuid".to_string(),
        })
        .collect();
    json!(ops)
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn random_op_sequences_restore_at_random_points() {
    let ops_program = program("ops.ts");
    let mut dice = Dice(0x5eed_1234_abcd_0001);
    for round in 0..6 {
        let batches: Vec<Value> = (0..1 + dice.roll(5)).map(|_| random_ops(&mut dice)).collect();
        let cut = dice.roll(batches.len() as u64 + 1) as usize;

        let mut whole = AppSession::start(&ops_program, options()).await.unwrap();
        for batch in &batches {
            whole.invoke("run", vec![batch.clone()]).await.unwrap();
        }
        let expected_state = whole.invoke("dump", vec![]).await.unwrap();
        let expected_record = whole.snapshot().encode();
        drop(whole);

        let mut first = AppSession::start(&ops_program, options()).await.unwrap();
        for batch in &batches[..cut] {
            first.invoke("run", vec![batch.clone()]).await.unwrap();
        }
        let saved = Snapshot::decode(&first.snapshot().encode()).unwrap();
        drop(first);

        let mut restored = AppSession::restore(&saved, options()).await.unwrap();
        for batch in &batches[cut..] {
            restored.invoke("run", vec![batch.clone()]).await.unwrap();
        }
        assert_eq!(
            restored.invoke("dump", vec![]).await.unwrap(),
            expected_state,
            "round {round}: {batches:?} cut at {cut}"
        );
        assert!(
            restored.snapshot().encode() == expected_record,
            "round {round}: the records differ"
        );
    }
}

// ---- divergence ---------------------------------------------------------------------------

const TICKER: &str = r#"
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export function tick() {
    console.log(`time ${Date.now()}`);
}
export async function both() {
    await Promise.all([sleep(5).then(() => console.log("five")), sleep(10).then(() => console.log("ten"))]);
}
"#;

/// The snapshot of a session that called `tick` then `both`.
async fn ticker_record(dir: &Path) -> (PathBuf, Snapshot) {
    let file = dir.join("ticker.ts");
    std::fs::write(&file, TICKER).unwrap();
    let mut session = AppSession::start(&file, options()).await.unwrap();
    session.invoke("tick", vec![]).await.unwrap();
    session.invoke("both", vec![]).await.unwrap();
    (file, session.snapshot())
}

fn position(entries: &[Entry], matches: impl Fn(&Entry) -> bool) -> usize {
    entries.iter().position(matches).expect("the record has the entry")
}

fn is_call(name: &'static str) -> impl Fn(&Entry) -> bool {
    move |entry| matches!(entry, Entry::Call { name: n, .. } if n == name)
}

fn is_write_of(text: &'static str) -> impl Fn(&Entry) -> bool {
    move |entry| matches!(entry, Entry::Call { name, args, .. } if name == "console.write" && args["text"].as_str().is_some_and(|t| t.starts_with(text)))
}

/// Restores a tampered snapshot; returns the divergence it must report.
async fn divergence(snapshot: Snapshot) -> String {
    match AppSession::restore(&snapshot, options()).await {
        Err(SessionError::Restore(message)) => message,
        Err(other) => panic!("expected a divergence, got {other}"),
        Ok(_) => panic!("the tampered record restored without a divergence"),
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn an_extra_operation_is_reported_at_its_index() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut snapshot) = ticker_record(dir.path()).await;
    let entries = &mut snapshot.entries;
    // The record lacks the first line `tick` wrote: the program's write is extra.
    let index = position(entries, is_write_of("time "));
    entries.remove(index);
    let message = divergence(snapshot).await;
    assert!(message.starts_with(&format!("replay diverged at entry {index}:")), "{message}");
    assert!(
        message.contains(
            "the program made call console.write({\"stream\":\"stdout\",\"text\":\"time "
        ),
        "{message}"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_missing_operation_is_reported_at_its_index() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut snapshot) = ticker_record(dir.path()).await;
    let entries = &mut snapshot.entries;
    let index = position(entries, is_write_of("time "));
    entries.insert(
        index,
        Entry::Call {
            name: "clock.now".into(),
            args: json!({}),
            result: unfold_runtime::membrane::CallResult::Ok(json!(0)),
        },
    );
    let message = divergence(snapshot).await;
    assert!(
        message.starts_with(&format!(
            "replay diverged at entry {index}: the record has call clock.now({{}})"
        )),
        "{message}"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn changed_arguments_are_reported_with_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut snapshot) = ticker_record(dir.path()).await;
    let entries = &mut snapshot.entries;
    let index = position(entries, is_write_of("five"));
    if let Entry::Call { args, .. } = &mut entries[index] {
        args["text"] = json!("FIVE\n");
    }
    let message = divergence(snapshot).await;
    assert!(message.starts_with(&format!("replay diverged at entry {index}: the record has call console.write({{\"stream\":\"stdout\",\"text\":\"FIVE\\n\"}})")), "{message}");
    assert!(
        message.ends_with(
            r#"the program made call console.write({"stream":"stdout","text":"five\n"})"#
        ),
        "{message}"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_changed_result_shows_where_the_program_then_differs() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut snapshot) = ticker_record(dir.path()).await;
    let entries = &mut snapshot.entries;
    let clock = position(entries, is_call("clock.now"));
    if let Entry::Call { result, .. } = &mut entries[clock] {
        *result = unfold_runtime::membrane::CallResult::Ok(json!(42));
    }
    // The program now writes "time 42", which the record does not have.
    let index = position(entries, is_write_of("time "));
    let message = divergence(snapshot).await;
    assert!(message.starts_with(&format!("replay diverged at entry {index}:")), "{message}");
    assert!(message.contains(r#""text":"time 42\n""#), "{message}");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn reordered_completions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut snapshot) = ticker_record(dir.path()).await;
    let entries = &mut snapshot.entries;
    let five = position(entries, is_write_of("five"));
    // Swap what the two timer deliveries carry, as if the slower timer fired first.
    let ready = position(entries, is_call("app.ready"));
    let deliveries: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(i, entry)| *i > ready && matches!(entry, Entry::Deliver { batch } if batch.iter().any(|b| b[0] != json!(0))))
        .map(|(i, _)| i)
        .collect();
    let (a, b) = (deliveries[deliveries.len() - 2], deliveries[deliveries.len() - 1]);
    entries.swap(a, b);
    let message = divergence(snapshot).await;
    assert!(message.starts_with(&format!("replay diverged at entry {five}:")), "{message}");
    assert!(message.contains(r#""text":"ten\n""#), "{message}");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_changed_module_cannot_be_restored() {
    let dir = tempfile::tempdir().unwrap();
    let (file, snapshot) = ticker_record(dir.path()).await;
    let refused = |restored: Result<AppSession, SessionError>| match restored {
        Err(error) => assert!(
            error.to_string().contains("the program changed since the snapshot was taken"),
            "{error}"
        ),
        Ok(_) => panic!("a changed module restored"),
    };
    // A module edited inside the snapshot.
    let mut edited = snapshot.clone();
    let files = edited.header.files.as_mut().expect("the snapshot embeds its files");
    for source in files.sources.values_mut() {
        *source = source.replace("time", "tijd");
    }
    refused(AppSession::restore(&edited, options()).await);
    // A snapshot that reads its modules from disk (as older ones do), one edited there.
    let mut from_disk = snapshot;
    from_disk.header.files = None;
    std::fs::write(&file, TICKER.replace("time", "tijd")).unwrap();
    refused(AppSession::restore(&from_disk, options()).await);
}
