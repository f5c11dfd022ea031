//! Resource hooks and error hooks: functions of the program the engine calls
//! around a resource's create and update, and when one of them fails, as
//! Pulumi's engine calls them (`resource/deploy/deployment.go`, `retries.go`).
//!
//! A hook is registered once by name, with the callback that runs it; a
//! resource binds hooks by name. A before-hook that fails fails the operation,
//! an after-hook that fails fails the deployment, and a hook registered with
//! `ignoreErrors` is reported as a warning instead. Hooks skip previews unless
//! registered with `onDryRun`. When an operation fails, every error hook is
//! asked (with the errors so far, newest first) and any that answers `retry`
//! has it tried again, up to [`MAX_ERROR_HOOK_RETRIES`] failures.
//!
//! Delete hooks need the bindings of resources the program no longer
//! registers, which the state does not keep here: they are named in a warning
//! and not run.

use std::collections::HashMap;
use std::future::Future;

use anyhow::{Result, anyhow, bail};
use unfold_proto::pulumirpc::register_resource_request::ResourceHooksBinding;
use unfold_proto::pulumirpc::{
    Callback, ErrorHookRequest, ErrorHookResponse, RegisterErrorHookRequest,
    RegisterResourceHookRequest, ResourceHookRequest, ResourceHookResponse,
};
use unfold_wire::structs;

use crate::callbacks::CallbackClients;
use crate::diagnostics::Diagnostics;
use crate::property::PropertyMap;

/// As Pulumi's engine: an operation fails for good after this many failures.
pub(crate) const MAX_ERROR_HOOK_RETRIES: usize = 100;

struct ResourceHook {
    callback: Callback,
    on_dry_run: bool,
    ignore_errors: bool,
}

/// The hooks the program registered, by name.
#[derive(Default)]
pub(crate) struct Hooks {
    resource: HashMap<String, ResourceHook>,
    error: HashMap<String, Callback>,
}

impl Hooks {
    pub(crate) fn register_resource_hook(
        &mut self,
        request: RegisterResourceHookRequest,
    ) -> Result<()> {
        self.check_new(&request.name)?;
        let callback = request
            .callback
            .ok_or_else(|| anyhow!("resource hook '{}' has no callback", request.name))?;
        let hook = ResourceHook {
            callback,
            on_dry_run: request.on_dry_run,
            ignore_errors: request.ignore_errors,
        };
        self.resource.insert(request.name, hook);
        Ok(())
    }

    pub(crate) fn register_error_hook(&mut self, request: RegisterErrorHookRequest) -> Result<()> {
        self.check_new(&request.name)?;
        let callback = request
            .callback
            .ok_or_else(|| anyhow!("error hook '{}' has no callback", request.name))?;
        self.error.insert(request.name, callback);
        Ok(())
    }

    fn check_new(&self, name: &str) -> Result<()> {
        if self.resource.contains_key(name) || self.error.contains_key(name) {
            bail!("resource hook already registered for name \"{name}\"");
        }
        Ok(())
    }
}

/// When a resource hook runs, as Pulumi names it in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HookType {
    BeforeCreate,
    AfterCreate,
    BeforeUpdate,
    AfterUpdate,
}

impl HookType {
    fn bound(self, binding: &ResourceHooksBinding) -> &[String] {
        match self {
            Self::BeforeCreate => &binding.before_create,
            Self::AfterCreate => &binding.after_create,
            Self::BeforeUpdate => &binding.before_update,
            Self::AfterUpdate => &binding.after_update,
        }
    }

    fn is_before(self) -> bool {
        matches!(self, Self::BeforeCreate | Self::BeforeUpdate)
    }
}

/// The resource a hook is called for, and what is known of it at that point.
pub(crate) struct Subject<'a> {
    pub urn: &'a str,
    pub id: &'a str,
    pub ty: &'a str,
    pub new_inputs: Option<&'a PropertyMap>,
    pub old_inputs: Option<&'a PropertyMap>,
    pub new_outputs: Option<&'a PropertyMap>,
    pub old_outputs: Option<&'a PropertyMap>,
}

impl Subject<'_> {
    fn name(&self) -> String {
        unfold_wire::urn::parse(self.urn).map(|parts| parts.name.to_string()).unwrap_or_default()
    }
}

