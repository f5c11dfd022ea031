//! The server's log: lines on stdout, which the provider appends to
//! `server.log`. Each line carries a UTC timestamp and, where one applies, the
//! function's name.

/// Writes `message`, one line per line, each prefixed with `scope` if given.
pub(crate) fn line(scope: Option<&str>, message: &str) {
    let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    let mut text = String::new();
    for part in message.lines() {
        match scope {
            Some(scope) => text.push_str(&format!("{time} [{scope}] {part}\n")),
            None => text.push_str(&format!("{time} {part}\n")),
        }
    }
    if text.is_empty() {
        return;
    }
    // One write per message, so lines from concurrent functions do not interleave.
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

pub(crate) fn server(message: &str) {
    line(None, message);
}
