//! Invocation records end to end: a program deployed to the local target by
//! the engine is called over HTTP, `unfold invocations` lists what its Function
//! recorded, and `unfold replay` replays an invocation — the same console
//! output, the same error at the same .ts line, table reads answered from the
//! record — under a debugger attached over the inspector's WebSocket too.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use unfold_integration_tests::binary;
use unfold_integration_tests::debugger::Debugger;
use unfold_integration_tests::http::http;
use unfold_integration_tests::local_deployment::Deployment;

/// Line 11 throws for 13; line 13 is where a debugger stops.
const PROGRAM: &str = r#"import * as unfold from "@unfold/cloud";

const notes = new unfold.Table<{ n: number; nonce: number }>("notes");
const api = new unfold.HttpApi("api");
const double = new unfold.Function("double", async (req) => {
    const n = Number(req.params.n);
    const previous = await notes.get("last");
    console.log(`doubling ${n} after ${previous?.n}`);
    await notes.put("last", { n, nonce: Math.random() });
    if (n === 13) {
        throw new Error(`unlucky ${n}`);
    }
    const doubled = n * 2;
    return { body: { doubled, previous: previous?.n ?? null } };
}, { environment: { TOKEN: "not-a-secret" } });
api.route("GET", "/double/{n}", double);
export const url = api.url;
"#;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

fn id_of<'a>(listed: &'a [Value], path: &str) -> &'a str {
    listed
        .iter()
        .find(|summary| summary["path"] == path)
        .and_then(|summary| summary["id"].as_str())
        .unwrap_or_else(|| panic!("no invocation of {path} in {listed:#?}"))
}

/// The file holding invocation `id` of Function `double` (its own, or a segment).
fn record_file(deployment: &Deployment, id: &str) -> PathBuf {
    let dir = deployment.local().join("functions/double/invocations");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| std::fs::read_to_string(path).unwrap().contains(&format!("\"id\":\"{id}\"")))
        .unwrap_or_else(|| panic!("no file in {} holds {id}", dir.display()))
}

