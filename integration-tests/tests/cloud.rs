//! `@unfold/cloud` end to end, as the Pulumi engine drives it: the language
//! host runs examples/messages (a Table, two Functions, an HttpApi), the
//! `pulumi-resource-unfold` plugin deploys them to the local target, and the
//! deployed API is called over real HTTP.
//!
//! Both binaries come from `cargo build --workspace --bins` (`scripts/test`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use unfold_engine::{HostSpec, ProjectSpec, StepOp};

use unfold_integration_tests::binary;
use unfold_integration_tests::http::{Reply, http};
use unfold_integration_tests::local_deployment::{Deployment, changes};
use unfold_integration_tests::local_target::rss_bytes;

fn json_body(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|error| panic!("{error}: {}", reply.body))
}

#[test]
fn the_messages_example_deploys_serves_and_is_destroyed() {
    let deployment = Deployment::new();
    let up = deployment.run("up");
    let url = up
        .outputs
        .get("url")
        .and_then(Value::as_str)
        .expect("the stack exports the API's url")
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    // POST then GET round-trip through the deployed functions and the table.
    let stored = http(
        "POST",
        &format!("{url}/messages"),
        "application/json",
        r#"{"id":"m1","text":"hello"}"#,
    )
    .unwrap();
    assert_eq!((stored.status, json_body(&stored)), (201, json!({"stored": "m1"})));
    let fetched = http("GET", &format!("{url}/messages/m1"), "", "").unwrap();
    assert_eq!((fetched.status, json_body(&fetched)), (200, json!({"id": "m1", "text": "hello"})));
    let missing = http("GET", &format!("{url}/messages/m2"), "", "").unwrap();
    assert_eq!((missing.status, json_body(&missing)), (404, json!({"error": "no message m2"})));

    // Bad requests get 4xx, and the server keeps serving.
    assert_eq!(
        http("POST", &format!("{url}/messages"), "application/json", "{not json").unwrap().status,
        400
    );
    assert_eq!(http("GET", &format!("{url}/nowhere"), "", "").unwrap().status, 404);
    assert_eq!(
        http("PUT", &format!("{url}/messages"), "application/json", "{}").unwrap().status,
        405
    );
    let oversized = "x".repeat(2 * 1024 * 1024);
    match http("POST", &format!("{url}/messages"), "text/plain", &oversized) {
        Ok(reply) => assert_eq!(reply.status, 413),
        // The server may close the connection while the client is still sending.
        Err(error) => assert!(
            error.contains("onnection") || error.contains("reset") || error.contains("pipe"),
            "{error}"
        ),
    }
    // A handler that throws (the body is valid JSON but not a message) answers 500.
    assert_eq!(
        http("POST", &format!("{url}/messages"), "application/json", "null").unwrap().status,
        500
    );
    assert_eq!(
        http("GET", &format!("{url}/messages/m1"), "", "").unwrap().status,
        200,
        "still serving"
    );

    // An unchanged program previews as no change: the bundles came out the same.
    assert_eq!(changes(&deployment.run("preview")), vec![]);

    // Editing one handler changes only that function.
    deployment.edit("no message ${req.params.id}", "nothing stored under ${req.params.id}");
    let preview = deployment.run("preview");
    assert_eq!(changes(&preview), vec![(StepOp::Update, "api-get-messages-id".to_string())]);
    let update = deployment.run("up");
    assert_eq!(changes(&update), vec![(StepOp::Update, "api-get-messages-id".to_string())]);
    let missing = http("GET", &format!("{url}/messages/m2"), "", "").unwrap();
    assert_eq!(
        json_body(&missing),
        json!({"error": "nothing stored under m2"}),
        "the new code serves"
    );
    assert_eq!(
        json_body(&http("GET", &format!("{url}/messages/m1"), "", "").unwrap())["text"],
        "hello",
        "nothing was lost"
    );

    // Destroy removes the table, the functions and the server.
    let local = deployment.local();
    assert!(local.join("tables/messages.sqlite").is_file());
    deployment.run("destroy");
    assert!(!local.join("tables/messages.sqlite").exists(), "the table is gone");
    assert!(!local.join("functions/insert").exists(), "the function is gone");
    assert!(!local.join("server.json").exists(), "the server is gone");
    assert!(
        http("GET", &format!("{url}/messages/m1"), "", "").is_err(),
        "nothing listens at {url} any more"
    );
}

