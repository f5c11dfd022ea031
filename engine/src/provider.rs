//! The resource provider interface the engine drives, as the provider plugin
//! protocol defines it (Check, Diff, Create, Read, Update, Delete, Invoke).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Result, bail};
use async_trait::async_trait;

use crate::plugin_provider::{
    PLUGIN_PREFIX, PluginContext, PluginProvider, PluginSource, find_on_path,
};
use crate::property::PropertyMap;
use crate::references::WireProvider;
use unfold_wire::urn;

/// A property the provider rejected, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailure {
    pub property: String,
    pub reason: String,
}

/// What changed between a resource's old state and its new inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffResult {
    /// Top-level input keys that changed.
    pub changed_keys: Vec<String>,
    /// The subset of changes that the provider can only apply by replacing.
    pub replace_keys: Vec<String>,
    /// The provider requires the old resource to be deleted before the new one is created.
    pub delete_before_replace: bool,
}

impl DiffResult {
    pub fn has_changes(&self) -> bool {
        !self.changed_keys.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateResult {
    /// `None` when the ID is not known yet (a preview).
    pub id: Option<String>,
    pub outputs: PropertyMap,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReadResult {
    pub id: String,
    pub inputs: PropertyMap,
    pub outputs: PropertyMap,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct InvokeResult {
    pub outputs: PropertyMap,
    pub failures: Vec<CheckFailure>,
}

/// A resource provider. Errors are the provider's messages, shown to the user as they are.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Validates and normalizes new inputs.
    async fn check(
        &self,
        urn: &str,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> Result<(PropertyMap, Vec<CheckFailure>)>;

    async fn diff(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
    ) -> Result<DiffResult>;

    /// Creates the resource; with `preview` set it only predicts the outputs.
    async fn create(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<CreateResult>;

    /// Reads the live state of the resource with this ID; `None` if it does not exist.
    async fn read(
        &self,
        urn: &str,
        id: &str,
        inputs: &PropertyMap,
        state: &PropertyMap,
    ) -> Result<Option<ReadResult>>;

    async fn update(
        &self,
        urn: &str,
        id: &str,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap>;

    /// [`Provider::update`], also given the resource's old inputs, which
    /// provider plugins receive (`oldInputs`). The engine calls this one.
    #[allow(clippy::too_many_arguments)]
    async fn update_with_inputs(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap> {
        let _ = old_inputs;
        self.update(urn, id, old_outputs, new_inputs, timeout, preview).await
    }

    async fn delete(
        &self,
        urn: &str,
        id: &str,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()>;

    /// [`Provider::delete`], also given the resource's old inputs, which
    /// provider plugins receive (`oldInputs`). The engine calls this one.
    async fn delete_with_inputs(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()> {
        let _ = old_inputs;
        self.delete(urn, id, outputs, timeout).await
    }

    async fn invoke(&self, token: &str, args: &PropertyMap) -> Result<InvokeResult>;

    /// Builds the remote component `urn` (a `remote: true` registration, as
    /// multi-language components such as awsx's are) and returns its outputs.
    /// Providers that have no components refuse, naming the component.
    async fn construct(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap> {
        let _ = (inputs, preview);
        Err(anyhow::anyhow!("{urn}: this provider does not construct remote component resources"))
    }
}

/// The providers the engine can load, by package name: the built-in ones,
/// and provider plugins (`pulumi-resource-<package>`) given explicitly or
/// found on `$PATH`.
///
/// Plugins are started per run: [`ProviderRegistry::for_run`] gives a
/// registry that launches each plugin the run needs at most once, and
/// [`ProviderRegistry::shutdown`] stops them when the run is over.
#[derive(Clone)]
pub struct ProviderRegistry {
    packages: HashMap<String, Arc<dyn Provider>>,
    plugins: HashMap<String, PluginSource>,
    /// The plugins of the run in progress; `None` outside a run.
    run: Option<Arc<PluginRun>>,
}

/// The plugins one run has started, by package.
struct PluginRun {
    context: PluginContext,
    started: Mutex<HashMap<String, Arc<PluginProvider>>>,
}

impl Default for ProviderRegistry {
    /// No in-process providers: every package is served by its plugin.
    fn default() -> Self {
        Self { packages: HashMap::new(), plugins: HashMap::new(), run: None }
    }
}

impl ProviderRegistry {
    pub fn register(&mut self, package: &str, provider: Arc<dyn Provider>) {
        self.packages.insert(package.to_string(), provider);
    }

    /// Uses the plugin binary at `path` for `package` (instead of looking for
    /// `pulumi-resource-<package>` on `$PATH`).
    pub fn register_plugin(&mut self, package: &str, path: impl Into<PathBuf>) {
        self.plugins.insert(package.to_string(), PluginSource::Binary(path.into()));
    }

    /// [`ProviderRegistry::register_plugin`], builder style.
    pub fn with_plugin(mut self, package: &str, path: impl Into<PathBuf>) -> Self {
        self.register_plugin(package, path);
        self
    }

    /// Uses the provider already serving at `address` (`host:port`) for
    /// `package`; each run connects to it, none starts or stops it.
    pub fn register_plugin_address(&mut self, package: &str, address: &str) {
        self.plugins.insert(package.to_string(), PluginSource::Address(address.to_string()));
    }

    /// Where the plugin for a package would come from: the explicit map, then `$PATH`.
    pub fn plugin_source(&self, package: &str) -> Option<PluginSource> {
        self.plugins
            .get(package)
            .cloned()
            .or_else(|| find_on_path(package).map(PluginSource::Binary))
    }

    /// A registry for one run: plugins it needs are started (once each) with `context`.
    pub fn for_run(&self, context: PluginContext) -> Self {
        Self {
            run: Some(Arc::new(PluginRun { context, started: Mutex::default() })),
            ..self.clone()
        }
    }

    /// Stops the plugins this run started.
    pub async fn shutdown(&self) {
        let Some(run) = &self.run else { return };
        let started: Vec<Arc<PluginProvider>> =
            run.started.lock().unwrap_or_else(|e| e.into_inner()).drain().map(|(_, p)| p).collect();
        for plugin in started {
            plugin.shutdown().await;
        }
    }

    /// The provider for a package (`aws`) or for a resource or function type in it, receiving
    /// resource references as Pulumi's engine sends them.
    pub fn for_package(&self, package_or_type: &str) -> Result<Arc<dyn Provider>> {
        Ok(Arc::new(WireProvider(self.unwrapped(package_or_type)?)))
    }

    fn unwrapped(&self, package_or_type: &str) -> Result<Arc<dyn Provider>> {
        let package = urn::package_of(package_or_type);
        if let Some(provider) = self.packages.get(package) {
            return Ok(provider.clone());
        }
        let Some(source) = self.plugin_source(package) else {
            bail!(
                "no resource plugin '{PLUGIN_PREFIX}{package}' found in the workspace or on your $PATH"
            );
        };
        let Some(run) = &self.run else {
            bail!(
                "the resource plugin for package '{package}' can only be used during a run of the engine"
            );
        };
        let mut started = run.started.lock().unwrap_or_else(|e| e.into_inner());
        let plugin = started
            .entry(package.to_string())
            .or_insert_with(|| Arc::new(PluginProvider::new(package, source, run.context.clone())))
            .clone();
        Ok(plugin)
    }
}
