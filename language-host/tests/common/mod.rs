//! Launching the host as the engine does, for the tests that drive it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use tonic::transport::Channel;
use unfold_proto::pulumirpc::language_runtime_client::LanguageRuntimeClient;

/// The host's process, killed when dropped, also when a test fails (its
/// stderr is the test's, which a reader would otherwise wait on).
pub struct Host(pub Child);

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Launches the host with the engine's arguments; returns it and a client on
/// the port it announces.
pub async fn launch(args: &[&str]) -> (Host, LanguageRuntimeClient<Channel>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulumi-language-unfold"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the host starts");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let port: u16 = first_line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("first stdout line is the port: {first_line:?}"));
    let client = LanguageRuntimeClient::connect(format!("http://127.0.0.1:{port}")).await.unwrap();
    (Host(child), client)
}
