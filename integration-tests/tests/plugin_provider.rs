//! Provider plugins: the engine drives a real ResourceProvider gRPC server
//! (an in-test provider for the package `fake`, which records every call)
//! through a program run by Unfold's language host, and launches plugin
//! binaries as Pulumi launches them.
//!
//! The host is another package's binary, so `cargo build --workspace --bins`
//! must have built it (`scripts/test` does).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tonic::{Request, Response, Status};
use unfold_engine::diagnostics::Source;
use unfold_engine::property::{self, PropertyMap};
use unfold_engine::servers::{self, RunningServer};
use unfold_engine::{
    Engine, EngineOptions, HostSpec, PluginContext, PluginProvider, ProjectSpec, Provider,
    ProviderRegistry, RunReport, StepOp,
};
use unfold_proto::pbjson_types::{Empty, Struct};
use unfold_proto::pulumirpc::resource_provider_server::{ResourceProvider, ResourceProviderServer};
use unfold_proto::pulumirpc::{
    CallRequest, CallResponse, CheckRequest, CheckResponse, ConfigureRequest, ConfigureResponse,
    ConstructRequest, ConstructResponse, CreateRequest, CreateResponse, DeleteRequest, DiffRequest,
    DiffResponse, GetMappingRequest, GetMappingResponse, GetMappingsRequest, GetMappingsResponse,
    GetSchemaRequest, GetSchemaResponse, InvokeRequest, InvokeResponse, ListRequest, ListResponse,
    ParameterizeRequest, ParameterizeResponse, PluginAttach, PluginInfo, ProviderHandshakeRequest,
    ProviderHandshakeResponse, ReadRequest, ReadResponse, UpdateRequest, UpdateResponse,
    diff_response::DiffChanges,
};
use unfold_wire::signatures::{SECRET_SIG, SIG_KEY, UNKNOWN};
use unfold_wire::structs;

/// Longer than any case takes; a run still going then has hung.
const HANG_LIMIT: Duration = Duration::from_secs(90);
const STACK: &str = "dev";

/// A custom resource of the `fake` package: its output `out` is computed
/// from `value` (unknown in a preview), `b` takes `a`'s `out`.
const PROGRAM: &str = r#"
import * as pulumi from "@pulumi/pulumi";

class Thing extends pulumi.CustomResource {
    public readonly value!: pulumi.Output<any>;
    public readonly out!: pulumi.Output<string>;
    constructor(name: string, args: Record<string, pulumi.Input<any>>, opts?: pulumi.CustomResourceOptions) {
        super("fake:index:Thing", name, { out: undefined, ...args }, opts);
    }
}

const config = new pulumi.Config();
const a = new Thing("a", { value: config.get("value") ?? "one", token: pulumi.secret("hush") });
const b = new Thing("b", { value: a.out });
export const out = a.out;
export const bOut = b.out;
"#;

fn host() -> HostSpec {
    unfold_integration_tests::unfold_host()
}

/// One call the provider received: the method and its request as JSON.
#[derive(Debug, Clone)]
struct Call {
    method: &'static str,
    request: Value,
}

impl Call {
    fn name(&self) -> &str {
        self.request["urn"].as_str().and_then(|u| u.rsplit("::").next()).unwrap_or_default()
    }

    fn preview(&self) -> bool {
        self.request["preview"].as_bool().unwrap_or(false)
    }
}

/// The in-test provider of the `fake` package.
#[derive(Clone, Default)]
struct FakeProvider {
    calls: Arc<Mutex<Vec<Call>>>,
}

impl FakeProvider {
    fn record(&self, method: &'static str, request: &impl serde::Serialize) {
        let request = serde_json::to_value(request).unwrap();
        self.calls.lock().unwrap().push(Call { method, request });
    }

    fn take(&self) -> Vec<Call> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

fn map_of(value: Option<&Struct>) -> PropertyMap {
    structs::from_struct(value).unwrap()
}

/// The outputs: the inputs plus `out`, computed from `value` (unknown in a preview).
fn outputs(news: Option<&Struct>, preview: bool) -> Result<Struct, Status> {
    let mut outputs = map_of(news);
    let value = outputs.get("value").cloned().unwrap_or(Value::Null);
    let out = if preview || property::contains_unknowns(&value) {
        Value::String(UNKNOWN.into())
    } else {
        Value::String(format!("computed-{}", value.as_str().unwrap_or_default()))
    };
    outputs.insert("out".into(), out);
    Ok(structs::to_struct(&outputs))
}

#[tonic::async_trait]
impl ResourceProvider for FakeProvider {
    type ListStream = tokio_stream::Empty<Result<ListResponse, Status>>;

