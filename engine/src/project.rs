//! Projects and stacks as the CLI reads them: `Pulumi.yaml` (name, runtime,
//! main) and `Pulumi.<stack>.yaml` (config), plus config given by the caller.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::property::PropertyMap;

/// The organization a local backend reports.
pub const DEFAULT_ORGANIZATION: &str = "organization";

/// A config value as the program receives it: plaintext, with a secret flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigValue {
    pub value: String,
    pub secret: bool,
}

/// Everything about the program and stack that a run needs.
#[derive(Debug, Clone)]
pub struct ProjectSpec {
    /// Where Pulumi.yaml is.
    pub root_directory: PathBuf,
    pub name: String,
    pub runtime: String,
    pub runtime_options: PropertyMap,
    /// Pulumi.yaml `main:`, if set.
    pub main: Option<String>,
    pub stack: String,
    pub organization: String,
    /// Keyed `<namespace>:<key>`.
    pub config: BTreeMap<String, ConfigValue>,
}

impl ProjectSpec {
    /// Reads `<dir>/Pulumi.yaml` (or `Pulumi.yml`) and, if present,
    /// `<dir>/Pulumi.<stack>.yaml`.
    pub fn load(dir: impl AsRef<Path>, stack: &str) -> Result<Self> {
        let dir = dir.as_ref();
        let root_directory =
            std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))?;
        let unfold_wire::project::Project { name, runtime, runtime_options, main } =
            unfold_wire::project::load(&root_directory)?;
        let mut spec = Self {
            root_directory,
            name,
            runtime,
            runtime_options,
            main,
            stack: stack.to_string(),
            organization: DEFAULT_ORGANIZATION.to_string(),
            config: BTreeMap::new(),
        };
        let stack_file = spec.root_directory.join(format!("Pulumi.{stack}.yaml"));
        let stack_config = read_yaml(&stack_file)?;
        if let Some(config) =
            stack_config.as_ref().and_then(|c| c.get("config")).and_then(Value::as_object)
        {
            for (key, value) in config {
                let (value, secret) = config_value(value)
                    .with_context(|| format!("{}: config key '{key}'", stack_file.display()))?;
                spec.set_config(key, &value, secret);
            }
        }
        Ok(spec)
    }

    /// Sets a config value; a key without a namespace belongs to the project.
    pub fn set_config(&mut self, key: &str, value: &str, secret: bool) {
        let key = if key.contains(':') { key.to_string() } else { format!("{}:{key}", self.name) };
        self.config.insert(key, ConfigValue { value: value.to_string(), secret });
    }

    /// The directory the program runs in, and its entry point relative to it.
    /// A `main` naming a directory becomes the program directory, as the CLI does it.
    pub fn program_location(&self) -> (PathBuf, String) {
        match &self.main {
            Some(main) if self.root_directory.join(main).is_dir() => {
                (self.root_directory.join(main), ".".into())
            }
            Some(main) => (self.root_directory.clone(), main.clone()),
            None => (self.root_directory.clone(), ".".into()),
        }
    }

    pub fn secret_config_keys(&self) -> Vec<String> {
        self.config.iter().filter(|(_, v)| v.secret).map(|(k, _)| k.clone()).collect()
    }
}

fn read_yaml(path: &Path) -> Result<Option<Value>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(
            serde_yaml_ng::from_str(&text)
                .with_context(|| format!("parsing {}", path.display()))?,
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Config values reach programs as strings; objects and lists as JSON text.
/// `{secret: value}` marks a plaintext secret; encrypted `secure:` values need a
/// secrets provider, which this backend does not have.
fn config_value(value: &Value) -> Result<(String, bool)> {
    if let Value::Object(map) = value {
        if map.contains_key("secure") {
            bail!(
                "encrypted (`secure:`) config values are not supported; use `{{secret: <value>}}`"
            );
        }
        if let (1, Some(inner)) = (map.len(), map.get("secret")) {
            return Ok((config_value(inner)?.0, true));
        }
    }
    Ok((
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
        false,
    ))
}