/// The local target as an attacker on the same machine meets it: a web page
/// (DNS rebinding, a cross-site form post) cannot reach the stack's API, the
/// files under `.unfold/` are the user's alone, and a program squatting on the
/// stack's port after a crash is reported instead of trusted.
#[test]
fn the_local_target_is_closed_to_other_origins_and_users() {
    use std::os::unix::fs::PermissionsExt;
    use unfold_integration_tests::http::http_with_headers;

    let deployment = Deployment::new();
    let up = deployment.run("up");
    let url = up.outputs["url"].as_str().unwrap().to_string();
    let authority = url.trim_start_matches("http://").split('/').next().unwrap().to_string();
    let port: u16 = authority.rsplit(':').next().unwrap().parse().unwrap();
    let post = |headers: &[(&str, &str)], id: &str| {
        let body = format!(r#"{{"id":"{id}","text":"from a page"}}"#);
        http_with_headers("POST", &format!("{url}/messages"), headers, &body).unwrap().status
    };
    let get = |headers: &[(&str, &str)], id: &str| {
        http_with_headers("GET", &format!("{url}/messages/{id}"), headers, "").unwrap().status
    };

    // DNS rebinding: the browser addresses the request to the attacker's name.
    assert_eq!(get(&[("host", &format!("evil.example:{port}"))], "m1"), 403);
    // A cross-site form post, sent without a preflight, stores nothing.
    let page = [("content-type", "text/plain"), ("origin", "https://evil.example")];
    assert_eq!(post(&page, "csrf"), 403);
    let site = [("content-type", "text/plain"), ("sec-fetch-site", "cross-site")];
    assert_eq!(post(&site, "csrf"), 403);
    assert_eq!(get(&[], "csrf"), 404, "nothing was stored");
    // The user's own tools (and pages served by this server) are answered.
    let own = format!("http://{authority}");
    assert_eq!(post(&[("content-type", "application/json"), ("origin", &own)], "own"), 201);
    assert_eq!(post(&[("content-type", "application/json")], "tool"), 201);
    assert_eq!(get(&[("host", &format!("localhost:{port}"))], "tool"), 200);

    // An API that declares CORS takes the origins it names, and tells the browser so.
    deployment.edit(
        "const api = new unfold.HttpApi(\"api\");",
        "const api = new unfold.HttpApi(\"api\").cors({ allowOrigins: [\"https://app.example\"], allowHeaders: [\"content-type\", \"x-request-id\"], maxAge: 600 });",
    );
    deployment.run("up");
    let app = [("content-type", "application/json"), ("origin", "https://app.example")];
    let body = r#"{"id":"from-app","text":"hello"}"#;
    let reply = http_with_headers("POST", &format!("{url}/messages"), &app, body).unwrap();
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.header("access-control-allow-origin"), Some("https://app.example"));
    assert_eq!(post(&page, "csrf"), 403, "an origin the API does not name is still refused");
    let preflight = http_with_headers(
        "OPTIONS",
        &format!("{url}/messages"),
        &[
            ("origin", "https://app.example"),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
        "",
    )
    .unwrap();
    assert_eq!(preflight.status, 204, "{}", preflight.body);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("https://app.example"));
    assert_eq!(preflight.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("content-type, x-request-id")
    );
    assert_eq!(preflight.header("access-control-max-age"), Some("600"));
    let read =
        http_with_headers("GET", &format!("{url}/messages/from-app"), &app[1..], "").unwrap();
    assert_eq!(read.status, 200);
    assert_eq!(read.header("access-control-allow-origin"), Some("https://app.example"));

    // Everything under .unfold/ is owner-only, the log and the tables included.
    let unfold = deployment.project_dir.join(".unfold");
    let mut stack = vec![unfold.clone()];
    let mut seen = 0;
    while let Some(path) = stack.pop() {
        let metadata = std::fs::symlink_metadata(&path).unwrap();
        let mode = metadata.permissions().mode() & 0o777;
        if metadata.is_dir() {
            assert_eq!(mode, 0o700, "{}", path.display());
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(mode, 0o600, "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 5, "the walk saw the state's files");
    assert!(deployment.local().join("server.log").is_file());

    // After a crash (kill -9), another program takes the stack's port and
    // answers like the server would, naming the dead server's pid.
    let info: Value = serde_json::from_str(
        &std::fs::read_to_string(deployment.local().join("server.json")).unwrap(),
    )
    .unwrap();
    let pid = info["pid"].as_u64().unwrap();
    std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|error| {
        // The dead server's socket may linger a moment.
        std::thread::sleep(std::time::Duration::from_millis(500));
        std::net::TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|_| panic!("{error}"))
    });
    let answering = std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in squatter.incoming().take(4) {
            let Ok(mut stream) = stream else { break };
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let body = format!(r#"{{"ok":true,"pid":{pid},"proof":"0000"}}"#);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    deployment.edit("no message ${req.params.id}", "nothing stored under ${req.params.id}");
    let project = ProjectSpec::load(&deployment.project_dir, "dev").unwrap();
    let host = HostSpec::Plugin { binary: Some(binary("pulumi-language-unfold")) };
    let report = deployment.runtime.block_on(deployment.engine.up(&project, &host));
    let errors = format!("{:?} {:#?}", report.error, report.diagnostics);
    assert!(report.error.is_some(), "an update through a squatter must fail: {errors}");
    assert!(
        errors.contains("is held by another program that is not this stack's local server"),
        "{errors}"
    );
    drop(answering);
}

#[test]
fn bundles_are_the_same_bytes_and_hold_no_secret_in_plain_text() {
    let deployment = Deployment::new();
    deployment.edit(
        "const db = new unfold.Table<Message>(\"messages\");",
        "const db = new unfold.Table<Message>(\"messages\");\nlet greeting = \"\";\nnew pulumi.Config().requireSecret(\"greeting\").apply((g) => { greeting = g; });\nconst hello = new unfold.Function(\"hello\", async () => ({ body: { greeting } }));\nconst leak = new unfold.Function(\"leak\", async () => { console.log(`greeting is ${greeting}`); console.log(Buffer.from(greeting).toString(\"base64\")); throw new Error(`cannot greet with ${greeting}`); });\napi_placeholder",
    );
    deployment.edit("api_placeholder", "");
    deployment.edit(
        "import * as unfold from \"@unfold/cloud\";",
        "import * as pulumi from \"@pulumi/pulumi\";\nimport * as unfold from \"@unfold/cloud\";",
    );
    deployment.edit(
        "api.route(\"POST\", \"/messages\", insert);",
        "api.route(\"POST\", \"/messages\", insert);\napi.route(\"GET\", \"/hello\", hello);\napi.route(\"GET\", \"/leak\", leak);",
    );
    std::fs::write(deployment.project_dir.join("Pulumi.dev.yaml"), "").unwrap();
    let mut project = ProjectSpec::load(&deployment.project_dir, "dev").unwrap();
    project.set_config("messages:greeting", "s3cret-greeting", true);
    let host = HostSpec::Plugin { binary: Some(binary("pulumi-language-unfold")) };
    let bundles = deployment.project_dir.join(".unfold/dev/bundles");
    let mut listings = Vec::new();
    for _ in 0..2 {
        let report = deployment.runtime.block_on(deployment.engine.up(&project, &host));
        assert_eq!(report.error, None, "{:#?}", report.diagnostics);
        let mut names: Vec<String> = std::fs::read_dir(&bundles)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        names.sort();
        listings.push(names);
    }
    assert_eq!(listings[0], listings[1], "running the same program again wrote no new bundle");
    // A preview names what a handler captures; a secret it holds as a plain string shows as secret.
    let state = deployment.engine.state("messages", "dev").unwrap().unwrap();
    let captures = |name: &str| {
        let function =
            state.resources.iter().find(|r| r.urn.ends_with(&format!("::{name}"))).unwrap();
        function.inputs["captures"].clone()
    };
    assert_eq!(captures("hello"), json!({ "greeting": "[secret]" }));
    let db = state.resources.iter().find(|r| r.urn.ends_with("::messages")).unwrap();
    assert_eq!(captures("insert"), json!({ "db": format!("resource {}", db.urn) }));
    for entry in std::fs::read_dir(&bundles).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("s3cret-greeting"), "a bundle holds the secret in plain text");
    }
    // The secret reaches the handler at run time.
    let report = deployment.runtime.block_on(deployment.engine.preview(&project, &host));
    let url = report.outputs.get("url").and_then(Value::as_str).unwrap().to_string();
    let reply = http("GET", &format!("{url}/hello"), "", "").unwrap();
    assert_eq!((reply.status, json_body(&reply)), (200, json!({"greeting": "s3cret-greeting"})));
    // A handler that prints and throws the secret leaves it out of the local
    // target's files, plain or base64-encoded; the Function's own
    // configuration carries it sealed, and so do the state and the records.
    let reply = http("GET", &format!("{url}/leak"), "", "").unwrap();
    assert_eq!(reply.status, 500);
    assert!(!reply.body.contains("s3cret-greeting"), "{}", reply.body);
    let log = std::fs::read_to_string(deployment.local().join("server.log")).unwrap();
    assert!(log.contains("cannot greet with [secret]"), "{log}");
    assert!(log.contains("greeting is [secret]"), "{log}");
    let mut stack = vec![deployment.project_dir.clone()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for needle in ["s3cret-greeting", "czNjcmV0LWdyZWV0aW5n"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{} holds {needle}",
                path.display()
            );
        }
    }
    deployment.runtime.block_on(deployment.engine.destroy(&project));
}

