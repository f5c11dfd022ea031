//! The live host: answers crossings by talking to the Pulumi engine (its
//! ResourceMonitor and Engine services) and to the user's terminal.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use serde_json::Value;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;
use tonic::transport::{Channel, Endpoint};
use unfold_proto::MAX_MESSAGE_SIZE;
use unfold_proto::pulumirpc::engine_client::EngineClient;
use unfold_proto::pulumirpc::resource_monitor_client::ResourceMonitorClient;

use crate::callbacks::CallbackServer;
use crate::known_secrets::{KnownSecrets, RedactingConsole};
use unfold_function_runtime::bundle::BUNDLE_CAPTURE;
use unfold_function_runtime::function_host::SERVICE_CALL;

use crate::service_isolates::{
    SERVICE_ANSWER, SERVICE_READY, SERVICE_START, SERVICES_DONE, SERVICES_SETTLE, SERVICES_SETTLED,
    ServiceIsolates,
};
use unfold_function_runtime::function_host::{
    ENGINE_LOG, TABLE_DELETE, TABLE_GET, TABLE_PUT, TABLE_QUERY, TABLE_SCAN,
};
use unfold_runtime::crossings::{
    CallContext, CrossingSpec, Family, Handler, HandlerSet, Started, Undeclared,
};
use unfold_runtime::io::host::{Crossing, CrossingError, Inbound};
use unfold_runtime::io::system::{Console, Seed};

type LogJob = (unfold_proto::LogRequest, oneshot::Sender<Crossing>);

/// The engine-facing host of one run.
pub struct PulumiHost {
    context: Value,
    /// None in a plugin until it is told of one: a policy pack never is, a
    /// component provider is with each Construct (`plugin.connectMonitor`).
    monitor: RefCell<Option<Monitor>>,
    engine: Option<EngineClient<Channel>>,
    log_queue: UnboundedSender<LogJob>,
    callbacks: RefCell<Option<CallbackServer>>,
    inbound: UnboundedSender<Inbound>,
    /// Kept out of the messages sent to the engine.
    secrets: Rc<RefCell<KnownSecrets>>,
    /// Set once the monitor answers that it is going away (see [`Self::monitor_gone`]).
    monitor_gone: Rc<Cell<bool>>,
    /// The run's services, and which one this isolate runs (none: the program).
    services: ServiceIsolates,
    service: Option<String>,
}

impl PulumiHost {
    /// Must be called inside the run's tokio runtime: clients connect lazily on it.
    /// Engine callbacks reach the program through `inbound`.
    pub fn new(
        context: Value,
        monitor_address: Option<&str>,
        engine_address: Option<&str>,
        inbound: UnboundedSender<Inbound>,
    ) -> anyhow::Result<Self> {
        let monitor = RefCell::new(monitor_address.map(Monitor::connect).transpose()?);
        let engine = match engine_address {
            Some(address) => Some(
                EngineClient::new(channel(address)?)
                    .max_decoding_message_size(MAX_MESSAGE_SIZE)
                    .max_encoding_message_size(MAX_MESSAGE_SIZE),
            ),
            None => None,
        };
        let secrets = Rc::new(RefCell::new(KnownSecrets::from_context(&context)));
        let log_queue = spawn_log_queue(engine.clone(), secrets.clone());
        Ok(Self {
            context,
            monitor,
            engine,
            log_queue,
            callbacks: RefCell::new(None),
            inbound,
            secrets,
            monitor_gone: Rc::default(),
            services: ServiceIsolates::default(),
            service: None,
        })
    }

    /// Reaches the run's other services through `services`; this isolate
    /// runs `service` (none: the program itself).
    pub fn with_services(mut self, services: ServiceIsolates, service: Option<String>) -> Self {
        self.services = services;
        self.service = service;
        self
    }

    fn service_ready(&self) -> Crossing {
        let service = self.service.as_deref().ok_or_else(|| {
            CrossingError::host("service.ready from an isolate that runs no service")
        })?;
        self.services.ready(service, self.inbound.clone())
    }

