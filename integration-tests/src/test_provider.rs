//! The in-process provider of the `test` package, for exercising the engine
//! without plugins:
//! - outputs are the inputs; IDs are derived from the URN and inputs, so runs are reproducible;
//! - in a preview, Create predicts the inputs as outputs and an unknown ID;
//! - `replaceKeys: ["a", …]` lists input keys whose change forces a replacement;
//! - `failCreate: "<message>"` makes Create fail with that message;
//! - functions: `test:index:echo` returns its arguments, `test:index:fail` returns failures.
//!
//! Resources it creates live in an in-memory "cloud" that Read and import consult;
//! [`TestProvider::insert_existing`] adds resources that exist before a run. As
//! a plugin (`pulumi-resource-test`), which lives for one command only, the
//! cloud is kept in a file ([`TestProvider::persisted_in`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use async_trait::async_trait;
use serde_json::Value;
use sha2::{Digest, Sha256};

use unfold_engine::property::{self, PropertyMap};
use unfold_engine::provider::{
    CheckFailure, CreateResult, DiffResult, InvokeResult, Provider, ReadResult,
};

pub const REPLACE_KEYS: &str = "replaceKeys";
pub const FAIL_CREATE: &str = "failCreate";

#[derive(Default)]
pub struct TestProvider {
    cloud: Mutex<HashMap<String, PropertyMap>>,
    /// Where the cloud is kept between processes, if anywhere.
    file: Option<PathBuf>,
}

impl TestProvider {
    /// A provider whose cloud is read from and written back to `file` (JSON).
    pub fn persisted_in(file: impl Into<PathBuf>) -> Result<Self> {
        let file = file.into();
        let cloud = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("{} is not a test cloud", file.display()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(error) => return Err(error).context(format!("cannot read {}", file.display())),
        };
        Ok(Self { cloud: Mutex::new(cloud), file: Some(file) })
    }

    /// Makes a resource exist, as if created outside of any deployment (for import and read).
    pub fn insert_existing(&self, id: &str, outputs: PropertyMap) {
        self.change(|cloud| {
            cloud.insert(id.to_string(), outputs);
        });
    }

    /// Applies `edit` to the cloud and keeps the result where the cloud is kept.
    /// Each provider of a deployment (`default`, `default_1_2_3`, …) is a plugin
    /// process of its own sharing the file: the edit is made to the file's
    /// latest content, under a lock on it.
    fn change(&self, edit: impl FnOnce(&mut HashMap<String, PropertyMap>)) {
        let mut cloud = self.cloud();
        let Some(file) = &self.file else {
            edit(&mut cloud);
            return;
        };
        let lock = std::fs::File::create(file.with_extension("lock"));
        let _locked = lock.as_ref().map(std::fs::File::lock);
        if let Some(latest) = Self::load(file) {
            *cloud = latest;
        }
        edit(&mut cloud);
        let ordered: std::collections::BTreeMap<_, _> = cloud.iter().collect();
        let bytes = serde_json::to_vec_pretty(&ordered).expect("JSON values serialize");
        let partial = file.with_extension("partial");
        if let Err(error) =
            std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, file))
        {
            eprintln!("pulumi-resource-test: cannot write {}: {error}", file.display());
        }
    }

    /// The cloud as its file holds it now, if it can be read.
    fn load(file: &Path) -> Option<HashMap<String, PropertyMap>> {
        std::fs::read(file).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok())
    }

    /// The cloud, up to date with what other plugin processes keeping it in the same file did.
    fn cloud(&self) -> std::sync::MutexGuard<'_, HashMap<String, PropertyMap>> {
        // A poisoned lock only means another call panicked mid-insert; the map itself is intact.
        let mut cloud = self.cloud.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(latest) = self.file.as_deref().and_then(Self::load) {
            *cloud = latest;
        }
        cloud
    }

    fn new_id(urn: &str, inputs: &PropertyMap) -> String {
        let name = urn.rsplit("::").next().unwrap_or(urn);
        let mut hasher = Sha256::new();
        hasher.update(urn.as_bytes());
        hasher.update(Value::Object(property::canonical_map(inputs)).to_string().as_bytes());
        format!("{name}-{}", &hex::encode(hasher.finalize())[..8])
    }
}

