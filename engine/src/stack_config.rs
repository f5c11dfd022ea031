//! Writing a stack's config file, `Pulumi.<stack>.yaml`, as `pulumi config
//! set` writes it: plain values as strings, secrets as `secure:` ciphertext
//! sealed with the stack's passphrase, whose salt is the file's
//! `encryptionsalt` (minted on the first secret).

use std::path::Path;

use anyhow::{Context, Result};
use serde_yaml_ng::{Mapping, Value};

use crate::secrets::{StackName, StackSecrets};

/// Sets `key` (`<namespace>:<name>`, or a name of the project's namespace) to
/// `value` in the stack's config file under `root`, creating the file if needed.
pub fn set_value(root: &Path, stack: &str, key: &str, value: &str, secret: bool) -> Result<()> {
    let project = unfold_wire::project::load(root)?;
    let file = root.join(format!("Pulumi.{stack}.yaml"));
    let mut document = match std::fs::read_to_string(&file) {
        Ok(text) => serde_yaml_ng::from_str::<Value>(&text)
            .with_context(|| format!("parsing {}", file.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Value::Mapping(Mapping::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", file.display())),
    };
    if document.is_null() {
        document = Value::Mapping(Mapping::new());
    }
    let top = document
        .as_mapping_mut()
        .with_context(|| format!("{} is not a mapping of settings", file.display()))?;
    let key = if key.contains(':') { key.to_string() } else { format!("{}:{key}", project.name) };
    let entry = if secret {
        let name = StackName { project: &project.name, stack };
        let secrets = match top.get("encryptionsalt").and_then(Value::as_str) {
            Some(salt) => StackSecrets::open(salt, name)?,
            None => {
                let minted = StackSecrets::mint(name)?;
                top.insert("encryptionsalt".into(), minted.salt_state().into());
                minted
            }
        };
        let mut sealed = Mapping::new();
        sealed.insert("secure".into(), secrets.encrypt(value).into());
        Value::Mapping(sealed)
    } else {
        Value::String(value.to_string())
    };
    let config = top.entry("config".into()).or_insert_with(|| Value::Mapping(Mapping::new()));
    if config.is_null() {
        *config = Value::Mapping(Mapping::new());
    }
    config
        .as_mapping_mut()
        .with_context(|| format!("{}: `config` is not a mapping", file.display()))?
        .insert(key.into(), entry);
    let text = serde_yaml_ng::to_string(&document).context("writing the stack's config")?;
    std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))
}
