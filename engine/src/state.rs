//! Stack state: one JSON file per stack in a backend directory
//! (`<backend>/<project>/<stack>.json`), written atomically and canonically,
//! its secrets sealed with the stack's passphrase provider as Pulumi seals them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::property::{self, PropertyMap, contains_secrets};
use crate::secrets::values::holds_sealed;
use crate::secrets::{PROVIDER_TYPE, SecretCodec, StackName, StackSecrets};
use unfold_wire::urn::ROOT_STACK_TYPE;

/// The state format version, bumped on incompatible changes.
pub(crate) const STATE_VERSION: u32 = 1;

/// One resource as the last deployment left it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceState {
    pub urn: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub custom: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent: String,
    /// The provider reference `<urn>::<id>` (custom resources only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider: String,
    #[serde(default)]
    pub inputs: PropertyMap,
    #[serde(default)]
    pub outputs: PropertyMap,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub property_dependencies: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub protect: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retain_on_delete: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deleted_with: String,
    /// Every alias URN the resource was registered with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_secret_outputs: Vec<String>,
    /// Resources whose replacement replaces this one too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replace_with: Vec<String>,
    /// The last `replacementTrigger`: a different one replaces the resource.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub replacement_trigger: serde_json::Value,
    /// The ID the resource was imported from, if it was imported.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub import_id: String,
    /// True for resources read (not managed) by the program.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
    /// The old version of a replaced resource, still to be deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending_delete: bool,
}

/// The state of one stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StackState {
    pub version: u32,
    pub project: String,
    pub stack: String,
    /// The root stack's outputs (the program's exports): the root resource's
    /// outputs, kept once in the file (there) and copied here on load.
    #[serde(skip)]
    pub outputs: PropertyMap,
    /// Resources in an order where each comes after everything it depends on.
    #[serde(default)]
    pub resources: Vec<ResourceState>,
    /// The provider that seals this state's secrets, as Pulumi records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_providers: Option<SecretsProvider>,
}

/// `{"type": "passphrase", "state": {"salt": "v1:…"}}`, the `secrets_providers`
/// of a Pulumi deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretsProvider {
    #[serde(rename = "type")]
    pub ty: String,
    pub state: SecretsProviderState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretsProviderState {
    pub salt: String,
}

impl SecretsProvider {
    pub fn passphrase(salt: &str) -> Self {
        Self { ty: PROVIDER_TYPE.into(), state: SecretsProviderState { salt: salt.into() } }
    }
}

impl StackState {
    pub fn empty(project: &str, stack: &str) -> Self {
        Self {
            version: STATE_VERSION,
            project: project.into(),
            stack: stack.into(),
            outputs: PropertyMap::new(),
            resources: Vec::new(),
            secrets_providers: None,
        }
    }

    /// True if any input or output holds a secret.
    pub fn holds_secrets(&self) -> bool {
        self.any_property(contains_secrets)
    }

    /// True if `test` holds for a value of any input or output map.
    fn any_property(&self, test: impl Fn(&serde_json::Value) -> bool) -> bool {
        let in_map = |map: &PropertyMap| map.values().any(&test);
        in_map(&self.outputs)
            || self.resources.iter().any(|r| in_map(&r.inputs) || in_map(&r.outputs))
    }

    /// Applies `f` to every input and output map.
    fn try_map_properties(
        &mut self,
        mut f: impl FnMut(PropertyMap) -> Result<PropertyMap>,
    ) -> Result<()> {
        self.outputs = f(std::mem::take(&mut self.outputs))?;
        for resource in &mut self.resources {
            resource.inputs = f(std::mem::take(&mut resource.inputs))?;
            resource.outputs = f(std::mem::take(&mut resource.outputs))?;
        }
        Ok(())
    }

    pub fn resource(&self, urn: &str) -> Option<&ResourceState> {
        self.resources.iter().find(|r| r.urn == urn)
    }

    /// Copies the root stack's outputs into `outputs`.
    pub fn refresh_outputs(&mut self) {
        self.outputs = self
            .resources
            .iter()
            .find(|r| r.ty == ROOT_STACK_TYPE && r.parent.is_empty())
            .map(|r| r.outputs.clone())
            .unwrap_or_default();
    }

    /// The canonical serialization: keys sorted, two-space indentation, final newline.
    pub fn to_canonical_json(&self) -> Result<String> {
        let value = serde_json::to_value(self).context("encoding stack state")?;
        let mut text = serde_json::to_string_pretty(&property::canonical(&value))?;
        text.push('\n');
        Ok(text)
    }
}

/// A directory of stack states.
#[derive(Debug, Clone)]
pub struct Backend {
    dir: PathBuf,
    /// Each stack's opened secrets provider, by `(project, stack)`: one
    /// passphrase check per stack and process, stable ciphertexts between saves.
    codecs: Arc<Mutex<HashMap<StackKey, Arc<SecretCodec>>>>,
}

