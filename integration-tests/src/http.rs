//! A plain HTTP client, to call deployed functions as a user's client does.

use std::time::Duration;

/// A response: its status and its body as text.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// `method url` with `body` sent as `content_type` (GET sends none). Any
/// status is a reply; only a failure to connect or read is an error.
pub fn http(method: &str, url: &str, content_type: &str, body: &str) -> Result<Reply, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let response = match method {
        "GET" => agent.get(url).call(),
        "PUT" => agent.put(url).header("content-type", content_type).send(body),
        _ => agent.post(url).header("content-type", content_type).send(body),
    };
    let mut response = response.map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().map_err(|error| error.to_string())?;
    Ok(Reply { status, body })
}

/// [`http`] with a JSON body, as `(status, body)`; panics if nothing answers.
pub fn json_request(method: &str, url: &str, body: &str) -> (u16, String) {
    let reply = http(method, url, "application/json", body)
        .unwrap_or_else(|error| panic!("{method} {url}: {error}"));
    (reply.status, reply.body)
}
