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
//!
//! An API that declares CORS (`api.cors({allowOrigins})`) takes requests from
//! the origins it names: they pass, their responses carry
//! `Access-Control-Allow-Origin`, and their preflights are answered here.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD, HOST, ORIGIN, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Server;
use super::routes::{json_response, split_api};
use crate::cors::Cors;
use crate::route::Match;

/// The names loopback goes by, as a browser or a tool writes them in `Host`.
const LOOPBACK_NAMES: &[&str] = &["127.0.0.1", "localhost", "[::1]"];

pub(crate) async fn guard(
    State(server): State<Arc<Server>>,
    request: Request,
    next: Next,
) -> Response {
    let port = server.port;
    if let Some(refusal) = host_refusal(request.headers(), port) {
        return json_response(StatusCode::FORBIDDEN, json!({ "error": refusal }));
    }
    let declared = foreign_origin(request.headers(), port).and_then(|origin| {
        let (api, _) = split_api(request.uri().path());
        let cors = server.config().cors.get(api).filter(|cors| cors.allows(&origin)).cloned()?;
        Some((origin, cors))
    });
    let Some((origin, cors)) = declared else {
        if let Some(refusal) = origin_refusal(request.method(), request.headers(), port) {
            return json_response(StatusCode::FORBIDDEN, json!({ "error": refusal }));
        }
        return next.run(request).await;
    };
    let mut response = match request.headers().get(ACCESS_CONTROL_REQUEST_METHOD) {
        Some(asked) if request.method() == Method::OPTIONS => {
            preflight(&server, request.uri().path(), asked.to_str().unwrap_or_default(), &cors)
        }
        _ => next.run(request).await,
    };
    let headers = response.headers_mut();
    if let Ok(origin) = HeaderValue::from_str(&origin) {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    headers.append(VARY, HeaderValue::from_static("origin"));
    response
}

/// The answer to a CORS preflight for `path`: the methods its routes take,
/// the headers the API allows, and how long the browser may keep that.
fn preflight(server: &Server, path: &str, asked: &str, cors: &Cors) -> Response {
    let (api, path) = split_api(path);
    let config = server.config();
    let methods = match config.apis.get(api).map(|router| router.find(asked, &path)) {
        Some(Match::Found { .. }) => vec![asked.to_string()],
        Some(Match::MethodNotAllowed(allowed)) => allowed,
        Some(Match::NotFound) | None => {
            return json_response(
                StatusCode::NOT_FOUND,
                json!({ "error": format!("no route for {path} in API '{api}'") }),
            );
        }
    };
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    let mut set = |name, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(ACCESS_CONTROL_ALLOW_METHODS, methods.join(", "));
    set(ACCESS_CONTROL_ALLOW_HEADERS, cors.allowed_headers().join(", "));
    if let Some(seconds) = cors.max_age {
        set(ACCESS_CONTROL_MAX_AGE, seconds.to_string());
    }
    response
}

/// Why a request is refused for whom it is addressed to, if it is.
fn host_refusal(headers: &HeaderMap, port: u16) -> Option<String> {
    let host = headers.get(HOST)?.to_str().unwrap_or_default();
    (!is_loopback_authority(host, port)).then(|| {
        format!(
            "this server answers requests addressed to 127.0.0.1:{port} or localhost:{port}, not '{host}'"
        )
    })
}

/// The request's `Origin`, if it is a web page's other than this server's own.
fn foreign_origin(headers: &HeaderMap, port: u16) -> Option<String> {
    let origin = headers.get(ORIGIN)?.to_str().unwrap_or_default();
    let own = origin
        .strip_prefix("http://")
        .is_some_and(|authority| is_loopback_authority(authority, port));
    (!own).then(|| origin.to_string())
}

/// Why a state-changing request from a web page is refused, if it is.
fn origin_refusal(method: &Method, headers: &HeaderMap, port: u16) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|site| site == "cross-site" || site == "same-site");
    (cross_site || foreign_origin(headers, port).is_some()).then(|| {
        let origin = headers.get(ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("another site");
        format!(
            "{method} from a web page of {origin} is refused: the local server takes changes only from this machine's tools, not from other origins (an API that web pages may call declares them: api.cors({{allowOrigins: [...]}}))"
        )
    })
}

/// Why a request is refused when its API declares no CORS, if it is.
#[cfg(test)]
fn refusal(method: &Method, headers: &HeaderMap, port: u16) -> Option<String> {
    host_refusal(headers, port).or_else(|| origin_refusal(method, headers, port))
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
