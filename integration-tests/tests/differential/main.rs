//! The same corpus programs under Pulumi's own Node.js SDK and under our host
//! must show the engine the same thing: every registration field by field,
//! reads, invokes, stack outputs, non-debug log messages and what the user
//! sees when a program fails. Differences not in the reviewed allow-list
//! (`differential-allowlist.json`) fail the test, listed by case, phase, URN
//! and field.
//!
//! `UNFOLD_DIFF_CASES=a,b` runs only those cases; `UNFOLD_DIFF_JOBS` sets how
//! many host runs go at once; `UNFOLD_HOST` names the host binary (default:
//! the workspace's debug build); `UNFOLD_DIFF_DUMP=<dir>` writes what each
//! host showed, one JSON file per case, side, step and phase.

mod allowlist;
mod cases;
mod diff;
mod observed;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Semaphore;
use unfold_engine::{EngineOptions, HostSpec, ProjectSpec, ProviderRegistry, RunReport};
use unfold_integration_tests::test_provider::TestProvider;

use allowlist::AllowList;
use cases::Case;

const STACK: &str = "dev";
/// Long enough for the slowest case on a loaded machine: Node's side of
/// fail-bad-json-config takes about 35 s on an idle one, and four cases run at once.
const RUN_TIMEOUT: Duration = Duration::from_secs(300);

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn node_host() -> HostSpec {
    HostSpec::NodeSdk {
        node: PathBuf::from("node"),
        sdk: manifest_dir().join("nodejs/node_modules/@pulumi/pulumi"),
    }
}

