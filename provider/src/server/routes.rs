//! Requests to the stack's APIs: `/<api>/<path…>` is matched against the
//! API's routes and handed to the route's Function. Whatever a request holds,
//! it gets an answer and the server keeps serving.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Value, json};
use unfold_function_runtime::function::{HttpRequest, InvokeError};

use super::{Server, log};
use crate::route::Match;

/// The largest request body a Function is given.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

pub(crate) fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, json!({"error": message.into()}))
}

/// `/<api>/<rest>` → (`api`, `/<rest>`).
pub(crate) fn split_api(path: &str) -> (&str, String) {
    let trimmed = path.trim_start_matches('/');
    match trimmed.split_once('/') {
        Some((api, rest)) => (api, format!("/{rest}")),
        None => (trimmed, "/".to_string()),
    }
}

fn too_large() -> Response {
    let mut response = error(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request body is larger than {MAX_BODY} bytes"),
    );
    // The rest of the body is not read, so the connection cannot be reused.
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

pub(crate) async fn serve(State(server): State<Arc<Server>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let (api_name, path) = split_api(parts.uri.path());
    let config = server.config();
    let Some(api) = config.apis.get(api_name) else {
        return error(StatusCode::NOT_FOUND, format!("no API named '{api_name}'"));
    };
    let (route, params) = match api.find(parts.method.as_str(), &path) {
        Match::Found { route, params } => (route.clone(), params),
        Match::MethodNotAllowed(allowed) => {
            let mut response = error(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{} is not allowed on {path}; use {}", parts.method, allowed.join(", ")),
            );
            if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert("allow", value);
            }
            return response;
        }
        Match::NotFound => {
            return error(
                StatusCode::NOT_FOUND,
                format!("no route for {} {path} in API '{api_name}'", parts.method),
            );
        }
    };

    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY) {
        return too_large();
    }
    let bytes = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(problem) if problem.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Err(problem) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body: {problem}"),
            );
        }
    };
    let Ok(body) = String::from_utf8(bytes.to_vec()) else {
        return error(StatusCode::BAD_REQUEST, "the request body is not UTF-8 text");
    };
    let query = parts
        .uri
        .query()
        .map(|query| url::form_urlencoded::parse(query.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let mut invocation = HttpRequest {
        method: parts.method.to_string(),
        path,
        params,
        query,
        body,
        ..Default::default()
    };
    for (name, value) in &parts.headers {
        invocation
            .add_header(name.as_str(), String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    if let Some(problem) = invocation.invalid_json() {
        return error(StatusCode::BAD_REQUEST, problem);
    }

    let Some(function) = config.functions.get(&route.function) else {
        log::line(
            Some(&route.function),
            &format!(
                "{} {}{}: the function is not deployed",
                parts.method, api_name, invocation.path
            ),
        );
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("function '{}' is not available", route.function),
        );
    };
    match function.invoke(&server, invocation).await {
        Ok(answer) => respond(&route.function, answer),
        Err(InvokeError::Timeout(_)) => error(
            StatusCode::GATEWAY_TIMEOUT,
            format!("function '{}' did not answer in time", route.function),
        ),
        Err(InvokeError::Stopped(_)) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("function '{}' is not available", route.function),
        ),
        Err(InvokeError::Handler(_) | InvokeError::OutOfMemory(_)) => {
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// A handler's answer as an HTTP response; what HTTP cannot carry is logged and left out.
fn respond(function: &str, answer: unfold_function_runtime::function::HttpResponse) -> Response {
    let Ok(status) = StatusCode::from_u16(answer.status) else {
        log::line(Some(function), &format!("answered with an invalid status {}", answer.status));
        return error(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
    };
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = status;
    for (name, value) in answer.headers {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            (Ok(name), Ok(value)) => {
                response.headers_mut().append(name, value);
            }
            _ => {
                log::line(Some(function), &format!("left out an invalid response header '{name}'"))
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_segment_names_the_api() {
        assert_eq!(split_api("/shop/items/7"), ("shop", "/items/7".to_string()));
        assert_eq!(split_api("/shop"), ("shop", "/".to_string()));
        assert_eq!(split_api("/shop/"), ("shop", "/".to_string()));
    }
}
