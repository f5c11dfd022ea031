//! A policy pack written for `runtime: unfold`, served to the engine as an
//! Analyzer plugin.
//!
//! The engine starts the pack through RunPlugin, reads the port it prints,
//! then calls Handshake and ConfigureStack before anything else. The pack's
//! top-level code may read the stack's config and `isDryRun()` (Pulumi's own
//! policy packs do), so its program starts only once ConfigureStack has said
//! which stack this is: on the first call the program must answer. Calls the
//! pack answers itself (GetAnalyzerInfo, Configure, Analyze, AnalyzeStack,
//! Remediate) go in as inbound `policy` events, in proto3 JSON, and come back
//! through the `policy.reply` crossing; `@pulumi/policy` in js-lib answers them.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use deno_core::v8;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{OnceCell, oneshot};
use tonic::{Request, Response, Status};
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::analyzer_server::Analyzer;
use unfold_proto::pulumirpc::{
    AnalyzeRequest, AnalyzeResponse, AnalyzeStackRequest, AnalyzerHandshakeRequest,
    AnalyzerHandshakeResponse, AnalyzerInfo, AnalyzerStackConfigureRequest,
    AnalyzerStackConfigureResponse, ConfigureAnalyzerRequest, PluginInfo, RemediateResponse,
};

use crate::pulumi_host::{PULUMI, PulumiHost};
use crate::replies::PendingReplies;
use unfold_runtime::crossings::{CrossingSpec, Handler, HandlerSet, OUTCOME};
use unfold_runtime::io::Outcome;
use unfold_runtime::io::environment::{ENVIRONMENT, Environment};
use unfold_runtime::io::files::FILES;
use unfold_runtime::io::host::{CrossingError, Inbound};
use unfold_runtime::io::http::HTTP;
use unfold_runtime::io::system::{Clock, Console, ConsoleStream, SYSTEM, System};
use unfold_runtime::membrane::Membrane;
use unfold_runtime::run::RunBuilder;

/// What the engine's calls into the pack are called in messages.
const POLICY_RUN: &str = "a policy pack";

/// Where the program's console output goes (the plugin's stdout and stderr).
pub type ConsoleSink = Arc<dyn Fn(ConsoleStream, &str) + Send + Sync>;

/// Where a pack is and what it prints.
pub struct PackSpec {
    /// The pack's folder (holding PulumiPolicy.yaml).
    pub dir: PathBuf,
    /// Its entry module.
    pub entry: PathBuf,
    /// The engine, for the pack's log messages (RunPlugin's first argument).
    pub engine_address: Option<String>,
    pub console: ConsoleSink,
}

/// The pack's Analyzer service.
pub struct PolicyPackService {
    pack: Arc<PackProgram>,
}

struct PackProgram {
    spec: PackSpec,
    /// What ConfigureStack said: the stack, its config, whether this is a preview.
    stack: Mutex<Option<AnalyzerStackConfigureRequest>>,
    running: OnceCell<Result<RunningPack, String>>,
    replies: Arc<PendingReplies<Value>>,
    /// The isolate, once started, so that shutting the plugin down stops it.
    isolate: Mutex<Option<v8::IsolateHandle>>,
}

/// A pack whose program is running and listening for the engine's calls.
struct RunningPack {
    inbound: UnboundedSender<Inbound>,
}

impl PolicyPackService {
    pub fn new(spec: PackSpec) -> Self {
        Self {
            pack: Arc::new(PackProgram {
                spec,
                stack: Mutex::default(),
                running: OnceCell::new(),
                replies: Arc::default(),
                isolate: Mutex::default(),
            }),
        }
    }

    /// Stops the pack's program, if it runs; calls still waiting fail.
    pub fn stopper(&self) -> impl FnOnce() + Send + 'static {
        let pack = self.pack.clone();
        move || {
            if let Some(isolate) = pack.isolate.lock().expect("pack isolate lock").take() {
                isolate.terminate_execution();
            }
            pack.replies.abandon_all();
        }
    }

    /// Asks the pack's program to answer `method`, starting it first if need be.
    async fn forward<Answer: DeserializeOwned>(
        &self,
        method: &'static str,
        request: impl Serialize,
    ) -> Result<Answer, Status> {
        let running = self.pack.running().await?;
        let request = serde_json::to_value(request)
            .map_err(|error| Status::internal(format!("{method}: {error}")))?;
        let (id, answer) = self.pack.replies.open();
        let event =
            Inbound::new("policy", json!({ "id": id, "method": method, "request": request }));
        if running.inbound.send(event).is_err() {
            return Err(Status::unavailable("the policy pack's program has finished"));
        }
        match answer.await {
            Ok(Ok(value)) => serde_json::from_value(value).map_err(|error| {
                Status::internal(format!(
                    "the policy pack answered {method} with a message that cannot be read: {error}"
                ))
            }),
            Ok(Err(message)) => Err(Status::unknown(message)),
            Err(_) => Err(Status::unavailable(format!(
                "the policy pack's program finished before answering {method}"
            ))),
        }
    }
}

