//! Serving a plugin as the engine launches it: read the engine's address from
//! the arguments, announce the port on the first line of stdout, serve, and
//! exit when the engine goes away or on SIGTERM/SIGINT.

use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::server::Router;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

/// How often the engine's health is checked, and how many failures in a row mean it is gone.
const HEALTH_INTERVAL: Duration = Duration::from_secs(1);
const HEALTH_FAILURES: u32 = 3;

/// `[flags…] <engine-address>`: flags (`-root=…`, `--logtostderr`, `-v=9`,
/// `--tracing <url>`, runtime options) are accepted and ignored; the engine
/// address is the last argument. Without one, the plugin serves until stopped.
pub fn engine_address(args: &[String]) -> Option<String> {
    let last = args.last()?;
    let after_value_flag = args.len() >= 2 && args[args.len() - 2] == "--tracing";
    (!last.starts_with('-') && !after_value_flag).then(|| last.clone())
}

/// Serves `router` on a loopback port, announced on stdout, until the engine
/// at `engine_address` is gone or the process is asked to stop.
pub async fn serve(router: Router, engine_address: Option<String>) -> anyhow::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    // The engine reads the port from the first line of stdout.
    println!("{port}");
    let server =
        router.serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    let engine_gone = async move {
        match engine_address {
            Some(address) => wait_until_engine_gone(address).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        served = server => served.map_err(Into::into),
        () = engine_gone => Ok(()),
        () = signalled() => Ok(()),
    }
}

/// Returns once the engine at `address` has failed its health check several
/// times in a row: a plugin launched by the engine exits then.
pub async fn wait_until_engine_gone(address: String) {
    let url = format!("http://{address}");
    let mut failures = 0;
    loop {
        tokio::time::sleep(HEALTH_INTERVAL).await;
        if engine_alive(&url).await {
            failures = 0;
        } else {
            failures += 1;
            if failures >= HEALTH_FAILURES {
                return;
            }
        }
    }
}

async fn engine_alive(url: &str) -> bool {
    let Ok(endpoint) = tonic::transport::Endpoint::from_shared(url.to_string()) else {
        return false;
    };
    let Ok(channel) = endpoint.connect_timeout(Duration::from_secs(5)).connect().await else {
        return false;
    };
    let mut client = HealthClient::new(channel);
    match client.check(HealthCheckRequest { service: String::new() }).await {
        Ok(response) => response.into_inner().status() != ServingStatus::NotServing,
        // An engine that does not implement health checks is alive.
        Err(status) => status.code() == tonic::Code::Unimplemented,
    }
}

async fn signalled() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut terminate), Ok(mut interrupt)) => tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        },
        _ => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::engine_address;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_engine_address_is_the_last_argument_that_is_no_flag() {
        assert_eq!(
            engine_address(&args(&["-v=9", "127.0.0.1:1234"])),
            Some("127.0.0.1:1234".into())
        );
        assert_eq!(engine_address(&args(&["--tracing", "http://t"])), None);
        assert_eq!(engine_address(&args(&["--logtostderr"])), None);
        assert_eq!(engine_address(&[]), None);
    }
}