    async fn handshake(
        &self,
        request: Request<ProviderHandshakeRequest>,
    ) -> Result<Response<ProviderHandshakeResponse>, Status> {
        self.record("Handshake", request.get_ref());
        Ok(Response::new(ProviderHandshakeResponse {
            accept_secrets: true,
            accept_resources: true,
            ..Default::default()
        }))
    }

    async fn parameterize(
        &self,
        _: Request<ParameterizeRequest>,
    ) -> Result<Response<ParameterizeResponse>, Status> {
        Err(Status::unimplemented("Parameterize"))
    }

    async fn get_schema(
        &self,
        _: Request<GetSchemaRequest>,
    ) -> Result<Response<GetSchemaResponse>, Status> {
        Err(Status::unimplemented("GetSchema"))
    }

    async fn check_config(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        self.record("CheckConfig", request.get_ref());
        Ok(Response::new(CheckResponse { inputs: request.into_inner().news, failures: vec![] }))
    }

    async fn diff_config(&self, _: Request<DiffRequest>) -> Result<Response<DiffResponse>, Status> {
        Err(Status::unimplemented("DiffConfig"))
    }

    async fn configure(
        &self,
        request: Request<ConfigureRequest>,
    ) -> Result<Response<ConfigureResponse>, Status> {
        self.record("Configure", request.get_ref());
        Ok(Response::new(ConfigureResponse {
            accept_secrets: true,
            supports_preview: true,
            accept_resources: true,
            ..Default::default()
        }))
    }

