//! What recording invocations costs on examples/messages, and how fast one
//! replays: each figure beside its peer, measured in the same run.
//!
//! - Per invocation, in process: the GET and POST Functions restored from
//!   their deployed bundles and invoked one request at a time, with an
//!   invocation store and without (the peer); the difference in CPU time (all
//!   the process's threads, the record writer's included) is the cost of
//!   recording, in µs and as a share of the request. Wall time per request is
//!   shown too; one request at a time it mostly measures thread wake-ups.
//! - Record size per invocation, from the records those runs wrote.
//! - Replay start-up: a recorded invocation replayed on a fresh isolate (its
//!   bundle restored, then the invocation), beside a plain cold restore.
//! - Under load: `wrk` against two deployments of the example, one with
//!   `invocations: false` on both Functions (the peer).
//!
//! ```sh
//! cargo build --release --bins
//! cargo bench -p unfold-integration-tests --bench invocations   # needs `wrk`
//! ```
//!
//! `UNFOLD_BENCH_SECONDS` sets each load's duration (default 5). Figures only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use unfold_engine::{Engine, HostSpec, ProjectSpec};
use unfold_function_runtime::function::{FunctionInstance, FunctionSpec, HttpRequest};
use unfold_function_runtime::invocation_replay::{ReplaySpec, replay};
use unfold_function_runtime::invocation_store::{self, InvocationStore, RecordingSettings};
use unfold_function_runtime::tables::TableStore;
use unfold_integration_tests::load::wrk;
use unfold_integration_tests::local_target;

const INVOCATIONS: usize = 2000;
const REPLAYS: usize = 20;

fn binary(name: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let release = target.join("release").join(name);
    if release.is_file() { release } else { target.join("debug").join(name) }
}

/// examples/messages in `dir`, its Functions' recording switched off with `off`.
struct Deployed {
    project: ProjectSpec,
    engine: Engine,
    url: String,
    local: PathBuf,
}

fn deploy(dir: &Path, name: &str, off: bool, runtime: &tokio::runtime::Runtime) -> Deployed {
    let project_dir = dir.join(name);
    std::fs::create_dir_all(&project_dir).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/messages");
    std::fs::copy(example.join("Pulumi.yaml"), project_dir.join("Pulumi.yaml")).unwrap();
    let mut program = std::fs::read_to_string(example.join("index.ts")).unwrap();
    if off {
        let ends = ["body: { stored: msg.id } };\n});", ": { body: msg };\n});"];
        for end in ends {
            assert!(program.contains(end), "examples/messages changed: update this bench");
            let without = end.replace("\n});", "\n}, { invocations: false });");
            program = program.replace(end, &without);
        }
    }
    std::fs::write(project_dir.join("index.ts"), program).unwrap();
    let host = HostSpec::Plugin { binary: Some(binary("pulumi-language-unfold")) };
    let providers = unfold_integration_tests::test_providers()
        .with_plugin("unfold", binary("pulumi-resource-unfold"));
    let engine =
        unfold_integration_tests::engine(project_dir.join(".state")).with_providers(providers);
    let project = ProjectSpec::load(&project_dir, "dev").unwrap();
    let report = runtime.block_on(engine.up(&project, &host));
    assert_eq!(report.error, None, "{:#?}", report.diagnostics);
    let url = report.outputs["url"].as_str().unwrap().to_string();
    Deployed { project, engine, url, local: project_dir.join(".unfold/dev/local") }
}

/// The deployed bundle of each Function: name → path.
fn bundles(local: &Path) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(local.join("functions")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let bundle = std::fs::read_dir(entry.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "bundle"))
            .unwrap();
        found.insert(name, bundle);
    }
    found
}

