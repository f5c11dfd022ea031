//! Whole-app tests (`unfold test`): the program and its test files in one
//! isolate, in one process. The program runs as a deployment runs it, through
//! the same bootstrap, but its crossings are answered here instead of by an
//! engine: registrations echo their inputs as outputs (as Pulumi's mocks do),
//! tables live in memory, the clock is virtual and the random seed is named.
//! `@unfold/test` then calls routes and services in place and reports back.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use serde_json::{Value, json};
use unfold_function_runtime::bundle::BUNDLE_CAPTURE;
use unfold_function_runtime::function_host::{
    ENGINE_LOG, TABLE_DELETE, TABLE_GET, TABLE_PUT, TABLE_QUERY, TABLE_SCAN, answer_table,
};
use unfold_function_runtime::memory_tables::MemoryTables;
use unfold_function_runtime::tables::{OpenTables, TableStore};
use unfold_runtime::crossings::{
    CallContext, CrossingSpec, Family, Handler, HandlerSet, OUTCOME, Undeclared, ready,
};
use unfold_runtime::io::environment::{ENVIRONMENT, Environment};
use unfold_runtime::io::files::FILES;
use unfold_runtime::io::http::HTTP;
use unfold_runtime::io::system::{Clock, ProcessConsole, SYSTEM, Seed, System};
use unfold_runtime::io::{Crossing, Outcome};
use unfold_runtime::membrane::Membrane;
use unfold_runtime::run::RunBuilder;

use crate::pulumi_host::{
    CLOUD_CONTEXT, MONITOR_REGISTER_RESOURCE, MONITOR_REGISTER_RESOURCE_OUTPUTS, RUN_CONTEXT,
};

/// Where a test run's clock starts: 2026-01-01T00:00:00Z, the same on every run.
const EPOCH_MS: f64 = 1_767_225_600_000.0;
/// The stack a test run's program sees (its config is `Pulumi.test.yaml`).
pub const TEST_STACK: &str = "test";

pub static TEST_RESET: CrossingSpec =
    CrossingSpec::sync("test.reset", "`{}`", "`null`; every table is empty again");
pub static TEST_DONE: CrossingSpec = CrossingSpec::sync(
    "test.done",
    "`{passed, failed}`: how many tests passed and failed",
    "`null`; the run's result",
);

/// What a whole-app test run answers in place of an engine and a target.
pub static APP_TEST: HandlerSet<AppTestHost> = HandlerSet {
    name: "test",
    handlers: &[
        Handler::sync(&RUN_CONTEXT, |host, _, _| Ok(host.context.clone())),
        Handler::sync(&CLOUD_CONTEXT, |host, _, _| Ok(host.cloud_context())),
        Handler::sync(&BUNDLE_CAPTURE, |_, _, args| no_bundles(&args)),
        Handler::sync(&TABLE_GET, AppTestHost::table),
        Handler::sync(&TABLE_PUT, AppTestHost::table),
        Handler::sync(&TABLE_DELETE, AppTestHost::table),
        Handler::sync(&TABLE_QUERY, AppTestHost::table),
        Handler::sync(&TABLE_SCAN, AppTestHost::table),
        Handler::sync(&TEST_RESET, |host, _, _| {
            host.memory.clear();
            Ok(Value::Null)
        }),
        Handler::sync(&TEST_DONE, AppTestHost::done),
        Handler::asynchronous(&MONITOR_REGISTER_RESOURCE, |host, _, args| {
            ready(Ok(host.register(args)))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_RESOURCE_OUTPUTS, |_, _, _| ready(Ok(json!({})))),
        Handler::asynchronous(&ENGINE_LOG, |_, _, args| ready(Ok(log(args)))),
    ],
    // What is not answered above fails as an engine that lacks it would, and
    // the SDK falls back as it does with older engines.
    families: &[
        Family { prefix: "monitor.", undeclared: Undeclared::Unimplemented },
        Family { prefix: "engine.", undeclared: Undeclared::Unimplemented },
    ],
};

/// How a test run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestSummary {
    pub passed: u64,
    pub failed: u64,
}

pub struct AppTestHost {
    context: Value,
    /// Where the program's `@unfold/cloud` resources say they live; nothing is written there.
    state_dir: PathBuf,
    memory: Arc<MemoryTables>,
    tables: OpenTables,
    summary: Cell<Option<(u64, u64)>>,
}

impl AppTestHost {
    fn table(&self, cx: &mut CallContext<'_>, args: Value) -> Crossing {
        answer_table(&self.tables, cx.name(), &args)
    }

    fn cloud_context(&self) -> Value {
        json!({
            "stateDir": self.state_dir.join("local").display().to_string(),
            "bundleDir": self.state_dir.join("bundles").display().to_string(),
            "version": env!("CARGO_PKG_VERSION"),
            // One process, one isolate: a test calls into every service in place.
            "unitsInPlace": true,
        })
    }

    fn done(&self, _: &mut CallContext<'_>, args: Value) -> Crossing {
        let count = |key: &str| args.get(key).and_then(Value::as_u64).unwrap_or_default();
        self.summary.set(Some((count("passed"), count("failed"))));
        Ok(Value::Null)
    }