/// `(project, stack)`.
type StackKey = (String, String);

impl Backend {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), codecs: Arc::default() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, project: &str, stack: &str) -> PathBuf {
        self.dir.join(project).join(format!("{stack}.json"))
    }

    /// Loads a stack's state, its secrets opened; a stack never deployed has none.
    pub fn load(&self, project: &str, stack: &str) -> Result<Option<StackState>> {
        let Some(mut state) = self.load_sealed(project, stack)? else {
            return Ok(None);
        };
        let path = self.path(project, stack);
        if state.any_property(holds_sealed) {
            let codec = self
                .codec(&state)
                .with_context(|| format!("opening the secrets of {}", path.display()))?;
            state
                .try_map_properties(|map| {
                    map.into_iter().map(|(k, v)| Ok((k, codec.open(v)?))).collect()
                })
                .with_context(|| format!("decrypting the secrets of {}", path.display()))?;
        }
        Ok(Some(state))
    }

    /// Loads a stack's state as stored, its secrets sealed.
    pub fn load_sealed(&self, project: &str, stack: &str) -> Result<Option<StackState>> {
        let path = self.path(project, stack);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let mut state: StackState = serde_json::from_str(&text)
            .with_context(|| format!("parsing stack state {}", path.display()))?;
        state.refresh_outputs();
        anyhow::ensure!(
            state.version == STATE_VERSION,
            "{} has state version {}, this engine reads version {STATE_VERSION}",
            path.display(),
            state.version
        );
        Ok(Some(state))
    }

    /// The codec of `state`'s stack: the one this backend already opened,
    /// else the state's own provider opened with the stack's passphrase,
    /// else a newly minted one.
    fn codec(&self, state: &StackState) -> Result<Arc<SecretCodec>> {
        let key = (state.project.clone(), state.stack.clone());
        let mut codecs = self.codecs.lock().expect("codec cache");
        if let Some(codec) = codecs.get(&key) {
            let same_salt = state
                .secrets_providers
                .as_ref()
                .is_none_or(|p| p.state.salt == codec.secrets().salt_state());
            if same_salt {
                return Ok(codec.clone());
            }
        }
        let name = StackName { project: &state.project, stack: &state.stack };
        let secrets = match &state.secrets_providers {
            Some(provider) if provider.ty == PROVIDER_TYPE => {
                StackSecrets::open(&provider.state.salt, name)?
            }
            Some(provider) => anyhow::bail!(
                "stack '{}' uses the '{}' secrets provider; Unfold reads the 'passphrase' provider only",
                state.stack,
                provider.ty
            ),
            None => StackSecrets::mint(name)?,
        };
        let codec = Arc::new(SecretCodec::new(secrets));
        codecs.insert(key, codec.clone());
        Ok(codec)
    }

    /// Writes a stack's state, its secrets sealed with the stack's passphrase.
    pub fn save(&self, state: &StackState) -> Result<()> {
        let sealed;
        let state = if state.holds_secrets() {
            let codec = self.codec(state).context("sealing the state's secrets")?;
            let mut copy = state.clone();
            copy.secrets_providers =
                Some(SecretsProvider::passphrase(codec.secrets().salt_state()));
            copy.try_map_properties(|map| {
                Ok(map
                    .into_iter()
                    .map(|(k, v)| {
                        let v = codec.seal(&v);
                        (k, v)
                    })
                    .collect())
            })?;
            sealed = copy;
            &sealed
        } else {
            state
        };
        self.save_sealed(state)
    }

    /// Writes a state whose secrets are already sealed, atomically: a reader
    /// sees the old or the new file, never a torn one.
    pub fn save_sealed(&self, state: &StackState) -> Result<()> {
        let path = self.path(&state.project, &state.stack);
        let dir = path.parent().context("state path has no directory")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut file =
            tempfile::NamedTempFile::new_in(dir).context("creating a temporary state file")?;
        std::io::Write::write_all(&mut file, state.to_canonical_json()?.as_bytes())?;
        file.as_file().sync_all()?;
        file.persist(&path).with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_output_is_stored_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let backend = Backend::new(dir.path());
        let mut state = StackState::empty("p", "dev");
        let big = "x".repeat(10_000);
        state.resources.push(ResourceState {
            urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev".into(),
            ty: ROOT_STACK_TYPE.into(),
            outputs: serde_json::json!({ "big": big }).as_object().cloned().unwrap(),
            ..Default::default()
        });
        state.refresh_outputs();
        backend.save(&state).unwrap();
        let text = std::fs::read_to_string(backend.path("p", "dev")).unwrap();
        assert_eq!(text.matches(&big).count(), 1);
        assert_eq!(backend.load("p", "dev").unwrap().unwrap().outputs["big"], big);
    }
}
