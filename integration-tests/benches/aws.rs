//! examples/messages on the AWS target, with moto as AWS and cargo-lambda's
//! Runtime API emulator as Lambda: the runtime layer's zip, each Function's
//! zip beside the zip Pulumi's `aws.lambda.CallbackFunction` makes for the
//! same handler under the Node.js SDK (measured in the same run), the
//! deployment's time, the bootstrap's cold init (process start → ready for
//! the first event) and its first and warm invocations.
//!
//! ```sh
//! cargo build --release --bins
//! (cd integration-tests/nodejs && npm ci)
//! UNFOLD_AWS_EMULATORS="$(scripts/aws-emulator)" cargo bench -p unfold-integration-tests --bench aws
//! ```
//!
//! `UNFOLD_BENCH_RUNS` sets how many cold starts are measured (default 5).
//! Figures only.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use unfold_integration_tests::aws_deployment::AwsDeployment;
use unfold_integration_tests::lambda_emulator::{api_gateway_event, bootstrap};
use unfold_integration_tests::repository_path;
use zip::write::SimpleFileOptions;

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

/// Zips `entries` (name → bytes) as Pulumi's engine zips an archive: deflated.
fn zip_size(entries: &[(String, Vec<u8>)]) -> u64 {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner().len() as u64
}

fn files_under(dir: &Path, prefix: &str, into: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
        if entry.path().is_dir() {
            files_under(&entry.path(), &name, into);
        } else {
            into.push((name, std::fs::read(entry.path()).unwrap()));
        }
    }
}

/// The size of the zip `aws.lambda.CallbackFunction` uploads for the same
/// handler, from a project depending on @pulumi/pulumi and @pulumi/aws only.
fn callback_function_zip() -> Option<u64> {
    let nodejs = repository_path("integration-tests/nodejs");
    if !nodejs.join("node_modules/@pulumi/aws").is_dir() {
        eprintln!(
            "integration-tests/nodejs has no node_modules: run `npm ci` there for the Node.js figure"
        );
        return None;
    }
    let project = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(nodejs.join("node_modules"), project.path().join("node_modules"))
        .unwrap();
    std::fs::write(
        project.path().join("package.json"),
        r#"{"name":"messages","dependencies":{"@pulumi/pulumi":"*","@pulumi/aws":"*"}}"#,
    )
    .unwrap();
    let output = Command::new("node")
        .arg(nodejs.join("callback-function-code.js"))
        .current_dir(project.path())
        .stderr(Stdio::null())
        .output()
        .expect("node runs");
    let mut entries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let entry: Value = serde_json::from_str(line).unwrap();
        let name = entry["name"].as_str().unwrap().to_string();
        match (entry["text"].as_str(), entry["dir"].as_str()) {
            (Some(text), _) => entries.push((name, text.as_bytes().to_vec())),
            (_, Some(dir)) => files_under(Path::new(dir), &name, &mut entries),
            _ => {}
        }
    }
    assert!(!entries.is_empty(), "the Node.js program printed no code");
    Some(zip_size(&entries))
}

fn main() {
    let runs: usize =
        std::env::var("UNFOLD_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let program = std::fs::read_to_string(repository_path("examples/messages/index.ts")).unwrap();
    let bootstrap = bootstrap();
    let aws_deployment = AwsDeployment::new(&program, &bootstrap);
    let deployment = &aws_deployment.deployment;

    let started = Instant::now();
    deployment.run("up");
    let first_deploy = started.elapsed();
    let started = Instant::now();
    deployment.run("up");
    let unchanged_deploy = started.elapsed();

    let uploads = aws_deployment.uploads();
    let size = |path: &Path| std::fs::metadata(path).unwrap().len();
    let layer = aws_deployment.layer_zip();
    let insert_zip = uploads.join("messages-dev-insert.zip");

    println!("examples/messages on the AWS target (moto; cargo-lambda's Runtime API)");
    println!(
        "  runtime layer zip:          {} (bootstrap {})",
        kib(size(&layer)),
        kib(size(&bootstrap))
    );
    for name in ["messages-dev-insert", "messages-dev-api-get-messages-id"] {
        println!("  {name} zip: {}", kib(size(&uploads.join(format!("{name}.zip")))));
    }
    if let Some(peer) = callback_function_zip() {
        println!(
            "  aws.lambda.CallbackFunction zip, same handler (Node.js SDK): {} — insert's zip is {:.2}×",
            kib(peer),
            size(&insert_zip) as f64 / peer as f64
        );
    }
    println!("  deploy (first up):              {:.0} ms", milliseconds(first_deploy));
    println!("  deploy (up, nothing changed):   {:.0} ms", milliseconds(unchanged_deploy));

    let aws = deployment.runtime.block_on(aws_deployment.moto.clients());
    let configuration = deployment.runtime.block_on(
        aws.lambda.get_function_configuration().function_name("messages-dev-insert").send(),
    );
    let configuration = configuration.unwrap();
    let (mut cold, mut first, mut warm) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let lambda = aws_deployment.run_function(&configuration);
        lambda.wait_for_log("restored in");
        cold.push(milliseconds(lambda.started.elapsed()));
        let event = |id: String| {
            let body = format!(r#"{{"id":"{id}","text":"hello"}}"#);
            api_gateway_event("POST /messages", "/messages", &[], "application/json", Some(&body))
        };
        let started = Instant::now();
        let answer = lambda.invoke(&event(format!("cold-{run}")));
        first.push(milliseconds(started.elapsed()));
        assert_eq!(answer["statusCode"], 201, "{answer}");
        for i in 0..20 {
            let started = Instant::now();
            lambda.invoke(&event(format!("warm-{run}-{i}")));
            warm.push(milliseconds(started.elapsed()));
        }
    }
    println!(
        "  bootstrap cold init (process start → ready), {runs} runs: p50 {:.1} ms, max {:.1} ms",
        percentile(&mut cold, 0.5),
        percentile(&mut cold, 1.0)
    );
    println!(
        "  first invocation (emulator → bootstrap → DynamoDB → back): p50 {:.1} ms",
        percentile(&mut first, 0.5)
    );
    println!(
        "  warm invocations ({}): p50 {:.1} ms, p99 {:.1} ms",
        warm.len(),
        percentile(&mut warm, 0.5),
        percentile(&mut warm, 0.99)
    );
}