    fn service_call(&self, args: &Value) -> Started {
        let text =
            |key: &str| args.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        let (service, method) = (text("service"), text("method"));
        let call_args = args.get("args").cloned().unwrap_or(Value::Null);
        let answered = match self.services.call(&service, &method, call_args) {
            Ok(answered) => answered,
            Err(error) => return Started::Running(ready(Err(error))),
        };
        Started::Running(Box::pin(async move {
            let answer = answered.await.map_err(|_| {
                CrossingError::host(format!(
                    "service '{service}' stopped before it answered {method} (its errors are shown above)"
                ))
            })?;
            Ok(Value::String(answer))
        }))
    }

    /// Whether the monitor answered an RPC with Unavailable or Cancelled: the
    /// engine stopped the deployment (a resource failed, the user interrupted
    /// it) and will answer nothing more. The program's outstanding
    /// registrations never settle then, as under the Node.js SDK, and the
    /// engine reports why the deployment stopped.
    pub fn monitor_gone(&self) -> bool {
        self.monitor_gone.get()
    }

    /// `console`, writing with the run's known secrets redacted.
    pub fn redacting(&self, console: Box<dyn Console>) -> Box<dyn Console> {
        Box::new(RedactingConsole { inner: console, secrets: self.secrets.clone() })
    }

    /// `text` with the run's known secrets replaced.
    pub fn redact(&self, text: &str) -> String {
        self.secrets.borrow_mut().redact(text).into_owned()
    }

    /// Notes the secrets in a request to the monitor; returns it unchanged.
    fn learn<'a>(&self, request: &'a Value) -> &'a Value {
        self.secrets.borrow_mut().learn(request);
        request
    }

    /// `call`, noting the secrets in the monitor's answer.
    fn learning(
        &self,
        call: LocalBoxFuture<'static, Crossing>,
    ) -> LocalBoxFuture<'static, Crossing> {
        let secrets = self.secrets.clone();
        let monitor_gone = self.monitor_gone.clone();
        async move {
            let result = call.await;
            match &result {
                Ok(answer) => secrets.borrow_mut().learn(answer),
                Err(error) if matches!(error.code.as_str(), "Unavailable" | "Cancelled") => {
                    monitor_gone.set(true)
                }
                Err(_) => {}
            }
            result
        }
        .boxed_local()
    }

    /// A deployment's random numbers depend only on which stack it is, so its
    /// record (and anything deployed from it) is reproducible.
    pub fn seed(context: &Value) -> Seed {
        Seed::DerivedFrom(format!(
            "{}/{}",
            context["project"].as_str().unwrap_or(""),
            context["stack"].as_str().unwrap_or("")
        ))
    }

    /// Sends a log message to the engine, in order with the program's own.
    pub fn log(&self, request: unfold_proto::LogRequest) -> oneshot::Receiver<Crossing> {
        let (done_tx, done_rx) = oneshot::channel();
        let _ = self.log_queue.send((request, done_tx));
        done_rx
    }

    fn callbacks_address(&self) -> LocalBoxFuture<'static, Crossing> {
        let mut server = self.callbacks.borrow_mut();
        if server.is_none() {
            match CallbackServer::start(self.inbound.clone()) {
                Ok(started) => *server = Some(started),
                Err(error) => return ready(Err(CrossingError::host(format!("{error:#}")))),
            }
        }
        let target = server.as_ref().map(CallbackServer::target).unwrap_or_default();
        ready(Ok(serde_json::json!({ "target": target })))
    }
}

/// A resource monitor: where it is, and the client connected to it.
struct Monitor {
    address: String,
    client: ResourceMonitorClient<Channel>,
}

impl Monitor {
    fn connect(address: &str) -> anyhow::Result<Self> {
        let client = ResourceMonitorClient::new(channel(address)?)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE);
        Ok(Self { address: address.to_string(), client })
    }
}

fn channel(address: &str) -> anyhow::Result<Channel> {
    let url =
        if address.contains("://") { address.to_string() } else { format!("http://{address}") };
    Ok(Endpoint::from_shared(url)?.connect_lazy())
}

fn ready(result: Crossing) -> LocalBoxFuture<'static, Crossing> {
    futures::future::ready(result).boxed_local()
}