fn unfold_host() -> HostSpec {
    let binary = std::env::var_os("UNFOLD_HOST").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| manifest_dir().join("../target"));
        target.join("debug/pulumi-language-unfold")
    });
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo build --workspace --bins` first",
        binary.display()
    );
    HostSpec::Plugin { binary: Some(binary) }
}

/// One phase of one step as a host ran it.
struct Phase {
    step: u32,
    phase: &'static str,
    observed: Value,
}

/// Runs the case (after its prerequisite) against a fresh backend: `up` per step,
/// which previews and then updates.
async fn run_case(case: &Case, host: &HostSpec, all: &[Case]) -> Vec<Phase> {
    let backend = tempfile::tempdir().unwrap();
    let engine = unfold_integration_tests::engine(backend.path())
        .with_providers(providers())
        .with_options(EngineOptions { run_timeout: RUN_TIMEOUT, ..EngineOptions::default() });
    let mut phases = Vec::new();
    if let Some(before) = case.before {
        // Deployed by the same host, as the stack the case reads; step 0.
        let before = all.iter().find(|c| c.name == before).expect("the prerequisite case exists");
        let report = engine.up(&load(before, None).expect("the prerequisite loads"), host).await;
        let observed =
            observed::observe(&report, &before.name, STACK, &|text| normalize(text, &before.dir));
        phases.push(Phase { step: 0, phase: "update", observed });
    }
    for step in 1..=case.steps {
        let spec = match load(case, (case.steps > 1).then_some(step)) {
            Ok(spec) => spec,
            Err(e) => {
                // The engine rejects the project before any host starts.
                phases.push(Phase {
                    step,
                    phase: "preview",
                    observed: serde_json::json!({"outcome": format!("{e:#}")}),
                });
                continue;
            }
        };
        let report = engine.up(&spec, host).await;
        let observe = |report: &RunReport| {
            observed::observe(report, &spec.name, STACK, &|text| normalize(text, &case.dir))
        };
        let preview = report.preview.as_deref().expect("up always previews first");
        phases.push(Phase { step, phase: "preview", observed: observe(preview) });
        if preview.succeeded() {
            phases.push(Phase { step, phase: "update", observed: observe(&report) });
        }
    }
    phases
}

/// The built-in providers, with the resource that `l2-import` adopts already existing.
fn providers() -> ProviderRegistry {
    let test = TestProvider::default();
    test.insert_existing(
        "existing-id",
        serde_json::json!({"value": "adopted"}).as_object().unwrap().clone(),
    );
    let mut providers = unfold_integration_tests::test_providers();
    providers.register("test", Arc::new(test));
    providers
}

fn load(case: &Case, step: Option<u32>) -> anyhow::Result<ProjectSpec> {
    let mut spec = ProjectSpec::load(&case.dir, STACK)?;
    for (key, value, secret) in &case.config {
        spec.set_config(key, value, *secret);
    }
    if let Some(step) = step {
        spec.set_config("step", &step.to_string(), false);
    }
    Ok(spec)
}

/// Text that names where the corpus lives says `<corpus>`; terminal colours and
/// stack frames go, since each host points frames into its own runtime.
fn normalize(text: &str, program_dir: &Path) -> String {
    let corpus = program_dir.parent().unwrap().display().to_string();
    let text = without_ansi_escapes(text)
        .replace(&format!("file://{corpus}"), "<corpus>")
        .replace(&corpus, "<corpus>");
    text.lines().filter(|line| !line.trim_start().starts_with("at ")).collect::<Vec<_>>().join("\n")
}

/// Drops `ESC [ … letter` sequences (colours).
fn without_ansi_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_sdk_and_unfold_show_the_engine_the_same_program() {
    let allow = AllowList::load(&manifest_dir().join("differential-allowlist.json"));
    let all = cases::discover(&manifest_dir().join("corpus"));
    let only: Option<Vec<String>> =
        std::env::var("UNFOLD_DIFF_CASES").ok().map(|s| s.split(',').map(str::to_string).collect());
    let selected: Vec<Case> = all
        .iter()
        .filter(|c| only.as_ref().is_none_or(|o| o.contains(&c.name)))
        .filter(|c| allow.excluded(&c.name).is_none())
        .cloned()
        .collect();
    assert!(!selected.is_empty(), "no corpus case selected");
    let jobs = std::env::var("UNFOLD_DIFF_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or(4);
    let permits = Arc::new(Semaphore::new(jobs));
    let all = Arc::new(all);
    let (node, unfold) = (node_host(), unfold_host());
    let mut tasks = tokio::task::JoinSet::new();
    for (index, case) in selected.iter().enumerate() {
        for (side, host) in [(0, node.clone()), (1, unfold.clone())] {
            let (case, all, permits) = (case.clone(), all.clone(), permits.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await.unwrap();
                (index, side, run_case(&case, &host, &all).await)
            });
        }
    }
    let mut results: Vec<[Vec<Phase>; 2]> =
        selected.iter().map(|_| [Vec::new(), Vec::new()]).collect();
    while let Some(done) = tasks.join_next().await {
        let (index, side, phases) = done.expect("a case run panicked");
        results[index][side] = phases;
    }

    if let Some(dump) = std::env::var_os("UNFOLD_DIFF_DUMP").map(PathBuf::from) {
        std::fs::create_dir_all(&dump).unwrap();
        for (case, sides) in selected.iter().zip(&results) {
            for (side, phases) in ["node", "unfold"].iter().zip(sides) {
                for p in phases {
                    let file =
                        dump.join(format!("{}.{side}.{}.{}.json", case.name, p.step, p.phase));
                    std::fs::write(file, serde_json::to_string_pretty(&p.observed).unwrap())
                        .unwrap();
                }
            }
        }
    }
    let mut report = String::new();
    let mut failed = 0;
    for (case, [node, unfold]) in selected.iter().zip(&results) {
        let mut lines = Vec::new();
        let phases = node.len().max(unfold.len());
        for i in 0..phases {
            let (n, u) = (node.get(i), unfold.get(i));
            let (step, phase) = n.or(u).map(|p| (p.step, p.phase)).unwrap();
            let empty = Value::Null;
            for difference in diff::differences(
                n.map_or(&empty, |p| &p.observed),
                u.map_or(&empty, |p| &p.observed),
            ) {
                if !allow.allows(&case.name, phase, &difference) {
                    lines.push(format!("  step {step} {phase}: {difference}"));
                }
            }
        }
        let verdict = if lines.is_empty() { "same" } else { "DIFFERENT" };
        report.push_str(&format!("{:<32} {verdict} ({phases} phases)\n", case.name));
        if !lines.is_empty() {
            failed += 1;
            report.push_str(&lines.join("\n"));
            report.push('\n');
        }
    }
    for case in &all[..] {
        if let Some(reason) = allow.excluded(&case.name) {
            report.push_str(&format!("{:<32} excluded: {reason}\n", case.name));
        }
    }
    if only.is_none() {
        // Stale entries would silently allow a future regression; a filtered run cannot tell.
        for entry in allow.unused() {
            failed += 1;
            report.push_str(&format!(
                "allow-list entry that allowed nothing (remove it): {entry:?}\n"
            ));
        }
    }
    eprintln!("{report}");
    assert_eq!(failed, 0, "the Node.js SDK and our host differ:\n{report}");
}
