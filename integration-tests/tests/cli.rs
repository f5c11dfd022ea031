//! The `unfold` command as a user runs it: `unfold dev` deploys
//! examples/messages to the local target with the engine inside the command,
//! redeploys on an edit, and `unfold stack output` / `unfold destroy` finish
//! the job — with nothing but `unfold` and its sibling plugins installed (no
//! `unfold-engine`, nothing of the workspace on PATH).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use unfold_integration_tests::debugger::Debugger;
use unfold_integration_tests::http::json_request;
use unfold_integration_tests::{binary, local_target, repository_path};

/// The binaries a user installs, copied into a folder of their own, so the
/// command can only find its plugins beside itself.
struct Installation {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    project: PathBuf,
}

impl Installation {
    fn new() -> Self {
        Self::of("messages")
    }

    /// The binaries, and a copy of examples/`example`'s files.
    fn of(example: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        for name in ["unfold", "pulumi-language-unfold", "pulumi-resource-unfold"] {
            std::fs::copy(binary(name), bin.join(name)).unwrap();
        }
        let project = dir.path().join(example);
        std::fs::create_dir_all(&project).unwrap();
        for entry in std::fs::read_dir(repository_path("examples").join(example)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, project.join(path.file_name().unwrap())).unwrap();
            }
        }
        Self { _dir: dir, bin, project }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(self.bin.join("unfold"));
        command.args(args).env("PATH", "/usr/bin:/bin").current_dir(&self.project);
        command
    }

    fn run(&self, args: &[&str]) -> String {
        let output = self.command(args).output().expect("unfold runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "unfold {args:?} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    fn edit(&self, from: &str, to: &str) {
        let path = self.project.join("index.ts");
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(source.contains(from), "index.ts has no {from:?}");
        std::fs::write(path, source.replace(from, to)).unwrap();
    }
}

/// A running `unfold dev`, its stdout read line by line.
struct Dev {
    child: Child,
    lines: Receiver<String>,
    seen: String,
}

impl Dev {
    fn start(installation: &Installation) -> Self {
        Self::start_with(installation, &[])
    }

    fn start_with(installation: &Installation, options: &[&str]) -> Self {
        let mut child = installation
            .command(&[&["dev", "."][..], options].concat())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("unfold dev starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines, seen: String::new() }
    }

    /// Waits for the next line containing `text`, and gives it; everything
    /// read is kept for messages.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("`unfold dev` never printed {text:?}; it printed:\n{}", self.seen);
    }

    fn interrupt(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("`unfold dev` did not stop on Ctrl-C");
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(url: &str) -> (u16, String) {
    json_request("GET", url, "")
}

#[test]
fn unfold_dev_deploys_redeploys_and_unfold_destroy_removes_it_all() {
    let installation = Installation::new();
    struct Cleanup<'a>(&'a Path);
    impl Drop for Cleanup<'_> {
        fn drop(&mut self) {
            local_target::stop_server(&self.0.join(".unfold/dev/local"));
        }
    }
    let _cleanup = Cleanup(&installation.project);

    let mut dev = Dev::start(&installation);
    dev.wait_for("Serving.");
    let url = installation.run(&["stack", "output", "url"]).trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let stored = json_request("POST", &format!("{url}/messages"), r#"{"id":"m1","text":"hello"}"#);
    assert_eq!(stored, (201, r#"{"stored":"m1"}"#.to_string()));
    assert_eq!(get(&format!("{url}/messages/m2")).0, 404);

    // An edit is redeployed without a command.
    installation.edit("no message ${req.params.id}", "nothing stored under ${req.params.id}");
    dev.wait_for("Serving.");
    let (status, body) = get(&format!("{url}/messages/m2"));
    assert_eq!(status, 404);
    assert!(body.contains("nothing stored under m2"), "the new code serves: {body}");
    assert!(get(&format!("{url}/messages/m1")).1.contains("hello"), "nothing was lost");

    // Ctrl-C stops watching; the app keeps serving until destroyed.
    dev.interrupt();
    assert_eq!(get(&format!("{url}/messages/m1")).0, 200);
    let destroyed = installation.run(&["destroy"]);
    assert!(destroyed.contains("Destroying (dev)"), "{destroyed}");
    assert!(!installation.project.join(".unfold/dev/local/server.json").exists());
    assert!(installation.run(&["stack", "output"]).trim().is_empty(), "no outputs are left");
}

/// `unfold dev --inspect`: every instance of the shop's route and services is
/// a debugger's target; a breakpoint in the orders service stops a request
/// made to the route, where the service's variables are read, and the request
/// completes once resumed.
#[test]
fn unfold_dev_inspect_lets_one_debugger_follow_a_request_into_a_service() {
    let installation = Installation::of("shop");
    struct Cleanup<'a>(&'a Path);
    impl Drop for Cleanup<'_> {
        fn drop(&mut self) {
            local_target::stop_server(&self.0.join(".unfold/dev/local"));
        }
    }
    let _cleanup = Cleanup(&installation.project);

    let mut dev = Dev::start_with(&installation, &["--inspect", "127.0.0.1:0"]);
    let announced = dev.wait_for("Debugger listening on ");
    let list = announced.split_whitespace().nth(3).unwrap().trim_end_matches(':').to_string();
    let url = installation.run(&["stack", "output", "url"]).trim().to_string();
    let order = move |item: &str| {
        let body = format!(r#"{{"item":"{item}","quantity":1}}"#);
        json_request("POST", &format!("{url}/orders"), &body)
    };
    assert_eq!(order("tea").0, 201);

    // The instances the request started, each a target of its own.
    let (status, listed) = get(&list);
    assert_eq!(status, 200, "{listed}");
    let listed: Value = serde_json::from_str(&listed).unwrap();
    let mut titles: Vec<&str> =
        listed.as_array().unwrap().iter().map(|target| target["title"].as_str().unwrap()).collect();
    titles.sort();
    assert_eq!(titles, ["catalog #1", "notifier #1", "orders #1", "shop-post-orders #1"]);
    let orders = listed.as_array().unwrap().iter().find(|t| t["title"] == "orders #1").unwrap();

    let mut debugger = Debugger::connect(orders["webSocketDebuggerUrl"].as_str().unwrap());
    debugger.call("Debugger.enable", json!({}));
    // orders.ts as the instance runs it, with its source map to the TypeScript inlined.
    let (script, line) = loop {
        let parsed = debugger.event("Debugger.scriptParsed")["params"].clone();
        if !parsed["url"].as_str().unwrap_or_default().ends_with("/orders.ts") {
            continue;
        }
        let source =
            debugger.call("Debugger.getScriptSource", json!({"scriptId": parsed["scriptId"]}));
        let text = source["scriptSource"].as_str().unwrap().to_string();
        let Some(line) = text.lines().position(|line| line.contains("* quantity;")) else {
            continue;
        };
        break (parsed, line);
    };
    assert!(
        script["sourceMapURL"].as_str().unwrap_or_default().starts_with("data:application/json"),
        "{script}"
    );
    debugger.call(
        "Debugger.setBreakpoint",
        json!({"location": {"scriptId": script["scriptId"], "lineNumber": line}}),
    );
    let request = std::thread::spawn(move || order("coffee"));
    let paused = debugger.event("Debugger.paused");
    let frame = &paused["params"]["callFrames"][0];
    let item = debugger.call(
        "Debugger.evaluateOnCallFrame",
        json!({"callFrameId": frame["callFrameId"], "expression": "item"}),
    );
    assert_eq!(item["result"]["value"], "coffee");
    debugger.call("Debugger.resume", json!({}));
    let (status, body) = request.join().unwrap();
    assert_eq!(status, 201, "{body}");
    assert!(body.contains(r#""total":420"#), "{body}");

    dev.interrupt();
    installation.run(&["destroy"]);
}

#[test]
fn unfold_run_and_resume_share_the_command_with_the_stack_commands() {
    let installation = Installation::new();
    let snapshot = installation.project.join("counter.snapshot");
    let app = repository_path("examples/counter/app.ts");
    let first = installation.run(&[
        "run",
        app.to_str().unwrap(),
        "--call",
        "incr",
        "--save",
        snapshot.to_str().unwrap(),
    ]);
    assert!(first.contains("from 0 to 1"), "{first}");
    let resumed = installation.run(&["resume", snapshot.to_str().unwrap(), "--call", "incr"]);
    assert_eq!(resumed.trim(), "Incrementing counter from 1 to 2");
}

/// The pids of running processes whose executable is `binary`.
fn processes_of(binary: &Path) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
        .collect()
}

/// Ctrl-C during a program stuck in a loop stops the command and the
/// language host at once, and a run that outlives its timeout (an option of
/// the command, or of Pulumi.yaml) is stopped with a message saying so.
#[test]
fn ctrl_c_and_the_run_timeout_stop_a_busy_program_and_its_host() {
    let installation = Installation::new();
    std::fs::write(installation.project.join("index.ts"), "while (true) {}\n").unwrap();
    let host = installation.bin.join("pulumi-language-unfold");

    let mut up = installation
        .command(&["up"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unfold up starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while processes_of(&host).is_empty() {
        assert!(Instant::now() < deadline, "the language host never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    let interrupted = Instant::now();
    let pid = nix::unistd::Pid::from_raw(up.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let status = loop {
        if let Some(status) = up.try_wait().unwrap() {
            break status;
        }
        assert!(interrupted.elapsed() < Duration::from_secs(2), "unfold up kept running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
    while !processes_of(&host).is_empty() {
        assert!(
            interrupted.elapsed() < Duration::from_secs(2),
            "the language host outlived the command"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut up.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted: stopping the program"), "{stderr}");

    for (args, yaml) in [
        (vec!["preview", "--run-timeout", "2"], "name: messages\nruntime: unfold\n"),
        (
            vec!["preview"],
            "name: messages\nruntime:\n  name: unfold\n  options:\n    runTimeout: 2\n",
        ),
    ] {
        std::fs::write(installation.project.join("Pulumi.yaml"), yaml).unwrap();
        let started = Instant::now();
        let output = installation.command(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success());
        assert!(stderr.contains("the program did not finish within 2s"), "{args:?}: {stderr}");
        assert!(started.elapsed() < Duration::from_secs(30), "{args:?}");
        assert!(processes_of(&host).is_empty(), "{args:?}: the host was stopped");
    }
}
