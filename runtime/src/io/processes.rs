//! `process.run`: a program starts a process and waits for it, through the
//! `child_process` built-in's synchronous functions (`execFileSync`,
//! `execSync`, `spawnSync`). Deploy-time programs run tools as Pulumi
//! programs do (hooks, `git`, build steps); what the process printed and how
//! it ended is the crossing's answer, so a replay gets the same result
//! without starting anything.
//!
//! Only the synchronous forms exist: a process the program streams from
//! while it runs would need a crossing per chunk, and no program Unfold runs
//! has needed one yet.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Deserialize;
use serde_json::{Value, json};

use super::files::{describe, error_code};
use super::host::{Crossing, CrossingError};
use crate::crossings::{CrossingSpec, Handler, HandlerSet};

pub static PROCESS_RUN: CrossingSpec = CrossingSpec::sync(
    "process.run",
    "`{file, args, cwd, env?, input?, timeoutMs?}`: `env` replaces the host's environment when set; `input` (base64) is written to stdin",
    "`{ok: {status, signal, stdout, stderr, timedOut}}` (output as base64; `status` null when a signal ended it) or `{error: {code, message}}` when it could not start",
);

/// Processes the program starts and waits for.
pub static PROCESSES: HandlerSet<()> = HandlerSet {
    name: "processes",
    handlers: &[Handler::sync(&PROCESS_RUN, |_, _, args| run(args))],
    families: &[],
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunArgs {
    file: String,
    #[serde(default)]
    args: Vec<String>,
    cwd: String,
    env: Option<std::collections::BTreeMap<String, String>>,
    input: Option<String>,
    timeout_ms: Option<u64>,
}

/// Starts the process, feeds it its input, and waits for it to end (or
/// kills it at its timeout), collecting everything it printed.
pub fn run(args: Value) -> Crossing {
    let RunArgs { file, args, cwd, env, input, timeout_ms } = serde_json::from_value(args)?;
    let input = match input {
        Some(text) => BASE64.decode(text).map_err(|error| {
            CrossingError::host(format!("process.run: input is not base64: {error}"))
        })?,
        None => Vec::new(),
    };
    let mut command = Command::new(&file);
    command
        .args(&args)
        .current_dir(&cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(env) = env {
        command.env_clear().envs(env);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            let code = error_code(&error);
            let message = format!("spawnSync {file} {code}: {}", describe(&error));
            return Ok(json!({ "error": { "code": code, "message": message } }));
        }
    };
    // Input and output go through threads of their own, so a process that
    // fills one pipe while we wait on another cannot deadlock.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        // A process may exit without reading its input; that is not an error.
        let _ = stdin.write_all(&input);
    });
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let (status, timed_out) =
        wait(&mut child, timeout_ms.map(Duration::from_millis)).map_err(|error| {
            CrossingError::host(format!("process.run: waiting for {file}: {error}"))
        })?;
    let _ = writer.join();
    let output =
        |reader: std::thread::JoinHandle<Vec<u8>>| BASE64.encode(reader.join().unwrap_or_default());
    Ok(json!({ "ok": {
        "status": status.code(),
        "signal": signal_name(status),
        "stdout": output(stdout),
        "stderr": output(stderr),
        "timedOut": timed_out,
    } }))
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// Waits for the child; past `timeout` it is killed (SIGKILL), as Node.js's
/// `killSignal` would end it.
fn wait(
    child: &mut std::process::Child,
    timeout: Option<Duration>,
) -> std::io::Result<(ExitStatus, bool)> {
    let Some(timeout) = timeout.filter(|t| !t.is_zero()) else {
        return Ok((child.wait()?, false));
    };
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status, false));
        }
        if Instant::now() >= deadline {
            child.kill()?;
            return Ok((child.wait()?, true));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The signal that ended the process, by its POSIX name, as Node.js reports it.
fn signal_name(status: ExitStatus) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    let number = status.signal()?;
    let name = match number {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return Some(format!("SIG{number}")),
    };
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(args: Value) -> Value {
        run(args).unwrap()
    }

    fn text(answer: &Value, stream: &str) -> String {
        String::from_utf8(BASE64.decode(answer["ok"][stream].as_str().unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn output_status_and_input_come_back() {
        let answer = ran(json!({
            "file": "sh", "args": ["-c", "cat; echo oops >&2; exit 3"], "cwd": "/",
            "input": BASE64.encode("fed in\n"),
        }));
        assert_eq!(text(&answer, "stdout"), "fed in\n");
        assert_eq!(text(&answer, "stderr"), "oops\n");
        assert_eq!(answer["ok"]["status"], 3);
        assert_eq!(answer["ok"]["signal"], Value::Null);
    }

    #[test]
    fn env_replaces_the_environment_and_cwd_is_where_it_runs() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path().canonicalize().unwrap();
        let answer = ran(json!({
            "file": "/bin/sh", "args": ["-c", "echo \"$ONLY:$HOME\"; pwd"],
            "cwd": cwd, "env": { "ONLY": "this" },
        }));
        assert_eq!(text(&answer, "stdout"), format!("this:\n{}\n", cwd.display()));
    }

    #[test]
    fn a_missing_program_is_an_answer_with_node_s_code() {
        let answer = ran(json!({ "file": "no-such-program-anywhere", "args": [], "cwd": "/" }));
        assert_eq!(answer["error"]["code"], "ENOENT");
        assert!(answer["error"]["message"].as_str().unwrap().contains("no-such-program-anywhere"));
    }

    #[test]
    fn a_process_past_its_timeout_is_killed() {
        let answer = ran(json!({ "file": "sleep", "args": ["5"], "cwd": "/", "timeoutMs": 50 }));
        assert_eq!(answer["ok"]["timedOut"], true);
        assert_eq!(answer["ok"]["signal"], "SIGKILL");
        assert_eq!(answer["ok"]["status"], Value::Null);
    }
}