/// Engine Log calls go one at a time so the user sees messages in program order.
/// Each message goes with the run's known secrets redacted.
fn spawn_log_queue(
    engine: Option<EngineClient<Channel>>,
    secrets: Rc<RefCell<KnownSecrets>>,
) -> UnboundedSender<LogJob> {
    let (queue_tx, mut queue_rx) = unbounded_channel::<LogJob>();
    deno_core::unsync::spawn(async move {
        while let Some((mut request, done)) = queue_rx.recv().await {
            let redacted = secrets.borrow_mut().redact(&request.message).into_owned();
            request.message = redacted;
            let result = match engine.clone() {
                Some(mut engine) => {
                    engine.log(request).await.map(|_| Value::Null).map_err(status_error)
                }
                None => Err(CrossingError::host("no engine to log to")),
            };
            let _ = done.send(result);
        }
    });
    queue_tx
}

/// An async crossing answered by one RPC: decodes the proto3-JSON request,
/// calls `$client.$method`, and encodes the response. `$struct_field`s are the
/// request's property maps, whose `null`s need restoring (see `unfold_wire::structs::restore_nulls`).
macro_rules! rpc {
    ($args:expr, $client:expr, $method:ident, $request:ty $(, $struct_field:ident)*) => {
        rpc!($args, $client, $method, $request $(, $struct_field)*; |_response| ())
    };
    ($args:expr, $client:expr, $method:ident, $request:ty $(, $struct_field:ident)*; $adjust:expr) => {{
        let mut client = $client;
        let request: Result<$request, serde_json::Error> = serde::Deserialize::deserialize($args);
        async move {
            #[allow(unused_mut)]
            let mut request = request?;
            $(request.$struct_field.as_mut().map(unfold_wire::structs::restore_nulls);)*
            #[allow(unused_mut)]
            let mut response = client.$method(request).await.map_err(status_error)?.into_inner();
            #[allow(clippy::redundant_closure_call)]
            ($adjust)(&mut response);
            serde_json::to_value(response).map_err(|error| {
                CrossingError::host(format!(
                    "the engine's answer to {} cannot be read: {error}",
                    stringify!($method)
                ))
            })
        }
        .boxed_local()
    }};
}

/// A ResourceMonitor method answered by one RPC ([`rpc!`]), whose request
/// and answer teach the run's [`KnownSecrets`] the secret values they carry.
macro_rules! monitor_rpc {
    ($host:expr, $args:expr, $($rest:tt)*) => {{
        let host = $host;
        let monitor = host.monitor.borrow().as_ref().map(|monitor| monitor.client.clone());
        match monitor {
            Some(monitor) => host.learning(rpc!(host.learn($args), monitor, $($rest)*)),
            None => ready(Err(CrossingError::host(
                "there is no resource monitor here: a policy pack cannot register resources or call providers",
            ))),
        }
    }};
}

/// A newer engine announces features this host has no name for; they are
/// ones the program cannot use, so they are left out rather than failing it.
fn keep_known_features(info: &mut unfold_proto::pulumirpc::DeploymentInfo) {
    use unfold_proto::pulumirpc::ResourceMonitorFeature;
    info.supported_features.retain(|feature| ResourceMonitorFeature::try_from(*feature).is_ok());
}

/// A failed RPC as the program sees it: the gRPC status name and its message.
fn status_error(status: tonic::Status) -> CrossingError {
    CrossingError { code: format!("{:?}", status.code()), message: status.message().to_string() }
}

/// A ResourceMonitor method, answered by one RPC.
macro_rules! monitor_spec {
    ($name:literal) => {
        CrossingSpec::asynchronous(
            $name,
            "the request message of the ResourceMonitor method, in proto3 JSON",
            "the response message, in proto3 JSON",
        )
    };
}

