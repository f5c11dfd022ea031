//! A deployed Function run the way Lambda runs it: the runtime layer's zip
//! unpacked into an `/opt` of its own, the function's zip into a task root,
//! and the layer's `bootstrap` started against cargo-lambda's emulator of
//! Lambda's Runtime API, with the environment the function is configured
//! with and nothing else. Events go in through the emulator's Invoke API.
//! Both processes stop when it is dropped.

use std::collections::HashMap;
use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http::http;
use crate::moto::emulator;

pub struct LambdaRun {
    dir: tempfile::TempDir,
    emulator: Child,
    bootstrap: Child,
    /// When the bootstrap process was started.
    pub started: Instant,
    invoke_url: String,
}

fn unzip(archive: &Path, into: &Path) {
    let mut zip = zip::ZipArchive::new(File::open(archive).unwrap()).unwrap();
    zip.extract(into)
        .unwrap_or_else(|error| panic!("cannot unpack {}: {error}", archive.display()));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl LambdaRun {
    /// Starts the function whose layer and code are these zips, configured
    /// with `environment` (its Lambda configuration's variables) and `memory`
    /// MB, reaching AWS through `aws` (an emulator's environment).
    pub fn start(
        layer: &Path,
        code: &Path,
        environment: &HashMap<String, String>,
        memory: i32,
        aws: &[(&str, String)],
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (opt, task_root) = (dir.path().join("opt"), dir.path().join("task"));
        unzip(layer, &opt);
        unzip(code, &task_root);
        let bootstrap_path = opt.join("bootstrap");
        let mode = std::fs::metadata(&bootstrap_path)
            .expect("the layer has a bootstrap")
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "the layer's bootstrap is executable");

        // cargo-lambda reads a package manifest even when it runs no function.
        let project = dir.path().join("emulator");
        std::fs::create_dir_all(project.join("src")).unwrap();
        std::fs::write(
            project.join("Cargo.toml"),
            "[package]\nname = \"function\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
        )
        .unwrap();
        std::fs::write(project.join("src/main.rs"), "fn main() {}\n").unwrap();
        let port = free_port();
        let emulator = Command::new(emulator("cargo-lambda"))
            .args(["lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1", "-P"])
            .arg(port.to_string())
            .current_dir(&project)
            .stdin(Stdio::null())
            .stdout(File::create(dir.path().join("emulator.log")).unwrap())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cargo-lambda starts");
        wait_for_port(port);

        let started = Instant::now();
        let bootstrap = Command::new(&bootstrap_path)
            .env_clear()
            .envs(environment)
            .envs(aws.iter().map(|(key, value)| (*key, value.as_str())))
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", dir.path())
            .env("LAMBDA_TASK_ROOT", &task_root)
            .env("AWS_LAMBDA_RUNTIME_API", format!("http://127.0.0.1:{port}/.rt"))
            .env("AWS_LAMBDA_FUNCTION_NAME", "_")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory.to_string())
            .current_dir(&task_root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(dir.path().join("function.log")).unwrap())
            .spawn()
            .expect("the bootstrap starts");
        let invoke_url = format!("http://127.0.0.1:{port}/2015-03-31/functions/_/invocations");
        Self { dir, emulator, bootstrap, started, invoke_url }
    }

    /// Lambda's answer to `event`.
    pub fn invoke(&self, event: &Value) -> Value {
        let reply = http("POST", &self.invoke_url, "application/json", &event.to_string())
            .unwrap_or_else(|error| panic!("invoking failed: {error}; log: {}", self.log()));
        serde_json::from_str(&reply.body)
            .unwrap_or_else(|error| panic!("{error}: {}; log: {}", reply.body, self.log()))
    }

    /// The emulator's Invoke URL for this function.
    pub fn invoke_url(&self) -> &str {
        &self.invoke_url
    }

    /// What the function wrote to its log (stderr) so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("function.log")).unwrap_or_default()
    }

    /// Waits until the log has a line containing `text`.
    pub fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !self.log().contains(text) {
            assert!(Instant::now() < deadline, "no {text:?} in the log: {}", self.log());
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn task_root(&self) -> PathBuf {
        self.dir.path().join("task")
    }
}

/// The Lambda runtime as built with the suites, without its debug info (a
/// layer holds at most 250 MB unpacked); made once per test process.
pub fn bootstrap() -> PathBuf {
    static STRIPPED: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, path) = STRIPPED.get_or_init(|| {
        let binary = crate::binary("unfold-lambda-bootstrap");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(binary.file_name().unwrap());
        let status = Command::new("strip")
            .arg("-o")
            .arg(&path)
            .arg(&binary)
            .status()
            .expect("binutils' strip runs");
        assert!(status.success(), "strip failed on {}", binary.display());
        (dir, path)
    });
    path.clone()
}

/// An API Gateway HTTP API event (payload 2.0), as API Gateway sends it for
/// a request to route `route_key` with `path`.
pub fn api_gateway_event(
    route_key: &str,
    path: &str,
    params: &[(&str, &str)],
    content_type: &str,
    body: Option<&str>,
) -> Value {
    let method = route_key.split(' ').next().unwrap_or("GET");
    let params: serde_json::Map<String, Value> =
        params.iter().map(|(key, value)| (key.to_string(), json!(value))).collect();
    json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": content_type, "host": "api.example.com"},
        "pathParameters": params,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "api.example.com",
            "domainPrefix": "api",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "test"},
            "requestId": "request",
            "routeKey": route_key,
            "stage": "$default",
            "time": "01/Dec/2026:00:00:00 +0000",
            "timeEpoch": 0,
        },
        "body": body,
        "isBase64Encoded": false,
    })
}

impl Drop for LambdaRun {
    fn drop(&mut self) {
        for child in [&mut self.bootstrap, &mut self.emulator] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