/// Deploys [`PROGRAM`] and calls 4, 13 (which fails), then 5.
fn deployed_and_called() -> (Deployment, Vec<Value>) {
    let deployment = Deployment::with_program(PROGRAM);
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let four = http("GET", &format!("{url}/double/4"), "", "").unwrap();
    assert_eq!((four.status, four.body.as_str()), (200, r#"{"doubled":8,"previous":null}"#));
    assert_eq!(http("GET", &format!("{url}/double/13"), "", "").unwrap().status, 500);
    let five = http("GET", &format!("{url}/double/5"), "", "").unwrap();
    assert_eq!(five.body, r#"{"doubled":10,"previous":13}"#);
    let listed = deployment.recorded(3);
    (deployment, listed)
}

#[test]
fn a_failed_request_is_listed_and_replays_to_the_same_error_at_the_same_line() {
    let (deployment, listed) = deployed_and_called();
    let paths: Vec<&str> = listed.iter().map(|s| s["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["/double/4", "/double/13", "/double/5"]);
    let statuses: Vec<u64> = listed.iter().map(|s| s["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [200, 500, 200]);
    let failed = id_of(&listed, "/double/13");
    assert!(listed[1]["error"].as_str().unwrap().contains("unlucky 13"), "{:#?}", listed[1]);

    let table = deployment.unfold(&["invocations", "double", "--failed"]);
    let table = text(&table.stdout);
    assert!(
        table.contains(failed) && table.contains("GET /double/13") && table.contains("500"),
        "{table}"
    );
    assert!(!table.contains("/double/4"), "--failed lists only failures:\n{table}");

    // The table holds 5 now; the replay still reads the 4 the handler read live.
    let replayed = deployment.unfold(&["replay", failed]);
    let (stdout, stderr) = (text(&replayed.stdout), text(&replayed.stderr));
    assert!(replayed.status.success(), "{stderr}");
    assert!(stdout.contains("doubling 13 after 4"), "{stdout}");
    assert!(stderr.contains("the handler failed: Error: unlucky 13"), "{stderr}");
    assert!(stderr.contains("the replay matched the record"), "{stderr}");
    let live = std::fs::read_to_string(deployment.local().join("server.log")).unwrap();
    assert!(live.contains(&format!("replay it with `unfold replay {failed}`")), "{live}");
    let live_line = live
        .lines()
        .flat_map(|line| line.split_whitespace())
        .find(|word| word.contains("index.ts:11:"))
        .unwrap_or_else(|| panic!("the live error names index.ts:11:\n{live}"));
    assert!(stderr.contains(live_line.trim_matches(['(', ')'])), "{live_line} in\n{stderr}");

    let replayed = deployment.unfold(&["replay", id_of(&listed, "/double/5")]);
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert!(text(&replayed.stdout).contains(r#""doubled":10"#), "{}", text(&replayed.stdout));

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().to_string();
    let busy = deployment.unfold(&["replay", failed, "--inspect", &port]);
    assert!(!busy.status.success());
    assert!(text(&busy.stderr).contains("cannot listen on"), "{}", text(&busy.stderr));

    let missing = deployment.unfold(&["replay", "0000000000000-000000"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("unfold invocations"), "{}", text(&missing.stderr));
    deployment.run("destroy");
}

#[test]
fn a_replay_that_parts_from_the_record_names_the_entry() {
    let (deployment, listed) = deployed_and_called();
    let id = id_of(&listed, "/double/5");
    let path = record_file(&deployment, id);
    let bytes = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = bytes.lines().map(str::to_string).collect();
    // A record is three lines: the format, its summary, its entries.
    let summary = lines.iter().position(|line| line.contains(&format!("\"id\":\"{id}\""))).unwrap();
    let mut body: Value = serde_json::from_str(&lines[summary + 1]).unwrap();
    let entries = body["entries"].as_array_mut().unwrap();
    // What the table answered live becomes 99: the handler then logs other text.
    let get = entries.iter_mut().find(|entry| entry["name"] == "table.get").unwrap();
    get["result"] = json!({"ok": {"n": 99, "nonce": 0.5}});
    let console = entries.iter().position(|entry| entry["name"] == "console.write").unwrap();
    lines[summary + 1] = body.to_string();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let replayed = deployment.unfold(&["replay", id]);
    let stderr = text(&replayed.stderr);
    assert!(!replayed.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("diverged at entry {console} of the invocation")),
        "entry {console}:\n{stderr}"
    );
    assert!(stderr.contains("doubling 5 after 99"), "{stderr}");
    deployment.run("destroy");
}

/// [`PROGRAM`] logging a secret config value, `password`.
fn program_with_a_secret() -> String {
    PROGRAM
        .replace(
            r#"console.log(`doubling ${n} after ${previous?.n}`);"#,
            r#"console.log(`doubling ${n} after ${previous?.n} with ${password}`);"#,
        )
        .replace(
            "const api = new unfold.HttpApi(\"api\");",
            "const api = new unfold.HttpApi(\"api\");\nlet password = \"\";\nnew pulumi.Config().requireSecret(\"password\").apply((p) => { password = p; });",
        )
        .replace(
            "import * as unfold from \"@unfold/cloud\";",
            "import * as pulumi from \"@pulumi/pulumi\";\nimport * as unfold from \"@unfold/cloud\";",
        )
}

/// Deploys `deployment`, calls /double/2 and answers the stored record's text and listing.
fn called_once(deployment: &Deployment) -> (String, Vec<Value>) {
    std::fs::write(deployment.project_dir.join("Pulumi.dev.yaml"), "").unwrap();
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let reply = http("GET", &format!("{url}/double/2"), "", "").unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    let listed = deployment.recorded(1);
    let stored = std::fs::read_to_string(record_file(deployment, id_of(&listed, "/double/2")));
    (stored.unwrap(), listed)
}

#[test]
fn secrets_stay_out_of_records_and_still_replay() {
    let deployment = Deployment::with_program(&program_with_a_secret())
        .with_secret_config("messages:password", "correct-horse-battery");
    let (stored, listed) = called_once(&deployment);
    assert_eq!(listed[0]["redacted"], true, "{listed:#?}");
    assert!(!stored.contains("correct-horse-battery"), "{stored}");

    let replayed = deployment.unfold(&["replay", id_of(&listed, "/double/2")]);
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert!(
        text(&replayed.stdout).contains("doubling 2 after undefined with correct-horse-battery"),
        "{}",
        text(&replayed.stdout)
    );
    deployment.run("destroy");
}

#[test]
fn a_stack_may_keep_secret_values_in_its_records() {
    let deployment = Deployment::with_program(&program_with_a_secret())
        .with_secret_config("messages:password", "correct-horse-battery")
        .with_config("unfold:recordSecrets", "true");
    let (stored, listed) = called_once(&deployment);
    assert_eq!(listed[0]["redacted"], false, "{listed:#?}");
    assert!(stored.contains("with correct-horse-battery"), "{stored}");
    deployment.run("destroy");
}

#[test]
fn a_debugger_stops_at_a_handler_line_and_reads_a_local_variable() {
    let (deployment, listed) = deployed_and_called();
    let id = id_of(&listed, "/double/5");
    let mut replay = Command::new(binary("unfold"))
        .args(["replay", id, "--inspect-brk", "127.0.0.1:0", "--cwd"])
        .arg(&deployment.project_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(replay.stderr.take().unwrap());
    let started = Instant::now();
    let url = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the replay ended without an inspector");
        if let Some(url) = line.trim().strip_prefix("Debugger listening on ") {
            break url.to_string();
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    };
    let port = url.trim_start_matches("ws://127.0.0.1:").split('/').next().unwrap();
    let targets = http("GET", &format!("http://127.0.0.1:{port}/json/list"), "", "").unwrap();
    let targets: Value = serde_json::from_str(&targets.body).unwrap();
    assert_eq!(targets[0]["webSocketDebuggerUrl"], url.as_str());

    let mut debugger = Debugger::connect(&url);
    debugger.call("Runtime.enable", json!({}));
    debugger.call("Debugger.enable", json!({}));
    // The Function is restored: its program's scripts are parsed, index.ts with
    // its source map to the TypeScript.
    let (script, line) = loop {
        let parsed = debugger.event("Debugger.scriptParsed")["params"].clone();
        let url = parsed["url"].as_str().unwrap_or_default();
        if !(url.starts_with("file://") && url.ends_with("/messages/index.ts")) {
            continue;
        }
        let source =
            debugger.call("Debugger.getScriptSource", json!({"scriptId": parsed["scriptId"]}));
        let handler_line = source["scriptSource"]
            .as_str()
            .unwrap()
            .lines()
            .position(|line| line.contains("const doubled = n * 2"));
        if let Some(line) = handler_line {
            break (parsed, line);
        }
    };
    assert!(
        script["sourceMapURL"].as_str().unwrap_or_default().starts_with("data:application/json"),
        "{script}"
    );
    let breakpoint = debugger.call(
        "Debugger.setBreakpoint",
        json!({"location": {"scriptId": script["scriptId"], "lineNumber": line}}),
    );
    assert!(breakpoint["breakpointId"].is_string(), "{breakpoint}");
    debugger.send("Runtime.runIfWaitingForDebugger");
    // Paused before the invocation's first statement, then at the breakpoint.
    debugger.event("Debugger.paused");
    debugger.call("Debugger.resume", json!({}));
    let paused = debugger.event("Debugger.paused");
    let frame = &paused["params"]["callFrames"][0];
    assert_eq!(frame["location"]["lineNumber"], line, "{paused}");
    let value = debugger.call(
        "Debugger.evaluateOnCallFrame",
        json!({"callFrameId": frame["callFrameId"], "expression": "n"}),
    );
    assert_eq!(value["result"]["value"], 5, "{value}");
    debugger.call("Debugger.resume", json!({}));

    let status = replay.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(rest.contains("the replay matched the record"), "{rest}");
    deployment.run("destroy");
}

#[test]
fn an_invocation_stopped_at_its_timeout_replays_until_the_same_timeout() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";

const api = new unfold.HttpApi("api");
api.route("GET", "/spin/{n}", async (req) => {
    console.log(`spinning for ${req.params.n}`);
    while (req.params.n === "ever") {}
    return { body: "done" };
}, { timeout: 1 });
export const url = api.url;
"#,
    );
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    assert_eq!(http("GET", &format!("{url}/spin/ever"), "", "").unwrap().status, 504);
    // The client has its 504 as the isolate is stopped; the record follows.
    let listed = deployment.recorded(1);
    let id = id_of(&listed, "/spin/ever");
    assert_eq!(listed[0]["status"], 504, "{listed:#?}");

    let started = Instant::now();
    let replayed = deployment.unfold(&["replay", id]);
    let stderr = text(&replayed.stderr);
    assert!(replayed.status.success(), "{stderr}");
    assert!(text(&replayed.stdout).contains("spinning for ever"), "{}", text(&replayed.stdout));
    assert!(stderr.contains("did not answer within 1s"), "{stderr}");
    assert!(stderr.contains("the replay matched the record"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(30), "the replay was stopped at the timeout");
    deployment.run("destroy");
}

#[test]
fn invocations_served_at_once_by_one_instance_each_replay_alone() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";

const api = new unfold.HttpApi("api");
api.route("GET", "/draw/{ms}", async (req) => {
    const first = Math.random();
    await new Promise((resolve) => setTimeout(resolve, Number(req.params.ms)));
    const second = Math.random();
    console.log(`drew ${first} then ${second}`);
    return { body: { first, second } };
}, { concurrency: 1 });
export const url = api.url;
"#,
    );
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    // One instance: the slow request's timer is still running when the quick one is served.
    let slow = {
        let url = url.clone();
        std::thread::spawn(move || http("GET", &format!("{url}/draw/400"), "", "").unwrap())
    };
    std::thread::sleep(Duration::from_millis(100));
    let quick = http("GET", &format!("{url}/draw/0"), "", "").unwrap();
    let slow = slow.join().unwrap();
    let drawn = |body: &str| -> Value { serde_json::from_str(body).unwrap() };
    let (quick, slow) = (drawn(&quick.body), drawn(&slow.body));
    assert_ne!(quick["first"], slow["first"], "each invocation draws from its own seed");

    let listed = deployment.recorded(2);
    for (path, live) in [("/draw/400", &slow), ("/draw/0", &quick)] {
        let replayed = deployment.unfold(&["replay", id_of(&listed, path)]);
        let stderr = text(&replayed.stderr);
        assert!(replayed.status.success(), "{path}: {stderr}");
        assert!(stderr.contains("the replay matched the record"), "{stderr}");
        let printed = format!("drew {} then {}", live["first"], live["second"]);
        assert!(
            text(&replayed.stdout).contains(&printed),
            "{printed} in {}",
            text(&replayed.stdout)
        );
    }
    deployment.run("destroy");
}

#[test]
fn an_invocation_recorded_before_a_redeploy_replays_on_the_code_it_ran() {
    let (deployment, listed) = deployed_and_called();
    deployment.edit("const doubled = n * 2;", "const doubled = n * 3;");
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let tripled = http("GET", &format!("{url}/double/5"), "", "").unwrap();
    assert!(tripled.body.contains(r#""doubled":15"#), "{}", tripled.body);

    // The bundle the first deployment served stays while a record needs it.
    let replayed = deployment.unfold(&["replay", id_of(&listed, "/double/5")]);
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert!(text(&replayed.stdout).contains(r#""doubled":10"#), "{}", text(&replayed.stdout));
    deployment.run("destroy");
}
