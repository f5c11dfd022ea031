//! Projects and stacks as the CLI reads them: `Pulumi.yaml` (name, runtime,
//! main) and `Pulumi.<stack>.yaml` (config), plus config given by the caller.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::property::PropertyMap;
use crate::secrets::{StackName, StackSecrets};

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
    /// `encryptionsalt` of `Pulumi.<stack>.yaml`: the stack's passphrase salt.
    pub encryption_salt: Option<String>,
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
            encryption_salt: None,
        };
        let stack_file = spec.root_directory.join(format!("Pulumi.{stack}.yaml"));
        let stack_config = read_yaml(&stack_file)?;
        spec.encryption_salt = stack_config
            .as_ref()
            .and_then(|c| c.get("encryptionsalt"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let mut secrets = None;
        if let Some(config) =
            stack_config.as_ref().and_then(|c| c.get("config")).and_then(Value::as_object)
        {
            for (key, value) in config {
                let (value, secret) =
                    config_value(value, &mut || spec.open_secrets(&mut secrets, &stack_file))
                        .with_context(|| format!("{}: config key '{key}'", stack_file.display()))?;
                spec.set_config(key, &value, secret);
            }
        }
        Ok(spec)
    }

    /// The stack's secrets, opened with its passphrase the first time a
    /// `secure:` value needs them.
    fn open_secrets(
        &self,
        secrets: &mut Option<StackSecrets>,
        stack_file: &Path,
    ) -> Result<StackSecrets> {
        if let Some(open) = secrets {
            return Ok(open.clone());
        }
        let Some(salt) = &self.encryption_salt else {
            bail!(
                "{} has `secure:` values but no `encryptionsalt`; set the secrets again with \
                 `unfold config set --secret` or `pulumi config set --secret`",
                stack_file.display()
            );
        };
        let open = StackSecrets::open(salt, StackName { project: &self.name, stack: &self.stack })?;
        *secrets = Some(open.clone());
        Ok(open)
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

fn holds_secure(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            (map.len() == 1 && map.get("secure").is_some_and(Value::is_string))
                || map.values().any(holds_secure)
        }
        Value::Array(items) => items.iter().any(holds_secure),
        _ => false,
    }
}

/// `value` with each `{secure: ciphertext}` replaced by its plaintext.
fn open_secure(value: &Value, secrets: &StackSecrets) -> Result<Value> {
    Ok(match value {
        Value::Object(map) if map.len() == 1 && map.get("secure").is_some_and(Value::is_string) => {
            let ciphertext = map["secure"].as_str().unwrap_or_default();
            Value::String(secrets.decrypt(ciphertext).context("decrypting a `secure:` value")?)
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), open_secure(v, secrets)?)))
                .collect::<Result<_>>()?,
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| open_secure(v, secrets)).collect::<Result<_>>()?)
        }
        other => other.clone(),
    })
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
/// `{secure: ciphertext}` is a secret sealed with the stack's passphrase (what
/// `pulumi config set --secret` writes); `{secret: value}` a plaintext one.
/// Inside objects and lists (`config set --path`), secrets are sealed in place.
fn config_value(
    value: &Value,
    secrets: &mut dyn FnMut() -> Result<StackSecrets>,
) -> Result<(String, bool)> {
    if let Value::Object(map) = value
        && let (1, Some(inner)) = (map.len(), map.get("secret"))
    {
        return Ok((config_value(inner, secrets)?.0, true));
    }
    if holds_secure(value) {
        let opened = open_secure(value, &secrets()?)?;
        return Ok((
            match opened {
                Value::String(s) => s,
                other => other.to_string(),
            },
            true,
        ));
    }
    Ok((
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
        false,
    ))
}