/// Where hooks are run: the registered hooks, the program's callbacks, and
/// where warnings go.
pub(crate) struct HookRunner<'a> {
    pub hooks: &'a Hooks,
    pub callbacks: &'a CallbackClients,
    pub diagnostics: &'a Diagnostics,
    pub preview: bool,
}

impl HookRunner<'_> {
    /// Runs the hooks `binding` names for `when`, in order.
    pub(crate) async fn run(
        &self,
        when: HookType,
        binding: &ResourceHooksBinding,
        subject: &Subject<'_>,
    ) -> Result<()> {
        for name in when.bound(binding) {
            let hook = self
                .hooks
                .resource
                .get(name)
                .ok_or_else(|| anyhow!("hook \"{name}\" was not registered"))?;
            if self.preview && !hook.on_dry_run {
                continue;
            }
            let request = ResourceHookRequest {
                urn: subject.urn.to_string(),
                id: subject.id.to_string(),
                name: subject.name(),
                r#type: subject.ty.to_string(),
                new_inputs: subject.new_inputs.map(structs::to_struct),
                old_inputs: subject.old_inputs.map(structs::to_struct),
                new_outputs: subject.new_outputs.map(structs::to_struct),
                old_outputs: subject.old_outputs.map(structs::to_struct),
                ..Default::default()
            };
            let response: ResourceHookResponse =
                self.callbacks.invoke(&hook.callback, &request).await?;
            if response.error.is_empty() {
                continue;
            }
            if hook.ignore_errors {
                self.diagnostics.engine_warning(
                    subject.urn,
                    format!("{when:?} hook \"{name}\" failed: {}", response.error),
                );
                continue;
            }
            let side = if when.is_before() { "before" } else { "after" };
            bail!("{side} hook \"{name}\" failed: {}", response.error);
        }
        Ok(())
    }

    /// Runs `operation`, and again while an error hook of `binding` asks for
    /// it after a failure.
    pub(crate) async fn retrying<T, F, Fut>(
        &self,
        failed_operation: &str,
        binding: &ResourceHooksBinding,
        subject: &Subject<'_>,
        mut operation: F,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut errors: Vec<String> = Vec::new();
        loop {
            let error = match operation().await {
                Ok(result) => return Ok(result),
                Err(error) => error,
            };
            if binding.on_error.is_empty() {
                return Err(error);
            }
            errors.insert(0, format!("{error:#}"));
            if errors.len() >= MAX_ERROR_HOOK_RETRIES {
                self.diagnostics.engine_warning(
                    subject.urn,
                    format!(
                        "maximum number of error hook retries ({MAX_ERROR_HOOK_RETRIES}) reached"
                    ),
                );
                return Err(error.context("maximum number of error hook retries reached"));
            }
            if !self.ask_error_hooks(failed_operation, binding, subject, &errors).await? {
                return Err(error);
            }
            self.diagnostics.engine_warning(
                subject.urn,
                format!(
                    "retrying {failed_operation} due to on-error hook request ({}/{MAX_ERROR_HOOK_RETRIES})",
                    errors.len()
                ),
            );
        }
    }

    async fn ask_error_hooks(
        &self,
        failed_operation: &str,
        binding: &ResourceHooksBinding,
        subject: &Subject<'_>,
        errors: &[String],
    ) -> Result<bool> {
        let mut retry = false;
        for name in &binding.on_error {
            let callback = self
                .hooks
                .error
                .get(name)
                .ok_or_else(|| anyhow!("error hook \"{name}\" was not registered"))?;
            let request = ErrorHookRequest {
                urn: subject.urn.to_string(),
                id: subject.id.to_string(),
                name: subject.name(),
                r#type: subject.ty.to_string(),
                new_inputs: subject.new_inputs.map(structs::to_struct),
                old_inputs: subject.old_inputs.map(structs::to_struct),
                old_outputs: subject.old_outputs.map(structs::to_struct),
                failed_operation: failed_operation.to_string(),
                errors: errors.to_vec(),
                ..Default::default()
            };
            let response: ErrorHookResponse = self.callbacks.invoke(callback, &request).await?;
            if !response.error.is_empty() {
                bail!("error hook \"{name}\" failed: {}", response.error);
            }
            retry |= response.retry;
        }
        Ok(retry)
    }
}