pub static RUN_CONTEXT: CrossingSpec = CrossingSpec::sync(
    "run.context",
    "`{}`",
    "`{project, stack, organization, dryRun, parallel, queryMode, rootDirectory, programDirectory, pwd, entryModule, config: {\"<ns>:<key>\": string}, configSecretKeys: [string], configPropertyMap?}`",
);
pub static CLOUD_CONTEXT: CrossingSpec = CrossingSpec::sync(
    "cloud.context",
    "`{}`",
    "`{stateDir, bundleDir, version}`: where `@unfold/cloud` keeps the stack's local target and bundles",
);
pub static CALLBACK_REPLY: CrossingSpec = CrossingSpec::sync(
    "callback.reply",
    "`{id, response}` or `{id, error}`",
    "`null`; answers the inbound `callback` event `id`",
);
pub static CALLBACKS_ADDRESS: CrossingSpec = CrossingSpec::asynchronous(
    "callbacks.address",
    "`{}`",
    "`{target}`: the address of the host's Callbacks server for this run",
);
pub static PLUGIN_CONNECT_MONITOR: CrossingSpec = CrossingSpec::sync(
    "plugin.connectMonitor",
    "`{address}`: the resource monitor a component provider's Construct names",
    "`null`; `monitor.` crossings go to that monitor from now on",
);
pub static MONITOR_GET_DEPLOYMENT_INFO: CrossingSpec = monitor_spec!("monitor.GetDeploymentInfo");
pub static MONITOR_SUPPORTS_FEATURE: CrossingSpec = monitor_spec!("monitor.SupportsFeature");
pub static MONITOR_REGISTER_RESOURCE: CrossingSpec = monitor_spec!("monitor.RegisterResource");
pub static MONITOR_REGISTER_RESOURCE_OUTPUTS: CrossingSpec =
    monitor_spec!("monitor.RegisterResourceOutputs");
pub static MONITOR_READ_RESOURCE: CrossingSpec = monitor_spec!("monitor.ReadResource");
pub static MONITOR_EXISTS_RESOURCE: CrossingSpec = monitor_spec!("monitor.ExistsResource");
pub static MONITOR_INVOKE: CrossingSpec = monitor_spec!("monitor.Invoke");
pub static MONITOR_CALL: CrossingSpec = monitor_spec!("monitor.Call");
pub static MONITOR_REGISTER_STACK_TRANSFORM: CrossingSpec =
    monitor_spec!("monitor.RegisterStackTransform");
pub static MONITOR_REGISTER_STACK_INVOKE_TRANSFORM: CrossingSpec =
    monitor_spec!("monitor.RegisterStackInvokeTransform");
pub static MONITOR_REGISTER_RESOURCE_HOOK: CrossingSpec =
    monitor_spec!("monitor.RegisterResourceHook");
pub static MONITOR_REGISTER_ERROR_HOOK: CrossingSpec = monitor_spec!("monitor.RegisterErrorHook");
pub static MONITOR_REGISTER_PACKAGE: CrossingSpec = monitor_spec!("monitor.RegisterPackage");
pub static MONITOR_SIGNAL_AND_WAIT_FOR_SHUTDOWN: CrossingSpec =
    monitor_spec!("monitor.SignalAndWaitForShutdown");
pub static ENGINE_SET_ROOT_RESOURCE: CrossingSpec = CrossingSpec::asynchronous(
    "engine.SetRootResource",
    "Engine `SetRootResourceRequest` in proto3 JSON (`{urn}`)",
    "its response",
);
pub static ENGINE_GET_ROOT_RESOURCE: CrossingSpec = CrossingSpec::asynchronous(
    "engine.GetRootResource",
    "Engine `GetRootResourceRequest` in proto3 JSON (`{}`)",
    "its response (`{urn}`)",
);
pub static ENGINE_REQUIRE_PULUMI_VERSION: CrossingSpec = CrossingSpec::asynchronous(
    "engine.RequirePulumiVersion",
    "Engine `RequirePulumiVersionRequest` in proto3 JSON (`{pulumiVersionRange}`)",
    "its response (`{}`); an error when the engine's version is outside the range",
);

use unfold_proto::pulumirpc as pb;

