//! The control endpoints under `/.unfold/`: health for anyone on loopback;
//! reload, stop and inspect only with the token from `server.json` (0600), so only
//! the stack's owner can drive the server. Health answers a challenge with a
//! proof that it holds the token, without sending it: the provider trusts a
//! server on the stack's port only once it has proved to be the stack's own.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use super::Server;
use super::routes::json_response;
use crate::client::TOKEN_HEADER;

fn authorized(server: &Server, headers: &HeaderMap) -> bool {
    let given = headers.get(TOKEN_HEADER).map(|value| value.as_bytes()).unwrap_or_default();
    let expected = server.token.as_bytes();
    // Compared in constant time: the token is the only thing guarding control.
    given.len() == expected.len()
        && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn forbidden() -> Response {
    json_response(
        StatusCode::FORBIDDEN,
        json!({"error": format!("missing or wrong {TOKEN_HEADER}")}),
    )
}

/// `GET /.unfold/health[?challenge=<hex>]`.
pub(crate) async fn health(State(server): State<Arc<Server>>, uri: Uri) -> Response {
    let challenge = uri
        .query()
        .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix("challenge=")));
    let proof = challenge.map(|challenge| crate::client::proof(&server.token, challenge));
    json_response(StatusCode::OK, json!({"ok": true, "pid": std::process::id(), "proof": proof}))
}

pub(crate) async fn reload(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    if !authorized(&server, &headers) {
        return forbidden();
    }
    server.reload().await;
    json_response(StatusCode::OK, json!({"ok": true}))
}

pub(crate) async fn stop(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    if !authorized(&server, &headers) {
        return forbidden();
    }
    server.request_stop();
    json_response(StatusCode::OK, json!({"ok": true}))
}

/// `POST /.unfold/inspect?address=<host:port>` serves the inspector there
/// (see `inspector`); without `address`, stops serving it. Instances idle
/// when it starts are retired, so the next request starts one that is listed.
pub(crate) async fn inspect(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if !authorized(&server, &headers) {
        return forbidden();
    }
    let given = uri
        .query()
        .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix("address=")));
    let address = match given.map(str::parse::<std::net::SocketAddr>).transpose() {
        Ok(address) => address,
        Err(error) => {
            let message = format!("address must be host:port, like 127.0.0.1:9229 ({error})");
            return json_response(StatusCode::BAD_REQUEST, json!({"error": message}));
        }
    };
    match server.inspector.serve(address) {
        Ok(Some((bound, started))) => {
            if started {
                for slot in server.config().functions.values() {
                    slot.retire_idle().await;
                }
            }
            json_response(StatusCode::OK, json!({"address": bound.to_string()}))
        }
        Ok(None) => json_response(StatusCode::OK, json!({"address": null})),
        Err(error) => json_response(StatusCode::CONFLICT, json!({"error": error})),
    }
}
