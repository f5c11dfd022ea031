//! One evaluation of a program: the engine side of the resource monitor.
//! Each registration is turned into a step against the stored state (create,
//! same, update, replace, import, read), executed through the resource's
//! provider, and recorded into the new state; when the program is done,
//! resources it no longer registers are deleted.
//!
//! Registrations are applied one at a time, in arrival order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use unfold_proto::pulumirpc::register_resource_request::ResourceHooksBinding;
use unfold_proto::pulumirpc::{
    self, Callback, ExistsResourceRequest, ExistsResourceResponse, ReadResourceRequest,
    ReadResourceResponse, RegisterErrorHookRequest, RegisterPackageRequest,
    RegisterResourceHookRequest, RegisterResourceOutputsRequest, RegisterResourceRequest,
    RegisterResourceResponse, ResourceInvokeRequest, ResourceInvokeResponse,
    TransformInvokeOptions, TransformInvokeRequest, TransformInvokeResponse, TransformRequest,
    TransformResourceOptions, TransformResponse,
};
use unfold_wire::signatures::{UNKNOWN, make_secret};
use unfold_wire::structs;
use unfold_wire::urn::{self, PROVIDER_TYPE_PREFIX, ProviderReference, ROOT_STACK_TYPE, new_urn};

use crate::aliases::{AliasContext, alias_urns};
use crate::builtins;
use crate::callbacks::CallbackClients;
use crate::default_packages::DefaultPackage;
use crate::delete::{delete_in_reverse, protected_error};
use crate::hooks::{HookRunner, HookType, Hooks, Subject};
use crate::project::ConfigValue;
use crate::property::{self, PropertyMap};
use crate::property_path::{PropertyPath, apply_ignore_changes};
use crate::provider::{CheckFailure, DiffResult, Provider, ProviderRegistry};
use crate::response::{Acceptance, outputs_for_program};
use crate::run_record::RunRecord;
use crate::state::{Backend, ResourceState, StackState};
use crate::steps::{Step, StepOp, classify};
use crate::urn::default_provider_name;

pub(crate) const STACK_REFERENCE_TYPE: &str = "pulumi:pulumi:StackReference";

/// What an evaluation needs to know about the stack and the run.
#[derive(Debug, Clone)]
pub(crate) struct RunContext {
    pub project: String,
    pub stack: String,
    pub dry_run: bool,
    /// Stack config, for default provider configuration (`<package>:<key>`).
    pub config: BTreeMap<String, ConfigValue>,
    /// Where state lives: checkpoints are written there, stack references read from there.
    pub backend: Backend,
    /// Write the state after every step (else only when the run is done).
    pub checkpoints: bool,
}

/// A registration after transforms and defaulting: what the program wants the resource to be.
#[derive(Debug, Clone, Default)]
struct Goal {
    urn: String,
    ty: String,
    custom: bool,
    parent: String,
    provider: String,
    inputs: PropertyMap,
    dependencies: Vec<String>,
    property_dependencies: BTreeMap<String, Vec<String>>,
    protect: bool,
    retain_on_delete: bool,
    deleted_with: String,
    delete_before_replace: bool,
    ignore_changes: Vec<String>,
    replace_on_changes: Vec<String>,
    additional_secret_outputs: Vec<String>,
    aliases: Vec<String>,
    import_id: String,
    timeouts: Timeouts,
    replace_with: Vec<String>,
    /// Null when the program gave none.
    replacement_trigger: Value,
    hooks: ResourceHooksBinding,
}

#[derive(Debug, Clone, Copy, Default)]
struct Timeouts {
    create: Option<Duration>,
    update: Option<Duration>,
}

/// Who carries out a step.
enum Handler {
    Component,
    /// A provider resource: its inputs are the provider's configuration.
    ProviderResource,
    Resource(Arc<dyn Provider>),
}

/// The evaluation's mutable state.
#[derive(Default)]
struct Progress {
    /// The new state of every resource handled so far, in completion order.
    done: Vec<ResourceState>,
    /// URNs registered (or read) by the program.
    registered: HashSet<String>,
    /// Old resources accounted for: registered again, possibly under an alias.
    claimed: HashSet<String>,
    /// Old versions of replaced resources, to delete when the program is done.
    replaced: Vec<ResourceState>,
    /// Old resources already deleted (delete-before-replace).
    deleted: HashSet<String>,
    steps: Vec<Step>,
    /// Provider resources available to this run, by URN: their current ID.
    providers: HashMap<String, String>,
    /// Alias URNs of each resource registered in this run, for its children.
    aliases: HashMap<String, Vec<String>>,
    /// Transforms registered on each resource; they also apply to its descendants.
    resource_transforms: HashMap<String, Vec<Callback>>,
    stack_transforms: Vec<Callback>,
    invoke_transforms: Vec<Callback>,
    hooks: Hooks,
    /// Package references handed out by RegisterPackage: ref → package name.
    packages: HashMap<String, String>,
    root: Option<String>,
    /// The first resource operation that failed.
    failure: Option<String>,
}

/// How a program run ended, as far as the engine is concerned.
#[derive(Debug)]
pub(crate) struct EvaluationResult {
    pub steps: Vec<Step>,
    pub state: StackState,
    /// A failed resource operation.
    pub error: Option<String>,
}

pub(crate) struct Evaluation {
    ctx: RunContext,
    old: StackState,
    /// What default providers get when a request names no version or download URL, by package.
    default_packages: HashMap<String, DefaultPackage>,
    providers: ProviderRegistry,
    record: Arc<RunRecord>,
    callbacks: CallbackClients,
    progress: Mutex<Progress>,
    /// ExistsResource questions asked so far, each read under a URN of its own.
    exists_questions: std::sync::atomic::AtomicU64,
}

/// A failed registration: either the request is unusable, or the resource operation failed.
pub(crate) enum RegistrationError {
    Invalid(anyhow::Error),
    Failed { urn: String, error: anyhow::Error },
}

impl From<anyhow::Error> for RegistrationError {
    fn from(error: anyhow::Error) -> Self {
        RegistrationError::Invalid(error)
    }
}

impl From<structs::StructError> for RegistrationError {
    fn from(error: structs::StructError) -> Self {
        RegistrationError::Invalid(error.into())
    }
}