/// A Pulumi program's own crossings: its context, the engine's services, and
/// the bundles of its Functions. A `monitor.` or `engine.` method not
/// declared here fails with `Unimplemented`, as the engine's gRPC server
/// would answer.
pub static PULUMI: HandlerSet<PulumiHost> = HandlerSet {
    name: "pulumi",
    handlers: &[
        Handler::sync(&RUN_CONTEXT, |host, _, _| Ok(host.context.clone())),
        Handler::sync(&CLOUD_CONTEXT, |host, _, _| Ok(host.cloud_context())),
        Handler::sync(&CALLBACK_REPLY, |host, _, args| match host.callbacks.borrow().as_ref() {
            Some(server) => server.reply(args),
            None => Err(CrossingError::host("callback.reply without a callback server")),
        }),
        Handler::asynchronous(&CALLBACKS_ADDRESS, |host, _, _| {
            Started::Running(host.callbacks_address())
        }),
        Handler::sync(&BUNDLE_CAPTURE, capture_bundle),
        Handler::sync(&SERVICE_START, |host, _, args| host.services.start(&args)),
        Handler::sync(&SERVICE_READY, |host, _, _| host.service_ready()),
        Handler::sync(&SERVICE_ANSWER, |host, _, args| host.services.answer(&args)),
        Handler::asynchronous(&SERVICE_CALL, |host, _, args| host.service_call(args)),
        Handler::sync(&SERVICES_SETTLE, |host, _, _| {
            host.services.settle();
            Ok(Value::Null)
        }),
        Handler::asynchronous(&SERVICES_SETTLED, |host, _, _| {
            let settled = host.services.settled();
            Started::Running(Box::pin(async move {
                let _ = settled.await;
                Ok(Value::Null)
            }))
        }),
        Handler::asynchronous(&SERVICES_DONE, |host, _, _| {
            let done = host.services.done();
            Started::Running(Box::pin(async move {
                Ok(serde_json::json!({ "failed": done.await.unwrap_or(true) }))
            }))
        }),
        Handler::sync(&PLUGIN_CONNECT_MONITOR, |host, _, args| {
            let address = args.get("address").and_then(Value::as_str).unwrap_or_default();
            // Every Construct of a deployment names the same monitor: its connection is kept.
            if host.monitor.borrow().as_ref().is_some_and(|monitor| monitor.address == address) {
                return Ok(Value::Null);
            }
            let monitor = Monitor::connect(address).map_err(|error| {
                CrossingError::host(format!(
                    "invalid resource monitor address {address:?}: {error:#}"
                ))
            })?;
            *host.monitor.borrow_mut() = Some(monitor);
            Ok(Value::Null)
        }),
        Handler::sync(&TABLE_GET, table_at_deploy_time),
        Handler::sync(&TABLE_PUT, table_at_deploy_time),
        Handler::sync(&TABLE_DELETE, table_at_deploy_time),
        Handler::sync(&TABLE_QUERY, table_at_deploy_time),
        Handler::sync(&TABLE_SCAN, table_at_deploy_time),
        Handler::asynchronous(&MONITOR_GET_DEPLOYMENT_INFO, |host, _, args| {
            Started::Running(monitor_rpc!(
                host, args,
                get_deployment_info,
                unfold_proto::pbjson_types::Empty;
                keep_known_features
            ))
        }),
        Handler::asynchronous(&MONITOR_SUPPORTS_FEATURE, |host, _, args| {
            Started::Running(monitor_rpc!(host, args, supports_feature, pb::SupportsFeatureRequest))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_RESOURCE, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                register_resource,
                pb::RegisterResourceRequest,
                object
            ))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_RESOURCE_OUTPUTS, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                register_resource_outputs,
                pb::RegisterResourceOutputsRequest,
                outputs
            ))
        }),
        Handler::asynchronous(&MONITOR_READ_RESOURCE, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                read_resource,
                pb::ReadResourceRequest,
                properties
            ))
        }),
        Handler::asynchronous(&MONITOR_EXISTS_RESOURCE, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                exists_resource,
                pb::ExistsResourceRequest,
                properties
            ))
        }),
        Handler::asynchronous(&MONITOR_INVOKE, |host, _, args| {
            Started::Running(monitor_rpc!(host, args, invoke, pb::ResourceInvokeRequest, args))
        }),
        Handler::asynchronous(&MONITOR_CALL, |host, _, args| {
            Started::Running(monitor_rpc!(host, args, call, pb::ResourceCallRequest, args))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_STACK_TRANSFORM, |host, _, args| {
            Started::Running(monitor_rpc!(host, args, register_stack_transform, pb::Callback))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_STACK_INVOKE_TRANSFORM, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                register_stack_invoke_transform,
                pb::Callback
            ))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_RESOURCE_HOOK, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                register_resource_hook,
                pb::RegisterResourceHookRequest
            ))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_ERROR_HOOK, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                register_error_hook,
                pb::RegisterErrorHookRequest
            ))
        }),
        Handler::asynchronous(&MONITOR_REGISTER_PACKAGE, |host, _, args| {
            Started::Running(monitor_rpc!(host, args, register_package, pb::RegisterPackageRequest))
        }),
        Handler::asynchronous(&MONITOR_SIGNAL_AND_WAIT_FOR_SHUTDOWN, |host, _, args| {
            Started::Running(monitor_rpc!(
                host,
                args,
                signal_and_wait_for_shutdown,
                unfold_proto::pbjson_types::Empty
            ))
        }),
        Handler::asynchronous(&ENGINE_LOG, |host, _, args| {
            Started::Running(match serde::Deserialize::deserialize(args) {
                Ok(request) => {
                    let done = host.log(request);
                    async move {
                        done.await.unwrap_or_else(|_| Err(CrossingError::host("log queue closed")))
                    }
                    .boxed_local()
                }
                Err(error) => ready(Err(error.into())),
            })
        }),
        Handler::asynchronous(&ENGINE_SET_ROOT_RESOURCE, |host, _, args| {
            Started::Running(match host.engine.clone() {
                Some(engine) => rpc!(args, engine, set_root_resource, pb::SetRootResourceRequest),
                None => no_engine(),
            })
        }),
        Handler::asynchronous(&ENGINE_GET_ROOT_RESOURCE, |host, _, args| {
            Started::Running(match host.engine.clone() {
                Some(engine) => rpc!(args, engine, get_root_resource, pb::GetRootResourceRequest),
                None => no_engine(),
            })
        }),
        Handler::asynchronous(&ENGINE_REQUIRE_PULUMI_VERSION, |host, _, args| {
            Started::Running(match host.engine.clone() {
                Some(engine) => {
                    rpc!(args, engine, require_pulumi_version, pb::RequirePulumiVersionRequest)
                }
                None => no_engine(),
            })
        }),
    ],
    families: &[
        Family { prefix: "monitor.", undeclared: Undeclared::Unimplemented },
        Family { prefix: "engine.", undeclared: Undeclared::Unimplemented },
    ],
};

