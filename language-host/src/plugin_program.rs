//! A plugin's program (a policy pack or a component provider written for
//! `runtime: unfold`), running in an isolate of its own and answering the
//! engine's calls. The plugin's gRPC service receives a call and hands it over
//! with [`PluginProgram::call`]: it goes in as an inbound `plugin` event
//! `{id, method, request}` in proto3 JSON, and the program answers through the
//! `plugin.reply` crossing. The program starts on the first call, so that a
//! policy pack's top-level code can see the stack ConfigureStack named.

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
use tonic::Status;

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

/// Where the program's console output goes (the plugin's stdout and stderr).
pub type ConsoleSink = Arc<dyn Fn(ConsoleStream, &str) + Send + Sync>;

/// Where a plugin is and what it prints.
pub struct PluginSpec {
    /// What the plugin is, in messages: "policy pack", "component provider".
    pub kind: &'static str,
    /// The plugin's folder (holding PulumiPolicy.yaml or PulumiPlugin.yaml).
    pub dir: PathBuf,
    /// Its entry module.
    pub entry: PathBuf,
    /// Its package.json's `version`, read once: the engine asks for it, and so
    /// does the program (a policy pack reports it with each violation).
    pub version: String,
    /// The engine, for the plugin's log messages (RunPlugin's first argument).
    pub engine_address: Option<String>,
    pub console: ConsoleSink,
    /// What the program must do to serve, for the error when it does not.
    pub how_to_serve: &'static str,
}

/// The stack a plugin works for, as far as the engine said (a policy pack's
/// ConfigureStack); a component provider learns it with each Construct.
#[derive(Debug, Clone, Default)]
pub struct StackContext {
    pub project: String,
    pub stack: String,
    pub organization: String,
    pub dry_run: bool,
    pub config: std::collections::BTreeMap<String, String>,
    pub config_secret_keys: Vec<String>,
    pub tags: std::collections::BTreeMap<String, String>,
}

pub struct PluginProgram {
    spec: PluginSpec,
    stack: Mutex<StackContext>,
    running: OnceCell<Result<Running, String>>,
    replies: Arc<PendingReplies<Value>>,
    /// The isolate, once started, so that shutting the plugin down stops it.
    isolate: Mutex<Option<v8::IsolateHandle>>,
}

/// A program that is running and listening for the engine's calls.
struct Running {
    inbound: UnboundedSender<Inbound>,
}

impl PluginProgram {
    pub fn new(spec: PluginSpec) -> Arc<Self> {
        Arc::new(Self {
            spec,
            stack: Mutex::default(),
            running: OnceCell::new(),
            replies: Arc::default(),
            isolate: Mutex::default(),
        })
    }

    pub fn spec(&self) -> &PluginSpec {
        &self.spec
    }

    /// Sets the stack the program will see; only before it starts.
    pub fn set_stack(&self, stack: StackContext) -> Result<(), Status> {
        if self.running.initialized() {
            return Err(Status::failed_precondition(format!(
                "the {} has started already: its stack must be configured before its first call",
                self.spec.kind
            )));
        }
        *self.stack.lock().expect("plugin stack lock") = stack;
        Ok(())
    }

    /// Stops the program, if it runs; calls still waiting fail.
    pub fn stop(&self) {
        if let Some(isolate) = self.isolate.lock().expect("plugin isolate lock").take() {
            isolate.terminate_execution();
        }
        self.replies.abandon_all();
    }

    /// Asks the program to answer `method`, starting it first if need be.
    pub async fn call<Answer: DeserializeOwned>(
        self: &Arc<Self>,
        method: &'static str,
        request: impl Serialize,
    ) -> Result<Answer, Status> {
        let running = self.running().await?;
        let request = serde_json::to_value(request)
            .map_err(|error| Status::internal(format!("{method}: {error}")))?;
        let (id, answer) = self.replies.open();
        let event =
            Inbound::new("plugin", json!({ "id": id, "method": method, "request": request }));
        let kind = self.spec.kind;
        if running.inbound.send(event).is_err() {
            return Err(Status::unavailable(format!("the {kind}'s program has finished")));
        }
        match answer.await {
            Ok(Ok(value)) => serde_json::from_value(value).map_err(|error| {
                Status::internal(format!(
                    "the {kind} answered {method} with a message that cannot be read: {error}"
                ))
            }),
            Ok(Err(message)) => Err(Status::unknown(message)),
            Err(_) => Err(Status::unavailable(format!(
                "the {kind}'s program finished before answering {method}"
            ))),
        }
    }

    async fn running(self: &Arc<Self>) -> Result<&Running, Status> {
        let started = self.running.get_or_init(|| self.clone().start()).await;
        started.as_ref().map_err(|message| Status::failed_precondition(message.clone()))
    }

