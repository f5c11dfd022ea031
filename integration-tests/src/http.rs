//! A plain HTTP client, to call deployed functions as a user's client does.

use std::time::Duration;

/// A response: its status and its body as text.
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// Response headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// `method url` with `body` sent as `content_type` (GET sends none). Any
/// status is a reply; only a failure to connect or read is an error.
pub fn http(method: &str, url: &str, content_type: &str, body: &str) -> Result<Reply, String> {
    let headers: &[(&str, &str)] =
        if method == "GET" { &[] } else { &[("content-type", content_type)] };
    http_with_headers(method, url, headers, body)
}

/// `method url` with `headers` (which may name the Host and Origin a browser
/// would send) and `body` (GET, DELETE and OPTIONS send none).
pub fn http_with_headers(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Reply, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let response = if matches!(method, "GET" | "DELETE" | "OPTIONS") {
        let mut request = match method {
            "DELETE" => agent.delete(url),
            "OPTIONS" => agent.options(url),
            _ => agent.get(url),
        };
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.call()
    } else {
        let mut request = match method {
            "PUT" => agent.put(url),
            _ => agent.post(url),
        };
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send(body)
    };
    let mut response = response.map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned())
        })
        .collect();
    let body = response.body_mut().read_to_string().map_err(|error| error.to_string())?;
    Ok(Reply { status, body, headers })
}

/// [`http`] with a JSON body, as `(status, body)`; panics if nothing answers.
pub fn json_request(method: &str, url: &str, body: &str) -> (u16, String) {
    let reply = http(method, url, "application/json", body)
        .unwrap_or_else(|error| panic!("{method} {url}: {error}"));
    (reply.status, reply.body)
}
