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
    Snapshot::decode(&unfold_language_host::sealed_record::open(&bytes).unwrap()).unwrap()
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

/// A small HTTP/1.1 server on 127.0.0.1 (HTTPS when given a TLS
/// configuration) that answers each request with what it received; it stops
/// (and frees its port) when dropped.
struct LoopbackServer {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LoopbackServer {
    fn start(tls: Option<std::sync::Arc<rustls::ServerConfig>>) -> Self {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
                        match &tls {
                            None => Self::answer(stream),
                            Some(config) => {
                                let connection =
                                    rustls::ServerConnection::new(config.clone()).unwrap();
                                let mut stream = rustls::StreamOwned::new(connection, stream);
                                Self::answer(&mut stream);
                                stream.conn.send_close_notify();
                                let _ = std::io::Write::flush(&mut stream);
                            }
                        }
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        });
        Self { port, stop, thread: Some(thread) }
    }

    fn answer(mut stream: impl std::io::Read + std::io::Write) {
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        let (head, body_start) = loop {
            let n = stream.read(&mut buffer).unwrap_or(0);
            if n == 0 {
                return;
            }
            received.extend_from_slice(&buffer[..n]);
            if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                break (String::from_utf8_lossy(&received[..end]).to_string(), end + 4);
            }
        };
        let length = head
            .lines()
            .find_map(|line| {
                line.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0);
        while received.len() < body_start + length {
            let n = stream.read(&mut buffer).unwrap_or(0);
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..n]);
        }
        let request_line = head.lines().next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let body = String::from_utf8_lossy(&received[body_start..]).to_string();
        let text = format!("{method} {path} {body}");
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-served-by: loopback\r\nset-cookie: a=1\r\nset-cookie: b=2\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
            text.len()
        );
        let _ = stream.write_all(response.as_bytes());
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

const HTTP_PROGRAM: &str = r#"import * as pulumi from "@pulumi/pulumi";
import * as http from "http";

const config = new pulumi.Config();
const port = config.requireNumber("port");

function send(method: string, path: string, body?: string) {
    return new Promise((resolve, reject) => {
        const request = http.request({ host: "127.0.0.1", port, path, method, headers: { "content-type": "text/plain" } }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
                resolve({
                    status: response.statusCode,
                    body: Buffer.concat(chunks).toString(),
                    servedBy: response.headers["x-served-by"],
                    cookies: response.headers["set-cookie"],
                }),
            );
        });
        request.on("error", reject);
        if (body) request.write(body);
        request.end();
    });
}

export const got = send("GET", "/greeting?name=unfold");
export const posted = send("POST", "/echo", "hello server");
export const viaGet = new Promise((resolve) =>
    http.get(`http://127.0.0.1:${port}/plain`, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve([response.statusCode, text]));
    }),
);
export const refused = new Promise((resolve) =>
    http.get({ host: "127.0.0.1", port: config.requireNumber("closedPort"), path: "/" }).on("error", (error: any) => resolve(error.code)),
);
"#;

/// A project `name` under `root` whose index.ts is `program`.
fn write_project(root: &Path, name: &str, program: &str) -> PathBuf {
    let project_dir = root.join(name);
    std::fs::create_dir_all(&project_dir).unwrap();
    std::fs::write(project_dir.join("Pulumi.yaml"), format!("name: {name}\nruntime: unfold\n"))
        .unwrap();
    std::fs::write(project_dir.join("index.ts"), program).unwrap();
    std::fs::copy(corpus().join("l1-empty/tsconfig.json"), project_dir.join("tsconfig.json"))
        .unwrap();
    project_dir
}