#[test]
fn handler_errors_timeouts_and_headers_reach_the_client_and_the_log() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";

const api = new unfold.HttpApi("api");
api.route("GET", "/fail", async () => {
    throw new Error("the handler broke");
});
const slow = new unfold.Function("slow", async () => {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return { body: "late" };
}, { timeout: 1 });
api.route("GET", "/slow", slow);
api.route("GET", "/headers", async (req) => ({
    status: 202,
    headers: { "X-Answer": "42" },
    body: `${req.query.q ?? ""} ${req.headers["x-asked"] ?? ""}`,
}));
export const url = api.url;
"#,
    );
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();

    assert_eq!(http("GET", &format!("{url}/fail"), "", "").unwrap().status, 500);
    let log = std::fs::read_to_string(deployment.local().join("server.log")).unwrap();
    let failure = log
        .lines()
        .find(|line| line.contains("the handler broke"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(
        log.contains("index.ts:5:"),
        "the error is logged with its .ts location:\n{failure}\n{log}"
    );

    let slow = http("GET", &format!("{url}/slow"), "", "").unwrap();
    assert_eq!(slow.status, 504, "{}", slow.body);

    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut reply =
        agent.get(format!("{url}/headers?q=why")).header("X-Asked", "me").call().unwrap();
    assert_eq!(reply.status().as_u16(), 202);
    assert_eq!(reply.headers().get("x-answer").and_then(|v| v.to_str().ok()), Some("42"));
    assert_eq!(reply.body_mut().read_to_string().unwrap(), "why me");
    deployment.run("destroy");
}

/// CPU time (user + system, in clock ticks) the process has used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn a_runaway_handler_is_stopped_at_its_timeout_and_others_keep_serving() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";

const api = new unfold.HttpApi("api");
let calls = 0;
const spin = new unfold.Function("spin", async () => {
    calls++;
    while (true) {}
}, { timeout: 1 });
api.route("GET", "/spin", spin);
api.route("GET", "/calls", async () => ({ body: { calls } }));
export const url = api.url;
"#,
    );
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let pid = deployment.server_pid();

    for attempt in 0..2 {
        let started = Instant::now();
        let reply = http("GET", &format!("{url}/spin"), "", "").unwrap();
        assert_eq!(reply.status, 504, "{}", reply.body);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "answered after {:?}",
            started.elapsed()
        );
        // The loop was stopped: the server's CPU falls back to idle.
        std::thread::sleep(Duration::from_millis(300));
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_secs(1));
        let busy = cpu_ticks(pid) - before;
        assert!(busy < 30, "attempt {attempt}: the server used {busy} ticks in an idle second");
        // Another Function answers meanwhile, and the next call runs a fresh instance.
        let calls = http("GET", &format!("{url}/calls"), "", "").unwrap();
        assert_eq!(calls.status, 200, "{}", calls.body);
    }
    let log = std::fs::read_to_string(deployment.local().join("server.log")).unwrap();
    assert_eq!(log.matches("its isolate was terminated").count(), 2, "{log}");
    deployment.run("destroy");
}

