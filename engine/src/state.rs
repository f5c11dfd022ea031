//! Stack state: one JSON file per stack in a backend directory
//! (`<backend>/<project>/<stack>.json`), written atomically and canonically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::property::{self, PropertyMap};
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
    /// The root stack's outputs (the program's exports).
    #[serde(default)]
    pub outputs: PropertyMap,
    /// Resources in an order where each comes after everything it depends on.
    #[serde(default)]
    pub resources: Vec<ResourceState>,
}

impl StackState {
    pub fn empty(project: &str, stack: &str) -> Self {
        Self {
            version: STATE_VERSION,
            project: project.into(),
            stack: stack.into(),
            outputs: PropertyMap::new(),
            resources: Vec::new(),
        }
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
}

impl Backend {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, project: &str, stack: &str) -> PathBuf {
        self.dir.join(project).join(format!("{stack}.json"))
    }

    /// Loads a stack's state; a stack never deployed has none.
    pub fn load(&self, project: &str, stack: &str) -> Result<Option<StackState>> {
        let path = self.path(project, stack);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let state: StackState = serde_json::from_str(&text)
            .with_context(|| format!("parsing stack state {}", path.display()))?;
        anyhow::ensure!(
            state.version == STATE_VERSION,
            "{} has state version {}, this engine reads version {STATE_VERSION}",
            path.display(),
            state.version
        );
        Ok(Some(state))
    }

    /// Writes a stack's state atomically: a reader sees the old or the new file, never a torn one.
    pub fn save(&self, state: &StackState) -> Result<()> {
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
