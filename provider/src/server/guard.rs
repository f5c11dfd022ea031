//! Who may reach the local server: the user's own tools on this machine, not
//! a web page the user happens to visit. Listening on 127.0.0.1 keeps other
//! machines out, but a browser on this one will send a page's requests to
//! loopback too:
//!
//! - DNS rebinding points a hostile name at 127.0.0.1, so the browser sends
//!   `Host: evil.example`: a request must be addressed to the loopback address
//!   and this server's port (or carry no Host at all, which no browser does).
//! - A cross-site form or `fetch` with a "simple" content type is sent without
//!   a CORS preflight: a state-changing request that a browser marks as coming
//!   from another origin (`Origin`, `Sec-Fetch-Site`) is refused.
//!
//! Reads (GET, HEAD, OPTIONS) from other origins are answered: the browser
//! withholds the response from the page, as the same-origin policy says.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

use super::Server;
use super::routes::json_response;

/// The names loopback goes by, as a browser or a tool writes them in `Host`.
const LOOPBACK_NAMES: &[&str] = &["127.0.0.1", "localhost", "[::1]"];

pub(crate) async fn guard(
    State(server): State<Arc<Server>>,
    request: Request,
    next: Next,
) -> Response {
    let port = server.port;
    if let Some(refusal) = refusal(request.method(), request.headers(), port) {
        return json_response(StatusCode::FORBIDDEN, json!({ "error": refusal }));
    }
    next.run(request).await
}

/// Why a request is refused, if it is.
fn refusal(method: &Method, headers: &HeaderMap, port: u16) -> Option<String> {
    if let Some(host) = headers.get(HOST) {
        let host = host.to_str().unwrap_or_default();
        if !is_loopback_authority(host, port) {
            return Some(format!(
                "this server answers requests addressed to 127.0.0.1:{port} or localhost:{port}, not '{host}'"
            ));
        }
    }
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|site| site == "cross-site" || site == "same-site");
    let foreign_origin = headers.get(ORIGIN).is_some_and(|origin| {
        let origin = origin.to_str().unwrap_or_default();
        !origin
            .strip_prefix("http://")
            .is_some_and(|authority| is_loopback_authority(authority, port))
    });
    (cross_site || foreign_origin).then(|| {
        let origin = headers.get(ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("another site");
        format!(
            "{method} from a web page of {origin} is refused: the local server takes changes only from this machine's tools, not from other origins"
        )
    })
}

fn is_loopback_authority(authority: &str, port: u16) -> bool {
    LOOPBACK_NAMES.iter().any(|name| {
        authority
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|given| given.parse::<u16>() == Ok(port))
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn loopback_hosts_with_our_port_are_answered() {
        for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"] {
            assert_eq!(refusal(&Method::POST, &headers(&[("host", host)]), 8080), None, "{host}");
        }
        assert_eq!(refusal(&Method::GET, &HeaderMap::new(), 8080), None, "tools may omit Host");
    }

    #[test]
    fn other_hosts_and_ports_are_refused() {
        for host in [
            "evil.example",
            "evil.example:8080",
            "127.0.0.1:9090",
            "127.0.0.1",
            "localhost.evil:8080",
        ] {
            let refused = refusal(&Method::GET, &headers(&[("host", host)]), 8080);
            assert!(refused.is_some_and(|r| r.contains(host)), "{host}");
        }
    }

    #[test]
    fn changes_from_other_origins_are_refused_and_reads_answered() {
        let from = |origin: &str| headers(&[("host", "127.0.0.1:8080"), ("origin", origin)]);
        assert!(refusal(&Method::POST, &from("https://evil.example"), 8080).is_some());
        assert!(refusal(&Method::DELETE, &from("null"), 8080).is_some());
        assert!(refusal(&Method::PUT, &from("http://127.0.0.1:9090"), 8080).is_some());
        assert_eq!(refusal(&Method::POST, &from("http://127.0.0.1:8080"), 8080), None);
        assert_eq!(refusal(&Method::GET, &from("https://evil.example"), 8080), None);
        let site = headers(&[("host", "127.0.0.1:8080"), ("sec-fetch-site", "cross-site")]);
        assert!(refusal(&Method::POST, &site, 8080).is_some());
    }
}
