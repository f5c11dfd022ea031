//! A debugger's side of the V8 inspector protocol, over a WebSocket, as
//! Chrome DevTools or VS Code speak it to `unfold replay --inspect` and
//! `unfold dev --inspect`.

use std::time::Duration;

use serde_json::{Value, json};

/// A debugger's side of the inspector protocol, over a WebSocket.
pub struct Debugger {
    socket: tungstenite::WebSocket<std::net::TcpStream>,
    next_id: u64,
    /// Notifications read while waiting for a reply.
    events: Vec<Value>,
}

impl Debugger {
    pub fn connect(url: &str) -> Self {
        let address = url.trim_start_matches("ws://").split('/').next().unwrap();
        let stream = std::net::TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let (socket, _) = tungstenite::client(url, stream).unwrap();
        Self { socket, next_id: 1, events: Vec::new() }
    }

    fn read(&mut self) -> Value {
        loop {
            match self.socket.read().expect("the inspector answers") {
                tungstenite::Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                tungstenite::Message::Close(_) => panic!("the inspector closed the connection"),
                _ => {}
            }
        }
    }

    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket.send(tungstenite::Message::Text(message.into())).unwrap();
        loop {
            let message = self.read();
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.events.push(message);
        }
    }

    pub fn send(&mut self, method: &str) {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"id": id, "method": method}).to_string();
        self.socket.send(tungstenite::Message::Text(message.into())).unwrap();
    }

    /// The next notification named `method` (seen already, or read now).
    pub fn event(&mut self, method: &str) -> Value {
        if let Some(index) = self.events.iter().position(|event| event["method"] == method) {
            return self.events.remove(index);
        }
        loop {
            let message = self.read();
            if message["method"] == method {
                return message;
            }
            self.events.push(message);
        }
    }
}
