//! Code generation (GenerateProgram, GenerateProject, GeneratePackage) is
//! Pulumi's own TypeScript generator, which is Go: `unfold-codegen` (codegen/
//! in Unfold's repository) serves those three RPCs, and the host forwards
//! them to it unchanged, loader target included.
//!
//! The child is launched on the first code generation request and serves the
//! host's lifetime. It dies with the host: it is killed when the host drops
//! it, and on Linux the kernel signals it when the host's thread that started
//! it exits (a runtime worker, which lives as long as the host).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::Mutex;
use tonic::Status;
use tonic::transport::{Channel, Endpoint};
use unfold_proto::MAX_MESSAGE_SIZE;
use unfold_proto::pulumirpc::language_runtime_client::LanguageRuntimeClient;

/// The binary's name, beside the host, on PATH, or named by `UNFOLD_CODEGEN`.
pub const BINARY: &str = "unfold-codegen";
/// The variable naming the binary explicitly.
pub const ENV: &str = "UNFOLD_CODEGEN";

/// How long the child may take to print its port.
const STARTUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The running `unfold-codegen`, launched on demand.
#[derive(Default)]
pub struct Codegen {
    running: Mutex<Option<Running>>,
}

struct Running {
    child: Child,
    client: LanguageRuntimeClient<Channel>,
}

impl Codegen {
    /// A client of the running child, launching it first if need be (again,
    /// if an earlier one has exited).
    pub async fn client(&self) -> Result<LanguageRuntimeClient<Channel>, Status> {
        let mut running = self.running.lock().await;
        if let Some(current) = running.as_mut() {
            match current.child.try_wait() {
                Ok(None) => return Ok(current.client.clone()),
                _ => *running = None,
            }
        }
        let binary = locate().ok_or_else(not_found)?;
        let started = launch(&binary).await?;
        let client = started.client.clone();
        *running = Some(started);
        Ok(client)
    }
}

/// `UNFOLD_CODEGEN` when set (an explicit choice wins), else `unfold-codegen`
/// beside the host's own binary, else on PATH.
pub fn locate() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(ENV).filter(|value| !value.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(BINARY)))
        .filter(|path| is_executable(path));
    beside.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join(BINARY)).find(|p| is_executable(p))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

fn not_found() -> Status {
    Status::failed_precondition(format!(
        "code generation needs `{BINARY}`, Pulumi's TypeScript code generator served for Unfold, and it \
         was not found: set {ENV} to its path, or put it beside pulumi-language-unfold or on PATH. \
         Build it with `scripts/unfold-codegen` in Unfold's repository (it prints the binary's path), \
         or with `go build` in its codegen/ folder"
    ))
}

async fn launch(binary: &Path) -> Result<Running, Status> {
    let failed =
        |what: String| Status::unavailable(format!("{BINARY} ({}): {what}", binary.display()));
    let mut command = Command::new(binary);
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit()).kill_on_drop(true);
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe and touches only the child's own state.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().map_err(|error| failed(format!("could not start: {error}")))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(STARTUP_TIMEOUT, lines.next_line()).await;
    let port: u16 = match first {
        Ok(Ok(Some(line))) => line.trim().parse().map_err(|_| {
            failed(format!("expected its port on the first line of stdout, got {line:?}"))
        })?,
        Ok(Ok(None)) => {
            let status = child.wait().await.map(|s| s.to_string()).unwrap_or_default();
            return Err(failed(format!("exited before printing its port ({status})")));
        }
        Ok(Err(error)) => return Err(failed(format!("could not read its port: {error}"))),
        Err(_) => {
            return Err(failed(format!(
                "did not print its port within {}s",
                STARTUP_TIMEOUT.as_secs()
            )));
        }
    };
    // Anything more it prints on stdout is drained, so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let endpoint = Endpoint::from_shared(format!("http://127.0.0.1:{port}"))
        .map_err(|error| failed(error.to_string()))?;
    let channel =
        endpoint.connect().await.map_err(|error| failed(format!("could not connect: {error}")))?;
    let client = LanguageRuntimeClient::new(channel)
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    Ok(Running { child, client })
}
