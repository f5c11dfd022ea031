//! Pulumi runs under our host record everything that crosses the program's
//! boundary, and leave the record in `.unfold/<stack>/`. Each record must
//! replay in a fresh isolate with no engine at all — every answer comes from
//! the record — and end the way the run ended.

use std::path::{Path, PathBuf};

use unfold_engine::{HostSpec, ProjectSpec};
use unfold_runtime::io::Outcome;
use unfold_runtime::membrane::{Entry, Snapshot};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn host() -> HostSpec {
    unfold_integration_tests::unfold_host()
}

/// Copies a corpus case (and the shared classes it imports) into `dir`, so its
/// records are this test's own.
fn copy_case(case: &str, dir: &Path) -> PathBuf {
    for folder in [case, "shared"] {
        let target = dir.join(folder);
        std::fs::create_dir_all(&target).unwrap();
        for entry in std::fs::read_dir(corpus().join(folder)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
            }
        }
    }
    dir.join(case)
}

fn up(project_dir: &Path, config: &[(&str, &str, bool)]) {
    let mut project = ProjectSpec::load(project_dir, "dev").unwrap();
    for (key, value, secret) in config {
        project.set_config(key, value, *secret);
    }
    let engine = unfold_integration_tests::engine(project_dir.join(".unfold/state"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(engine.up(&project, &host()));
}

fn record(project_dir: &Path, run: &str) -> Snapshot {
    let bytes =
        std::fs::read(project_dir.join(".unfold/dev").join(format!("{run}.snapshot"))).unwrap();
    Snapshot::decode(&bytes).unwrap()
}

fn replay(snapshot: &Snapshot) -> Result<Outcome, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(unfold_language_host::program::replay(snapshot))
}

const BOTH: &[&str] = &["preview", "update"];

fn starts_of<'a>(
    snapshot: &'a Snapshot,
    crossing: &'a str,
) -> impl Iterator<Item = &'a serde_json::Value> + 'a {
    snapshot.entries.iter().filter_map(move |entry| match entry {
        Entry::Start { name, args, .. } if name == crossing => Some(args),
        _ => None,
    })
}

/// Runs `up` and replays the records of `runs` (a failed preview has no update).
fn assert_replays(case: &str, config: &[(&str, &str, bool)], runs: &[&str], outcome: Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let project_dir = copy_case(case, dir.path());
    up(&project_dir, config);
    for run in runs {
        let snapshot = record(&project_dir, run);
        let program =
            url::Url::from_file_path(project_dir.join("index.ts").canonicalize().unwrap()).unwrap();
        assert!(
            snapshot.header.modules.iter().any(|m| m.specifier == program.as_str()),
            "{case} {run}: the record lists the program's module"
        );
        assert_eq!(replay(&snapshot), Ok(outcome.clone()), "{case} {run}");
    }
}

#[test]
fn a_run_records_its_modules_and_registrations_in_program_order() {
    let dir = tempfile::tempdir().unwrap();
    let project_dir = copy_case("l1-component", dir.path());
    up(&project_dir, &[]);
    let registered: Vec<String> =
        starts_of(&record(&project_dir, "update"), "monitor.RegisterResource")
            .map(|args| args["name"].as_str().unwrap_or_default().to_string())
            .collect();
    assert_eq!(
        registered,
        ["l1-component-dev", "pair", "pair-left", "pair-right"],
        "registrations in program order"
    );
    let program =
        url::Url::from_file_path(project_dir.join("index.ts").canonicalize().unwrap()).unwrap();
    let record = record(&project_dir, "update");
    assert!(
        record.header.modules.iter().any(|m| m.specifier == program.as_str()),
        "the record lists the program's module"
    );
}

/// Completions reach the program in ticket order, so the same answers make the
/// same record however fast they came: Function bundles are cut from records.
#[test]
fn the_same_run_records_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let project_dir = copy_case("l2-depends-on", dir.path());
    up(&project_dir, &[]);
    let project = ProjectSpec::load(&project_dir, "dev").unwrap();
    let engine = unfold_integration_tests::engine(project_dir.join(".unfold/state"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let snapshot_path = project_dir.join(".unfold/dev/preview.snapshot");
    let mut records = Vec::new();
    for _ in 0..3 {
        runtime.block_on(engine.preview(&project, &host()));
        records.push(std::fs::read(&snapshot_path).unwrap());
    }
    assert!(
        records.windows(2).all(|pair| pair[0] == pair[1]),
        "three previews of an unchanged stack recorded different bytes"
    );
}

#[test]
fn a_component_program_replays_without_an_engine() {
    assert_replays("l1-component", &[], BOTH, Outcome::Ok);
}

#[test]
fn transforms_replay_with_the_engine_callbacks_they_received() {
    assert_replays("l2-transforms", &[], BOTH, Outcome::Ok);
}

#[test]
fn secrets_and_dependencies_replay() {
    assert_replays(
        "l1-config-secret",
        &[("l1-config-secret:password", "hunter2", true)],
        BOTH,
        Outcome::Ok,
    );
    assert_replays("l2-depends-on", &[], BOTH, Outcome::Ok);
}

#[test]
fn a_failed_program_replays_to_the_same_failure() {
    assert_replays("fail-throw", &[], &["preview"], Outcome::Bail);
}

#[test]
fn a_changed_record_is_refused_at_the_entry_that_differs() {
    let dir = tempfile::tempdir().unwrap();
    let project_dir = copy_case("l2-depends-on", dir.path());
    up(&project_dir, &[]);
    let mut snapshot = record(&project_dir, "update");
    let index = snapshot
        .entries
        .iter()
        .position(|entry| matches!(entry, Entry::Start { name, args, .. } if name == "monitor.RegisterResource" && args["name"] == "second"))
        .expect("the record registers `second`");
    if let Entry::Start { args, .. } = &mut snapshot.entries[index] {
        args["name"] = serde_json::json!("renamed");
    }
    let error = replay(&snapshot).unwrap_err();
    assert!(error.starts_with(&format!("replay diverged at entry {index}:")), "{error}");
}

#[test]
fn records_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let project_dir = copy_case("l1-config-secret", dir.path());
    up(&project_dir, &[("l1-config-secret:password", "hunter2", true)]);
    let mode = std::fs::metadata(project_dir.join(".unfold/dev/update.snapshot"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "a record holds secrets");
}
