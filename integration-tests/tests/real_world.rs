//! Programs written the way Pulumi's users write them — the templates'
//! tsconfig (CommonJS), components in their own files, config, local files,
//! invokes, callback functions, multi-language components — for AWS, awsx,
//! Kubernetes, Google Cloud, Azure, random and command, with the provider
//! SDKs from npm pinned by integration-tests/nodejs/package-lock.json.
//!
//! Each program is run under our host and under Pulumi's Node.js SDK against
//! the same engine, whose providers stand in for the real ones (echoing
//! inputs, with canned answers to the functions the programs call): the
//! preview and the update must register, read and invoke the same things,
//! duplicates counted, and export the same outputs.
//!
//! The programs live in ../real-world and find their packages through the
//! committed link real-world/node_modules → ../nodejs/node_modules.
//! Needs `cargo build --workspace --bins` and `npm ci` in ../nodejs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use unfold_engine::{Engine, EngineOptions, ProjectSpec, RunReport};
use unfold_integration_tests::echo_provider::stand_ins;
use unfold_integration_tests::node_peer::{assert_same, node_host, sorted_requests};
use unfold_integration_tests::{repository_path, unfold_host};

const STACK: &str = "dev";

fn program(name: &str) -> PathBuf {
    let programs = repository_path("integration-tests/real-world");
    let link = programs.join("node_modules");
    if std::fs::symlink_metadata(&link).is_err() {
        // Another test may create it at the same moment.
        let _ = std::os::unix::fs::symlink("../nodejs/node_modules", &link);
    }
    let dir = programs.join(name);
    dir.canonicalize().unwrap_or(dir)
}

fn engine(state: &Path) -> Engine {
    unfold_integration_tests::engine(state).with_providers(stand_ins()).with_options(
        EngineOptions { run_timeout: Duration::from_secs(180), ..EngineOptions::default() },
    )
}

/// Previews, then updates, the program under both hosts, each with its own state.
async fn run_under_both(dir: &Path) -> [(RunReport, RunReport); 2] {
    let spec = ProjectSpec::load(dir, STACK).unwrap();
    let state = tempfile::tempdir().unwrap();
    let (ours, node) = (state.path().join("unfold"), state.path().join("node"));
    let previews = (
        engine(&ours).preview(&spec, &unfold_host()).await,
        engine(&node).preview(&spec, &node_host()).await,
    );
    let updates = (
        engine(&ours).up(&spec, &unfold_host()).await,
        engine(&node).up(&spec, &node_host()).await,
    );
    [previews, updates]
}

/// The program registers what it registers under Node.js, in preview and in update.
async fn registers_as_under_node(name: &str) {
    let dir = program(name);
    let [preview, update] = run_under_both(&dir).await;
    for (phase, (ours, node)) in [("preview", &preview), ("update", &update)] {
        eprintln!("{name}: {phase}: {} requests", sorted_requests(ours, &dir).len());
        assert_same(ours, node, &dir);
    }
}

macro_rules! real_world {
    ($($test:ident => $program:literal,)*) => {$(
        #[tokio::test]
        async fn $test() {
            registers_as_under_node($program).await;
        }
    )*};
}

real_world! {
    aws_async_program => "aws-async-program",
    aws_callback_functions => "aws-callback-functions",
    aws_iam_component => "aws-iam-component",
    aws_s3_website => "aws-s3-website",
    aws_serverless_api => "aws-serverless-api",
    aws_vpc_webserver => "aws-vpc-webserver",
    awsx_fargate_service => "awsx-fargate-service",
    azure_static_website => "azure-static-website",
    azure_webapp => "azure-webapp",
    command_provisioning => "command-provisioning",
    gcp_cloud_function => "gcp-cloud-function",
    gcp_gke_app => "gcp-gke-app",
    k8s_app_config => "k8s-app-config",
    k8s_guestbook => "k8s-guestbook",
    k8s_nginx => "k8s-nginx",
    random_credentials => "random-credentials",
}