/// Resident memory of the process, in bytes.
#[test]
fn a_handler_past_its_memory_gets_500_and_the_memory_comes_back() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";

const api = new unfold.HttpApi("api");
const hog = new unfold.Function("hog", async () => {
    const kept: number[][] = [];
    while (true) { kept.push(new Array(100_000).fill(kept.length)); }
}, { memory: 96 });
api.route("GET", "/hog", hog);
api.route("GET", "/ok", async () => ({ body: "fine" }));
export const url = api.url;
"#,
    );
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let pid = deployment.server_pid();
    // Baseline: the server with the other Function warmed up.
    assert_eq!(http("GET", &format!("{url}/ok"), "", "").unwrap().status, 200);
    let baseline = rss_bytes(pid);
    for attempt in 0..2 {
        let reply = http("GET", &format!("{url}/hog"), "", "").unwrap();
        assert_eq!(reply.status, 500, "attempt {attempt}: {}", reply.body);
        assert!(!reply.body.contains("memory"), "the client is told nothing of the cause");
    }
    std::thread::sleep(Duration::from_millis(500));
    let after = rss_bytes(pid);
    assert!(
        after < baseline + (64 << 20),
        "the server kept {} MB after two out-of-memory handlers (baseline {} MB)",
        after >> 20,
        baseline >> 20
    );
    assert_eq!(http("GET", &format!("{url}/ok"), "", "").unwrap().status, 200);
    let log = std::fs::read_to_string(deployment.local().join("server.log")).unwrap();
    assert_eq!(log.matches("used more than its 96 MB of memory").count(), 2, "{log}");
    deployment.run("destroy");
}

