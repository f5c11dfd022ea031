//! The plugin handshake, both sides. A plugin is launched as
//! `<binary> <engine-address>`, announces its gRPC port on the first line of
//! its stdout, serves, and exits when the engine goes away or on
//! SIGTERM/SIGINT. [`serve`] is the plugin's side; [`command`] and
//! [`read_port`] are the launcher's.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::anyhow;
use tokio::io::{AsyncBufRead, Lines};
use tokio::net::TcpListener;
use tokio::process::Command;
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
    let server = router.serve_with_incoming(incoming(listener));
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

/// The connections `listener` accepts, for a gRPC server, with Nagle's
/// algorithm off as tonic's own listener sets it (`serve_with_incoming`
/// leaves sockets as they come): otherwise a response written in more than
/// one segment waits for the peer's delayed ACK, some 40 ms a call.
pub fn incoming(
    listener: TcpListener,
) -> impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    use tokio_stream::StreamExt;
    tokio_stream::wrappers::TcpListenerStream::new(listener)
        .map(|accepted| accepted.and_then(|stream| stream.set_nodelay(true).map(|()| stream)))
}

/// Returns once the engine at `address` has failed its health check several
/// times in a row: a plugin launched by the engine exits then.
async fn wait_until_engine_gone(address: String) {
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

/// The command that launches a plugin: `<binary> <engine-address>`, stdin
/// closed, stdout (for the port) and stderr piped, in a process group of its
/// own (so the engine's terminal signals do not reach it), killed if dropped.
pub fn command(binary: &Path, engine_address: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .arg(engine_address)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    command
}

/// Reads the port a launched plugin announces on the first line of its
/// stdout, waiting at most `timeout`. The error says what came instead.
pub async fn read_port<R: AsyncBufRead + Unpin>(
    stdout: &mut Lines<R>,
    timeout: Duration,
) -> anyhow::Result<u16> {
    match tokio::time::timeout(timeout, stdout.next_line()).await {
        Ok(Ok(Some(line))) => line
            .trim()
            .parse::<u16>()
            .map_err(|_| anyhow!("the first line of its output was '{line}', not a port")),
        Ok(Ok(None)) => Err(anyhow!("it exited before printing its port")),
        Ok(Err(e)) => Err(anyhow!("reading its output failed: {e}")),
        Err(_) => Err(anyhow!("it did not print its port within {timeout:?}")),
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
    use std::time::Duration;

    use tokio::io::{AsyncBufReadExt, BufReader};

    use super::{engine_address, read_port};

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

    #[tokio::test]
    async fn the_port_is_the_first_line_of_output() {
        let mut lines = BufReader::new(&b" 4242 \nlater\n"[..]).lines();
        assert_eq!(read_port(&mut lines, Duration::from_secs(1)).await.unwrap(), 4242);
        let mut lines = BufReader::new(&b"listening\n"[..]).lines();
        let error = read_port(&mut lines, Duration::from_secs(1)).await.unwrap_err();
        assert_eq!(error.to_string(), "the first line of its output was 'listening', not a port");
        let mut lines = BufReader::new(&b""[..]).lines();
        let error = read_port(&mut lines, Duration::from_secs(1)).await.unwrap_err();
        assert_eq!(error.to_string(), "it exited before printing its port");
    }
}
