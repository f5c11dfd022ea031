//! The resource provider interface the engine drives, as the provider plugin
//! protocol defines it (Check, Diff, Create, Read, Update, Delete, Invoke).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use async_trait::async_trait;

use crate::property::PropertyMap;
use crate::test_provider::TestProvider;
use crate::urn;

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
    async fn check(&self, urn: &str, olds: &PropertyMap, news: PropertyMap) -> Result<(PropertyMap, Vec<CheckFailure>)>;

    async fn diff(&self, urn: &str, id: &str, old_inputs: &PropertyMap, old_outputs: &PropertyMap, new_inputs: &PropertyMap) -> Result<DiffResult>;

    /// Creates the resource; with `preview` set it only predicts the outputs.
    async fn create(&self, urn: &str, inputs: &PropertyMap, timeout: Option<Duration>, preview: bool) -> Result<CreateResult>;

    /// Reads the live state of the resource with this ID; `None` if it does not exist.
    async fn read(&self, urn: &str, id: &str, inputs: &PropertyMap, state: &PropertyMap) -> Result<Option<ReadResult>>;

    async fn update(&self, urn: &str, id: &str, old_outputs: &PropertyMap, new_inputs: &PropertyMap, timeout: Option<Duration>, preview: bool) -> Result<PropertyMap>;

    async fn delete(&self, urn: &str, id: &str, outputs: &PropertyMap, timeout: Option<Duration>) -> Result<()>;

    async fn invoke(&self, token: &str, args: &PropertyMap) -> Result<InvokeResult>;
}

/// The providers the engine can load, by package name.
#[derive(Clone)]
pub struct ProviderRegistry {
    packages: HashMap<String, Arc<dyn Provider>>,
}

impl Default for ProviderRegistry {
    /// The built-in registry: the `test` package.
    fn default() -> Self {
        let mut registry = Self { packages: HashMap::new() };
        registry.register("test", Arc::new(TestProvider::default()));
        registry
    }
}

impl ProviderRegistry {
    pub fn register(&mut self, package: &str, provider: Arc<dyn Provider>) {
        self.packages.insert(package.to_string(), provider);
    }

    /// The provider for a package (`aws`) or for a resource or function type in it.
    pub fn for_package(&self, package_or_type: &str) -> Result<Arc<dyn Provider>> {
        let package = urn::package_of(package_or_type);
        match self.packages.get(package) {
            Some(provider) => Ok(provider.clone()),
            None => bail!("no resource plugin 'pulumi-resource-{package}' found in the workspace or on your $PATH"),
        }
    }
}