#[test]
fn a_server_killed_between_deployments_is_back_after_the_next_one() {
    let deployment = Deployment::new();
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let pid = nix::unistd::Pid::from_raw(deployment.server_pid() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(http("GET", &format!("{url}/messages/m1"), "", "").is_err(), "nothing answers");
    // Nothing changed in the program: the deployment finds the server gone and starts it.
    let report = deployment.run("up");
    assert!(
        report.steps.iter().all(|step| step.op == unfold_engine::StepOp::Same),
        "{:?}",
        report.steps
    );
    let reply = http("GET", &format!("{url}/messages/m1"), "", "").unwrap();
    assert_eq!(reply.status, 404, "the same URL answers again: {}", reply.body);
    deployment.run("destroy");
}

/// Writers post messages as fast as they can while the server is killed with
/// SIGKILL: every write the server acknowledged is there once it is back
/// (tables commit with `synchronous=FULL` before answering), and no writer
/// was ever turned away because another held the database.
#[test]
fn acknowledged_writes_survive_kill_9_under_load() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let deployment = Deployment::new();
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let refused = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (url, stop) = (url.clone(), stop.clone());
            let (acknowledged, refused) = (acknowledged.clone(), refused.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let id = format!("w{writer}-{n}");
                    let body = format!(r#"{{"id":"{id}","text":"written by {writer}"}}"#);
                    match http("POST", &format!("{url}/messages"), "application/json", &body) {
                        Ok(reply) if reply.status == 201 => acknowledged.lock().unwrap().push(id),
                        Ok(reply) => refused.lock().unwrap().push((reply.status, reply.body)),
                        // The server is gone: this write was never acknowledged.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let pid = nix::unistd::Pid::from_raw(deployment.server_pid() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL).unwrap();
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 20, "the writers got going: {}", acknowledged.len());
    assert_eq!(
        refused.lock().unwrap().clone(),
        Vec::<(u16, String)>::new(),
        "no write was refused"
    );

    deployment.run("up");
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| http("GET", &format!("{url}/messages/{id}"), "", "").unwrap().status != 200)
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
    deployment.run("destroy");
}

#[test]
fn slow_and_many_clients_do_not_stop_others_being_served() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let deployment = Deployment::new();
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    let authority = url.trim_start_matches("http://").split('/').next().unwrap().to_string();
    let answered = || http("GET", &format!("{url}/messages/none"), "", "").unwrap().status;

    // Slowloris: connections that never finish their headers.
    let started = Instant::now();
    let mut slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut stream = TcpStream::connect(&authority).unwrap();
            write!(stream, "GET /api/messages/x HTTP/1.1\r\nHost: {authority}\r\nX-Slow: ")
                .unwrap();
            stream
        })
        .collect();
    assert_eq!(answered(), 404, "others are served meanwhile");
    // They are cut off once the header-read timeout (10 s) passes.
    for stream in &mut slow {
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    }
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(15), "slow clients were held for {waited:?}");

    // Beyond the connection cap, a client is told the server is busy.
    let held: Vec<TcpStream> = (0..256).map(|_| TcpStream::connect(&authority).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = TcpStream::connect(&authority).unwrap();
    extra.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut reply = String::new();
    let _ = extra.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(answered(), 404, "served again once the others left");
    deployment.run("destroy");
}

