//! Starting, finding and stopping a stack's local server. The server is this
//! same binary (`pulumi-resource-unfold serve --state <dir>`), detached in a
//! session of its own so it outlives the deployment that started it; it records
//! itself in `server.json`, which is how later deployments find it.

use std::fs::File;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::sync::{Mutex, MutexGuard};
use unfold_function_runtime::private_files;

use crate::client;
use crate::state::{ServerInfo, StateDir, read_json, remove_file};

const START_TIMEOUT: Duration = Duration::from_secs(30);
const CONTROL_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Held while a provider starts, reloads or stops a stack's server.
pub(crate) struct Lifecycle {
    _in_process: MutexGuard<'static, ()>,
    _across_processes: Option<Flock<File>>,
}

/// Serializes starting and stopping: the engine runs resource operations in
/// parallel, and may run more than one provider, yet two HttpApis must never
/// both start a server. Locks the state directory itself, so no lock file is
/// left behind.
pub(crate) async fn lock(state: &StateDir) -> Lifecycle {
    static IN_PROCESS: Mutex<()> = Mutex::const_new(());
    let in_process = IN_PROCESS.lock().await;
    let dir = state.path().to_path_buf();
    // The directory's descriptor is close-on-exec, so a server started while
    // holding the lock does not keep holding it.
    let across_processes = tokio::task::spawn_blocking(move || {
        let file = File::open(dir).ok()?;
        Flock::lock(file, FlockArg::LockExclusive).ok()
    })
    .await
    .ok()
    .flatten();
    Lifecycle { _in_process: in_process, _across_processes: across_processes }
}

/// Whether `pid` is a live process (a zombie waiting to be reaped is not).
pub fn alive(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else { return false };
    if raw <= 0 || matches!(kill(Pid::from_raw(raw), None), Err(nix::errno::Errno::ESRCH)) {
        return false;
    }
    // Without /proc, a process that can be signalled counts as alive.
    procfs::process::Process::new(raw)
        .and_then(|process| process.stat())
        .map_or(true, |stat| !matches!(stat.state, 'Z' | 'X'))
}

/// Whether `pid` runs the server of `state`, so a reused pid is never signalled.
fn is_server_of(pid: u32, state: &StateDir) -> bool {
    let Ok(pid) = i32::try_from(pid) else { return false };
    match procfs::process::Process::new(pid).and_then(|process| process.cmdline()) {
        Ok(args) => {
            args.windows(2).any(|pair| pair[0] == "--state" && Path::new(&pair[1]) == state.path())
                && args.iter().any(|arg| arg == "serve")
        }
        // Without /proc, rely on the health check.
        Err(_) => true,
    }
}

/// `server.json`, if any.
pub(crate) fn recorded(state: &StateDir) -> Option<ServerInfo> {
    read_json(&state.server_info()).ok().flatten()
}

/// Who answers on a stack's port.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// The server recorded in `server.json`: it proved it holds the token.
    Ours,
    /// Something that cannot prove it is the stack's server.
    Stranger,
    Nobody,
}

/// Challenges whatever listens on `info.port` to prove it is the server of `info`.
async fn identify(info: &ServerInfo) -> Answer {
    let mut nonce = [0u8; 16];
    if getrandom::fill(&mut nonce).is_err() {
        return Answer::Nobody;
    }
    let challenge = hex::encode(nonce);
    let path = format!("/.unfold/health?challenge={challenge}");
    let Ok(reply) = client::request(info.port, "GET", &path, None, Duration::from_secs(5)).await
    else {
        return Answer::Nobody;
    };
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
    let proved = reply.status == 200
        && body["pid"].as_u64() == Some(u64::from(info.pid))
        && body["proof"].as_str() == Some(client::proof(&info.token, &challenge).as_str());
    if proved { Answer::Ours } else { Answer::Stranger }
}

/// The server recorded in `server.json`, if it is running and proves it is
/// ours (one challenge). After a crash another program may hold the port the
/// stack's URLs use: that is an error, reported and never trusted.
async fn running(state: &StateDir) -> Result<Option<ServerInfo>, String> {
    let Some(info) = recorded(state) else { return Ok(None) };
    match identify(&info).await {
        Answer::Ours if alive(info.pid) => Ok(Some(info)),
        Answer::Stranger => Err(format!(
            "127.0.0.1:{port}, the port of this stack's URLs, is held by another program that is not this stack's local server (it cannot prove it holds the token in {file}). Stop that program, or delete {file} to give the stack a new port (its URLs change)",
            port = info.port,
            file = state.server_info().display()
        )),
        _ => Ok(None),
    }
}

/// The running server, started if it is not running.
pub(crate) async fn ensure_running(state: &StateDir) -> Result<ServerInfo, String> {
    if let Some(info) = running(state).await? {
        return Ok(info);
    }
    // A server that is alive but does not answer (hung) is replaced.
    if let Some(info) = recorded(state) {
        terminate(state, info.pid).await;
    }
    start(state).await
}