    async fn invoke(
        &self,
        request: Request<InvokeRequest>,
    ) -> Result<Response<InvokeResponse>, Status> {
        self.record("Invoke", request.get_ref());
        Ok(Response::new(InvokeResponse { r#return: request.into_inner().args, failures: vec![] }))
    }

    async fn call(&self, _: Request<CallRequest>) -> Result<Response<CallResponse>, Status> {
        Err(Status::unimplemented("Call"))
    }

    async fn check(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        self.record("Check", request.get_ref());
        let news = request.into_inner().news;
        if map_of(news.as_ref()).get("value").and_then(Value::as_str) == Some("invalid") {
            return Ok(Response::new(CheckResponse {
                inputs: news,
                failures: vec![unfold_proto::pulumirpc::CheckFailure {
                    property: "value".into(),
                    reason: "must not be 'invalid'".into(),
                }],
            }));
        }
        Ok(Response::new(CheckResponse { inputs: news, failures: vec![] }))
    }

    async fn diff(&self, request: Request<DiffRequest>) -> Result<Response<DiffResponse>, Status> {
        self.record("Diff", request.get_ref());
        let request = request.into_inner();
        let (olds, news) = (map_of(request.old_inputs.as_ref()), map_of(request.news.as_ref()));
        let mut diffs: Vec<String> = olds
            .keys()
            .chain(news.keys())
            .filter(|k| olds.get(*k) != news.get(*k))
            .cloned()
            .collect();
        diffs.sort();
        diffs.dedup();
        let changes = if diffs.is_empty() { DiffChanges::DiffNone } else { DiffChanges::DiffSome };
        Ok(Response::new(DiffResponse { changes: changes as i32, diffs, ..Default::default() }))
    }

    async fn create(
        &self,
        request: Request<CreateRequest>,
    ) -> Result<Response<CreateResponse>, Status> {
        self.record("Create", request.get_ref());
        let request = request.into_inner();
        let properties = map_of(request.properties.as_ref());
        if properties.get("value").and_then(Value::as_str) == Some("fail") {
            return Err(Status::unknown("the fake cloud is out of quota"));
        }
        let id = if request.preview { String::new() } else { format!("id-{}", request.name) };
        Ok(Response::new(CreateResponse {
            id,
            properties: Some(outputs(request.properties.as_ref(), request.preview)?),
            ..Default::default()
        }))
    }

    async fn read(&self, _: Request<ReadRequest>) -> Result<Response<ReadResponse>, Status> {
        Err(Status::unimplemented("Read"))
    }

    async fn list(&self, _: Request<ListRequest>) -> Result<Response<Self::ListStream>, Status> {
        Err(Status::unimplemented("List"))
    }

    async fn update(
        &self,
        request: Request<UpdateRequest>,
    ) -> Result<Response<UpdateResponse>, Status> {
        self.record("Update", request.get_ref());
        let request = request.into_inner();
        Ok(Response::new(UpdateResponse {
            properties: Some(outputs(request.news.as_ref(), request.preview)?),
            ..Default::default()
        }))
    }

    async fn delete(&self, request: Request<DeleteRequest>) -> Result<Response<Empty>, Status> {
        self.record("Delete", request.get_ref());
        Ok(Response::new(Empty {}))
    }

    async fn construct(
        &self,
        _: Request<ConstructRequest>,
    ) -> Result<Response<ConstructResponse>, Status> {
        Err(Status::unimplemented("Construct"))
    }

    async fn cancel(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }

    async fn get_plugin_info(
        &self,
        request: Request<Empty>,
    ) -> Result<Response<PluginInfo>, Status> {
        self.record("GetPluginInfo", request.get_ref());
        Ok(Response::new(PluginInfo { version: "1.0.0".into() }))
    }

    async fn attach(&self, request: Request<PluginAttach>) -> Result<Response<Empty>, Status> {
        self.record("Attach", request.get_ref());
        Ok(Response::new(Empty {}))
    }

    async fn get_mapping(
        &self,
        _: Request<GetMappingRequest>,
    ) -> Result<Response<GetMappingResponse>, Status> {
        Err(Status::unimplemented("GetMapping"))
    }

    async fn get_mappings(
        &self,
        _: Request<GetMappingsRequest>,
    ) -> Result<Response<GetMappingsResponse>, Status> {
        Err(Status::unimplemented("GetMappings"))
    }
}

/// The fake provider serving on a loopback port; stopped by [`Served::stop`].
struct Served {
    provider: FakeProvider,
    server: RunningServer,
}

impl Served {
    async fn start() -> Self {
        let provider = FakeProvider::default();
        let server = RunningServer::start(
            servers::builder().add_service(ResourceProviderServer::new(provider.clone())),
        )
        .await
        .unwrap();
        Self { provider, server }
    }

    fn address(&self) -> String {
        self.server.address()
    }

    fn port(&self) -> u16 {
        self.address().rsplit(':').next().unwrap().parse().unwrap()
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}

/// A backend and a project running [`PROGRAM`], in a temporary directory.
struct Deployment {
    work: tempfile::TempDir,
    engine: Engine,
}

impl Deployment {
    fn new(providers: ProviderRegistry) -> Self {
        let work = tempfile::tempdir().unwrap();
        let program = work.path().join("program");
        std::fs::create_dir_all(&program).unwrap();
        std::fs::write(program.join("Pulumi.yaml"), "name: plugins\nruntime: unfold\n").unwrap();
        std::fs::write(program.join("index.ts"), PROGRAM).unwrap();
        let engine = unfold_integration_tests::engine(work.path().join("state"))
            .with_providers(providers)
            .with_options(EngineOptions {
                run_timeout: Duration::from_secs(60),
                ..EngineOptions::default()
            });
        Self { work, engine }
    }

    fn project(&self, config: &[(&str, &str, bool)]) -> ProjectSpec {
        let mut spec = ProjectSpec::load(self.work.path().join("program"), STACK).unwrap();
        for (key, value, secret) in config {
            spec.set_config(key, value, *secret);
        }
        spec
    }

    async fn preview(&self, spec: &ProjectSpec) -> RunReport {
        tokio::time::timeout(HANG_LIMIT, self.engine.preview(spec, &host()))
            .await
            .expect("preview hung")
    }

    async fn up(&self, spec: &ProjectSpec) -> RunReport {
        tokio::time::timeout(HANG_LIMIT, self.engine.up(spec, &host())).await.expect("up hung")
    }

    async fn destroy(&self, spec: &ProjectSpec) -> RunReport {
        tokio::time::timeout(HANG_LIMIT, self.engine.destroy(spec)).await.expect("destroy hung")
    }
}

fn ops(report: &RunReport) -> Vec<(StepOp, String)> {
    report
        .steps
        .iter()
        .map(|s| (s.op, s.urn.rsplit("::").next().unwrap_or_default().to_string()))
        .collect()
}

fn methods(calls: &[Call]) -> Vec<String> {
    calls
        .iter()
        .map(|c| {
            if c.name().is_empty() {
                c.method.to_string()
            } else {
                format!("{} {}", c.method, c.name())
            }
        })
        .collect()
}

fn assert_succeeded(report: &RunReport) {
    assert!(report.succeeded(), "the run failed: {:?}\n{:#?}", report.error, report.diagnostics);
}

fn secret(value: Value) -> Value {
    json!({SIG_KEY: SECRET_SIG, "value": value})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_server_is_driven_through_the_whole_lifecycle() {
    let served = Served::start().await;
    let mut providers = unfold_integration_tests::test_providers();
    providers.register_plugin_address("fake", &served.address());
    let deployment = Deployment::new(providers);
    let spec =
        deployment.project(&[("fake:region", "moon-1", false), ("fake:apiKey", "k3y", true)]);

    // A preview of a new stack: every create is a preview, and nothing is made.
    let preview = deployment.preview(&spec).await;
    assert_succeeded(&preview);
    let calls = served.provider.take();
    let setup: Vec<&str> = calls.iter().take(4).map(|c| c.method).collect();
    assert_eq!(
        setup,
        ["Handshake", "Attach", "GetPluginInfo", "CheckConfig"],
        "{:?}",
        methods(&calls)
    );
    let configure = calls.iter().find(|c| c.method == "Configure").expect("Configure was called");
    assert_eq!(configure.request["variables"]["fake:config:region"], "moon-1");
    assert_eq!(configure.request["variables"]["fake:config:apiKey"], "k3y");
    assert_eq!(configure.request["acceptSecrets"], true);
    assert_eq!(configure.request["acceptResources"], true);
    let creates: Vec<&Call> = calls.iter().filter(|c| c.method == "Create").collect();
    assert_eq!(creates.len(), 2, "{:?}", methods(&calls));
    assert!(
        creates.iter().all(|c| c.preview()),
        "a preview created something: {:?}",
        methods(&calls)
    );
    // The secret input crosses as a secret; `b`'s input is `a`'s unknown output.
    assert_eq!(creates[0].request["properties"]["token"], secret(json!("hush")));
    assert_eq!(creates[1].request["properties"]["value"], json!(UNKNOWN));
    assert!(deployment.engine.state("plugins", STACK).unwrap().is_none());

    // The update creates both resources, with the outputs the provider computed.
    let up = deployment.up(&spec).await;
    assert_succeeded(&up);
    let calls = served.provider.take();
    let real_creates: Vec<String> = calls
        .iter()
        .filter(|c| c.method == "Create" && !c.preview())
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(real_creates, ["a", "b"], "{:?}", methods(&calls));
    // Preview and update each configure their own connection.
    assert_eq!(calls.iter().filter(|c| c.method == "Configure").count(), 2);
    assert_eq!(up.outputs["out"], json!("computed-one"));
    assert_eq!(up.outputs["bOut"], json!("computed-computed-one"));
    let state = deployment.engine.state("plugins", STACK).unwrap().unwrap();
    let a = state.resources.iter().find(|r| r.urn.ends_with("::a")).unwrap();
    assert_eq!(a.id, "id-a");
    assert_eq!(a.outputs["token"], secret(json!("hush")));

    // Nothing changed: all `same`, the outputs known in the preview, and no Create or Update.
    let again = deployment.preview(&spec).await;
    assert_succeeded(&again);
    assert!(again.steps.iter().all(|s| s.op == StepOp::Same), "{:?}", ops(&again));
    assert_eq!(again.outputs["out"], json!("computed-one"));
    assert_eq!(again.outputs["bOut"], json!("computed-computed-one"));
    let calls = served.provider.take();
    assert!(
        !calls.iter().any(|c| matches!(c.method, "Create" | "Update" | "Delete")),
        "{:?}",
        methods(&calls)
    );
    let diff = calls.iter().find(|c| c.method == "Diff" && c.name() == "a").expect("a was diffed");
    assert_eq!(diff.request["id"], "id-a");
    assert_eq!(diff.request["olds"]["out"], "computed-one");
    assert_eq!(diff.request["oldInputs"]["value"], "one");

    // A changed input: Diff, then Update (a preview first), and `b` follows.
    let changed = deployment.project(&[
        ("fake:region", "moon-1", false),
        ("fake:apiKey", "k3y", true),
        ("value", "two", false),
    ]);
    let up = deployment.up(&changed).await;
    assert_succeeded(&up);
    assert_eq!(
        ops(up.preview.as_ref().unwrap()).iter().filter(|(op, _)| *op == StepOp::Update).count(),
        2
    );
    assert!(ops(&up).contains(&(StepOp::Update, "a".into())), "{:?}", ops(&up));
    assert!(ops(&up).contains(&(StepOp::Update, "b".into())), "{:?}", ops(&up));
    let calls = served.provider.take();
    let updates: Vec<(String, bool)> = calls
        .iter()
        .filter(|c| c.method == "Update")
        .map(|c| (c.name().to_string(), c.preview()))
        .collect();
    assert_eq!(
        updates,
        [("a".into(), true), ("b".into(), true), ("a".into(), false), ("b".into(), false)],
        "{:?}",
        methods(&calls)
    );
    assert!(!calls.iter().any(|c| c.method == "Create"), "{:?}", methods(&calls));
    let a_update = calls.iter().find(|c| c.method == "Update" && !c.preview()).unwrap();
    assert_eq!(a_update.request["oldInputs"]["value"], "one");
    assert_eq!(a_update.request["news"]["value"], "two");
    assert_eq!(up.outputs["bOut"], json!("computed-computed-two"));

    // Destroy deletes through the provider, dependents first, with their old inputs.
    let destroyed = deployment.destroy(&changed).await;
    assert_succeeded(&destroyed);
    let calls = served.provider.take();
    let deletes: Vec<&Call> = calls.iter().filter(|c| c.method == "Delete").collect();
    assert_eq!(
        deletes.iter().map(|c| c.name()).collect::<Vec<_>>(),
        ["b", "a"],
        "{:?}",
        methods(&calls)
    );
    assert_eq!(deletes[1].request["id"], "id-a");
    assert_eq!(deletes[1].request["oldInputs"]["value"], "two");
    assert_eq!(deletes[1].request["properties"]["out"], "computed-two");
    assert!(deployment.engine.state("plugins", STACK).unwrap().unwrap().resources.is_empty());
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_errors_are_shown_as_the_provider_wrote_them() {
    let served = Served::start().await;
    let mut providers = unfold_integration_tests::test_providers();
    providers.register_plugin_address("fake", &served.address());
    let deployment = Deployment::new(providers);

    let failing = deployment.up(&deployment.project(&[("value", "fail", false)])).await;
    assert!(!failing.succeeded());
    let error = failing.error.clone().unwrap_or_default();
    assert_eq!(error, "the fake cloud is out of quota", "{:#?}", failing.diagnostics);

    let invalid = deployment.preview(&deployment.project(&[("value", "invalid", false)])).await;
    assert!(!invalid.succeeded());
    assert!(
        invalid.error.clone().unwrap_or_default().contains("must not be 'invalid'"),
        "{:?}",
        invalid.error
    );
    served.stop().await;
}

#[tokio::test]
async fn a_connected_provider_speaks_the_protocol_directly() {
    let served = Served::start().await;
    let context =
        PluginContext { project: "p".into(), stack: "s".into(), ..PluginContext::default() };
    let provider = PluginProvider::connect("fake", &served.address(), context).await.unwrap();
    let urn = "urn:pulumi:s::p::fake:index:Thing::direct";
    let inputs: PropertyMap =
        json!({"value": "x", "token": secret(json!("t"))}).as_object().unwrap().clone();

    let (checked, failures) =
        provider.check(urn, &PropertyMap::new(), inputs.clone()).await.unwrap();
    assert_eq!(checked, inputs);
    assert!(failures.is_empty());
    let preview = provider.create(urn, &inputs, None, true).await.unwrap();
    assert_eq!(preview.id, None);
    assert_eq!(preview.outputs["out"], json!(UNKNOWN));
    let created =
        provider.create(urn, &inputs, Some(Duration::from_secs(90)), false).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("id-direct"));
    assert_eq!(created.outputs["token"], secret(json!("t")));
    let invoked = provider.invoke("fake:index:echo", &inputs).await.unwrap();
    assert_eq!(invoked.outputs, inputs);

    let calls = served.provider.take();
    let create = calls.iter().find(|c| c.method == "Create" && !c.preview()).unwrap();
    assert_eq!(create.request["timeout"], json!(90.0));
    let check = calls.iter().find(|c| c.method == "Check").unwrap();
    assert_eq!(check.request["name"], "direct");
    assert_eq!(check.request["type"], "fake:index:Thing");
    assert!(!check.request["randomSeed"].as_str().unwrap_or_default().is_empty());
    served.stop().await;
}

/// A plugin binary: a script that records how it was started, writes a line
/// to stderr, prints the in-test server's port, and then waits to be stopped.
fn fake_plugin(dir: &Path, port: u16) -> PathBuf {
    let path = dir.join("pulumi-resource-fake");
    let log = dir.join("launches");
    let script = format!(
        "#!/bin/sh\necho \"$$ $1 $(pwd -P)\" >> '{}'\necho 'fake plugin starting' >&2\necho {port}\nexec sleep 300\n",
        log.display()
    );
    std::fs::write(&path, script).unwrap();
    make_executable(&path);
    path
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn launches(dir: &Path) -> Vec<(i32, String, String)> {
    std::fs::read_to_string(dir.join("launches"))
        .unwrap_or_default()
        .lines()
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let pid = parts.next().unwrap().parse().unwrap();
            (
                pid,
                parts.next().unwrap_or_default().to_string(),
                parts.next().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn is_running(pid: i32) -> bool {
    // A reaped process is gone; an unreaped one would still show as a zombie.
    // Whether its /proc entry exists is all this asks, so std does it, not procfs.
    Path::new(&format!("/proc/{pid}")).exists()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_binary_is_launched_once_per_run_and_stopped_after_it() {
    let served = Served::start().await;
    let bin = tempfile::tempdir().unwrap();
    let plugin = fake_plugin(bin.path(), served.port());
    let deployment =
        Deployment::new(unfold_integration_tests::test_providers().with_plugin("fake", &plugin));
    let spec = deployment.project(&[]);

    let preview = deployment.preview(&spec).await;
    assert_succeeded(&preview);
    let started = launches(bin.path());
    assert_eq!(started.len(), 1, "{started:?}");
    let (pid, engine_address, cwd) = &started[0];
    assert!(
        engine_address.starts_with("127.0.0.1:"),
        "the plugin's argument was '{engine_address}'"
    );
    assert_eq!(
        Path::new(cwd),
        std::fs::canonicalize(deployment.work.path().join("program")).unwrap()
    );
    assert!(!is_running(*pid), "the plugin outlived the preview");
    assert!(
        preview
            .diagnostics
            .iter()
            .any(|d| d.source == Source::Plugin && d.message == "fake plugin starting"),
        "{:#?}",
        preview.diagnostics
    );

    // An update is a preview and an update: a launch for each.
    let up = deployment.up(&spec).await;
    assert_succeeded(&up);
    let started = launches(bin.path());
    assert_eq!(started.len(), 3, "{started:?}");
    assert!(started.iter().all(|(pid, _, _)| !is_running(*pid)));

    let destroyed = deployment.destroy(&spec).await;
    assert_succeeded(&destroyed);
    let started = launches(bin.path());
    assert_eq!(started.len(), 4, "{started:?}");
    assert!(!is_running(started[3].0), "the plugin outlived the destroy");
    assert_eq!(served.provider.take().iter().filter(|c| c.method == "Delete").count(), 2);
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_that_fails_to_start_is_named_in_the_error() {
    let bin = tempfile::tempdir().unwrap();
    let broken = bin.path().join("pulumi-resource-fake");
    std::fs::write(&broken, "#!/bin/sh\necho 'fake: missing credentials' >&2\nexit 3\n").unwrap();
    make_executable(&broken);
    let deployment =
        Deployment::new(unfold_integration_tests::test_providers().with_plugin("fake", &broken));
    let report = deployment.preview(&deployment.project(&[])).await;
    assert!(!report.succeeded());
    let error = report.error.clone().unwrap_or_default();
    assert!(error.contains(&broken.display().to_string()), "{error}");
    assert!(error.contains("failed to start"), "{error}");
    assert!(error.contains("fake: missing credentials"), "{error}");

    let missing = bin.path().join("no-such-plugin");
    let deployment =
        Deployment::new(unfold_integration_tests::test_providers().with_plugin("fake", &missing));
    let report = deployment.preview(&deployment.project(&[])).await;
    assert!(!report.succeeded());
    let error = report.error.clone().unwrap_or_default();
    assert!(
        error.contains(&missing.display().to_string()) && error.contains("could not start"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_package_without_a_plugin_is_reported() {
    let deployment = Deployment::new(unfold_integration_tests::test_providers());
    let report = deployment.preview(&deployment.project(&[])).await;
    assert!(!report.succeeded());
    let error = report.error.clone().unwrap_or_default();
    assert!(error.contains("no resource plugin 'pulumi-resource-fake' found"), "{error}");
}
