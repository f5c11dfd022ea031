//! Lambda's Invoke API for several functions at once, as Lambda itself routes
//! an invocation by the function's name: `POST /2015-03-31/functions/<name>/
//! invocations` goes on to the emulator running `<name>` (see
//! `lambda_emulator`, one per function). A function that calls another unit
//! of its stack reaches it through here, its `AWS_ENDPOINT_URL_LAMBDA`.
//! Listens on loopback; stops when dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::json;

use crate::http::http;

pub struct LambdaRouter {
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LambdaRouter {
    /// Routes each Lambda function name to the Invoke URL of its emulator.
    pub fn start(functions: HashMap<String, String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let functions = functions.clone();
                        // A call may lead to another through here: each is served on its own.
                        std::thread::spawn(move || serve(stream, &functions));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self { url, stop, thread: Some(thread) }
    }

    /// What `AWS_ENDPOINT_URL_LAMBDA` is set to.
    pub fn url(&self) -> &str {
        &self.url
    }
}

fn serve(stream: TcpStream, functions: &HashMap<String, String>) {
    stream.set_nonblocking(false).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let path = request_line.split(' ').nth(1).unwrap_or_default();
    let name = path
        .strip_prefix("/2015-03-31/functions/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    let (status, error_type, answer) = match functions.get(name) {
        Some(invoke_url) => {
            match http("POST", invoke_url, "application/json", &String::from_utf8_lossy(&body)) {
                Ok(reply) => (reply.status, None, reply.body),
                Err(error) => {
                    (502, Some("ServiceException"), json!({"message": error}).to_string())
                }
            }
        }
        None => (
            404,
            Some("ResourceNotFoundException"),
            json!({"Type": "User", "message": format!("Function not found: {name}")}).to_string(),
        ),
    };
    let error_header =
        error_type.map(|kind| format!("x-amzn-errortype: {kind}\r\n")).unwrap_or_default();
    let response = format!(
        "HTTP/1.1 {status} Answered\r\ncontent-type: application/json\r\n{error_header}content-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes());
}

impl Drop for LambdaRouter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
