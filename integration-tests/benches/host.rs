//! How fast a language host starts and runs programs, through the engine:
//! the time from launching the host to the engine receiving the first
//! RegisterResource, and the wall time of a preview and of an update
//! (preview, then update) of programs registering 1, 100 and 1000
//! `test:index:Resource`s. Each iteration uses a fresh backend, so every
//! update creates everything. The engine writes the state once, at the end
//! of the update, not after every step: per-step checkpoints cost O(n²) and
//! would measure the engine rather than the host (about 12 of 15 s of a
//! 1000-resource update).
//!
//! ```sh
//! cargo build --release --bins               # the host under test
//! cargo bench -p unfold-engine --bench host
//! ```
//!
//! Rows: `unfold`, `node` (Pulumi's Node.js SDK), `unfold-ns` (our host with
//! `UNFOLD_STARTUP_SNAPSHOT=off`) and `unfold-nr` (not recording).
//! `UNFOLD_BENCH_SUBJECTS` picks rows (e.g. `unfold,unfold-nr`);
//! `UNFOLD_BENCH_HOST` names another host binary; `UNFOLD_BENCH_ITERATIONS`
//! sets the iterations per row (default 5). Figures only: nothing is asserted
//! about time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use unfold_engine::{EngineOptions, HostSpec, ProjectSpec, RunReport, StepOp};

const SIZES: [usize; 3] = [1, 100, 1000];
const DEFAULT_ITERATIONS: usize = 5;

/// A language host to measure, and how to write a program for it.
struct Subject {
    name: &'static str,
    host: HostSpec,
    /// Writes a project registering `resources` test resources into a directory.
    write_program: fn(&Path, usize),
}

fn subjects() -> Vec<Subject> {
    vec![
        Subject {
            name: "unfold",
            host: HostSpec::Plugin { binary: Some(unfold_host()) },
            write_program: write_typescript_program,
        },
        Subject { name: "node", host: node_sdk_host(), write_program: write_node_program },
        Subject {
            name: "unfold-ns",
            host: HostSpec::Plugin { binary: Some(without_startup_snapshot()) },
            write_program: write_typescript_program,
        },
        Subject {
            name: "unfold-nr",
            host: HostSpec::Plugin { binary: Some(unfold_host()) },
            write_program: write_unrecorded_program,
        },
    ]
}

