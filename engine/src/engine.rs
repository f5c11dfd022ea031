//! The engine's entry points: preview, update and destroy a stack, each a
//! complete deployment with its own services, host and report.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::Notify;
use unfold_proto::pulumirpc::engine_server::EngineServer;
use unfold_proto::pulumirpc::resource_monitor_server::ResourceMonitorServer;
use unfold_proto::pulumirpc::{PackageDependency, ProgramInfo, RunRequest};
use unfold_wire::structs;

use crate::default_packages::default_packages;
use crate::delete::delete_in_reverse;
use crate::engine_service::EngineService;
use crate::evaluation::{Evaluation, RunContext};
use crate::host::{HostSpec, LanguageHost, RunOutcome};
use crate::monitor::MonitorService;
use crate::plugin_provider::PluginContext;
use crate::project::ProjectSpec;
use crate::property::PropertyMap;
use crate::provider::ProviderRegistry;
use crate::report::{Operation, RunReport};
use crate::run_record::{CurrentRun, RunRecord};
use crate::servers::{self, RunningServer};
use crate::state::SecretsProvider;
use crate::state::{Backend, StackState};
use crate::steps::{Step, StepOp};

#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Print diagnostics to stderr as they arrive.
    pub echo: bool,
    /// How long one run of the program may take.
    pub run_timeout: Duration,
    /// The `parallel` the program is told.
    pub parallel: i32,
    /// When notified during a run, the engine stops serving (monitor and
    /// engine services) as if it had died, and waits for the host to end the
    /// run on its own: how a host copes with losing its engine.
    pub stop_serving: Option<Arc<Notify>>,
    /// Write the stack's state after every step of an update, so that a crash
    /// loses nothing already done. Each write is the whole state, so an update
    /// of n resources costs O(n²); without them (like Pulumi's
    /// `PULUMI_SKIP_CHECKPOINTS`) the state is written once, at the end.
    pub checkpoints: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            echo: false,
            run_timeout: Duration::from_secs(600),
            parallel: 16,
            stop_serving: None,
            checkpoints: true,
        }
    }
}

pub struct Engine {
    backend: Backend,
    providers: ProviderRegistry,
    options: EngineOptions,
}

/// The services and host that live as long as one command.
struct Session {
    current: CurrentRun,
    /// `None` once stopped.
    engine_server: Option<RunningServer>,
    host: Box<dyn LanguageHost>,
    /// The packages the host reported the program needs.
    packages: Vec<PackageDependency>,
}

impl Engine {
    /// An engine keeping state in `backend_dir`, with the built-in providers.
    pub fn new(backend_dir: impl Into<PathBuf>) -> Self {
        Self {
            backend: Backend::new(backend_dir),
            providers: ProviderRegistry::default(),
            options: EngineOptions::default(),
        }
    }

    pub fn with_providers(mut self, providers: ProviderRegistry) -> Self {
        self.providers = providers;
        self
    }