#[test]
fn a_slow_request_does_not_hold_up_the_next_one_of_the_same_function() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";

const api = new unfold.HttpApi("api");
api.route("GET", "/work", async (req) => {
    // Busy, not waiting: an isolate doing this serves nothing else meanwhile.
    const until = Date.now() + Number(req.query.ms ?? "0");
    while (Date.now() < until) {}
    return { body: req.query.ms ?? "0" };
});
export const url = api.url;
"#,
    );
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    assert_eq!(http("GET", &format!("{url}/work"), "", "").unwrap().status, 200, "warm");
    let slow_url = format!("{url}/work?ms=4000");
    let slow = std::thread::spawn(move || {
        let reply = http("GET", &slow_url, "", "").unwrap();
        (reply.status, Instant::now())
    });
    std::thread::sleep(Duration::from_millis(300));
    let fast = http("GET", &format!("{url}/work?ms=1"), "", "").unwrap();
    let fast_done = Instant::now();
    assert_eq!(fast.status, 200, "{}", fast.body);
    let (slow_status, slow_done) = slow.join().unwrap();
    assert_eq!(slow_status, 200);
    assert!(fast_done < slow_done, "the fast request waited for the slow one");
    let log = std::fs::read_to_string(deployment.local().join("server.log")).unwrap();
    assert!(log.contains("starting instance 2"), "{log}");
    deployment.run("destroy");
}