    /// A registration, answered as Pulumi's mocks answer it: its inputs are
    /// its outputs, its ID is its name, and an HttpApi's URL names the API.
    fn register(&self, args: &Value) -> Value {
        let text = |key: &str| args.get(key).and_then(Value::as_str).unwrap_or_default();
        let (kind, name) = (text("type"), text("name"));
        let project = self.context["project"].as_str().unwrap_or_default();
        let urn = format!("urn:pulumi:{TEST_STACK}::{project}::{kind}::{name}");
        let mut outputs = args.get("object").cloned().unwrap_or_else(|| json!({}));
        if kind == "unfold:index:HttpApi"
            && let Some(outputs) = outputs.as_object_mut()
        {
            outputs.insert("url".into(), json!(format!("unfold-test:///{name}")));
        }
        let custom = args.get("custom").and_then(Value::as_bool).unwrap_or(false);
        json!({ "urn": urn, "id": if custom { name } else { "" }, "object": outputs })
    }
}

/// `bundle.capture` in a test: the Functions run in place, so no bundle is cut.
fn no_bundles(args: &Value) -> Crossing {
    let mut bundles = serde_json::Map::new();
    for function in args.get("functions").and_then(Value::as_array).into_iter().flatten() {
        let name = function.get("name").and_then(Value::as_str).unwrap_or_default();
        bundles.insert(
            name.to_string(),
            json!({ "hash": "", "path": "", "size": 0, "secrets": "[]", "files": {} }),
        );
    }
    Ok(json!({ "bundles": bundles }))
}

/// The program's log messages go to stderr, as the engine would show them.
fn log(args: &Value) -> Value {
    let severity = args.get("severity").and_then(Value::as_str).unwrap_or("INFO");
    if severity != "DEBUG" {
        let message = args.get("message").and_then(Value::as_str).unwrap_or_default();
        eprintln!("{}: {message}", severity.to_lowercase());
    }
    json!({})
}

/// The stack config a test run's program reads, keyed `<namespace>:<key>`,
/// and which of the keys are secret.
#[derive(Debug, Clone, Default)]
pub struct TestConfig {
    pub values: std::collections::BTreeMap<String, String>,
    pub secret_keys: Vec<String>,
}

/// Runs `files` (test modules) against the program of the project at `root`.
pub fn run(root: &Path, files: &[PathBuf], config: TestConfig) -> Result<TestSummary, String> {
    let project = crate::project::load(root).map_err(|error| error.to_string())?;
    let entry = crate::project::entry_module(root, project.main.as_deref().unwrap_or("."))
        .map_err(|error| error.to_string())?;
    // Beside the stacks' own folders under .unfold/, where no stack's can be
    // (stack names do not start with '.'): the same path on every run, so
    // what a run prints is the same too.
    let scratch = root.join(".unfold").join(".test-run");
    unfold_function_runtime::private_files::create_dir_all(&scratch)
        .map_err(|error| format!("cannot make {}: {error}", scratch.display()))?;
    let url = |path: &Path| {
        url::Url::from_file_path(std::path::absolute(path).unwrap_or(path.to_path_buf()))
            .map(String::from)
            .map_err(|()| format!("{} is not a path a module can be loaded from", path.display()))
    };
    let mut tests = Vec::new();
    for file in files {
        let absolute = std::path::absolute(file).unwrap_or(file.clone());
        let name = pathdiff::diff_paths(&absolute, root).unwrap_or(absolute.clone());
        tests.push(json!({ "url": url(file)?, "name": name.display().to_string() }));
    }
    // The entry the bootstrap runs: the program as deployed, then the tests.
    let runner = scratch.join("run-tests.mjs");
    let imports = format!(
        "import {program};\nimport {{ runTests }} from \"@unfold/test\";\nawait runTests({tests});\n",
        program = serde_json::to_string(&url(&entry)?).expect("strings serialize"),
        tests = serde_json::to_string(&tests).expect("strings serialize"),
    );
    std::fs::write(&runner, imports)
        .map_err(|error| format!("cannot write {}: {error}", runner.display()))?;
    let context = json!({
        "project": project.name,
        "stack": TEST_STACK,
        "organization": "organization",
        "dryRun": false,
        "parallel": 1,
        "queryMode": false,
        "rootDirectory": root.display().to_string(),
        "programDirectory": root.display().to_string(),
        "pwd": root.display().to_string(),
        "entryModule": url(&runner)?,
        "config": config.values,
        "configSecretKeys": config.secret_keys,
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .map_err(|error| format!("cannot start the test run's event loop: {error}"))?;
    runtime.block_on(async move {
        let memory = Arc::new(MemoryTables::default());
        let host = Rc::new(AppTestHost {
            context,
            state_dir: scratch.clone(),
            tables: TableStore::Remote(memory.clone()).open(),
            memory,
            summary: Cell::new(None),
        });
        let seed = Seed::DerivedFrom(format!("unfold test/{}", project.name));
        let clock = Clock::virtual_from(EPOCH_MS);
        let system = System::new(Box::new(ProcessConsole), clock, Some(&seed));
        let mut isolate = RunBuilder::new("a whole-app test run", "unfold/main.ts")
            .crossings(&OUTCOME, Rc::new(()))
            .crossings(&APP_TEST, host.clone())
            .crossings(&SYSTEM, Rc::new(system))
            .crossings(&FILES, Rc::new(()))
            .crossings(&HTTP, Rc::new(()))
            .crossings(&ENVIRONMENT, Rc::new(Environment::Process))
            .membrane(Membrane::disabled())
            .build();
        let evaluated = isolate.run_to_completion().await;
        match (isolate.outcome(), host.summary.get(), evaluated) {
            (Some(Outcome::Ok), Some((passed, failed)), _) => Ok(TestSummary { passed, failed }),
            (Some(Outcome::Error { message }), _, _) => Err(message),
            (Some(_), _, _) => Err("the program or a test file failed to load; see above".into()),
            (None, _, Err(error)) => Err(error.to_string()),
            (None, _, Ok(())) => Err("the test run stopped before its tests finished".into()),
        }
    })
}