    /// Starts the program on a thread of its own and waits until it listens.
    async fn start(self: Arc<Self>) -> Result<Running, String> {
        let (ready_tx, ready_rx) = oneshot::channel();
        let program = self.clone();
        std::thread::Builder::new()
            .name("plugin".into())
            .spawn(move || {
                let runtime =
                    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                        Ok(runtime) => runtime,
                        Err(error) => {
                            let _ = ready_tx.send(Err(format!(
                                "could not start the plugin's event loop: {error}"
                            )));
                            return;
                        }
                    };
                runtime.block_on(program.run(ready_tx));
            })
            .map_err(|error| format!("could not start the plugin's thread: {error}"))?;
        ready_rx
            .await
            .unwrap_or_else(|_| Err(format!("the {}'s program failed to start", self.spec.kind)))
    }

    /// The `run.context` the program reads.
    fn context(&self) -> Value {
        let stack = self.stack.lock().expect("plugin stack lock").clone();
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
            "config": stack.config,
            "configSecretKeys": stack.config_secret_keys,
            "packageVersion": self.spec.version,
            "stackTags": stack.tags,
        })
    }

    async fn run(self: Arc<Self>, ready: oneshot::Sender<Result<Running, String>>) {
        let run = RunBuilder::new(self.spec.kind, "unfold/plugin.ts");
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
        let bridge = Rc::new(PluginBridge {
            replies: self.replies.clone(),
            ready: RefCell::new(Some(ready)),
            inbound: run.inbound(),
        });
        let console: Box<dyn Console> = Box::new(ClosureConsole(self.spec.console.clone()));
        let system = System::new(host.redacting(console), Clock::default(), Some(&seed));
        let mut isolate = run
            .crossings(&OUTCOME, Rc::new(()))
            .crossings(&PULUMI, host)
            .crossings(&PLUGIN, bridge.clone())
            .crossings(&SYSTEM, Rc::new(system))
            .crossings(&FILES, Rc::new(()))
            .crossings(&HTTP, Rc::new(()))
            .crossings(&ENVIRONMENT, Rc::new(Environment::Process))
            .membrane(Membrane::disabled())
            .build();
        *self.isolate.lock().expect("plugin isolate lock") = Some(isolate.handle());
        let evaluated = isolate.run_to_completion().await;
        self.isolate.lock().expect("plugin isolate lock").take();
        self.replies.abandon_all();
        // A program that never listened tells the engine why on its first call.
        let entry = self.spec.entry.display();
        let why = match (isolate.outcome(), evaluated) {
            (Some(Outcome::Error { message }), _) => message,
            (_, Err(error)) => {
                format!(
                    "the {} {entry} failed with an unhandled exception:\n{error}",
                    self.spec.kind
                )
            }
            _ => format!(
                "the {} {entry} finished without serving anything: {}",
                self.spec.kind, self.spec.how_to_serve
            ),
        };
        if let Some(ready) = bridge.ready.borrow_mut().take() {
            let _ = ready.send(Err(why));
        }
    }
}

/// Console output of the program, handed to the plugin's streams.
struct ClosureConsole(ConsoleSink);

impl Console for ClosureConsole {
    fn write(&self, stream: ConsoleStream, text: &str) {
        (self.0)(stream, text)
    }
}

/// The program's side of the engine's calls: where its replies go, and who
/// waits for it to listen.
pub struct PluginBridge {
    replies: Arc<PendingReplies<Value>>,
    ready: RefCell<Option<oneshot::Sender<Result<Running, String>>>>,
    inbound: UnboundedSender<Inbound>,
}

pub static PLUGIN_SERVE: CrossingSpec = CrossingSpec::sync(
    "plugin.serve",
    "`{}`",
    "`null`; the plugin listens for inbound `plugin` events `{id, method, request}` from now on",
);
pub static PLUGIN_REPLY: CrossingSpec = CrossingSpec::sync(
    "plugin.reply",
    "`{id, response}` (the method's response message in proto3 JSON) or `{id, error}`",
    "`null`; answers the inbound `plugin` event `id`",
);

/// The crossings of a plugin's program.
pub static PLUGIN: HandlerSet<PluginBridge> = HandlerSet {
    name: "plugin",
    handlers: &[
        Handler::sync(&PLUGIN_SERVE, |bridge, _, _| {
            let ready = bridge.ready.borrow_mut().take().ok_or_else(|| {
                CrossingError::host("a plugin's program serves once: it started serving twice")
            })?;
            let _ = ready.send(Ok(Running { inbound: bridge.inbound.clone() }));
            Ok(Value::Null)
        }),
        Handler::sync(&PLUGIN_REPLY, |bridge, _, args| {
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
                    return Err(CrossingError::host("plugin.reply needs a response or an error"));
                }
            };
            bridge.replies.complete(reply.id, answer)?;
            Ok(Value::Null)
        }),
    ],
    families: &[],
};

/// The `version` of the plugin's package.json, if it has one.
pub fn package_version(dir: &std::path::Path) -> String {
    std::fs::read(dir.join("package.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|package| package.get("version")?.as_str().map(String::from))
        .unwrap_or_default()
}