/// HTTP requests are crossings: a program's requests to a server on this
/// machine are answered, recorded with their answers, and replay after the
/// server has gone.
#[test]
fn http_requests_are_recorded_and_replay_without_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let project_dir = write_project(dir.path(), "http-requests", HTTP_PROGRAM);
    let closed_port =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let server = LoopbackServer::start(None);
    let mut project = ProjectSpec::load(&project_dir, "dev").unwrap();
    project.set_config("http-requests:port", &server.port.to_string(), false);
    project.set_config("http-requests:closedPort", &closed_port.to_string(), false);
    let engine = unfold_integration_tests::engine(project_dir.join(".unfold/state"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(engine.up(&project, &host()));
    drop(server);

    assert!(report.succeeded(), "{:?}\n{:#?}", report.error, report.diagnostics);
    assert_eq!(
        report.outputs["got"],
        serde_json::json!({"status": 200, "body": "GET /greeting?name=unfold ", "servedBy": "loopback", "cookies": ["a=1", "b=2"]})
    );
    assert_eq!(report.outputs["posted"]["body"], "POST /echo hello server");
    assert_eq!(report.outputs["viaGet"], serde_json::json!([200, "GET /plain "]));
    assert_eq!(report.outputs["refused"], "ECONNREFUSED");

    for run in BOTH {
        let snapshot = record(&project_dir, run);
        assert_eq!(
            starts_of(&snapshot, "http.request").count(),
            4,
            "{run}: one crossing per request"
        );
        assert_eq!(replay(&snapshot), Ok(Outcome::Ok), "{run} replays with the server gone");
    }
}

/// The server certificate of fixtures/tls, signed by its `ca.pem`.
fn tls_config() -> std::sync::Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tls");
    let certificates: Vec<_> =
        CertificateDer::pem_file_iter(dir.join("cert.pem")).unwrap().map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("key.pem")).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .unwrap();
    std::sync::Arc::new(config)
}

const HTTPS_PROGRAM: &str = r#"import * as pulumi from "@pulumi/pulumi";
import * as https from "https";
import * as fs from "fs";

const config = new pulumi.Config();
const port = config.requireNumber("port");
const ca = fs.readFileSync(config.require("caPath"));

function get(options: https.RequestOptions) {
    return new Promise((resolve) => {
        const request = https.get({ host: "127.0.0.1", port, ...options }, (response) => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (text += chunk));
            response.on("end", () => resolve([response.statusCode, text]));
        });
        request.on("error", (error: any) => resolve(error.code));
    });
}

export const trusted = get({ path: "/secure", ca });
export const throughAgent = get({ path: "/agent", agent: new https.Agent({ ca, keepAlive: true }) });
export const untrusted = get({ path: "/untrusted" });
"#;

/// HTTPS requests: the host makes the TLS connection, trusting the `ca` given
/// (or, without one, only the default roots), and the request replays from
/// the record like any other.
#[test]
fn https_requests_trust_the_ca_given_and_replay_without_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let project_dir = write_project(dir.path(), "https-requests", HTTPS_PROGRAM);
    let ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tls/ca.pem");

    let server = LoopbackServer::start(Some(tls_config()));
    let mut project = ProjectSpec::load(&project_dir, "dev").unwrap();
    project.set_config("https-requests:port", &server.port.to_string(), false);
    project.set_config("https-requests:caPath", &ca.display().to_string(), false);
    let engine = unfold_integration_tests::engine(project_dir.join(".unfold/state"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(engine.up(&project, &host()));
    drop(server);

    assert!(report.succeeded(), "{:?}\n{:#?}", report.error, report.diagnostics);
    assert_eq!(report.outputs["trusted"], serde_json::json!([200, "GET /secure "]));
    assert_eq!(report.outputs["throughAgent"], serde_json::json!([200, "GET /agent "]));
    assert_eq!(report.outputs["untrusted"], "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    for run in BOTH {
        let snapshot = record(&project_dir, run);
        assert_eq!(
            starts_of(&snapshot, "http.request").count(),
            3,
            "{run}: one crossing per request"
        );
        assert_eq!(replay(&snapshot), Ok(Outcome::Ok), "{run} replays with the server gone");
    }
}
