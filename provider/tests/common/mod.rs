//! What the provider's tests share: a stand-in engine, launching the plugin
//! and the server as the engine and the provider do, and plain HTTP on loopback.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::oneshot;
use tonic::transport::Channel;
use unfold_proto::pulumirpc::resource_provider_client::ResourceProviderClient;
use unfold_provider::state::{ServerInfo, read_json};

pub const EXE: &str = env!("CARGO_BIN_EXE_pulumi-resource-unfold");

/// A stand-in for the engine's health service, on loopback, until dropped.
pub struct Engine {
    pub address: String,
    _stop: oneshot::Sender<()>,
}

pub async fn engine() -> Engine {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (reporter, service) = tonic_health::server::health_reporter();
    reporter.set_service_status("", tonic_health::ServingStatus::Serving).await;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(
        tonic::transport::Server::builder().add_service(service).serve_with_incoming_shutdown(
            tokio_stream::wrappers::TcpListenerStream::new(listener),
            async {
                let _ = stopped.await;
            },
        ),
    );
    Engine { address, _stop: stop }
}

/// A child process that is killed and reaped when dropped, whatever the test did.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The provider as the engine launches it, and a client on the port it announced.
pub struct Plugin {
    pub client: ResourceProviderClient<Channel>,
    pub process: Reaped,
    /// Dropping it makes the engine go away.
    pub engine: Option<Engine>,
}

pub async fn plugin() -> Plugin {
    let engine = engine().await;
    let mut child = Command::new(EXE)
        .args(["--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:9", &engine.address])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the provider starts");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let port: u16 = first_line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("first stdout line is the port: {first_line:?}"));
    let client = ResourceProviderClient::connect(format!("http://127.0.0.1:{port}")).await.unwrap();
    Plugin { client, process: Reaped(child), engine: Some(engine) }
}

/// `server.json` of a state directory.
pub fn server_info(state: &Path) -> Option<ServerInfo> {
    read_json(&state.join("server.json")).unwrap()
}

pub fn alive(pid: u32) -> bool {
    unfold_provider::process::alive(pid)
}

pub fn wait_until(what: &str, within: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Stops whatever server a state directory records, if a test left one running.
pub struct ServerCleanup<'a>(pub &'a Path);

impl Drop for ServerCleanup<'_> {
    fn drop(&mut self) {
        if let Some(info) = read_json::<ServerInfo>(&self.0.join("server.json")).ok().flatten()
            && alive(info.pid)
        {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(info.pid as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

#[derive(Debug)]
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpReply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One HTTP/1.1 request over a plain socket (so bodies can be anything,
/// even too large or not UTF-8), read until the server closes.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpReply {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading all of a large body.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    let (head, body) =
        text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    HttpReply { status, headers, body: body.to_string() }
}