/// Our host with `UNFOLD_STARTUP_SNAPSHOT=off`: what the startup snapshot saves.
fn without_startup_snapshot() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("unfold-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wrapper = dir.join("pulumi-language-unfold");
    let script = format!(
        "#!/bin/sh\nUNFOLD_STARTUP_SNAPSHOT=off exec '{}' \"$@\"\n",
        unfold_host().display()
    );
    std::fs::write(&wrapper, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    wrapper
}

/// Our host with the membrane not recording (`record: false`): what recording costs a Run.
fn write_unrecorded_program(dir: &Path, resources: usize) {
    write_typescript_program(dir, resources);
    std::fs::write(
        dir.join("Pulumi.yaml"),
        "name: bench\nruntime:\n  name: unfold\n  options:\n    record: false\n",
    )
    .unwrap();
}

/// Pulumi's own Node.js SDK runner (installed by `npm ci` in integration-tests/nodejs), the reference row.
fn node_sdk_host() -> HostSpec {
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("nodejs/node_modules/@pulumi/pulumi");
    HostSpec::NodeSdk { node: PathBuf::from("node"), sdk }
}

/// The same program, with the tsconfig a Pulumi TypeScript project has; ts-node
/// transpiles only, as the corpus does, so neither row pays for type checking.
fn write_node_program(dir: &Path, resources: usize) {
    write_typescript_program(dir, resources);
    let tsconfig = r#"{"compilerOptions": {"strict": true, "target": "es2020", "module": "commonjs", "moduleResolution": "node", "noCheck": true}}"#;
    std::fs::write(dir.join("tsconfig.json"), tsconfig).unwrap();
}

/// The release build of `pulumi-language-unfold`, next to this benchmark's own target directory.
fn unfold_host() -> PathBuf {
    if let Some(path) = std::env::var_os("UNFOLD_BENCH_HOST") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the benchmark executable's path");
    // target/release/deps/host-<hash> → target/release/pulumi-language-unfold
    let binary = exe
        .parent()
        .and_then(Path::parent)
        .expect("the benchmark is in target/<profile>/deps")
        .join("pulumi-language-unfold");
    if !binary.is_file() {
        eprintln!(
            "{} does not exist: run `cargo build --release --bins` first (or set UNFOLD_BENCH_HOST)",
            binary.display()
        );
        std::process::exit(2);
    }
    binary
}

fn write_typescript_program(dir: &Path, resources: usize) {
    std::fs::write(dir.join("Pulumi.yaml"), "name: bench\nruntime: unfold\n").unwrap();
    let program = format!(
        r#"import * as pulumi from "@pulumi/pulumi";

class Resource extends pulumi.CustomResource {{
    constructor(name: string, args: Record<string, pulumi.Input<any>>) {{
        super("test:index:Resource", name, args);
    }}
}}

for (let i = 0; i < {resources}; i++) {{
    new Resource(`r${{i}}`, {{ value: i }});
}}
"#
    );
    std::fs::write(dir.join("index.ts"), program).unwrap();
}

/// One iteration's figures.
struct Sample {
    first_registration: Duration,
    preview: Duration,
    up: Duration,
}

async fn sample(subject: &Subject, project: &ProjectSpec, resources: usize) -> Sample {
    let backend = tempfile::tempdir().unwrap();
    let engine = unfold_integration_tests::engine(backend.path())
        .with_options(EngineOptions { checkpoints: false, ..EngineOptions::default() });

    let started = Instant::now();
    let preview = engine.preview(project, &subject.host).await;
    let preview_time = started.elapsed();
    check(subject, &preview, resources);
    // The preview's record began just before the host was launched.
    let first_registration = preview
        .trace
        .iter()
        .find(|e| e.method == "ResourceMonitor/RegisterResource")
        .map(|e| e.at)
        .expect("a RegisterResource");

    let started = Instant::now();
    let up = engine.up(project, &subject.host).await;
    let up_time = started.elapsed();
    check(subject, &up, resources);
    Sample { first_registration, preview: preview_time, up: up_time }
}

/// A run that did not do the work would make its figures meaningless.
fn check(subject: &Subject, report: &RunReport, resources: usize) {
    let diagnostics: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(report.succeeded(), "{}: {:?}\n{}", subject.name, report.error, diagnostics.join("\n"));
    // The stack, the default provider, and the resources.
    assert_eq!(
        report.count(StepOp::Create),
        resources + 2,
        "{}: {:?}",
        subject.name,
        report.steps.len()
    );
}

/// Median and minimum, in milliseconds.
fn summary(samples: Vec<Duration>) -> String {
    let min = samples.iter().min().map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    format!("{:>10.1} / {min:<10.1}", median(samples))
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    if samples.len() % 2 == 1 {
        ms(samples[samples.len() / 2])
    } else {
        (ms(samples[samples.len() / 2 - 1]) + ms(samples[samples.len() / 2])) / 2.0
    }
}

fn main() {
    let iterations = std::env::var("UNFOLD_BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_ITERATIONS);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    println!(
        "host start → first RegisterResource, preview, and update (preview + update), {iterations} iterations; median / min in ms\n"
    );
    println!(
        "{:<9} {:>9}  {:^23}  {:^23}  {:^23}",
        "host", "resources", "first RegisterResource", "preview", "up"
    );
    // (subject, resources) → median first RegisterResource and preview (one Run), for the ratios.
    let mut medians: Vec<(&str, usize, f64, f64, f64)> = Vec::new();
    let wanted = std::env::var("UNFOLD_BENCH_SUBJECTS").ok();
    let chosen =
        |name: &str| wanted.as_deref().is_none_or(|list| list.split(',').any(|w| w.trim() == name));
    let subjects: Vec<Subject> = subjects().into_iter().filter(|s| chosen(s.name)).collect();
    // Subjects take turns within each iteration, so drift in the machine's speed
    // lands on all of them alike rather than between rows.
    for resources in SIZES {
        let projects: Vec<(tempfile::TempDir, ProjectSpec)> = subjects
            .iter()
            .map(|subject| {
                let work = tempfile::tempdir().unwrap();
                (subject.write_program)(work.path(), resources);
                let project = ProjectSpec::load(work.path(), "bench").unwrap();
                (work, project)
            })
            .collect();
        let mut samples: Vec<Vec<Sample>> = subjects.iter().map(|_| Vec::new()).collect();
        for _ in 0..iterations {
            for (i, subject) in subjects.iter().enumerate() {
                samples[i].push(runtime.block_on(sample(subject, &projects[i].1, resources)));
            }
        }
        for (subject, samples) in subjects.iter().zip(&samples) {
            medians.push((
                subject.name,
                resources,
                median(samples.iter().map(|s| s.first_registration).collect()),
                median(samples.iter().map(|s| s.preview).collect()),
                median(samples.iter().map(|s| s.up).collect()),
            ));
            println!(
                "{:<9} {:>9}  {}  {}  {}",
                subject.name,
                resources,
                summary(samples.iter().map(|s| s.first_registration).collect()),
                summary(samples.iter().map(|s| s.preview).collect()),
                summary(samples.iter().map(|s| s.up).collect()),
            );
        }
    }
    println!(
        "\nnode / unfold (medians)\n{:>9}  {:>22}  {:>12}",
        "resources", "first RegisterResource", "Run (preview)"
    );
    let find =
        |name: &str, resources: usize| medians.iter().find(|m| m.0 == name && m.1 == resources);
    for resources in SIZES {
        if let (Some(node), Some(unfold)) = (find("node", resources), find("unfold", resources)) {
            println!("{resources:>9}  {:>21.1}x  {:>11.1}x", node.2 / unfold.2, node.3 / unfold.3);
        }
    }
    println!(
        "\nstartup snapshot: unfold-ns (without) / unfold (with), medians\n{:>9}  {:>22}  {:>12}",
        "resources", "first RegisterResource", "Run (preview)"
    );
    for resources in SIZES {
        if let (Some(with), Some(without)) =
            (find("unfold", resources), find("unfold-ns", resources))
        {
            println!(
                "{resources:>9}  {:>21.2}x  {:>11.2}x",
                without.2 / with.2,
                without.3 / with.3
            );
        }
    }
    println!(
        "\nmembrane cost: unfold (recording) / unfold-nr (not recording), medians (goal ≤ +10%)\n{:>9}  {:>12}  {:>12}",
        "resources", "preview", "up"
    );
    for resources in SIZES {
        if let (Some(on), Some(off)) = (find("unfold", resources), find("unfold-nr", resources)) {
            println!(
                "{resources:>9}  {:>+11.1}%  {:>+11.1}%",
                (on.3 / off.3 - 1.0) * 100.0,
                (on.4 / off.4 - 1.0) * 100.0
            );
        }
    }
}