fn no_engine() -> LocalBoxFuture<'static, Crossing> {
    ready(Err(CrossingError::host("no engine address was given to the host")))
}

fn table_at_deploy_time(_: &PulumiHost, cx: &mut CallContext<'_>, _: Value) -> Crossing {
    Err(CrossingError::host(format!(
        "{}: a Table's methods can only be used at run time, inside a Function's handler; \
         during a deployment the table may not exist yet",
        cx.name()
    )))
}

/// `bundle.capture`: the program hands its Functions over, and each gets a
/// bundle cut from the record so far and the modules loaded.
fn capture_bundle(_: &PulumiHost, cx: &mut CallContext<'_>, args: Value) -> Crossing {
    unfold_function_runtime::bundle::capture(cx.record(), cx.snapshot_header(), cx.modules(), args)
}

impl PulumiHost {
    /// Where `@unfold/cloud` keeps this stack's local target and bundles:
    /// `<project>/.unfold/<stack>/`, beside the run records.
    fn cloud_context(&self) -> Value {
        let text = |key: &str| self.context.get(key).and_then(Value::as_str).unwrap_or_default();
        let dir =
            crate::project::stack_dir(std::path::Path::new(text("rootDirectory")), text("stack"));
        serde_json::json!({
            "stateDir": dir.join("local").display().to_string(),
            "bundleDir": dir.join("bundles").display().to_string(),
            "version": env!("CARGO_PKG_VERSION"),
        })
    }
}
