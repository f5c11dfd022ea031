//! Lambda events as a handler sees requests, and its answers as Lambda
//! returns them: API Gateway HTTP API events (payload 2.0); calls from the
//! stack's other units (see `lambda_layout::UNIT_CALL`), which carry the
//! request whole and get the unit's own answer back; and other direct
//! invocations, whose payload reaches the handler as the JSON body of a
//! `POST /` and whose result is the answer in API Gateway's shape. Requests
//! are checked as the local target's server checks them, so a handler
//! answers the same on both targets.

use std::collections::BTreeMap;

use aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::encodings::Body;
use base64::Engine;
use http::{HeaderName, HeaderValue};
use serde_json::{Value, json};
use unfold_function_runtime::function::{HttpRequest, HttpResponse, InvokeError};
use unfold_function_runtime::lambda_layout::UNIT_CALL;

/// What an event asks of the handler, or the answer it gets without one.
pub enum Incoming {
    Request(HttpRequest),
    /// A call from another unit of the stack, answered with the unit's result.
    UnitCall(HttpRequest),
    Answer(HttpResponse),
}

fn error(status: u16, message: impl Into<String>) -> HttpResponse {
    HttpResponse {
        status,
        headers: BTreeMap::from([("content-type".into(), "application/json".into())]),
        body: json!({ "error": message.into() }).to_string(),
    }
}

