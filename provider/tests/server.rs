//! The local server over HTTP, started as the provider starts it
//! (`pulumi-resource-unfold serve --state <dir>`) on a state directory laid
//! out by hand: bad requests get clear answers and never bring it down.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{EXE, Reaped, alive, http, server_info, wait_until};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::json;
use unfold_provider::state::ServerInfo;

/// A state directory with API `shop`: its routes lead to a Function whose
/// bundle cannot start (`broken`) and to one never deployed (`absent`).
fn lay_out(state: &Path) {
    std::fs::create_dir_all(state.join("apis")).unwrap();
    std::fs::create_dir_all(state.join("functions/broken")).unwrap();
    let api = json!({"name": "shop", "routes": [
        {"method": "GET", "path": "/items/{id}", "function": "broken"},
        {"method": "POST", "path": "/items", "function": "broken"},
        {"method": "GET", "path": "/missing", "function": "absent"},
    ]});
    std::fs::write(state.join("apis/shop.json"), api.to_string()).unwrap();
    let code = state.join("functions/broken/00.bundle");
    std::fs::write(&code, b"this is not a bundle").unwrap();
    let function = json!({"bundle": "00", "codePath": code, "timeout": 1, "memory": 128, "environment": {}, "secrets": []});
    std::fs::write(state.join("functions/broken/function.json"), function.to_string()).unwrap();
}

/// Starts the server on `state` and waits for it to record itself.
fn start(state: &Path) -> (Reaped, ServerInfo) {
    let log = std::fs::File::create(state.join("server.log")).unwrap();
    let child = Command::new(EXE)
        .args(["serve", "--state"])
        .arg(state)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let pid = child.id();
    let child = Reaped(child);
    wait_until("the server records itself", Duration::from_secs(30), || {
        server_info(state).is_some_and(|info| info.pid == pid)
    });
    let info = server_info(state).unwrap();
    wait_until("the server answers", Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", info.port)).is_ok()
    });
    (child, info)
}

fn log(state: &Path) -> String {
    std::fs::read_to_string(state.join("server.log")).unwrap_or_default()
}

#[test]
fn bad_requests_get_clear_answers_and_the_server_keeps_serving() {
    let temporary = tempfile::tempdir().unwrap();
    let state = temporary.path();
    lay_out(state);
    let (mut server, info) = start(state);
    let port = info.port;

    let reply = http(port, "GET", "/nowhere/items/1", &[], b"");
    assert_eq!(reply.status, 404);
    assert!(
        reply.json()["error"].as_str().unwrap().contains("no API named 'nowhere'"),
        "{}",
        reply.body
    );
    let reply = http(port, "GET", "/shop/other", &[], b"");
    assert_eq!(reply.status, 404);
    assert!(
        reply.json()["error"].as_str().unwrap().contains("no route for GET /other"),
        "{}",
        reply.body
    );

    let reply = http(port, "DELETE", "/shop/items/7", &[], b"");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET"));

    let large = vec![b'x'; 1024 * 1024 + 1];
    assert_eq!(http(port, "POST", "/shop/items", &[], &large).status, 413);
    let reply =
        http(port, "POST", "/shop/items", &[("content-type", "application/json")], b"{\"a\": ");
    assert_eq!(reply.status, 400);
    assert!(
        reply.json()["error"].as_str().unwrap().contains("not valid JSON: EOF while parsing"),
        "{}",
        reply.body
    );
    let reply = http(port, "POST", "/shop/items", &[], &[0xff, 0xfe, 0x00]);
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].as_str().unwrap().contains("not UTF-8"), "{}", reply.body);

    // A Function that cannot start answers 503, every time, and says why in the log.
    for _ in 0..2 {
        let reply = http(
            port,
            "POST",
            "/shop/items",
            &[("content-type", "application/json; charset=utf-8")],
            b"{\"a\": 1}",
        );
        assert_eq!(reply.status, 503, "{}", reply.body);
        assert_eq!(reply.json(), json!({"error": "function 'broken' is not available"}));
    }
    assert_eq!(http(port, "GET", "/shop/missing?x=1", &[], b"").status, 503);
    let written = log(state);
    assert!(written.contains("[broken] cannot start"), "{written}");
    assert!(written.contains("[absent]"), "{written}");

    // Control needs the token; health does not.
    assert_eq!(http(port, "POST", "/.unfold/reload", &[], b"").status, 403);
    assert_eq!(
        http(port, "POST", "/.unfold/stop", &[("x-unfold-token", "wrong")], b"").status,
        403
    );
    assert_eq!(http(port, "GET", "/.unfold/health", &[], b"").json()["pid"], info.pid);

    // A reload answers once the new routes are served.
    std::fs::remove_file(state.join("apis/shop.json")).unwrap();
    assert_eq!(
        http(port, "POST", "/.unfold/reload", &[("x-unfold-token", &info.token)], b"").status,
        200
    );
    assert_eq!(http(port, "GET", "/shop/items/1", &[], b"").status, 404);

    assert!(server.0.try_wait().unwrap().is_none(), "the server is still running");
    assert_eq!(
        http(port, "POST", "/.unfold/stop", &[("x-unfold-token", &info.token)], b"").status,
        200
    );
    let status = server.0.wait().unwrap();
    assert!(status.success(), "a stop request exits cleanly: {status}");
    assert!(log(state).contains("stopped"));
}

#[test]
fn sigterm_stops_the_server_and_a_restart_keeps_the_port() {
    let temporary = tempfile::tempdir().unwrap();
    let state = temporary.path();
    lay_out(state);
    let (mut first, info) = start(state);
    kill(Pid::from_raw(info.pid as i32), Signal::SIGTERM).unwrap();
    assert!(first.0.wait().unwrap().success(), "SIGTERM exits cleanly");
    assert!(!alive(info.pid));

    let (mut second, again) = start(state);
    assert_eq!(again.port, info.port, "the port recorded in server.json is reused");
    assert_ne!(again.token, info.token);
    assert_eq!(
        http(again.port, "DELETE", "/shop/items/1", &[], b"").status,
        405,
        "routes are read from the state directory"
    );
    kill(Pid::from_raw(again.pid as i32), Signal::SIGINT).unwrap();
    assert!(second.0.wait().unwrap().success(), "SIGINT exits cleanly");
}
