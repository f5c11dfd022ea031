//! The provider's side of the server's control endpoints: one HTTP/1.1
//! request on loopback per call.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

/// The header that carries the token from `server.json`.
pub(crate) const TOKEN_HEADER: &str = "x-unfold-token";

/// What the server answers to a health `challenge`: HMAC-SHA256 of the
/// challenge keyed with the token, in hex. Only the holder of the token can
/// compute it, and it does not reveal the token.
pub(crate) fn proof(token: &str, challenge: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(token.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(challenge.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// Sends `method path` to the server on `port`, with the control token if given.
pub(crate) async fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    timeout: Duration,
) -> Result<Reply, String> {
    tokio::time::timeout(timeout, send(port, method, path, token))
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {timeout:?}")))
}

async fn send(port: u16, method: &str, path: &str, token: Option<&str>) -> Result<Reply, String> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|error| error.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    let driver = tokio::spawn(connection);
    let mut builder = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header(hyper::header::HOST, format!("127.0.0.1:{port}"));
    if let Some(token) = token {
        builder = builder.header(TOKEN_HEADER, token);
    }
    let request = builder.body(Full::new(Bytes::new())).map_err(|error| error.to_string())?;
    let response = sender.send_request(request).await.map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.map_err(|error| error.to_string())?.to_bytes();
    driver.abort();
    Ok(Reply { status, body: String::from_utf8_lossy(&body).into_owned() })
}