/// The request an event stands for.
pub fn incoming(mut event: Value) -> Incoming {
    if let Some(call) = event.get_mut(UNIT_CALL).map(Value::take) {
        return match serde_json::from_value(call) {
            Ok(request) => Incoming::UnitCall(request),
            Err(problem) => Incoming::Answer(error(400, format!("not a unit's call: {problem}"))),
        };
    }
    let from_api_gateway = event.pointer("/requestContext/http").is_some();
    if !from_api_gateway {
        return Incoming::Request(HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            headers: BTreeMap::from([("content-type".into(), "application/json".into())]),
            body: event.to_string(),
            ..Default::default()
        });
    }
    let event: ApiGatewayV2httpRequest = match serde_json::from_value(event) {
        Ok(event) => event,
        Err(problem) => {
            return Incoming::Answer(error(400, format!("not an API Gateway event: {problem}")));
        }
    };
    let body = match (event.body, event.is_base64_encoded) {
        (None, _) => String::new(),
        (Some(text), false) => text,
        (Some(encoded), true) => {
            match base64::engine::general_purpose::STANDARD.decode(encoded).map(String::from_utf8) {
                Ok(Ok(text)) => text,
                _ => return Incoming::Answer(error(400, "the request body is not UTF-8 text")),
            }
        }
    };
    let query = event
        .raw_query_string
        .as_deref()
        .map(|query| url::form_urlencoded::parse(query.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let mut request = HttpRequest {
        method: event.request_context.http.method.to_string(),
        path: event.raw_path.unwrap_or_else(|| "/".into()),
        params: event.path_parameters.into_iter().collect(),
        query,
        body,
        ..Default::default()
    };
    for (name, value) in &event.headers {
        request.add_header(name.as_str(), String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    // Payload 2.0 moves cookies out of the headers.
    if let Some(cookies) = event.cookies.as_ref().filter(|cookies| !cookies.is_empty()) {
        request.add_header("cookie", cookies.join("; "));
    }
    match request.invalid_json() {
        Some(problem) => Incoming::Answer(error(400, problem)),
        None => Incoming::Request(request),
    }
}

/// What the handler's failure answers, as the local server answers it.
pub fn failure(function: &str, failed: &InvokeError) -> HttpResponse {
    match failed {
        InvokeError::Handler(_) | InvokeError::OutOfMemory(_) => error(500, "internal error"),
        InvokeError::Timeout(_) => {
            error(504, format!("function '{function}' did not answer in time"))
        }
        InvokeError::Stopped(_) => error(503, format!("function '{function}' is not available")),
    }
}

/// The answer as API Gateway (payload 2.0) takes it.
pub fn outgoing(function: &str, answer: HttpResponse) -> ApiGatewayV2httpResponse {
    let mut response = ApiGatewayV2httpResponse::default();
    if !(100..=599).contains(&answer.status) {
        eprintln!("[{function}] answered with an invalid status {}", answer.status);
        return outgoing(function, error(500, "internal error"));
    }
    response.status_code = i64::from(answer.status);
    for (name, value) in answer.headers {
        if name.eq_ignore_ascii_case("set-cookie") {
            response.cookies.push(value);
            continue;
        }
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            (Ok(name), Ok(value)) => {
                response.headers.append(name, value);
            }
            _ => eprintln!("[{function}] left out an invalid response header '{name}'"),
        }
    }
    response.body = Some(Body::Text(answer.body));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_event(method: &str, path: &str, body: Option<&str>) -> Value {
        json!({
            "version": "2.0",
            "routeKey": format!("{method} /messages/{{id}}"),
            "rawPath": path,
            "rawQueryString": "page=2&q=a%20b",
            "cookies": ["a=1", "b=2"],
            "headers": {"content-type": "application/json", "x-thing": "yes"},
            "pathParameters": {"id": "m1"},
            "requestContext": {"http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4", "userAgent": "t"}, "stage": "$default", "requestId": "r", "apiId": "a", "accountId": "1", "domainName": "d", "domainPrefix": "d", "time": "t", "timeEpoch": 0},
            "body": body,
            "isBase64Encoded": false,
        })
    }

    #[test]
    fn api_gateway_events_become_requests() {
        let Incoming::Request(request) =
            incoming(api_event("PUT", "/messages/m1", Some("{\"a\":1}")))
        else {
            panic!("a request")
        };
        assert_eq!((request.method.as_str(), request.path.as_str()), ("PUT", "/messages/m1"));
        assert_eq!(request.params["id"], "m1");
        assert_eq!((request.query["page"].as_str(), request.query["q"].as_str()), ("2", "a b"));
        assert_eq!(request.headers["cookie"], "a=1; b=2");
        assert_eq!(request.headers["x-thing"], "yes");
        assert_eq!(request.body, "{\"a\":1}");
    }

    #[test]
    fn malformed_json_bodies_are_refused_as_locally() {
        let Incoming::Answer(answer) = incoming(api_event("POST", "/messages", Some("{not json")))
        else {
            panic!("an answer")
        };
        assert_eq!(answer.status, 400);
    }

    #[test]
    fn direct_invocations_post_their_payload() {
        let Incoming::Request(request) = incoming(json!({"id": "m1"})) else { panic!("a request") };
        assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/"));
        assert_eq!(serde_json::from_str::<Value>(&request.body).unwrap(), json!({"id": "m1"}));
    }

    #[test]
    fn calls_from_other_units_carry_their_request_whole() {
        let sent = HttpRequest {
            method: "PUT".into(),
            path: "/place".into(),
            headers: BTreeMap::from([("x-a".into(), "1".into())]),
            body: "{}".into(),
            ..Default::default()
        };
        let Incoming::UnitCall(request) = incoming(json!({ UNIT_CALL: sent })) else {
            panic!("a unit's call")
        };
        assert_eq!(request, sent);
        let Incoming::Answer(refused) = incoming(json!({ UNIT_CALL: "no" })) else {
            panic!("an answer")
        };
        assert_eq!(refused.status, 400);
    }

    #[test]
    fn answers_take_api_gateway_shape() {
        let answer = HttpResponse {
            status: 201,
            headers: BTreeMap::from([
                ("content-type".into(), "text/plain".into()),
                ("set-cookie".into(), "s=1".into()),
            ]),
            body: "made".into(),
        };
        let response = serde_json::to_value(outgoing("f", answer)).unwrap();
        assert_eq!(response["statusCode"], 201);
        assert_eq!(response["headers"]["content-type"], "text/plain");
        assert_eq!(response["cookies"], json!(["s=1"]));
        assert_eq!(response["body"], "made");
        assert_eq!(
            failure("f", &InvokeError::Timeout(std::time::Duration::from_secs(1))).status,
            504
        );
    }
}
