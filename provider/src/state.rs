//! A stack's state directory on the local target, shared by the provider
//! (which writes it on deploy) and the local server (which serves from it):
//!
//! ```text
//! <stateDir>/
//!   tables/<name>.sqlite           one SQLite database per Table
//!   functions/<name>/function.json a Function's configuration (0600; its secrets sealed)
//!   functions/<name>/<hash>.bundle the Function's code
//!   apis/<name>.json               an HttpApi's routes
//!   server.json                    the running server: pid, port, token (0600)
//!   server.log                     the server's output, appended
//! ```
//!
//! The server keeps nothing else, so a restarted server serves the same.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use unfold_function_runtime::invocation_store::RecordingSettings;
use unfold_function_runtime::private_files;

use crate::route::Route;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StateDir(PathBuf);

impl StateDir {
    /// Made absolute: the server runs in another working directory.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        Self(std::path::absolute(&path).unwrap_or(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub(crate) fn tables(&self) -> PathBuf {
        unfold_function_runtime::tables::tables_dir(&self.0)
    }

    pub(crate) fn functions(&self) -> PathBuf {
        self.0.join("functions")
    }

    pub(crate) fn function_dir(&self, name: &str) -> PathBuf {
        self.functions().join(name)
    }

    pub(crate) fn function_config(&self, name: &str) -> PathBuf {
        self.function_dir(name).join("function.json")
    }

    pub(crate) fn bundle(&self, name: &str, hash: &str) -> PathBuf {
        self.function_dir(name).join(format!("{hash}.bundle"))
    }

    /// The archives last uploaded to AWS, as they were sent (a Function's
    /// zip, the runtime layer's): what runs there can be run and inspected here.
    pub fn aws_uploads(&self) -> PathBuf {
        self.0.join("aws")
    }

    pub(crate) fn apis(&self) -> PathBuf {
        self.0.join("apis")
    }

    pub(crate) fn api(&self, name: &str) -> PathBuf {
        self.apis().join(format!("{name}.json"))
    }

    pub(crate) fn server_info(&self) -> PathBuf {
        self.0.join("server.json")
    }

    pub(crate) fn server_log(&self) -> PathBuf {
        self.0.join("server.log")
    }
}

/// Whether `name` can name a Function or an HttpApi: it becomes a file name
/// and, for APIs, the first segment of URLs. The same rule as tables.
pub(crate) fn valid_name(name: &str) -> bool {
    unfold_function_runtime::tables::valid_table_name(name)
}

/// Instances of a Function that may serve at once, when its program names none.
pub(crate) const DEFAULT_CONCURRENCY: usize = 4;

fn default_concurrency() -> usize {
    DEFAULT_CONCURRENCY
}

/// `functions/<name>/function.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FunctionConfig {
    pub(crate) bundle: String,
    pub(crate) code_path: PathBuf,
    /// Seconds.
    pub(crate) timeout: f64,
    /// Megabytes.
    pub(crate) memory: f64,
    /// Instances that may serve at once.
    #[serde(default = "default_concurrency")]
    pub(crate) concurrency: usize,
    #[serde(default)]
    pub(crate) environment: BTreeMap<String, String>,
    /// How the Function's invocations are recorded.
    #[serde(default)]
    pub(crate) invocations: RecordingSettings,
    /// The values of the bundle's secret placeholders, in order; in the
    /// file, sealed under the user's key.
    #[serde(default, rename = "sealedSecrets", with = "sealed_values")]
    pub(crate) secrets: Vec<Value>,
}

/// A list of values as the base64 text of their JSON, sealed
/// (`unfold_function_runtime::sealing`); no values, an empty string.
mod sealed_values {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value;
    use unfold_function_runtime::sealing;

    pub(super) fn serialize<S: Serializer>(values: &[Value], out: S) -> Result<S::Ok, S::Error> {
        if values.is_empty() {
            return out.serialize_str("");
        }
        let text = serde_json::to_vec(values).map_err(S::Error::custom)?;
        out.serialize_str(&BASE64.encode(sealing::seal(&text).map_err(S::Error::custom)?))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Vec<Value>, D::Error> {
        let text = String::deserialize(input)?;
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let sealed = BASE64.decode(text).map_err(D::Error::custom)?;
        let plain = sealing::open(&sealed)
            .map_err(|e| D::Error::custom(format!("the Function's secrets: {e}")))?;
        serde_json::from_slice(&plain).map_err(D::Error::custom)
    }
}

/// What replaying a Function's invocation needs of its deployment.
pub struct DeployedFunction {
    /// Where its invocation records are.
    pub invocations: PathBuf,
    /// Its secret values (the bundle's placeholders, the records' markers).
    pub secrets: Vec<Value>,
    pub environment: BTreeMap<String, String>,
    /// Longest an invocation may run.
    pub timeout: std::time::Duration,
}

impl StateDir {
    /// The names of the Functions deployed here.
    pub fn function_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.functions())
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
            .filter(|name| self.function_config(name).is_file())
            .collect();
        names.sort();
        names
    }

    /// Function `name` as deployed here.
    pub fn deployed_function(&self, name: &str) -> Result<DeployedFunction, String> {
        let path = self.function_config(name);
        let config = read_json::<FunctionConfig>(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?
            .ok_or_else(|| {
                format!("no Function named '{name}' is deployed in {}", self.0.display())
            })?;
        Ok(DeployedFunction {
            invocations: unfold_function_runtime::invocation_store::invocations_dir(
                &self.function_dir(name),
            ),
            secrets: config.secrets,
            environment: config.environment,
            timeout: std::time::Duration::try_from_secs_f64(config.timeout)
                .unwrap_or(std::time::Duration::from_secs(30)),
        })
    }
}

/// `apis/<name>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ApiConfig {
    pub(crate) name: String,
    pub(crate) routes: Vec<Route>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cors: Option<crate::cors::Cors>,
}

/// `server.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    pub pid: u32,
    pub port: u16,
    pub token: String,
}

/// Writes `path` owner-only, atomically: readers see the old or the new file, never a part.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    private_files::create_dir_all(dir)?;
    // A temporary file is created owner-only, and removed if it is not persisted.
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path)?;
    Ok(())
}

pub(crate) fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let mut text = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    text.push(b'\n');
    write_private(path, &text)
}

/// Reads a JSON file; `Ok(None)` when it does not exist.
pub fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> std::io::Result<Option<T>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|error| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {error}", path.display()),
            )
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Removes a file; a missing one is already removed.
pub(crate) fn remove_file(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

pub(crate) fn remove_dir(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn private_files_are_owner_only_and_replace_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/server.json");
        let info = ServerInfo { pid: 1, port: 2, token: "t".into() };
        write_json(&path, &info).unwrap();
        write_json(&path, &info).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(read_json::<ServerInfo>(&path).unwrap(), Some(info));
        assert_eq!(std::fs::read_dir(dir.path().join("a")).unwrap().count(), 1);
        assert_eq!(read_json::<ServerInfo>(&dir.path().join("none.json")).unwrap(), None);
    }
}
