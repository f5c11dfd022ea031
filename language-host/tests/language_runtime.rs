//! The LanguageRuntime service as the Pulumi engine drives it: the host binary
//! is launched with the engine's arguments, announces its port, and answers
//! over gRPC; it exits when the engine's health check stops answering.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::launch;
use tokio::sync::oneshot;
use tokio_stream::StreamExt;
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::{
    AboutRequest, GetProgramDependenciesRequest, InstallDependenciesRequest,
    LanguageHandshakeRequest, ProgramInfo, RuntimeOptionsRequest, TemplateRequest,
};

/// A stand-in for the engine's health service, on loopback, until dropped.
struct Engine {
    address: String,
    _stop: oneshot::Sender<()>,
}

async fn engine() -> Engine {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (reporter, service) = tonic_health::server::health_reporter();
    reporter.set_service_status("", tonic_health::ServingStatus::Serving).await;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(
        tonic::transport::Server::builder().add_service(service).serve_with_incoming_shutdown(
            tokio_stream::wrappers::TcpListenerStream::new(listener),
            async {
                let _ = stopped.await;
            },
        ),
    );
    Engine { address, _stop: stop }
}

fn info(dir: &Path) -> Option<ProgramInfo> {
    Some(ProgramInfo {
        root_directory: dir.display().to_string(),
        program_directory: dir.display().to_string(),
        entry_point: ".".into(),
        options: None,
    })
}

#[tokio::test]
async fn unknown_flags_are_ignored_and_the_engine_address_comes_last() {
    let engine = engine().await;
    let (_host, mut client) = launch(&[
        "-root=/tmp",
        "--logtostderr",
        "-v=9",
        "--tracing",
        "http://127.0.0.1:9",
        &engine.address,
    ])
    .await;
    let version = client.get_plugin_info(Empty {}).await.unwrap().into_inner().version;
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn the_host_exits_when_the_engine_is_gone() {
    let engine = engine().await;
    let (mut host, _client) = launch(&[&engine.address]).await;
    assert!(host.0.try_wait().unwrap().is_none(), "the host serves while the engine is alive");
    drop(engine);
    let deadline = Instant::now() + Duration::from_secs(15);
    while host.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the host kept running after its engine went away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_host_started_without_an_engine_accepts_a_handshake() {
    let engine = engine().await;
    let (_host, mut client) = launch(&[]).await;
    client
        .handshake(LanguageHandshakeRequest {
            engine_address: engine.address.clone(),
            root_directory: Some("/tmp".into()),
            program_directory: Some("/tmp".into()),
        })
        .await
        .unwrap();
    let prompts = client
        .runtime_options_prompts(RuntimeOptionsRequest { info: info(Path::new("/tmp")) })
        .await
        .unwrap();
    assert!(
        prompts.into_inner().prompts.is_empty(),
        "no options to ask for, or `pulumi new` would loop"
    );
    client
        .template(TemplateRequest { info: info(Path::new("/tmp")), project_name: "p".into() })
        .await
        .unwrap();
    client.cancel(Empty {}).await.unwrap();
}

#[tokio::test]
async fn install_dependencies_streams_npm_install_when_there_is_a_package_json() {
    let engine = engine().await;
    let (_host, mut client) = launch(&[&engine.address]).await;
    let without = tempfile::tempdir().unwrap();
    let request = |dir: &Path| InstallDependenciesRequest { info: info(dir), ..Default::default() };
    let mut stream =
        client.install_dependencies(request(without.path())).await.unwrap().into_inner();
    assert!(stream.next().await.is_none(), "nothing to install without package.json");

    let with = tempfile::tempdir().unwrap();
    std::fs::write(
        with.path().join("package.json"),
        r#"{"name": "p", "version": "1.0.0", "private": true}"#,
    )
    .unwrap();
    let mut stream = client.install_dependencies(request(with.path())).await.unwrap().into_inner();
    let mut output = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("npm install succeeds");
        output.extend(chunk.stdout);
        output.extend(chunk.stderr);
    }
    assert!(with.path().join("package-lock.json").is_file(), "npm ran in the program's folder");
    assert!(!output.is_empty(), "npm's output is streamed back");
}

#[tokio::test]
async fn about_and_program_dependencies_describe_the_program() {
    let engine = engine().await;
    let (_host, mut client) = launch(&[&engine.address]).await;
    let about = client.about(AboutRequest { info: None }).await.unwrap().into_inner();
    assert!(about.executable.ends_with("pulumi-language-unfold"), "{}", about.executable);
    assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
    assert!(about.metadata.contains_key("v8"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"dependencies": {"left-pad": "^1.3.0", "@pulumi/pulumi": "^3.0.0"}, "devDependencies": {"typescript": "^5"}}"#,
    )
    .unwrap();
    let installed = dir.path().join("node_modules/left-pad");
    std::fs::create_dir_all(&installed).unwrap();
    std::fs::write(installed.join("package.json"), r#"{"name": "left-pad", "version": "1.3.0"}"#)
        .unwrap();
    let dependencies = client
        .get_program_dependencies(GetProgramDependenciesRequest {
            info: info(dir.path()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .dependencies;
    let listed: Vec<(String, String)> =
        dependencies.into_iter().map(|d| (d.name, d.version)).collect();
    assert_eq!(
        listed,
        [
            ("@pulumi/pulumi".to_string(), "^3.0.0".to_string()),
            ("left-pad".to_string(), "1.3.0".to_string()),
            ("typescript".to_string(), "^5".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_program_using_unfold_cloud_requires_the_unfold_plugin() {
    let engine = engine().await;
    let (mut host, mut client) = launch(&[&engine.address]).await;
    let with = tempfile::tempdir().unwrap();
    std::fs::write(
        with.path().join("index.ts"),
        "import * as unfold from \"@unfold/cloud\";\nnew unfold.Table(\"t\");\n",
    )
    .unwrap();
    let without = tempfile::tempdir().unwrap();
    std::fs::write(without.path().join("index.ts"), "export const x = 1;\n").unwrap();
    let required =
        |dir: &Path| unfold_proto::pulumirpc::GetRequiredPackagesRequest { info: info(dir) };
    let packages =
        client.get_required_packages(required(with.path())).await.unwrap().into_inner().packages;
    let named: Vec<(String, String, String)> =
        packages.iter().map(|p| (p.name.clone(), p.kind.clone(), p.version.clone())).collect();
    assert_eq!(
        named,
        [("unfold".to_string(), "resource".to_string(), env!("CARGO_PKG_VERSION").to_string())]
    );
    let packages =
        client.get_required_packages(required(without.path())).await.unwrap().into_inner().packages;
    assert!(packages.is_empty(), "{packages:?}");
    host.0.kill().unwrap();
    host.0.wait().unwrap();
}