impl Evaluation {
    pub(crate) fn new(
        ctx: RunContext,
        old: StackState,
        default_packages: HashMap<String, DefaultPackage>,
        providers: ProviderRegistry,
        record: Arc<RunRecord>,
    ) -> Self {
        Self {
            ctx,
            old,
            default_packages,
            providers,
            record,
            callbacks: CallbackClients::default(),
            progress: Mutex::default(),
            exists_questions: Default::default(),
        }
    }

    pub(crate) fn record(&self) -> &Arc<RunRecord> {
        &self.record
    }

    pub(crate) fn context(&self) -> &RunContext {
        &self.ctx
    }

    pub(crate) async fn register_resource(
        &self,
        req: RegisterResourceRequest,
    ) -> Result<RegisterResourceResponse, RegistrationError> {
        let req = self.transform_resource(req).await?;
        let mut progress = self.progress.lock().await;
        let parent = self.default_parent(&progress, &req.r#type, &req.parent);
        let urn = new_urn(
            &self.ctx.stack,
            &self.ctx.project,
            Some(parent.as_str()).filter(|p| !p.is_empty()),
            &req.r#type,
            &req.name,
        );
        if !progress.registered.insert(urn.clone()) {
            return Err(
                anyhow!("Duplicate resource URN '{urn}'; try giving it a unique name").into()
            );
        }
        if req.r#type == ROOT_STACK_TYPE && parent.is_empty() {
            progress.root.get_or_insert_with(|| urn.clone());
        }
        let parent_aliases = progress.aliases.get(&parent).cloned().unwrap_or_default();
        let aliases = alias_urns(
            &AliasContext {
                stack: &self.ctx.stack,
                project: &self.ctx.project,
                ty: &req.r#type,
                name: &req.name,
                parent: Some(parent.as_str()).filter(|p| !p.is_empty()),
                parent_aliases: &parent_aliases,
            },
            &req.aliases,
            &req.alias_ur_ns,
        );
        progress.aliases.insert(urn.clone(), aliases.clone());
        progress.resource_transforms.insert(urn.clone(), req.transforms.clone());

        let (handler, provider) = if urn::is_provider_type(&req.r#type) {
            (Handler::ProviderResource, String::new())
        } else if req.custom {
            let package = self.package_name(&progress, &req.package_ref, &req.r#type);
            let reference = self
                .resolve_provider(
                    &mut progress,
                    &package,
                    &req.provider,
                    &req.version,
                    &req.plugin_download_url,
                )
                .await
                .map_err(|error| RegistrationError::Failed { urn: urn.clone(), error })?;
            (Handler::Resource(self.providers.for_package(&package)?), reference)
        } else {
            (Handler::Component, String::new())
        };
        // A remote component is a component whose outputs its provider computes (Construct).
        let constructor = if req.remote && !req.custom {
            let package = self.package_name(&progress, &req.package_ref, &req.r#type);
            Some(self.providers.for_package(&package)?)
        } else {
            None
        };

        let mut inputs = plain_properties(req.object.as_ref())?;
        if matches!(handler, Handler::ProviderResource) {
            // An explicit provider naming no plugin gets the default provider's, as under Pulumi.
            let (version, download_url) = match self
                .default_packages
                .get(urn::package_of(&req.r#type))
            {
                Some(defaults) if req.version.is_empty() && req.plugin_download_url.is_empty() => {
                    (defaults.version.as_str(), defaults.download_url.as_str())
                }
                _ => (req.version.as_str(), req.plugin_download_url.as_str()),
            };
            set_provider_plugin(&mut inputs, version, download_url)
                .map_err(|error| RegistrationError::Failed { urn: urn.clone(), error })?;
        }
        let goal = Goal {
            urn: urn.clone(),
            ty: req.r#type.clone(),
            custom: req.custom,
            parent,
            provider,
            inputs,
            dependencies: req.dependencies.clone(),
            property_dependencies: req
                .property_dependencies
                .iter()
                .map(|(k, v)| (k.clone(), v.urns.clone()))
                .collect(),
            protect: req.protect.unwrap_or(false),
            retain_on_delete: req.retain_on_delete.unwrap_or(false),
            deleted_with: req.deleted_with.clone(),
            delete_before_replace: req.delete_before_replace,
            ignore_changes: req.ignore_changes.clone(),
            replace_on_changes: req.replace_on_changes.clone(),
            additional_secret_outputs: req.additional_secret_outputs.clone(),
            aliases,
            import_id: req.import_id.clone(),
            replace_with: req.replace_with.clone(),
            replacement_trigger: match &req.replacement_trigger {
                Some(trigger) => {
                    serde_json::to_value(trigger).context("reading the replacementTrigger")?
                }
                None => Value::Null,
            },
            hooks: req.hooks.clone().unwrap_or_default(),
            timeouts: req
                .custom_timeouts
                .as_ref()
                .map(|t| {
                    Ok::<_, anyhow::Error>(Timeouts {
                        create: parse_timeout(&t.create)?,
                        update: parse_timeout(&t.update)?,
                    })
                })
                .transpose()?
                .unwrap_or_default(),
        };
        if !goal.hooks.before_delete.is_empty() || !goal.hooks.after_delete.is_empty() {
            self.record.diagnostics.engine_warning(
                &urn,
                "its delete hooks will not run: `unfold dev` runs create, update and error hooks; `pulumi up` and `pulumi destroy` with `runtime: unfold` run delete hooks too",
            );
        }
        let component_inputs = constructor.as_ref().map(|_| goal.inputs.clone());
        let mut state = self
            .apply(&mut progress, goal, handler)
            .await
            .map_err(|error| RegistrationError::Failed { urn: urn.clone(), error })?;
        if let (Some(provider), Some(inputs)) = (constructor, component_inputs) {
            state.outputs = provider
                .construct(&urn, &inputs, self.ctx.dry_run)
                .await
                .map_err(|error| RegistrationError::Failed { urn: urn.clone(), error })?;
            if let Some(done) = progress.done.iter_mut().find(|r| r.urn == urn) {
                done.outputs = state.outputs.clone();
            }
            self.checkpoint(&progress);
        }
        if urn::is_provider_type(&state.ty) {
            progress.providers.insert(state.urn.clone(), state.id.clone());
        }
        let accepts = Acceptance {
            secrets: req.accept_secrets,
            resources: req.accept_resources,
            partial_values: req.supports_partial_values,
        };
        Ok(RegisterResourceResponse {
            urn: state.urn.clone(),
            id: if state.id == UNKNOWN { String::new() } else { state.id.clone() },
            object: Some(structs::to_struct(&outputs_for_program(&state.outputs, accepts))),
            result: pulumirpc::Result::Success as i32,
            ..Default::default()
        })
    }

    /// Records a failed resource operation: the user sees it, and the run fails.
    pub(crate) async fn report_failure(&self, urn: &str, error: &anyhow::Error) {
        let message = format!("{error:#}");
        self.record.diagnostics.engine_error(urn, message.clone());
        self.progress.lock().await.failure.get_or_insert(message);
    }

    pub(crate) async fn register_resource_outputs(
        &self,
        req: RegisterResourceOutputsRequest,
    ) -> Result<()> {
        let outputs = plain_properties(req.outputs.as_ref())?;
        let mut progress = self.progress.lock().await;
        let resource = progress.done.iter_mut().find(|r| r.urn == req.urn).with_context(|| {
            format!("cannot register outputs of '{}': no such resource was registered", req.urn)
        })?;
        resource.outputs = outputs;
        self.checkpoint(&progress);
        Ok(())
    }

    pub(crate) async fn read_resource(
        &self,
        req: ReadResourceRequest,
    ) -> Result<ReadResourceResponse, RegistrationError> {
        let mut progress = self.progress.lock().await;
        let parent = self.default_parent(&progress, &req.r#type, &req.parent);
        let urn = new_urn(
            &self.ctx.stack,
            &self.ctx.project,
            Some(parent.as_str()).filter(|p| !p.is_empty()),
            &req.r#type,
            &req.name,
        );
        if !progress.registered.insert(urn.clone()) {
            return Err(
                anyhow!("Duplicate resource URN '{urn}'; try giving it a unique name").into()
            );
        }
        let inputs = plain_properties(req.properties.as_ref())?;
        let failed = |error| RegistrationError::Failed { urn: urn.clone(), error };
        // A stack reference is read through the engine's own package, whose
        // default provider it gets as any other read does.
        let package = self.package_name(&progress, &req.package_ref, &req.r#type);
        let provider = self
            .resolve_provider(
                &mut progress,
                &package,
                &req.provider,
                &req.version,
                &req.plugin_download_url,
            )
            .await
            .map_err(failed)?;
        let (id, outputs) = if req.r#type == STACK_REFERENCE_TYPE {
            (req.id.clone(), self.read_stack_reference(&req.id).map_err(failed)?)
        } else {
            let plugin = self.providers.for_package(&package)?;
            let read =
                plugin.read(&urn, &req.id, &inputs, &PropertyMap::new()).await.map_err(failed)?;
            let read =
                read.ok_or_else(|| failed(anyhow!("resource '{}' does not exist", req.id)))?;
            // The provider may name the resource by another (canonical) ID.
            let id = if read.id.is_empty() { req.id.clone() } else { read.id };
            (id, read.outputs)
        };
        progress.claimed.insert(urn.clone());
        let state = ResourceState {
            urn: urn.clone(),
            ty: req.r#type.clone(),
            custom: true,
            id: id.clone(),
            parent,
            provider,
            inputs,
            outputs,
            dependencies: req.dependencies.clone(),
            additional_secret_outputs: req.additional_secret_outputs.clone(),
            external: true,
            ..Default::default()
        };
        progress.steps.push(step(StepOp::Read, &state, None));
        let accepts = Acceptance {
            secrets: req.accept_secrets,
            resources: req.accept_resources,
            partial_values: true,
        };
        let properties = structs::to_struct(&outputs_for_program(&state.outputs, accepts));
        progress.done.push(state);
        self.checkpoint(&progress);
        Ok(ReadResourceResponse { urn, properties: Some(properties), id, ..Default::default() })
    }

    /// Whether the provider finds a resource of the type with the ID,
    /// without reading it into the stack: its Read answers, under a URN made
    /// up for the question (nothing is registered or stored).
    pub(crate) async fn exists_resource(
        &self,
        req: ExistsResourceRequest,
    ) -> Result<ExistsResourceResponse> {
        if req.id == UNKNOWN {
            return Ok(ExistsResourceResponse { exists: false, unknown: true });
        }
        let mut progress = self.progress.lock().await;
        let inputs = plain_properties(req.properties.as_ref())?;
        let package = self.package_name(&progress, &req.package_ref, &req.r#type);
        self.resolve_provider(
            &mut progress,
            &package,
            &req.provider,
            &req.version,
            &req.plugin_download_url,
        )
        .await?;
        let provider = self.providers.for_package(&package)?;
        drop(progress);
        let number = self.exists_questions.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let parent = Some(req.parent.as_str()).filter(|p| !p.is_empty());
        let urn = new_urn(
            &self.ctx.stack,
            &self.ctx.project,
            parent,
            &req.r#type,
            &format!("exists-{number}"),
        );
        let read = provider
            .read(&urn, &req.id, &inputs, &PropertyMap::new())
            .await
            .with_context(|| format!("reading resource '{}'", req.id))?;
        Ok(match read {
            // A provider configured with unknowns answers with nothing known.
            Some(read) if read.outputs.is_empty() => {
                ExistsResourceResponse { exists: false, unknown: true }
            }
            found => ExistsResourceResponse { exists: found.is_some(), unknown: false },
        })
    }

    pub(crate) async fn invoke(
        &self,
        req: ResourceInvokeRequest,
    ) -> Result<ResourceInvokeResponse> {
        let req = self.transform_invoke(req).await?;
        let mut progress = self.progress.lock().await;
        let package = self.package_name(&progress, &req.package_ref, &req.tok);
        self.resolve_provider(
            &mut progress,
            &package,
            &req.provider,
            &req.version,
            &req.plugin_download_url,
        )
        .await?;
        if package == builtins::PACKAGE {
            let args = structs::from_struct(req.args.as_ref())?;
            let result = builtins::invoke(&req.tok, &args, &progress.done)?;
            drop(progress);
            // getResource hands back references whatever the program declared, as Pulumi's
            // engine does for SDKs that predate `acceptResources`.
            let accepts = Acceptance {
                secrets: true,
                resources: req.accept_resources || req.tok == builtins::GET_RESOURCE,
                partial_values: true,
            };
            return Ok(ResourceInvokeResponse {
                r#return: Some(structs::to_struct(&outputs_for_program(&result, accepts))),
                failures: Vec::new(),
                unknown: false,
            });
        }
        drop(progress);
        let args = plain_properties(req.args.as_ref())?;
        let result = self
            .providers
            .for_package(&package)?
            .invoke(&req.tok, &args)
            .await
            .with_context(|| format!("invoking {}", req.tok))?;
        let accepts =
            Acceptance { secrets: true, resources: req.accept_resources, partial_values: true };
        Ok(ResourceInvokeResponse {
            r#return: Some(structs::to_struct(&outputs_for_program(&result.outputs, accepts))),
            failures: result
                .failures
                .into_iter()
                .map(|f| pulumirpc::CheckFailure { property: f.property, reason: f.reason })
                .collect(),
            unknown: false,
        })
    }

    pub(crate) async fn register_package(&self, req: &RegisterPackageRequest) -> String {
        let mut hasher = Sha256::new();
        for part in [&req.name, &req.version, &req.download_url] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        if let Some(p) = &req.parameterization {
            hasher.update(p.name.as_bytes());
            hasher.update(p.version.as_bytes());
            hasher.update(&p.value);
        }
        let reference = hex::encode(&hasher.finalize()[..16]);
        // A parameterized package's resources carry the parameterization's name.
        let name = req.parameterization.as_ref().map_or(&req.name, |p| &p.name).clone();
        self.progress.lock().await.packages.insert(reference.clone(), name);
        reference
    }

    pub(crate) async fn register_resource_hook(
        &self,
        request: RegisterResourceHookRequest,
    ) -> Result<()> {
        self.progress.lock().await.hooks.register_resource_hook(request)
    }

    pub(crate) async fn register_error_hook(
        &self,
        request: RegisterErrorHookRequest,
    ) -> Result<()> {
        self.progress.lock().await.hooks.register_error_hook(request)
    }

    pub(crate) async fn register_stack_transform(&self, callback: Callback) {
        self.progress.lock().await.stack_transforms.push(callback);
    }

    pub(crate) async fn register_stack_invoke_transform(&self, callback: Callback) {
        self.progress.lock().await.invoke_transforms.push(callback);
    }

    /// Finishes the evaluation after the program has exited: unless something
    /// failed, deletes the resources the program no longer registers and the
    /// old versions of replaced resources (in a preview, only plans the deletes).
    pub(crate) async fn finish(&self, program_succeeded: bool) -> EvaluationResult {
        let mut progress = self.progress.lock().await;
        if program_succeeded && progress.failure.is_none() {
            self.delete_unregistered(&mut progress).await;
        }
        let state = self.new_state(&progress);
        EvaluationResult { steps: progress.steps.clone(), state, error: progress.failure.clone() }
    }

    async fn delete_unregistered(&self, progress: &mut Progress) {
        let replaced: HashSet<&str> = progress.replaced.iter().map(|r| r.urn.as_str()).collect();
        let doomed: Vec<&ResourceState> = self
            .old
            .resources
            .iter()
            .filter(|r| {
                (r.pending_delete || !progress.claimed.contains(&r.urn))
                    && !progress.deleted.contains(&r.urn)
                    || replaced.contains(r.urn.as_str()) && !r.pending_delete
            })
            .collect();
        let mut new_steps: Vec<Step> = doomed
            .iter()
            .rev()
            .filter(|r| !r.pending_delete && !replaced.contains(r.urn.as_str()))
            .map(|r| step(StepOp::Delete, r, None))
            .collect();
        if self.ctx.dry_run {
            if let Some(r) = doomed.iter().find(|r| r.protect && !replaced.contains(r.urn.as_str()))
            {
                let error = protected_error(&r.urn, "delete");
                self.record.diagnostics.engine_error(&r.urn, format!("{error:#}"));
                progress.failure.get_or_insert(format!("{error:#}"));
            }
            progress.steps.append(&mut new_steps);
            return;
        }
        let (deleted, failure) = delete_in_reverse(&doomed, &self.providers, None).await;
        let deleted: HashSet<String> = deleted.into_iter().collect();
        progress.steps.extend(new_steps.into_iter().filter(|s| deleted.contains(&s.urn)));
        progress.replaced.retain(|r| !deleted.contains(&r.urn));
        progress.deleted.extend(deleted);
        if let Some((urn, error)) = failure {
            let message = format!("{error:#}");
            self.record.diagnostics.engine_error(&urn, message.clone());
            progress.failure.get_or_insert(message);
        }
    }

    /// The state as it stands: everything handled in this run, then the old
    /// resources that are still there (untouched, or awaiting deletion).
    fn new_state(&self, progress: &Progress) -> StackState {
        let mut state = StackState::empty(&self.ctx.project, &self.ctx.stack);
        state.secrets_providers = self.old.secrets_providers.clone();
        state.resources = progress.done.clone();
        for old in &self.old.resources {
            let superseded = progress.claimed.contains(&old.urn) && !old.pending_delete;
            if !superseded && !progress.deleted.contains(&old.urn) {
                state.resources.push(old.clone());
            }
        }
        for replaced in &progress.replaced {
            state.resources.push(ResourceState { pending_delete: true, ..replaced.clone() });
        }
        state.refresh_outputs();
        state
    }

    /// Writes the state so far, so that a crash loses nothing already done.
    fn checkpoint(&self, progress: &Progress) {
        if self.ctx.dry_run || !self.ctx.checkpoints {
            return;
        }
        if let Err(e) = self.ctx.backend.save(&self.new_state(progress)) {
            self.record.diagnostics.engine_error("", format!("saving a checkpoint: {e:#}"));
        }
    }

    fn default_parent(&self, progress: &Progress, ty: &str, parent: &str) -> String {
        match (&progress.root, parent.is_empty() && ty != ROOT_STACK_TYPE) {
            (Some(root), true) => root.clone(),
            _ => parent.to_string(),
        }
    }

    fn package_name(&self, progress: &Progress, package_ref: &str, ty: &str) -> String {
        progress
            .packages
            .get(package_ref)
            .cloned()
            .unwrap_or_else(|| urn::package_of(ty).to_string())
    }

    /// The provider reference for a resource or invoke: the explicit one
    /// (validated), or the package's default provider, registered on first use.
    async fn resolve_provider(
        &self,
        progress: &mut Progress,
        package: &str,
        explicit: &str,
        version: &str,
        download_url: &str,
    ) -> Result<String> {
        if !explicit.is_empty() {
            let reference = ProviderReference::parse(explicit)?;
            let Some(id) = progress.providers.get(&reference.urn) else {
                bail!("unknown provider '{explicit}'");
            };
            if reference.id != *id && reference.id != UNKNOWN {
                bail!("unknown provider '{explicit}': the provider's ID is {id}");
            }
            let provider_package = urn::package_of(urn::parse(&reference.urn)?.ty()).to_string();
            if provider_package != package {
                bail!("provider '{explicit}' is for package '{provider_package}', not '{package}'");
            }
            return Ok(reference.to_string());
        }
        // A request naming no version (or URL) gets the package's default, as under Pulumi.
        let defaults = self.default_packages.get(package).cloned().unwrap_or_default();
        let version = if version.is_empty() { defaults.version.as_str() } else { version };
        let download_url =
            if download_url.is_empty() { defaults.download_url.as_str() } else { download_url };
        let name = default_provider_name(version, download_url)?;
        let ty = format!("{PROVIDER_TYPE_PREFIX}{package}");
        let urn = new_urn(&self.ctx.stack, &self.ctx.project, None, &ty, &name);
        if let Some(id) = progress.providers.get(&urn) {
            return Ok(format!("{urn}::{id}"));
        }
        if !progress.registered.insert(urn.clone()) {
            bail!("Duplicate resource URN '{urn}'");
        }
        // The engine's own package needs no plugin, but gets a default provider all the same.
        if package != builtins::PACKAGE {
            self.providers.for_package(package)?;
        }
        let mut inputs = default_provider_config(&self.ctx.config, package);
        set_provider_plugin(&mut inputs, version, download_url)?;
        let goal = Goal { urn: urn.clone(), ty, custom: true, inputs, ..Default::default() };
        let state = self.apply(progress, goal, Handler::ProviderResource).await?;
        progress.providers.insert(urn.clone(), state.id.clone());
        Ok(format!("{urn}::{}", state.id))
    }

    /// Decides and carries out the step for a goal, and records the result.
    async fn apply(
        &self,
        progress: &mut Progress,
        goal: Goal,
        handler: Handler,
    ) -> Result<ResourceState> {
        let old = self.find_old(progress, &goal);
        if let Some(old) = &old {
            progress.claimed.insert(old.urn.clone());
        }
        let preview = self.ctx.dry_run;
        let mut new = ResourceState {
            urn: goal.urn.clone(),
            ty: goal.ty.clone(),
            custom: goal.custom,
            parent: goal.parent.clone(),
            provider: goal.provider.clone(),
            dependencies: goal.dependencies.clone(),
            property_dependencies: goal.property_dependencies.clone(),
            protect: goal.protect,
            retain_on_delete: goal.retain_on_delete,
            deleted_with: goal.deleted_with.clone(),
            aliases: goal.aliases.clone(),
            additional_secret_outputs: goal.additional_secret_outputs.clone(),
            replace_with: goal.replace_with.clone(),
            replacement_trigger: goal.replacement_trigger.clone(),
            ..Default::default()
        };

        if !goal.import_id.is_empty() && old.is_none() {
            let Handler::Resource(provider) = &handler else {
                bail!("only custom resources can be imported");
            };
            let read = provider
                .read(&goal.urn, &goal.import_id, &PropertyMap::new(), &PropertyMap::new())
                .await?
                .ok_or_else(|| anyhow!("resource '{}' does not exist", goal.import_id))?;
            let inputs =
                check(provider.as_ref(), &goal.urn, &read.inputs, goal.inputs.clone()).await?;
            let diff =
                provider.diff(&goal.urn, &read.id, &read.inputs, &read.outputs, &inputs).await?;
            if diff.has_changes() {
                bail!(
                    "inputs to import do not match the existing resource; importing this resource will fail (differing inputs: {})",
                    diff.changed_keys.join(", ")
                );
            }
            new.id = read.id;
            new.inputs = inputs;
            new.outputs = read.outputs;
            new.import_id = goal.import_id.clone();
            return Ok(self.record_step(progress, StepOp::Import, new, None));
        }

        let old_inputs = old.as_ref().map(|o| o.inputs.clone()).unwrap_or_default();
        let mut inputs = match &handler {
            Handler::Resource(provider) => {
                check(provider.as_ref(), &goal.urn, &old_inputs, goal.inputs.clone()).await?
            }
            _ => goal.inputs.clone(),
        };
        let Some(old) = old else {
            let (id, outputs) =
                self.create_hooked(&progress.hooks, &handler, &goal, &inputs).await?;
            (new.id, new.inputs, new.outputs) = (id, inputs, outputs);
            return Ok(self.record_step(progress, StepOp::Create, new, None));
        };

        apply_ignore_changes(&old.inputs, &mut inputs, &goal.ignore_changes)?;
        let diff = match &handler {
            Handler::Resource(provider) => {
                provider.diff(&goal.urn, &old.id, &old.inputs, &old.outputs, &inputs).await?
            }
            _ => DiffResult {
                changed_keys: changed_keys(&old.inputs, &inputs),
                ..Default::default()
            },
        };
        let replace_on_changes = match handler {
            Handler::Resource(_) => goal
                .replace_on_changes
                .iter()
                .map(|p| PropertyPath::parse(p))
                .collect::<Result<Vec<_>>>()?,
            _ => Vec::new(),
        };
        let mut classification = classify(diff, &replace_on_changes, goal.delete_before_replace);
        if !preview && property::contains_unknowns(&goal.replacement_trigger) {
            bail!("replacement trigger contains unknowns for {}", goal.urn);
        }
        // Replaced because its trigger changed, or because a resource it is
        // replaced with is replaced in this deployment.
        let with_replaced = goal.replace_with.iter().any(|urn| {
            progress.steps.iter().any(|step| step.urn == *urn && step.op == StepOp::Replace)
        });
        if triggers_replace(&goal.replacement_trigger, &old.replacement_trigger) || with_replaced {
            classification.op = StepOp::Replace;
            classification.diff.delete_before_replace |= goal.delete_before_replace;
        }
        new.import_id = old.import_id.clone();
        match classification.op {
            StepOp::Same => {
                (new.id, new.inputs, new.outputs) = (old.id.clone(), inputs, old.outputs.clone());
            }
            StepOp::Update => {
                new.id = old.id.clone();
                new.outputs =
                    self.update_hooked(&progress.hooks, &handler, &goal, &old, &inputs).await?;
                new.inputs = inputs;
            }
            _ => {
                if old.protect {
                    return Err(protected_error(&old.urn, "replace"));
                }
                if classification.diff.delete_before_replace && !preview {
                    let (_, failure) = delete_in_reverse(&[&old], &self.providers, None).await;
                    if let Some((_, error)) = failure {
                        return Err(error);
                    }
                    progress.deleted.insert(old.urn.clone());
                }
                let (id, outputs) =
                    self.create_hooked(&progress.hooks, &handler, &goal, &inputs).await?;
                (new.id, new.inputs, new.outputs) = (id, inputs, outputs);
                if !classification.diff.delete_before_replace && !preview {
                    progress.replaced.push(old.clone());
                }
            }
        }
        Ok(self.record_step(progress, classification.op, new, Some(&classification.diff)))
    }

    fn hook_runner<'a>(&'a self, hooks: &'a Hooks) -> HookRunner<'a> {
        HookRunner {
            hooks,
            callbacks: &self.callbacks,
            diagnostics: &self.record.diagnostics,
            preview: self.ctx.dry_run,
        }
    }

    /// [`Self::create`] between the resource's create hooks, retried while its
    /// error hooks ask.
    async fn create_hooked(
        &self,
        hooks: &Hooks,
        handler: &Handler,
        goal: &Goal,
        inputs: &PropertyMap,
    ) -> Result<(String, PropertyMap)> {
        let runner = self.hook_runner(hooks);
        let subject = Subject {
            urn: &goal.urn,
            id: "",
            ty: &goal.ty,
            new_inputs: Some(inputs),
            old_inputs: None,
            new_outputs: None,
            old_outputs: None,
        };
        runner.run(HookType::BeforeCreate, &goal.hooks, &subject).await?;
        let (id, outputs) = runner
            .retrying("create", &goal.hooks, &subject, || self.create(handler, goal, inputs))
            .await?;
        let created = Subject { id: &id, new_outputs: Some(&outputs), ..subject };
        runner.run(HookType::AfterCreate, &goal.hooks, &created).await?;
        Ok((id, outputs))
    }

    /// [`Self::update`] between the resource's update hooks, retried while its
    /// error hooks ask.
    async fn update_hooked(
        &self,
        hooks: &Hooks,
        handler: &Handler,
        goal: &Goal,
        old: &ResourceState,
        inputs: &PropertyMap,
    ) -> Result<PropertyMap> {
        let runner = self.hook_runner(hooks);
        let subject = Subject {
            urn: &goal.urn,
            id: &old.id,
            ty: &goal.ty,
            new_inputs: Some(inputs),
            old_inputs: Some(&old.inputs),
            new_outputs: None,
            old_outputs: Some(&old.outputs),
        };
        runner.run(HookType::BeforeUpdate, &goal.hooks, &subject).await?;
        let outputs = runner
            .retrying("update", &goal.hooks, &subject, || self.update(handler, goal, old, inputs))
            .await?;
        let updated = Subject { new_outputs: Some(&outputs), ..subject };
        runner.run(HookType::AfterUpdate, &goal.hooks, &updated).await?;
        Ok(outputs)
    }

    async fn update(
        &self,
        handler: &Handler,
        goal: &Goal,
        old: &ResourceState,
        inputs: &PropertyMap,
    ) -> Result<PropertyMap> {
        Ok(match handler {
            Handler::Resource(provider) => {
                provider
                    .update_with_inputs(
                        &goal.urn,
                        &old.id,
                        &old.inputs,
                        &old.outputs,
                        inputs,
                        goal.timeouts.update,
                        self.ctx.dry_run,
                    )
                    .await?
            }
            Handler::ProviderResource => provider_outputs(inputs),
            Handler::Component => old.outputs.clone(),
        })
    }

    async fn create(
        &self,
        handler: &Handler,
        goal: &Goal,
        inputs: &PropertyMap,
    ) -> Result<(String, PropertyMap)> {
        let preview = self.ctx.dry_run;
        Ok(match handler {
            Handler::Resource(provider) => {
                let created =
                    provider.create(&goal.urn, inputs, goal.timeouts.create, preview).await?;
                if !preview && created.id.as_deref().is_none_or(str::is_empty) {
                    bail!("provider did not return an ID from Create");
                }
                (created.id.unwrap_or_else(|| UNKNOWN.to_string()), created.outputs)
            }
            // Provider resources get an ID of their own; in a preview it is not known yet.
            Handler::ProviderResource if preview => (UNKNOWN.to_string(), provider_outputs(inputs)),
            Handler::ProviderResource => (derived_id(&goal.urn, inputs), provider_outputs(inputs)),
            Handler::Component => (String::new(), PropertyMap::new()),
        })
    }

    fn record_step(
        &self,
        progress: &mut Progress,
        op: StepOp,
        mut new: ResourceState,
        diff: Option<&DiffResult>,
    ) -> ResourceState {
        mark_secret_outputs(&mut new);
        progress.steps.push(step(op, &new, diff));
        progress.done.push(new.clone());
        if op != StepOp::Same {
            self.checkpoint(progress);
        }
        new
    }

    /// The stored resource a goal supersedes: the one with its URN, or with one
    /// of its aliases, not already claimed by another registration.
    fn find_old(&self, progress: &Progress, goal: &Goal) -> Option<ResourceState> {
        std::iter::once(&goal.urn).chain(&goal.aliases).find_map(|urn| {
            self.old
                .resources
                .iter()
                .find(|r| {
                    r.urn == *urn
                        && !r.pending_delete
                        && !r.external
                        && !progress.claimed.contains(urn)
                })
                .cloned()
        })
    }

    fn read_stack_reference(&self, name: &str) -> Result<PropertyMap> {
        // `org/project/stack`, `project/stack` or `stack` (in this project).
        let parts: Vec<&str> = name.split('/').collect();
        let (project, stack) = match parts.as_slice() {
            [stack] => (self.ctx.project.as_str(), *stack),
            [project, stack] | [_, project, stack] => (*project, *stack),
            _ => bail!("invalid stack reference '{name}'"),
        };
        let state = self
            .ctx
            .backend
            .load(project, stack)?
            .with_context(|| format!("unknown stack \"{name}\""))?;
        let secret_names: Vec<Value> = state
            .outputs
            .iter()
            .filter(|(_, v)| property::contains_secrets(v))
            .map(|(k, _)| Value::String(k.clone()))
            .collect();
        let mut properties = PropertyMap::new();
        properties.insert("name".into(), name.into());
        properties.insert("outputs".into(), Value::Object(state.outputs));
        properties.insert("secretOutputNames".into(), Value::Array(secret_names));
        Ok(properties)
    }

    async fn transform_resource(
        &self,
        mut req: RegisterResourceRequest,
    ) -> Result<RegisterResourceRequest> {
        let transforms = {
            let progress = self.progress.lock().await;
            // The resource's own transforms, then its ancestors', then the stack's.
            let mut transforms = req.transforms.clone();
            let mut ancestor = self.default_parent(&progress, &req.r#type, &req.parent);
            while let Some(parent) = progress.done.iter().find(|r| r.urn == ancestor) {
                transforms.extend(
                    progress.resource_transforms.get(&parent.urn).into_iter().flatten().cloned(),
                );
                ancestor = parent.parent.clone();
            }
            transforms.extend(progress.stack_transforms.iter().cloned());
            transforms
        };
        for callback in transforms {
            let request = TransformRequest {
                r#type: req.r#type.clone(),
                name: req.name.clone(),
                custom: req.custom,
                parent: req.parent.clone(),
                properties: req.object.clone(),
                options: Some(transform_options(&req)),
            };
            let response: TransformResponse = self.callbacks.invoke(&callback, &request).await?;
            self.record.trace.record(
                "Callbacks/Transform",
                &serde_json::json!({"request": request, "response": response}),
            );
            if let Some(properties) = response.properties {
                req.object = Some(properties);
            }
            if let Some(options) = response.options {
                apply_transform_options(&mut req, options);
            }
        }
        Ok(req)
    }

    async fn transform_invoke(
        &self,
        mut req: ResourceInvokeRequest,
    ) -> Result<ResourceInvokeRequest> {
        let transforms = self.progress.lock().await.invoke_transforms.clone();
        for callback in transforms {
            let request = TransformInvokeRequest {
                token: req.tok.clone(),
                args: req.args.clone(),
                options: Some(TransformInvokeOptions {
                    provider: req.provider.clone(),
                    plugin_download_url: req.plugin_download_url.clone(),
                    version: req.version.clone(),
                    ..Default::default()
                }),
            };
            let response: TransformInvokeResponse =
                self.callbacks.invoke(&callback, &request).await?;
            self.record.trace.record(
                "Callbacks/TransformInvoke",
                &serde_json::json!({"request": request, "response": response}),
            );
            if let Some(args) = response.args {
                req.args = Some(args);
            }
            if let Some(options) = response.options {
                (req.provider, req.plugin_download_url, req.version) =
                    (options.provider, options.plugin_download_url, options.version);
            }
        }
        Ok(req)
    }
}

/// A default provider's configuration: the stack's `<package>:<key>` config
/// values, as strings (secret ones as secrets).
/// Where Pulumi's engine keeps, in a provider resource's inputs, which plugin serves it.
const PROVIDER_INTERNAL: &str = "__internal";

/// Records in a provider resource's inputs which plugin serves it, as Pulumi's
/// engine does: the version as `version` (with an `__internal` object beside
/// it), the download URL as `__internal.pluginDownloadURL`.
fn set_provider_plugin(inputs: &mut PropertyMap, version: &str, download_url: &str) -> Result<()> {
    if version.is_empty() && download_url.is_empty() {
        return Ok(());
    }
    let internal =
        inputs.entry(PROVIDER_INTERNAL).or_insert_with(|| Value::Object(Default::default()));
    if !internal.is_object() {
        *internal = Value::Object(Default::default());
    }
    if !download_url.is_empty()
        && let Some(internal) = internal.as_object_mut()
    {
        internal.insert("pluginDownloadURL".into(), download_url.into());
    }
    if !version.is_empty() {
        let version = semver::Version::parse(version)
            .with_context(|| format!("invalid provider version '{version}'"))?;
        inputs.insert("version".into(), version.to_string().into());
    }
    Ok(())
}

/// A provider resource's outputs: its inputs, less the engine's own bookkeeping.
fn provider_outputs(inputs: &PropertyMap) -> PropertyMap {
    inputs
        .iter()
        .filter(|(key, _)| *key != PROVIDER_INTERNAL)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

pub(crate) fn default_provider_config(
    config: &BTreeMap<String, ConfigValue>,
    package: &str,
) -> PropertyMap {
    config
        .iter()
        .filter_map(|(key, value)| {
            let key = key.strip_prefix(package)?.strip_prefix(':')?;
            let v = Value::String(value.value.clone());
            Some((key.to_string(), if value.secret { make_secret(v) } else { v }))
        })
        .collect()
}

async fn check(
    provider: &dyn Provider,
    urn: &str,
    olds: &PropertyMap,
    news: PropertyMap,
) -> Result<PropertyMap> {
    let (inputs, failures) = provider.check(urn, olds, news).await?;
    if !failures.is_empty() {
        let reasons: Vec<String> =
            failures
                .iter()
                .map(|CheckFailure { property, reason }| {
                    if property.is_empty() {
                        reason.clone()
                    } else {
                        format!("{property}: {reason}")
                    }
                })
                .collect();
        bail!("{}", reasons.join("\n"));
    }
    Ok(inputs)
}

fn step(op: StepOp, state: &ResourceState, diff: Option<&DiffResult>) -> Step {
    Step {
        op,
        urn: state.urn.clone(),
        ty: state.ty.clone(),
        diffs: diff.map(|d| d.changed_keys.clone()).unwrap_or_default(),
        replace_keys: diff.map(|d| d.replace_keys.clone()).unwrap_or_default(),
        delete_before_replace: op == StepOp::Replace
            && diff.is_some_and(|d| d.delete_before_replace),
    }
}

/// Outputs named in `additionalSecretOutputs`, and outputs whose input of the
/// same name was secret, are secret.
fn mark_secret_outputs(state: &mut ResourceState) {
    let secret_inputs: Vec<String> = state
        .inputs
        .iter()
        .filter(|(_, v)| property::contains_secrets(v))
        .map(|(k, _)| k.clone())
        .collect();
    for key in state.additional_secret_outputs.iter().chain(&secret_inputs) {
        if let Some(value) = state.outputs.get_mut(key).filter(|v| !property::contains_secrets(v)) {
            *value = make_secret(value.take());
        }
    }
}

fn changed_keys(old: &PropertyMap, new: &PropertyMap) -> Vec<String> {
    let mut keys: Vec<String> =
        old.keys().chain(new.keys()).filter(|k| old.get(*k) != new.get(*k)).cloned().collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A reproducible ID for resources the engine itself creates (provider resources).
fn derived_id(urn: &str, inputs: &PropertyMap) -> String {
    let mut hasher = Sha256::new();
    hasher.update(urn.as_bytes());
    hasher.update(Value::Object(property::canonical_map(inputs)).to_string().as_bytes());
    hex::encode(&hasher.finalize()[..16])
}

/// Custom timeouts are Go durations (`5m`, `1h30m`, `10s`); empty means none.
fn parse_timeout(text: &str) -> Result<Option<Duration>> {
    if text.is_empty() {
        return Ok(None);
    }
    let mut total = 0f64;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let mut unit = c.to_string();
        while let Some(&c) = chars.peek().filter(|c| c.is_ascii_alphabetic()) {
            unit.push(c);
            chars.next();
        }
        let value: f64 = number.parse().with_context(|| format!("invalid duration '{text}'"))?;
        number.clear();
        total += value
            * match unit.as_str() {
                "h" => 3600.0,
                "m" => 60.0,
                "s" => 1.0,
                "ms" => 0.001,
                "us" | "µs" => 0.000_001,
                "ns" => 0.000_000_001,
                _ => bail!("invalid duration '{text}': unknown unit '{unit}'"),
            };
    }
    if !number.is_empty() {
        bail!("invalid duration '{text}': missing unit");
    }
    Ok(Some(Duration::from_secs_f64(total)))
}

fn transform_options(req: &RegisterResourceRequest) -> TransformResourceOptions {
    TransformResourceOptions {
        depends_on: req.dependencies.clone(),
        protect: req.protect,
        ignore_changes: req.ignore_changes.clone(),
        replace_on_changes: req.replace_on_changes.clone(),
        version: req.version.clone(),
        aliases: req.aliases.clone(),
        provider: req.provider.clone(),
        custom_timeouts: req.custom_timeouts.clone(),
        plugin_download_url: req.plugin_download_url.clone(),
        retain_on_delete: req.retain_on_delete,
        deleted_with: req.deleted_with.clone(),
        delete_before_replace: req
            .delete_before_replace_defined
            .then_some(req.delete_before_replace),
        additional_secret_outputs: req.additional_secret_outputs.clone(),
        providers: req.providers.clone(),
        plugin_checksums: req.plugin_checksums.clone(),
        hooks: req.hooks.clone(),
        import: req.import_id.clone(),
        hide_diff: req.hide_diffs.clone(),
        replace_with: req.replace_with.clone(),
        replacement_trigger: req.replacement_trigger.clone(),
    }
}

fn apply_transform_options(req: &mut RegisterResourceRequest, options: TransformResourceOptions) {
    req.dependencies = options.depends_on;
    req.protect = options.protect;
    req.ignore_changes = options.ignore_changes;
    req.replace_on_changes = options.replace_on_changes;
    req.version = options.version;
    req.aliases = options.aliases;
    req.provider = options.provider;
    req.custom_timeouts = options.custom_timeouts;
    req.plugin_download_url = options.plugin_download_url;
    req.retain_on_delete = options.retain_on_delete;
    req.deleted_with = options.deleted_with;
    req.delete_before_replace_defined = options.delete_before_replace.is_some();
    req.delete_before_replace = options.delete_before_replace.unwrap_or(false);
    req.additional_secret_outputs = options.additional_secret_outputs;
    req.providers = options.providers;
    req.plugin_checksums = options.plugin_checksums;
    req.hooks = options.hooks;
    req.import_id = options.import;
    req.hide_diffs = options.hide_diff;
    req.replace_with = options.replace_with;
    req.replacement_trigger = options.replacement_trigger;
}

/// A request's property map as the engine keeps it: output values replaced
/// by what they stand for (their value, a secret, or unknown).
fn plain_properties(
    properties: Option<&unfold_proto::pbjson_types::Struct>,
) -> Result<PropertyMap, structs::StructError> {
    let flat = property::flatten_output_values(Value::Object(structs::from_struct(properties)?));
    Ok(flat.as_object().cloned().unwrap_or_default())
}

/// Whether a new `replacementTrigger` replaces the resource, as Pulumi's
/// engine decides: an unknown on either side does; no trigger on either side
/// does not; otherwise a different value (secrets and outputs unwrapped) does.
fn triggers_replace(new: &Value, old: &Value) -> bool {
    let plain = |v: &Value| property::reveal_secrets(property::flatten_output_values(v.clone()));
    let (new, old) = (plain(new), plain(old));
    if property::contains_unknowns(&new) || property::contains_unknowns(&old) {
        return true;
    }
    !new.is_null() && !old.is_null() && new != old
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        assert_eq!(parse_timeout("1h30m").unwrap(), Some(Duration::from_secs(5400)));
        assert_eq!(parse_timeout("10s").unwrap(), Some(Duration::from_secs(10)));
        assert_eq!(parse_timeout("").unwrap(), None);
        assert!(parse_timeout("10").is_err());
    }
}
