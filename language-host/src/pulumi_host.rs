//! The live host: answers crossings by talking to the Pulumi engine (its
//! ResourceMonitor and Engine services) and to the user's terminal.

use std::cell::RefCell;

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
use unfold_runtime::io::host::{BundleCut, Crossing, CrossingError, Host, Inbound};
use unfold_runtime::io::system::{self, Clock, Console, Seed};

type LogJob = (unfold_proto::LogRequest, oneshot::Sender<Crossing>);

/// The engine-facing host of one run.
pub struct PulumiHost {
    context: Value,
    monitor: ResourceMonitorClient<Channel>,
    engine: Option<EngineClient<Channel>>,
    console: Box<dyn Console>,
    log_queue: UnboundedSender<LogJob>,
    callbacks: RefCell<Option<CallbackServer>>,
    inbound: RefCell<Option<UnboundedSender<Inbound>>>,
    clock: Clock,
    seed: String,
}

impl PulumiHost {
    /// Must be called inside the run's tokio runtime: clients connect lazily on it.
    pub fn new(
        context: Value,
        monitor_address: &str,
        engine_address: Option<&str>,
        console: Box<dyn Console>,
    ) -> anyhow::Result<Self> {
        let monitor = ResourceMonitorClient::new(channel(monitor_address)?)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE);
        let engine = match engine_address {
            Some(address) => Some(
                EngineClient::new(channel(address)?)
                    .max_decoding_message_size(MAX_MESSAGE_SIZE)
                    .max_encoding_message_size(MAX_MESSAGE_SIZE),
            ),
            None => None,
        };
        let log_queue = spawn_log_queue(engine.clone());
        // A deployment's random numbers depend only on which stack it is, so its
        // record (and anything deployed from it) is reproducible.
        let stack = format!(
            "{}/{}",
            context["project"].as_str().unwrap_or(""),
            context["stack"].as_str().unwrap_or("")
        );
        Ok(Self {
            clock: Clock::default(),
            seed: Seed::DerivedFrom(stack).generate(),
            context,
            monitor,
            engine,
            console,
            log_queue,
            callbacks: RefCell::new(None),
            inbound: RefCell::new(None),
        })
    }

    /// Sends a log message to the engine, in order with the program's own.
    pub fn log(&self, request: unfold_proto::LogRequest) -> oneshot::Receiver<Crossing> {
        let (done_tx, done_rx) = oneshot::channel();
        let _ = self.log_queue.send((request, done_tx));
        done_rx
    }

    fn callbacks_address(&self) -> LocalBoxFuture<'static, Crossing> {
        let inbound = self.inbound.borrow().clone();
        let mut server = self.callbacks.borrow_mut();
        if server.is_none() {
            match inbound {
                Some(inbound) => match CallbackServer::start(inbound) {
                    Ok(started) => *server = Some(started),
                    Err(error) => return ready(Err(CrossingError::host(format!("{error:#}")))),
                },
                None => return ready(Err(CrossingError::host("inbound events are not attached"))),
            }
        }
        let target = server.as_ref().map(CallbackServer::target).unwrap_or_default();
        ready(Ok(serde_json::json!({ "target": target })))
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
fn spawn_log_queue(engine: Option<EngineClient<Channel>>) -> UnboundedSender<LogJob> {
    let (queue_tx, mut queue_rx) = unbounded_channel::<LogJob>();
    deno_core::unsync::spawn(async move {
        while let Some((request, done)) = queue_rx.recv().await {
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

impl Host for PulumiHost {
    fn call(&self, name: &str, args: Value) -> Crossing {
        match name {
            "run.context" => Ok(self.context.clone()),
            "cloud.context" => Ok(self.cloud_context()),
            _ if name.starts_with("table.") => Err(CrossingError::host(format!(
                "{name}: a Table's methods can only be used at run time, inside a Function's handler; \
                 during a deployment the table may not exist yet"
            ))),
            "clock.now" => Ok(serde_json::json!(self.clock.now())),
            "random.seed" => Ok(Value::String(self.seed.clone())),
            "console.write" => system::write_console(self.console.as_ref(), args),
            "callback.reply" => match self.callbacks.borrow().as_ref() {
                Some(server) => server.reply(args),
                None => Err(CrossingError::host("callback.reply without a callback server")),
            },
            _ if name.starts_with("fs.") => unfold_runtime::io::files::call(name, args),
            _ if name.starts_with("env.") => unfold_runtime::io::environment::call(name, args),
            _ => Err(CrossingError::host(format!("unknown synchronous crossing '{name}'"))),
        }
    }

    fn start(&self, name: &str, args: &Value) -> LocalBoxFuture<'static, Crossing> {
        use unfold_proto::pulumirpc as pb;
        let monitor = self.monitor.clone();
        match name {
            "monitor.GetDeploymentInfo" => {
                rpc!(args, monitor, get_deployment_info, unfold_proto::pbjson_types::Empty;
                    keep_known_features)
            }
            "monitor.SupportsFeature" => {
                rpc!(args, monitor, supports_feature, pb::SupportsFeatureRequest)
            }
            "monitor.RegisterResource" => {
                rpc!(args, monitor, register_resource, pb::RegisterResourceRequest, object)
            }
            "monitor.RegisterResourceOutputs" => {
                rpc!(
                    args,
                    monitor,
                    register_resource_outputs,
                    pb::RegisterResourceOutputsRequest,
                    outputs
                )
            }
            "monitor.ReadResource" => {
                rpc!(args, monitor, read_resource, pb::ReadResourceRequest, properties)
            }
            "monitor.Invoke" => rpc!(args, monitor, invoke, pb::ResourceInvokeRequest, args),
            "monitor.Call" => rpc!(args, monitor, call, pb::ResourceCallRequest, args),
            "monitor.RegisterStackTransform" => {
                rpc!(args, monitor, register_stack_transform, pb::Callback)
            }
            "monitor.RegisterStackInvokeTransform" => {
                rpc!(args, monitor, register_stack_invoke_transform, pb::Callback)
            }
            "monitor.RegisterPackage" => {
                rpc!(args, monitor, register_package, pb::RegisterPackageRequest)
            }
            "monitor.SignalAndWaitForShutdown" => {
                rpc!(args, monitor, signal_and_wait_for_shutdown, unfold_proto::pbjson_types::Empty)
            }
            "engine.Log" => match serde::Deserialize::deserialize(args) {
                Ok(request) => {
                    let done = self.log(request);
                    async move {
                        done.await.unwrap_or_else(|_| Err(CrossingError::host("log queue closed")))
                    }
                    .boxed_local()
                }
                Err(error) => ready(Err(error.into())),
            },
            "engine.SetRootResource" | "engine.GetRootResource" => {
                let Some(engine) = self.engine.clone() else {
                    return ready(Err(CrossingError::host(
                        "no engine address was given to the host",
                    )));
                };
                if name == "engine.SetRootResource" {
                    rpc!(args, engine, set_root_resource, pb::SetRootResourceRequest)
                } else {
                    rpc!(args, engine, get_root_resource, pb::GetRootResourceRequest)
                }
            }
            "callbacks.address" => self.callbacks_address(),
            "timer.sleep" => system::sleep(args),
            _ if name.starts_with("monitor.") || name.starts_with("engine.") => {
                ready(Err(CrossingError {
                    // What the engine's gRPC server answers for a method it lacks.
                    code: "Unimplemented".into(),
                    message: format!("{name} is not forwarded by this host"),
                }))
            }
            _ => ready(Err(CrossingError::host(format!("unknown asynchronous crossing '{name}'")))),
        }
    }

    fn attach_inbound(&self, sender: UnboundedSender<Inbound>) {
        *self.inbound.borrow_mut() = Some(sender);
    }

    fn capture_bundle(&self, cut: BundleCut<'_>) -> Crossing {
        unfold_function_runtime::bundle::capture(cut.entries, cut.header, cut.loader, cut.args)
    }
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
