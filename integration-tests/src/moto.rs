//! moto, a real AWS API emulator, as every AWS endpoint of a test: started on
//! loopback and stopped when dropped. `UNFOLD_AWS_EMULATORS` names the folder
//! holding `moto_server` (`scripts/aws-emulator` installs it; `scripts/test`
//! sets it).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The account moto answers for.
pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";

pub struct Moto {
    pub endpoint: String,
    server: Child,
}

/// A program of the AWS emulators' folder (`moto_server`, `cargo-lambda`).
pub fn emulator(program: &str) -> PathBuf {
    let dir = std::env::var_os("UNFOLD_AWS_EMULATORS").map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "UNFOLD_AWS_EMULATORS is not set: run `export UNFOLD_AWS_EMULATORS=\"$(scripts/aws-emulator)\"` \
             (scripts/test does this)"
        )
    });
    dir.join(program)
}

impl Moto {
    /// A fresh emulator with nothing in it, ready for requests.
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let server = Command::new(emulator("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto { endpoint: format!("http://127.0.0.1:{port}"), server };
        let deadline = Instant::now() + Duration::from_secs(60);
        while ureq::get(format!("{}/moto-api/", moto.endpoint)).call().is_err() {
            assert!(Instant::now() < deadline, "moto did not answer on {}", moto.endpoint);
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// What a process needs to use this emulator as AWS: the endpoint,
    /// credentials it accepts, a region, and no instance metadata lookups.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_REGION", REGION.into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_CONFIG_FILE", "/dev/null".into()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".into()),
        ]
    }
}

/// Clients of the emulator, as a test asks it what exists.
pub struct AwsClients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub iam: aws_sdk_iam::Client,
    pub apigateway: aws_sdk_apigatewayv2::Client,
}

impl Moto {
    pub async fn clients(&self) -> AwsClients {
        use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let credentials =
            aws_sdk_lambda::config::Credentials::new("testing", "testing", None, None, "moto");
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http)
            .endpoint_url(&self.endpoint)
            .region(aws_config::Region::new(REGION))
            .credentials_provider(credentials)
            .load()
            .await;
        AwsClients {
            dynamodb: aws_sdk_dynamodb::Client::new(&config),
            lambda: aws_sdk_lambda::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            apigateway: aws_sdk_apigatewayv2::Client::new(&config),
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