impl PackProgram {
    async fn running(self: &Arc<Self>) -> Result<&RunningPack, Status> {
        let started = self.running.get_or_init(|| self.clone().start()).await;
        started.as_ref().map_err(|message| Status::failed_precondition(message.clone()))
    }

    /// Starts the program on a thread of its own and waits until it listens.
    async fn start(self: Arc<Self>) -> Result<RunningPack, String> {
        let (ready_tx, ready_rx) = oneshot::channel();
        let pack = self.clone();
        std::thread::Builder::new()
            .name("policy-pack".into())
            .spawn(move || {
                let runtime =
                    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                        Ok(runtime) => runtime,
                        Err(error) => {
                            let _ = ready_tx.send(Err(format!(
                                "could not start the pack's event loop: {error}"
                            )));
                            return;
                        }
                    };
                runtime.block_on(pack.run(ready_tx));
            })
            .map_err(|error| format!("could not start the pack's thread: {error}"))?;
        ready_rx.await.unwrap_or_else(|_| Err("the policy pack's program failed to start".into()))
    }

    /// The `run.context` the pack's program reads, from ConfigureStack.
    fn context(&self) -> Value {
        let stack = self.stack.lock().expect("pack stack lock").clone().unwrap_or_default();
        let config: std::collections::BTreeMap<_, _> = stack.config.iter().collect();
        let dir = self.spec.dir.display().to_string();
        json!({
            "project": stack.project,
            "stack": stack.stack,
            "organization": stack.organization,
            "dryRun": stack.dry_run,
            "parallel": 1,
            "queryMode": false,
            "rootDirectory": dir,
            "programDirectory": dir,
            "pwd": dir,
            "entryModule": url::Url::from_file_path(&self.spec.entry).map(String::from).unwrap_or_default(),
            "config": config,
            "configSecretKeys": stack.config_secret_keys,
            "packageVersion": package_version(&self.spec.dir),
            "stackTags": stack.tags.iter().collect::<std::collections::BTreeMap<_, _>>(),
        })
    }

    async fn run(self: Arc<Self>, ready: oneshot::Sender<Result<RunningPack, String>>) {
        let run = RunBuilder::new(POLICY_RUN, "unfold/plugin.ts");
        let context = self.context();
        let seed = PulumiHost::seed(&context);
        let host = match PulumiHost::new(
            context,
            None,
            self.spec.engine_address.as_deref(),
            run.inbound(),
        ) {
            Ok(host) => Rc::new(host),
            Err(error) => {
                let _ = ready.send(Err(format!("invalid engine address: {error:#}")));
                return;
            }
        };
        let bridge = Rc::new(PackBridge {
            replies: self.replies.clone(),
            ready: RefCell::new(Some(ready)),
            inbound: run.inbound(),
        });
        let console: Box<dyn Console> = Box::new(ClosureConsole(self.spec.console.clone()));
        let system = System::new(host.redacting(console), Clock::default(), Some(&seed));
        let mut isolate = run
            .crossings(&OUTCOME, Rc::new(()))
            .crossings(&PULUMI, host)
            .crossings(&POLICY, bridge.clone())
            .crossings(&SYSTEM, Rc::new(system))
            .crossings(&FILES, Rc::new(()))
            .crossings(&HTTP, Rc::new(()))
            .crossings(&ENVIRONMENT, Rc::new(Environment::Process))
            .membrane(Membrane::disabled())
            .build();
        *self.isolate.lock().expect("pack isolate lock") = Some(isolate.handle());
        let evaluated = isolate.run_to_completion().await;
        self.isolate.lock().expect("pack isolate lock").take();
        self.replies.abandon_all();
        // A program that never listened tells the engine why on its first call.
        let why = match (isolate.outcome(), evaluated) {
            (Some(Outcome::Error { message }), _) => message,
            (_, Err(error)) => format!(
                "the policy pack {} failed with an unhandled exception:\n{error}",
                self.spec.entry.display()
            ),
            _ => format!(
                "the policy pack {} finished without creating a PolicyPack: its program must call \
                 `new PolicyPack(name, {{ policies }})` from \"@pulumi/policy\"",
                self.spec.entry.display()
            ),
        };
        if let Some(ready) = bridge.ready.borrow_mut().take() {
            let _ = ready.send(Err(why));
        }
    }
}

/// Console output of the pack's program, handed to the plugin's streams.
struct ClosureConsole(ConsoleSink);