fn string_list(inputs: &PropertyMap, key: &str) -> Vec<String> {
    match property::reveal_secrets(inputs.get(key).cloned().unwrap_or(Value::Null)) {
        Value::Array(items) => {
            items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
        _ => Vec::new(),
    }
}

#[async_trait]
impl Provider for TestProvider {
    async fn check(
        &self,
        _urn: &str,
        _olds: &PropertyMap,
        news: PropertyMap,
    ) -> Result<(PropertyMap, Vec<CheckFailure>)> {
        Ok((news, Vec::new()))
    }

    async fn diff(
        &self,
        _urn: &str,
        _id: &str,
        old_inputs: &PropertyMap,
        _old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
    ) -> Result<DiffResult> {
        let mut keys: Vec<&String> = old_inputs.keys().chain(new_inputs.keys()).collect();
        keys.sort();
        keys.dedup();
        let changed_keys: Vec<String> = keys
            .into_iter()
            .filter(|k| {
                let (old, new) = (old_inputs.get(*k), new_inputs.get(*k));
                old != new || new.is_some_and(property::contains_unknowns)
            })
            .cloned()
            .collect();
        let replace_on = string_list(new_inputs, REPLACE_KEYS);
        let replace_keys =
            changed_keys.iter().filter(|k| replace_on.contains(k)).cloned().collect();
        Ok(DiffResult { changed_keys, replace_keys, delete_before_replace: false })
    }

    async fn create(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        _timeout: Option<Duration>,
        preview: bool,
    ) -> Result<CreateResult> {
        if preview {
            return Ok(CreateResult { id: None, outputs: inputs.clone() });
        }
        if let Some(message) = inputs.get(FAIL_CREATE) {
            let message = property::reveal_secrets(message.clone());
            bail!(
                "{}",
                message.as_str().map(str::to_string).unwrap_or_else(|| message.to_string())
            );
        }
        // A replacement with the same inputs exists beside the old resource
        // until that is deleted: it gets an ID of its own, as in a real cloud.
        let base = Self::new_id(urn, inputs);
        let mut id = base.clone();
        self.change(|cloud| {
            let mut n = 1;
            while cloud.contains_key(&id) {
                n += 1;
                id = format!("{base}-{n}");
            }
            cloud.insert(id.clone(), inputs.clone());
        });
        Ok(CreateResult { id: Some(id), outputs: inputs.clone() })
    }

    async fn read(
        &self,
        _urn: &str,
        id: &str,
        inputs: &PropertyMap,
        state: &PropertyMap,
    ) -> Result<Option<ReadResult>> {
        let Some(outputs) = self.cloud().get(id).cloned() else {
            return Ok(None);
        };
        let inputs =
            if inputs.is_empty() && state.is_empty() { outputs.clone() } else { inputs.clone() };
        Ok(Some(ReadResult { id: id.to_string(), inputs, outputs }))
    }

    async fn update(
        &self,
        _urn: &str,
        id: &str,
        _old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        _timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap> {
        if !preview {
            self.change(|cloud| {
                cloud.insert(id.to_string(), new_inputs.clone());
            });
        }
        Ok(new_inputs.clone())
    }

    async fn delete(
        &self,
        _urn: &str,
        id: &str,
        _outputs: &PropertyMap,
        _timeout: Option<Duration>,
    ) -> Result<()> {
        self.change(|cloud| {
            cloud.remove(id);
        });
        Ok(())
    }

    async fn invoke(&self, token: &str, args: &PropertyMap) -> Result<InvokeResult> {
        match token {
            "test:index:echo" => Ok(InvokeResult { outputs: args.clone(), failures: Vec::new() }),
            "test:index:fail" => Ok(InvokeResult {
                outputs: PropertyMap::new(),
                failures: vec![CheckFailure {
                    property: String::new(),
                    reason: "the function test:index:fail always fails".into(),
                }],
            }),
            other => bail!("unknown function {other}"),
        }
    }
}
