//! A project deployed to the local target by the embedded engine, with our
//! language host and `pulumi-resource-unfold` as built: what the suites that
//! call deployed Functions over HTTP start from. The server it starts is
//! stopped when it is dropped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

use unfold_engine::{Engine, HostSpec, ProjectSpec, RunReport, StepOp};

use crate::{binary, local_target};

/// `(op, resource name)` of each step of `report` that is not `same`.
pub fn changes(report: &RunReport) -> Vec<(StepOp, String)> {
    report
        .steps
        .iter()
        .filter(|step| step.op != StepOp::Same)
        .map(|step| (step.op, step.urn.rsplit("::").next().unwrap_or_default().to_string()))
        .collect()
}

pub struct Deployment {
    _dir: tempfile::TempDir,
    pub project_dir: PathBuf,
    pub engine: Engine,
    pub runtime: tokio::runtime::Runtime,
    /// Config every run gets: (`project:key`, value, secret).
    config: Vec<(String, String, bool)>,
}

impl Deployment {
    /// examples/messages.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/messages/index.ts");
        Self::with_program(&std::fs::read_to_string(example).unwrap())
    }

    /// A `messages` project whose index.ts is `program`.
    pub fn with_program(program: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let project_dir = dir.path().join("messages");
        std::fs::create_dir_all(&project_dir).unwrap();
        std::fs::write(project_dir.join("Pulumi.yaml"), "name: messages\nruntime: unfold\n")
            .unwrap();
        std::fs::write(project_dir.join("index.ts"), program).unwrap();
        Self::in_dir(dir, project_dir)
    }

    /// A copy of examples/`name`'s files as they are (not its folders, such
    /// as the `.unfold/` a run there leaves).
    pub fn example(name: &str) -> Self {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
        let dir = tempfile::tempdir().unwrap();
        let project_dir = dir.path().join(name);
        std::fs::create_dir_all(&project_dir).unwrap();
        for entry in std::fs::read_dir(&example).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, project_dir.join(path.file_name().unwrap())).unwrap();
            }
        }
        Self::in_dir(dir, project_dir)
    }

    fn in_dir(dir: tempfile::TempDir, project_dir: PathBuf) -> Self {
        let providers =
            crate::test_providers().with_plugin("unfold", binary("pulumi-resource-unfold"));
        let engine = crate::engine(project_dir.join(".state")).with_providers(providers);
        let runtime = tokio::runtime::Runtime::new().unwrap();
        Self { _dir: dir, project_dir, engine, runtime, config: Vec::new() }
    }

    /// The `unfold` package is served by the provider already listening at
    /// `address` (`host:port`), not by one each run starts.
    pub fn with_unfold_provider_at(mut self, address: &str) -> Self {
        let mut providers = crate::test_providers();
        providers.register_plugin_address("unfold", address);
        self.engine = crate::engine(self.project_dir.join(".state")).with_providers(providers);
        self
    }

    /// Every run gets secret config `key` (`project:name`) = `value`.
    pub fn with_secret_config(mut self, key: &str, value: &str) -> Self {
        self.add_config(key, value, true);
        self
    }

    /// Every run gets config `key` (`project:name`) = `value`.
    pub fn with_config(mut self, key: &str, value: &str) -> Self {
        self.add_config(key, value, false);
        self
    }

    /// Every run from now on gets config `key` (`project:name`) = `value`.
    pub fn add_config(&mut self, key: &str, value: &str, secret: bool) {
        self.config.push((key.to_string(), value.to_string(), secret));
    }

    pub fn run(&self, operation: &str) -> RunReport {
        let report = self.try_run(operation);
        assert_eq!(report.error, None, "{operation} failed: {:#?}", report.diagnostics);
        report
    }

    /// `run`, which may fail: the report says how.
    pub fn try_run(&self, operation: &str) -> RunReport {
        let mut project = ProjectSpec::load(&self.project_dir, "dev").unwrap();
        for (key, value, secret) in &self.config {
            project.set_config(key, value, *secret);
        }
        let host = HostSpec::Plugin { binary: Some(binary("pulumi-language-unfold")) };
        self.runtime.block_on(async {
            match operation {
                "up" => self.engine.up(&project, &host).await,
                "preview" => self.engine.preview(&project, &host).await,
                _ => self.engine.destroy(&project).await,
            }
        })
    }

    pub fn edit(&self, from: &str, to: &str) {
        self.edit_file("index.ts", from, to);
    }

    /// Replaces `from` with `to` in the project's `file`.
    pub fn edit_file(&self, file: &str, from: &str, to: &str) {
        let path = self.project_dir.join(file);
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(source.contains(from), "{file} has no {from:?}");
        std::fs::write(path, source.replace(from, to)).unwrap();
    }

    /// Runs the `unfold` command on the project.
    pub fn unfold(&self, args: &[&str]) -> Output {
        Command::new(binary("unfold"))
            .args(args)
            .arg("--cwd")
            .arg(&self.project_dir)
            .output()
            .expect("unfold runs")
    }

    /// `unfold invocations --json`, in the order they arrived.
    pub fn invocations(&self) -> Vec<Value> {
        let output = self.unfold(&["invocations", "--json"]);
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).to_string();
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }

    /// The invocations once there are `count`: records are written as their
    /// clients are answered, not before.
    pub fn recorded(&self, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let listed = self.invocations();
            if listed.len() >= count || Instant::now() > deadline {
                return listed;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process ID of the stack's local server, from its `server.json`.
    pub fn server_pid(&self) -> u32 {
        local_target::server_pid(&self.local()).expect("the server recorded its pid")
    }

    pub fn local(&self) -> PathBuf {
        self.project_dir.join(".unfold/dev/local")
    }
}

/// A failed test still stops the server it deployed.
impl Drop for Deployment {
    fn drop(&mut self) {
        local_target::stop_server(&self.local());
    }
}