impl Console for ClosureConsole {
    fn write(&self, stream: ConsoleStream, text: &str) {
        (self.0)(stream, text)
    }
}

/// The pack's side of the engine's calls: where its replies go, and who waits
/// for it to listen.
pub struct PackBridge {
    replies: Arc<PendingReplies<Value>>,
    ready: RefCell<Option<oneshot::Sender<Result<RunningPack, String>>>>,
    inbound: UnboundedSender<Inbound>,
}

pub static POLICY_SERVE: CrossingSpec = CrossingSpec::sync(
    "policy.serve",
    "`{}`",
    "`null`; the pack listens for inbound `policy` events `{id, method, request}` from now on",
);
pub static POLICY_REPLY: CrossingSpec = CrossingSpec::sync(
    "policy.reply",
    "`{id, response}` (the Analyzer method's response message in proto3 JSON) or `{id, error}`",
    "`null`; answers the inbound `policy` event `id`",
);

/// The crossings of a policy pack's program.
pub static POLICY: HandlerSet<PackBridge> = HandlerSet {
    name: "policy",
    handlers: &[
        Handler::sync(&POLICY_SERVE, |bridge, _, _| {
            let ready = bridge.ready.borrow_mut().take().ok_or_else(|| {
                CrossingError::host(
                    "a program serves one policy pack: PolicyPack was created twice",
                )
            })?;
            let _ = ready.send(Ok(RunningPack { inbound: bridge.inbound.clone() }));
            Ok(Value::Null)
        }),
        Handler::sync(&POLICY_REPLY, |bridge, _, args| {
            #[derive(serde::Deserialize)]
            struct Reply {
                id: u64,
                response: Option<Value>,
                error: Option<String>,
            }
            let reply: Reply = serde_json::from_value(args)?;
            let answer = match (reply.response, reply.error) {
                (_, Some(error)) => Err(error),
                (Some(response), None) => Ok(response),
                (None, None) => {
                    return Err(CrossingError::host("policy.reply needs a response or an error"));
                }
            };
            bridge.replies.complete(reply.id, answer)?;
            Ok(Value::Null)
        }),
    ],
    families: &[],
};

#[tonic::async_trait]
impl Analyzer for PolicyPackService {
    async fn handshake(
        &self,
        _request: Request<AnalyzerHandshakeRequest>,
    ) -> Result<Response<AnalyzerHandshakeResponse>, Status> {
        // RunPlugin already said where the pack and the engine are.
        Ok(Response::new(AnalyzerHandshakeResponse {}))
    }

    async fn configure_stack(
        &self,
        request: Request<AnalyzerStackConfigureRequest>,
    ) -> Result<Response<AnalyzerStackConfigureResponse>, Status> {
        if self.pack.running.initialized() {
            return Err(Status::failed_precondition(
                "ConfigureStack must come before the policy pack's first analysis",
            ));
        }
        *self.pack.stack.lock().expect("pack stack lock") = Some(request.into_inner());
        Ok(Response::new(AnalyzerStackConfigureResponse {}))
    }

    async fn get_plugin_info(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<PluginInfo>, Status> {
        Ok(Response::new(PluginInfo { version: package_version(&self.pack.spec.dir) }))
    }

    async fn get_analyzer_info(
        &self,
        request: Request<Empty>,
    ) -> Result<Response<AnalyzerInfo>, Status> {
        self.forward("GetAnalyzerInfo", request.into_inner()).await.map(Response::new)
    }

    async fn configure(
        &self,
        request: Request<ConfigureAnalyzerRequest>,
    ) -> Result<Response<Empty>, Status> {
        let _: Value = self.forward("Configure", request.into_inner()).await?;
        Ok(Response::new(Empty {}))
    }

    async fn analyze(
        &self,
        request: Request<AnalyzeRequest>,
    ) -> Result<Response<AnalyzeResponse>, Status> {
        self.forward("Analyze", request.into_inner()).await.map(Response::new)
    }

    async fn analyze_stack(
        &self,
        request: Request<AnalyzeStackRequest>,
    ) -> Result<Response<AnalyzeResponse>, Status> {
        self.forward("AnalyzeStack", request.into_inner()).await.map(Response::new)
    }

    async fn remediate(
        &self,
        request: Request<AnalyzeRequest>,
    ) -> Result<Response<RemediateResponse>, Status> {
        self.forward("Remediate", request.into_inner()).await.map(Response::new)
    }

    async fn cancel(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }
}

/// The `version` of the pack's package.json, if it has one.
fn package_version(dir: &std::path::Path) -> String {
    std::fs::read(dir.join("package.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|package| package.get("version")?.as_str().map(String::from))
        .unwrap_or_default()
}