fn request(method: &str, i: usize) -> HttpRequest {
    let id = format!("m{}", i % 50);
    match method {
        "POST" => HttpRequest {
            method: "POST".into(),
            path: "/messages".into(),
            headers: [("content-type".to_string(), "application/json".to_string())].into(),
            body: format!(r#"{{"id":"{id}","text":"hello"}}"#),
            ..Default::default()
        },
        _ => HttpRequest {
            method: "GET".into(),
            path: format!("/messages/{id}"),
            params: [("id".to_string(), id)].into(),
            ..Default::default()
        },
    }
}

/// CPU time the process has used so far (every thread: the isolate's, the
/// record writer's, this one's).
fn cpu_time() -> Duration {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).unwrap();
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    Duration::from_micros(micros(usage.user_time()) + micros(usage.system_time()))
}

/// Per invocation, one at a time: mean wall time and CPU time. The records
/// are written before the CPU clock stops.
async fn invoke_all(
    spec: FunctionSpec,
    method: &str,
    store: Option<&InvocationStore>,
) -> (Duration, Duration) {
    let instance = FunctionInstance::start(spec).await.unwrap();
    for i in 0..50 {
        instance.invoke(request(method, i)).await.unwrap();
    }
    if let Some(store) = store {
        store.flush();
    }
    let (started, cpu) = (Instant::now(), cpu_time());
    for i in 0..INVOCATIONS {
        instance.invoke(request(method, i)).await.unwrap();
    }
    let wall = started.elapsed();
    if let Some(store) = store {
        store.flush();
    }
    let n = INVOCATIONS as u32;
    (wall / n, (cpu_time() - cpu) / n)
}

