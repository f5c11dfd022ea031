//! `http.request`: the HTTP requests a program makes through the `http` and
//! `https` built-ins, one crossing per request and its whole response. Being
//! a crossing, a request is recorded with its answer, and a replay answers it
//! from the record without the network. A failure to connect is part of the
//! answer, `{error: {code, message}}` with Node.js's code (`ECONNREFUSED`),
//! because programs handle such errors themselves. `https:` requests trust
//! Mozilla's roots, as Node.js does, or only the `ca` certificates given.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use futures::FutureExt;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, RootCertStore};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::crossings::{CrossingSpec, Handler, HandlerSet, Started, ready};

pub static HTTP_REQUEST: CrossingSpec = CrossingSpec::asynchronous(
    "http.request",
    "`{method, url, headers: [[name, value]], body?: base64, timeoutMs?, ca?: [pem]}`; `ca` replaces the trusted roots of an `https:` URL",
    "`{ok: {status, statusText, headers: [[name, value]], body: base64}}` or `{error: {code, message}}` with Node.js's code (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, …)",
);

/// HTTP requests through the `http` built-in.
pub static HTTP: HandlerSet<()> = HandlerSet {
    name: "http",
    handlers: &[Handler::asynchronous(&HTTP_REQUEST, |_, _, args| start(args))],
    families: &[],
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestArgs {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    timeout_ms: Option<f64>,
    /// PEM certificates to trust instead of the default roots.
    #[serde(default)]
    ca: Option<Vec<String>>,
}

/// Why a request got no response, as Node.js names it.
struct Failure {
    code: &'static str,
    message: String,
}

impl Failure {
    /// A TLS handshake that failed, with the code Node.js (OpenSSL) gives it.
    fn tls(error: &std::io::Error, host: &str) -> Self {
        let certificate = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .and_then(|inner| match inner {
                rustls::Error::InvalidCertificate(certificate) => Some(certificate),
                _ => None,
            });
        match certificate {
            // OpenSSL tells apart how much of the chain it could not verify;
            // rustls does not, and the commonest case is a lone leaf certificate.
            Some(CertificateError::UnknownIssuer) => Self::new(
                "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                "unable to verify the first certificate",
            ),
            Some(CertificateError::Expired) => {
                Self::new("CERT_HAS_EXPIRED", "certificate has expired")
            }
            Some(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ) => Self::new(
                "ERR_TLS_CERT_ALTNAME_INVALID",
                format!(
                    "Hostname/IP does not match certificate's altnames: Host: {host}. is not in the cert's altnames"
                ),
            ),
            _ => Self::new(
                "ECONNRESET",
                format!(
                    "Client network socket disconnected before secure TLS connection was established: {error}"
                ),
            ),
        }
    }

    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// A connection to `host`:`port` that failed, worded as Node.js words it.
    fn connect(error: &std::io::Error, host: &str, port: u16) -> Self {
        use std::io::ErrorKind::*;
        let code = match error.kind() {
            ConnectionRefused => "ECONNREFUSED",
            ConnectionReset => "ECONNRESET",
            ConnectionAborted => "ECONNABORTED",
            TimedOut => "ETIMEDOUT",
            HostUnreachable => "EHOSTUNREACH",
            NetworkUnreachable => "ENETUNREACH",
            AddrNotAvailable => "EADDRNOTAVAIL",
            // getaddrinfo failures carry no kind of their own.
            _ if error.to_string().contains("lookup") || error.to_string().contains("resolve") => {
                "ENOTFOUND"
            }
            _ => "EIO",
        };
        match code {
            "ENOTFOUND" => Self::new(code, format!("getaddrinfo ENOTFOUND {host}")),
            _ => Self::new(code, format!("connect {code} {host}:{port}")),
        }
    }
}

/// The client configuration: Mozilla's roots, or only the `ca` certificates given.
fn tls_config(ca: Option<&[String]>) -> Result<Arc<ClientConfig>, Failure> {
    static DEFAULT: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    let Some(ca) = ca else {
        let roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        return Ok(DEFAULT.get_or_init(|| client_config(roots)).clone());
    };
    let mut roots = RootCertStore::empty();
    for pem in ca {
        for certificate in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let certificate = certificate.map_err(|error| {
                Failure::new("ERR_OSSL_PEM_BAD_BASE64_DECODE", format!("ca: {error}"))
            })?;
            roots.add(certificate).map_err(|error| {
                Failure::new("ERR_OSSL_X509_BAD_CERTIFICATE", format!("ca: {error}"))
            })?;
        }
    }
    Ok(client_config(roots))
}

