//! `unfold test`: whole-app tests. The program and its test files run in one
//! isolate, with tables in memory and deterministic time and randomness (see
//! `unfold_language_host::app_test`); a test calls routes, services and
//! tables through `@unfold/test`. The program reads the config of a stack
//! named `test` (`Pulumi.test.yaml`), if the project has one.
//!
//! ```text
//! unfold test examples/shop                       every *.test.ts of the project
//! unfold test examples/shop/shop.test.ts          one file
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use unfold_engine::ProjectSpec;
use unfold_language_host::app_test::TestConfig;

#[derive(Args)]
pub struct TestArgs {
    /// Test files, or project folders whose `*.test.ts` files run (default: the current folder).
    paths: Vec<PathBuf>,
}

pub fn main(args: TestArgs) -> ExitCode {
    let started = Instant::now();
    match run(args) {
        Ok(summary) => {
            let seconds = started.elapsed().as_secs_f64();
            println!("{} passed, {} failed ({seconds:.2} s)", summary.passed, summary.failed);
            if summary.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(message) => {
            eprintln!("unfold test: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: TestArgs) -> Result<unfold_language_host::app_test::TestSummary, String> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let mut files = Vec::new();
    for path in &paths {
        files.extend(test_files(path)?);
    }
    let root = project_root(&paths[0])?;
    if files.is_empty() {
        return Err(format!(
            "no test files in {}: name them <something>.test.ts, beside Pulumi.yaml",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    unfold_language_host::app_test::run(&root, &files, config(&root)?)
}

/// The config of the `test` stack (`Pulumi.test.yaml`), if the project has one.
fn config(root: &Path) -> Result<TestConfig, String> {
    let stack = unfold_language_host::app_test::TEST_STACK;
    let spec = ProjectSpec::load(root, stack).map_err(|error| format!("{error:#}"))?;
    let mut config = TestConfig::default();
    for (key, value) in spec.config {
        if value.secret {
            config.secret_keys.push(key.clone());
        }
        config.values.insert(key, value.value);
    }
    Ok(config)
}

/// `path` itself, or the `*.test.ts` files in it, in name order.
fn test_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|file| {
            file.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.ends_with(".test.ts") || name.ends_with(".test.mts"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The nearest folder at or above `path` that holds Pulumi.yaml.
fn project_root(path: &Path) -> Result<PathBuf, String> {
    let start =
        std::path::absolute(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let start = if start.is_file() { start.parent().map(Path::to_path_buf) } else { Some(start) };
    start
        .iter()
        .flat_map(|dir| dir.ancestors())
        .find(|dir| dir.join("Pulumi.yaml").is_file() || dir.join("Pulumi.yml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!("{} is not in a project: no Pulumi.yaml there or above it", path.display())
        })
}