fn log_tail(state: &StateDir) -> String {
    let text = std::fs::read_to_string(state.server_log()).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(10)..].join("\n")
}

async fn start(state: &StateDir) -> Result<ServerInfo, String> {
    let dir = state.path();
    private_files::create_dir_all(dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(private_files::FILE_MODE)
        .open(state.server_log())
        .map_err(|error| format!("cannot open {}: {error}", state.server_log().display()))?;
    let log_too = log.try_clone().map_err(|error| error.to_string())?;
    let exe = std::env::current_exe()
        .map_err(|error| format!("cannot find the provider's executable: {error}"))?;
    let mut command = Command::new(exe);
    command
        .arg("serve")
        .arg("--state")
        .arg(dir)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_too);
    // SAFETY: setsid is async-signal-safe; it detaches the server from the
    // engine's session and terminal, so their signals do not reach it.
    unsafe {
        command.pre_exec(|| nix::unistd::setsid().map(drop).map_err(std::io::Error::from));
    }
    let mut child =
        command.spawn().map_err(|error| format!("cannot start the local server: {error}"))?;
    let pid = child.id();
    // Reap the server whenever it exits, so it never lingers as a zombie.
    std::thread::spawn(move || child.wait());

    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if !alive(pid) {
            return Err(format!(
                "the local server exited while starting; {}:\n{}",
                state.server_log().display(),
                log_tail(state)
            ));
        }
        if let Some(info) = recorded(state).filter(|info| info.pid == pid)
            && identify(&info).await == Answer::Ours
        {
            return Ok(info);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    terminate(state, pid).await;
    Err(format!(
        "the local server did not start within {START_TIMEOUT:?}; {}:\n{}",
        state.server_log().display(),
        log_tail(state)
    ))
}

/// Asks the running server to re-read the state directory; nothing to do
/// when none is running (it reads everything when it starts).
pub(crate) async fn reload(state: &StateDir) -> Result<(), String> {
    let Some(info) = running(state).await? else { return Ok(()) };
    control(&info, "/.unfold/reload", "reload").await.map(drop)
}

/// Has the running server serve the inspector at `address` (`None`: stop
/// serving it); the address it serves on. Fails when no server runs (the
/// stack has nothing deployed to the local target).
pub async fn inspect(
    state: &StateDir,
    address: Option<SocketAddr>,
) -> Result<Option<SocketAddr>, String> {
    let Some(info) = running(state).await? else {
        return Err("no local server runs for this stack: it has no Function or HttpApi deployed to the local target".into());
    };
    let path = match address {
        Some(address) => format!("/.unfold/inspect?address={address}"),
        None => "/.unfold/inspect".to_string(),
    };
    let answer = control(&info, &path, "serve the inspector").await?;
    Ok(answer["address"].as_str().and_then(|text| text.parse().ok()))
}

/// Sends the control request `path` to the running server `info`, with its
/// token; its JSON answer, which must come with 200. `what` names the
/// request in errors.
async fn control(info: &ServerInfo, path: &str, what: &str) -> Result<serde_json::Value, String> {
    let reply = client::request(info.port, "POST", path, Some(&info.token), CONTROL_TIMEOUT)
        .await
        .map_err(|error| format!("cannot reach the local server to {what}: {error}"))?;
    let answer: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
    if reply.status != 200 {
        let error = answer["error"].as_str().unwrap_or(&reply.body);
        return Err(format!("the local server refused to {what} ({}): {error}", reply.status));
    }
    Ok(answer)
}

async fn wait_gone(pid: u32, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if !alive(pid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    !alive(pid)
}

/// SIGTERM, then SIGKILL; only ever to this state directory's server.
async fn terminate(state: &StateDir, pid: u32) {
    if !alive(pid) || !is_server_of(pid, state) {
        return;
    }
    let target = Pid::from_raw(pid as i32);
    let _ = kill(target, Signal::SIGTERM);
    if !wait_gone(pid, STOP_GRACE).await {
        let _ = kill(target, Signal::SIGKILL);
        wait_gone(pid, STOP_GRACE).await;
    }
}

/// Stops the server (a stop request, then signals) and forgets it: `server.json` goes too.
pub(crate) async fn stop(state: &StateDir) -> Result<(), String> {
    let Some(info) = recorded(state) else { return Ok(()) };
    if alive(info.pid) && is_server_of(info.pid, state) {
        let asked = client::request(
            info.port,
            "POST",
            "/.unfold/stop",
            Some(&info.token),
            Duration::from_secs(5),
        )
        .await;
        if !matches!(asked, Ok(ref reply) if reply.status == 200)
            || !wait_gone(info.pid, STOP_GRACE).await
        {
            terminate(state, info.pid).await;
        }
        if alive(info.pid) {
            return Err(format!("the local server (pid {}) did not stop", info.pid));
        }
    }
    remove_file(&state.server_info())
        .map_err(|error| format!("cannot remove {}: {error}", state.server_info().display()))
}