fn spec(bundle: &Path, tables: &Path, store: Option<Arc<InvocationStore>>) -> FunctionSpec {
    FunctionSpec {
        bundle: bundle.to_path_buf(),
        secrets: Vec::new(),
        tables: TableStore::Local(tables.to_path_buf()),
        timeout: Duration::from_secs(30),
        memory: None,
        environment: BTreeMap::new(),
        log: Arc::new(|_: &str| {}),
        invocations: store,
        units: None,
        inspector: None,
    }
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn main() {
    let seconds: u32 =
        std::env::var("UNFOLD_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    println!("binaries: {}", binary("unfold").parent().unwrap().display());
    let recording = deploy(dir.path(), "recording", false, &runtime);
    // A copy of the deployed tables (nothing has written them yet), so the
    // in-process runs leave the deployments' own as the deploy made them.
    let deployed_tables = unfold_function_runtime::tables::tables_dir(&recording.local);
    let tables = dir.path().join("tables");
    std::fs::create_dir_all(&tables).unwrap();
    for entry in std::fs::read_dir(&deployed_tables).unwrap().flatten() {
        std::fs::copy(entry.path(), tables.join(entry.file_name())).unwrap();
    }
    let routes = [("POST", "insert"), ("GET", "api-get-messages-id")];
    let functions = bundles(&recording.local);

    println!(
        "\nCPU time per invocation (all threads), in process, {INVOCATIONS} requests one at a time:"
    );
    println!(
        "  {:<26} {:>12} {:>12} {:>10} {:>8} {:>14}",
        "", "recorded", "unrecorded", "cost", "share", "record size"
    );
    let mut records = BTreeMap::new();
    for (method, name) in routes {
        let bundle = functions.get(name).unwrap_or_else(|| panic!("no Function {name}"));
        let store_dir = dir.path().join("records").join(name);
        let settings = RecordingSettings { keep: INVOCATIONS * 4, ..Default::default() };
        let errors = Arc::new(|message: &str| panic!("{message}"));
        let store = Arc::new(InvocationStore::open(store_dir.clone(), settings, &[], errors));
        // Alternating, the best of three runs each, either going first in turn:
        // the machine's drift hits both.
        let (mut on, mut off) = ([Duration::MAX; 2], [Duration::MAX; 2]);
        for round in 0..3 {
            for recorded in [round % 2 == 0, round % 2 != 0] {
                let given = recorded.then(|| store.clone());
                let instance = spec(bundle, &tables, given);
                let (wall, cpu) =
                    runtime.block_on(invoke_all(instance, method, recorded.then_some(&*store)));
                let best = if recorded { &mut on } else { &mut off };
                *best = [best[0].min(wall), best[1].min(cpu)];
            }
        }
        store.flush();
        let bytes: u64 = std::fs::read_dir(&store_dir)
            .unwrap()
            .flatten()
            .map(|e| e.metadata().unwrap().len())
            .sum();
        let size = bytes / invocation_store::list(&store_dir).len().max(1) as u64;
        let cost = micros(on[1]) - micros(off[1]);
        println!(
            "  {:<26} {:>9.1} µs {:>9.1} µs {:>7.1} µs {:>7.1}% {:>8} bytes   (wall {:.1} / {:.1} µs)",
            format!("{method} ({name})"),
            micros(on[1]),
            micros(off[1]),
            cost,
            100.0 * cost / micros(off[1]),
            size,
            micros(on[0]),
            micros(off[0]),
        );
        records.insert(name, (bundle.clone(), store_dir));
    }

    println!(
        "\nreplay start-up ({REPLAYS} replays of one recorded invocation, fresh isolate each):"
    );
    // An isolate runs on the thread of a single-threaded runtime, as `unfold replay` runs it.
    let replaying = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for (name, (bundle, store_dir)) in &records {
        let id = invocation_store::list(store_dir).last().unwrap().id.clone();
        let record = invocation_store::read(store_dir, &id).unwrap();
        let mut replays = Vec::new();
        for _ in 0..REPLAYS {
            let started = Instant::now();
            let report = replaying.block_on(replay(ReplaySpec {
                record: record.clone(),
                secrets: Vec::new(),
                environment: BTreeMap::new(),
                timeout: Some(Duration::from_secs(30)),
                inspect_source_maps: false,
                before_start: None,
            }));
            replays.push(started.elapsed());
            assert!(report.unwrap().divergence.is_none());
        }
        let mut restores = Vec::new();
        for _ in 0..REPLAYS {
            let started = Instant::now();
            runtime.block_on(FunctionInstance::start(spec(bundle, &tables, None))).unwrap();
            restores.push(started.elapsed());
        }
        replays.sort();
        restores.sort();
        println!(
            "  {name:<24} replay median {:>6.1} ms   cold restore median {:>6.1} ms (peer)",
            replays[REPLAYS / 2].as_secs_f64() * 1e3,
            restores[REPLAYS / 2].as_secs_f64() * 1e3
        );
    }

    let unrecorded = deploy(dir.path(), "unrecorded", true, &runtime);
    let script = dir.path().join("post.lua");
    std::fs::write(
        &script,
        "counter = 0\nrequest = function()\n  counter = counter + 1\n  local body = '{\"id\":\"m' .. counter .. '\",\"text\":\"hello\"}'\n  return wrk.format('POST', nil, {['content-type']='application/json'}, body)\nend\n",
    )
    .unwrap();
    println!("\nload: wrk -t2 -c16 -d{seconds}s, loopback, two rounds alternating");
    println!("  {:<36} {:>12} {:>12}", "", "requests/s", "p99");
    for round in 1..=2 {
        for (label, deployed) in [("recorded", &recording), ("invocations: false", &unrecorded)] {
            let _ = wrk(&format!("{}/messages", deployed.url), Some(&script), 1, 4);
            let gets = wrk(&format!("{}/messages/m1", deployed.url), None, seconds, 16);
            let posts = wrk(&format!("{}/messages", deployed.url), Some(&script), seconds, 16);
            let get = format!("GET ({label}) #{round}");
            println!("  {get:<36} {:>12.0} {:>12}", gets.0, gets.1);
            let post = format!("POST ({label}) #{round}");
            println!("  {post:<36} {:>12.0} {:>12}", posts.0, posts.1);
        }
    }
    for deployed in [recording, unrecorded] {
        let destroyed = runtime.block_on(deployed.engine.destroy(&deployed.project));
        assert_eq!(destroyed.error, None);
        local_target::stop_server(&deployed.local);
    }
}