fn client_config(roots: RootCertStore) -> Arc<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

fn start(args: &Value) -> Started {
    let args = match RequestArgs::deserialize(args) {
        Ok(args) => args,
        Err(error) => return ready(Err(error.into())),
    };
    Started::Running(
        async move {
            Ok(match perform(args).await {
                Ok(response) => json!({ "ok": response }),
                Err(failure) => {
                    json!({ "error": { "code": failure.code, "message": failure.message } })
                }
            })
        }
        .boxed_local(),
    )
}

async fn perform(args: RequestArgs) -> Result<Value, Failure> {
    let timeout =
        args.timeout_ms.filter(|ms| *ms > 0.0).map(|ms| Duration::from_secs_f64(ms / 1000.0));
    let exchange = exchange(args);
    match timeout {
        None => exchange.await,
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or_else(|_| Err(Failure::new("ETIMEDOUT", "the request timed out"))),
    }
}

async fn exchange(args: RequestArgs) -> Result<Value, Failure> {
    let url = url::Url::parse(&args.url).map_err(|error| {
        Failure::new("ERR_INVALID_URL", format!("Invalid URL {}: {error}", args.url))
    })?;
    let secure = match url.scheme() {
        "http" => false,
        "https" => true,
        other => {
            return Err(Failure::new(
                "ERR_INVALID_PROTOCOL",
                format!("Protocol \"{other}:\" not supported. Expected \"http:\""),
            ));
        }
    };
    let host =
        url.host_str().ok_or_else(|| Failure::new("ERR_INVALID_URL", "the URL has no host"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = url.port_or_known_default().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|error| Failure::connect(&error, &host, port))?;
    if !secure {
        return send(stream, &url, &args).await;
    }
    let config = tls_config(args.ca.as_deref())?;
    let name = ServerName::try_from(host.clone())
        .map_err(|error| Failure::new("ERR_INVALID_URL", format!("{host}: {error}")))?;
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, stream)
        .await
        .map_err(|error| Failure::tls(&error, &host))?;
    send(stream, &url, &args).await
}

/// Sends the request over `stream` (plain or TLS) and reads the whole response.
async fn send<S>(stream: S, url: &url::Url, args: &RequestArgs) -> Result<Value, Failure>
where
    S: AsyncRead + AsyncWrite + Unpin + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| Failure::new("ECONNRESET", error.to_string()))?;
    // The connection is driven beside the request and closes with it.
    deno_core::unsync::spawn(async move {
        let _ = connection.await;
    });

    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    };
    let mut request = Request::builder().method(args.method.as_str()).uri(path);
    if !args.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
        let authority = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        request = request.header("host", authority);
    }
    for (name, value) in &args.headers {
        request = request.header(name, value);
    }
    let body = match &args.body {
        Some(body) => BASE64
            .decode(body)
            .map_err(|error| Failure::new("ERR_INVALID_ARG_VALUE", format!("body: {error}")))?,
        None => Vec::new(),
    };
    let request = request
        .body(Full::new(Bytes::from(body)))
        .map_err(|error| Failure::new("ERR_INVALID_ARG_VALUE", error.to_string()))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| Failure::new("ECONNRESET", format!("socket hang up: {error}")))?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| Failure::new("ECONNRESET", format!("aborted: {error}")))?
        .to_bytes();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned())
        })
        .collect();
    Ok(json!({
        "status": parts.status.as_u16(),
        "statusText": parts.status.canonical_reason().unwrap_or(""),
        "headers": headers,
        "body": BASE64.encode(&body),
    }))
}