    pub fn with_options(mut self, options: EngineOptions) -> Self {
        self.options = options;
        self
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// The stored state of a stack, if it was ever deployed.
    pub fn state(&self, project: &str, stack: &str) -> Result<Option<StackState>> {
        self.backend.load(project, stack)
    }

    pub fn stack_outputs(&self, project: &str, stack: &str) -> Result<PropertyMap> {
        Ok(self.state(project, stack)?.map(|s| s.outputs).unwrap_or_default())
    }

    /// Runs the program with `dryRun=true`: what an update would do; nothing is written.
    pub async fn preview(&self, project: &ProjectSpec, host: &HostSpec) -> RunReport {
        let mut session = match self.start_session(project, host).await {
            Ok(session) => session,
            Err(e) => return RunReport::failed(Operation::Preview, format!("{e:#}")),
        };
        let record = session.current.get();
        let report = self.run_program(project, &mut session, record, true).await;
        session.stop().await;
        report
    }

    /// A preview, then (if it succeeded) the update, against a fresh monitor.
    pub async fn up(&self, project: &ProjectSpec, host: &HostSpec) -> RunReport {
        let mut session = match self.start_session(project, host).await {
            Ok(session) => session,
            Err(e) => return RunReport::failed(Operation::Update, format!("{e:#}")),
        };
        let record = session.current.get();
        let preview = self.run_program(project, &mut session, record, true).await;
        let report = if preview.succeeded() {
            let record = session.current.begin(self.options.echo);
            let mut report = self.run_program(project, &mut session, record, false).await;
            report.preview = Some(Box::new(preview));
            report
        } else {
            let mut report =
                RunReport::failed(Operation::Update, preview.error.clone().unwrap_or_default());
            report.preview = Some(Box::new(preview));
            report
        };
        session.stop().await;
        report
    }

    /// Deletes every resource in the stack's state, dependents first. The program is not run.
    pub async fn destroy(&self, project: &ProjectSpec) -> RunReport {
        match self.try_destroy(project).await {
            Ok(report) => report,
            Err(e) => RunReport::failed(Operation::Destroy, format!("{e:#}")),
        }
    }

    async fn try_destroy(&self, project: &ProjectSpec) -> Result<RunReport> {
        let mut report = RunReport::new(Operation::Destroy);
        let Some(mut state) = self.backend.load(&project.name, &project.stack)? else {
            return Ok(report);
        };
        // Provider plugins get an engine to talk to, as in any other run.
        let current = CurrentRun::new(self.options.echo);
        let engine_server = self.start_engine_server(&current).await?;
        let providers = self.providers.for_run(self.plugin_context(
            project,
            &engine_server.address(),
            &current,
        ));
        let doomed: Vec<_> = state.resources.iter().collect();
        let (deleted, failure) = delete_in_reverse(&doomed, &providers, None).await;
        providers.shutdown().await;
        engine_server.stop().await;
        let record = current.get();
        report.steps = state
            .resources
            .iter()
            .rev()
            .filter(|r| deleted.contains(&r.urn))
            .map(|r| Step {
                op: StepOp::Delete,
                urn: r.urn.clone(),
                ty: r.ty.clone(),
                diffs: vec![],
                replace_keys: vec![],
                delete_before_replace: false,
            })
            .collect();
        state.resources.retain(|r| !deleted.contains(&r.urn));
        state.refresh_outputs();
        self.backend.save(&state)?;
        if let Some((urn, error)) = failure {
            record.diagnostics.engine_error(&urn, format!("{error:#}"));
            report.error = Some(format!("{error:#}"));
        }
        report.diagnostics = record.diagnostics.entries();
        Ok(report)
    }

    /// The Engine service (logs, root resource) for a command's host and plugins.
    async fn start_engine_server(&self, current: &CurrentRun) -> Result<RunningServer> {
        let engine_service = EngineServer::new(EngineService::new(current.clone()))
            .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
            .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
        RunningServer::start(servers::builder().add_service(engine_service)).await
    }

    /// What the provider plugins of a run are started with.
    fn plugin_context(
        &self,
        project: &ProjectSpec,
        engine_address: &str,
        current: &CurrentRun,
    ) -> PluginContext {
        PluginContext {
            engine_address: engine_address.to_string(),
            project: project.name.clone(),
            stack: project.stack.clone(),
            config: project.config.clone(),
            working_directory: Some(project.program_location().0),
            current: Some(current.clone()),
        }
    }

    async fn start_session(&self, project: &ProjectSpec, host: &HostSpec) -> Result<Session> {
        let current = CurrentRun::new(self.options.echo);
        let engine_server = self.start_engine_server(&current).await?;
        let mut host = match host.start(project, &engine_server.address(), current.clone()).await {
            Ok(host) => host,
            Err(e) => {
                engine_server.stop().await;
                return Err(e);
            }
        };
        let packages = match host.required_packages(program_info(project)).await {
            Ok(packages) => packages,
            Err(e) => {
                host.shutdown().await;
                engine_server.stop().await;
                return Err(e);
            }
        };
        Ok(Session { current, engine_server: Some(engine_server), host, packages })
    }

    async fn run_program(
        &self,
        project: &ProjectSpec,
        session: &mut Session,
        record: Arc<RunRecord>,
        dry_run: bool,
    ) -> RunReport {
        let operation = if dry_run { Operation::Preview } else { Operation::Update };
        // Each run starts the provider plugins it needs, and stops them when it is over.
        let engine_address =
            session.engine_server.as_ref().map(RunningServer::address).unwrap_or_default();
        let providers =
            self.providers.for_run(self.plugin_context(project, &engine_address, &session.current));
        let result =
            self.try_run_program(project, session, record.clone(), dry_run, &providers).await;
        providers.shutdown().await;
        match result {
            Ok(report) => report,
            Err(e) => RunReport {
                diagnostics: record.diagnostics.entries(),
                trace: record.trace.entries(),
                ..RunReport::failed(operation, format!("{e:#}"))
            },
        }
    }

    async fn try_run_program(
        &self,
        project: &ProjectSpec,
        session: &mut Session,
        record: Arc<RunRecord>,
        dry_run: bool,
        providers: &ProviderRegistry,
    ) -> Result<RunReport> {
        let mut old = self
            .backend
            .load(&project.name, &project.stack)?
            .unwrap_or_else(|| StackState::empty(&project.name, &project.stack));
        // A stack whose config already has a salt seals its state with it, as `pulumi` does.
        if old.secrets_providers.is_none() {
            old.secrets_providers =
                project.encryption_salt.as_deref().map(SecretsProvider::passphrase);
        }
        let ctx = RunContext {
            project: project.name.clone(),
            stack: project.stack.clone(),
            dry_run,
            config: project.config.clone(),
            backend: self.backend.clone(),
            checkpoints: self.options.checkpoints,
        };
        let defaults = default_packages(&session.packages, &old);
        let evaluation =
            Arc::new(Evaluation::new(ctx, old, defaults, providers.clone(), record.clone()));
        let monitor = MonitorService::new(
            evaluation.clone(),
            self.options.parallel,
            project.organization.clone(),
        );
        let monitor = ResourceMonitorServer::new(monitor)
            .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
            .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
        let monitor = RunningServer::start(servers::builder().add_service(monitor)).await?;
        let request = self.run_request(project, &monitor.address(), dry_run);
        let run = session.host.run(request, self.options.run_timeout);
        let (outcome, monitor) = match &self.options.stop_serving {
            None => (run.await, Some(monitor)),
            Some(stop) => {
                tokio::pin!(run);
                tokio::select! {
                    outcome = &mut run => (outcome, Some(monitor)),
                    () = stop.notified() => {
                        monitor.stop().await;
                        if let Some(engine_server) = session.engine_server.take() {
                            engine_server.stop().await;
                        }
                        (run.await, None)
                    }
                }
            }
        };
        if let Some(monitor) = monitor {
            monitor.stop().await;
        }
        let program_error = match outcome {
            Ok(RunOutcome::Succeeded) => None,
            Ok(RunOutcome::Bailed) => {
                Some("the program failed; its errors are shown above".to_string())
            }
            Ok(RunOutcome::Failed(error)) => Some(error),
            Err(e) => Some(format!("{e:#}")),
        };
        let result = evaluation.finish(program_error.is_none()).await;
        if !dry_run {
            self.backend.save(&result.state).context("saving the stack's state")?;
        }
        Ok(RunReport {
            operation: if dry_run { Operation::Preview } else { Operation::Update },
            steps: result.steps,
            outputs: result.state.outputs,
            diagnostics: record.diagnostics.entries(),
            trace: record.trace.entries(),
            error: result.error.or(program_error),
            preview: None,
        })
    }

    /// The RunRequest as the CLI fills it.
    fn run_request(
        &self,
        project: &ProjectSpec,
        monitor_address: &str,
        dry_run: bool,
    ) -> RunRequest {
        let info = program_info(project);
        // `program` is deprecated but still filled by the CLI, for older hosts.
        #[allow(deprecated)]
        RunRequest {
            project: project.name.clone(),
            stack: project.stack.clone(),
            pwd: info.program_directory.clone(),
            program: info.entry_point.clone(),
            config: project.config.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect(),
            config_secret_keys: project.secret_config_keys(),
            organization: project.organization.clone(),
            dry_run,
            parallel: self.options.parallel,
            monitor_address: monitor_address.to_string(),
            info: Some(info),
            ..Default::default()
        }
    }
}

fn program_info(project: &ProjectSpec) -> ProgramInfo {
    let (program_directory, entry_point) = project.program_location();
    ProgramInfo {
        root_directory: project.root_directory.display().to_string(),
        program_directory: program_directory.display().to_string(),
        entry_point,
        options: Some(structs::to_struct(&project.runtime_options)),
    }
}

impl Session {
    async fn stop(self) {
        self.host.shutdown().await;
        if let Some(engine_server) = self.engine_server {
            engine_server.stop().await;
        }
    }
}
