//! `unfold:index:Function`: a bundle copied into `<stateDir>/functions/<name>/`
//! with its configuration beside it; the local server starts it on the first
//! request to one of its routes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use tonic::Status;
use unfold_function_runtime::invocation_store::{self, RecordingSettings};
use unfold_function_runtime::private_files;
use unfold_proto::pulumirpc::CheckFailure;

use super::{Resource, check_common, failure, identity, io_error};
use crate::process;
use crate::properties::{Props, unknown};
use crate::state::{DEFAULT_CONCURRENCY, FunctionConfig, StateDir, remove_dir, write_json};

pub(crate) const DEFAULT_TIMEOUT: f64 = 30.0;
pub(crate) const DEFAULT_MEMORY: f64 = 128.0;
/// The most instances a Function may ask for: each holds its own heap.
pub(crate) const MAX_CONCURRENCY: u64 = 64;

pub(crate) struct FunctionResource;

fn check_number(news: &mut Props, key: &str, default: f64, failures: &mut Vec<CheckFailure>) {
    if news.is_unknown(key) {
        return;
    }
    match news.get(key) {
        None => news.set(key, json!(default)),
        Some(value) => match value.as_f64() {
            Some(number) if number > 0.0 && number.is_finite() => {}
            _ => failures
                .push(failure(key, format!("'{key}' must be a positive number, not {value}"))),
        },
    }
}

fn environment(props: &Props) -> BTreeMap<String, String> {
    props
        .get("environment")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_secrets(text: &str) -> Result<Vec<Value>, String> {
    match serde_json::from_str(text) {
        Ok(Value::Array(values)) => Ok(values),
        Ok(_) => Err("'secrets' must be the text of a JSON array".into()),
        Err(error) => Err(format!("'secrets' is not JSON: {error}")),
    }
}

/// Copies the bundle in (via a temporary file, so the server never reads half
/// a bundle), writes `function.json`, then removes older bundles.
fn install(state: &StateDir, name: &str, inputs: &Props) -> Result<u64, Status> {
    let bundle = inputs.str("bundle").unwrap_or_default();
    let source = Path::new(inputs.str("bundlePath").unwrap_or_default());
    if !source.is_file() {
        return Err(Status::failed_precondition(format!(
            "the bundle of Function '{name}' is missing: {} does not exist (the language host writes it when the program runs)",
            source.display()
        )));
    }
    let dir = state.function_dir(name);
    private_files::create_dir_all(&dir)
        .map_err(|error| io_error(&format!("cannot create {}", dir.display()), error))?;
    let code_path = state.bundle(name, bundle);
    let size = if source == code_path {
        std::fs::metadata(source).map_err(|error| io_error("cannot read the bundle", error))?.len()
    } else {
        let copy_error =
            |error| io_error(&format!("cannot copy the bundle {}", source.display()), error);
        let mut temporary = tempfile::NamedTempFile::new_in(&dir).map_err(copy_error)?;
        let size = std::fs::File::open(source)
            .and_then(|mut file| std::io::copy(&mut file, &mut temporary))
            .map_err(copy_error)?;
        temporary
            .persist(&code_path)
            .map_err(|error| io_error("cannot install the bundle", error.error))?;
        size
    };
    let secrets = inputs
        .str("secrets")
        .map(parse_secrets)
        .transpose()
        .map_err(Status::invalid_argument)?
        .unwrap_or_default();
    let config = FunctionConfig {
        bundle: bundle.to_string(),
        code_path: code_path.clone(),
        timeout: inputs.get("timeout").and_then(Value::as_f64).unwrap_or(DEFAULT_TIMEOUT),
        memory: inputs.get("memory").and_then(Value::as_f64).unwrap_or(DEFAULT_MEMORY),
        concurrency: inputs
            .get("concurrency")
            .and_then(Value::as_u64)
            .map_or(DEFAULT_CONCURRENCY, |n| n as usize),
        environment: environment(inputs),
        invocations: inputs
            .get("invocations")
            .map(recording_settings)
            .transpose()
            .map_err(Status::invalid_argument)?
            .unwrap_or_default(),
        secrets,
    };
    write_json(&state.function_config(name), &config)
        .map_err(|error| io_error("cannot write function.json", error))?;
    // Older bundles go, but for those a kept invocation ran on: it replays on them.
    let recorded: std::collections::BTreeSet<PathBuf> =
        invocation_store::list(&invocation_store::invocations_dir(&dir))
            .into_iter()
            .map(|summary| PathBuf::from(summary.bundle))
            .collect();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path != code_path
            && path.extension().is_some_and(|extension| extension == "bundle")
            && !recorded.contains(&path)
        {
            let _ = std::fs::remove_file(path);
        }
    }
    Ok(size)
}

/// The `invocations` option: `false`, or how many invocations to keep and how.
fn recording_settings(value: &Value) -> Result<RecordingSettings, String> {
    match value {
        Value::Bool(false) => Ok(RecordingSettings { enabled: false, ..Default::default() }),
        Value::Bool(true) | Value::Null => Ok(RecordingSettings::default()),
        Value::Object(_) => serde_json::from_value(value.clone()).map_err(|error| {
            format!(
                "'invocations' must be false or {{keep, keepFailed, maxBytes, secrets}}: {error}"
            )
        }),
        other => Err(format!(
            "'invocations' must be false or {{keep, keepFailed, maxBytes, secrets}}, not {other}"
        )),
    }
}

async fn deploy(inputs: &Props, preview: bool) -> Result<Props, Status> {
    let mut outputs = inputs.clone();
    let identity = identity(inputs);
    let bundle = inputs.str("bundle");
    let (Ok((name, state)), Some(bundle)) = (identity, bundle) else {
        if !preview {
            return Err(Status::invalid_argument(
                "the Function needs a valid 'name', 'stateDir' and 'bundle'",
            ));
        }
        outputs.set("codePath", unknown());
        outputs.set("size", unknown());
        return Ok(outputs);
    };
    outputs.set("codePath", json!(state.bundle(&name, bundle).display().to_string()));
    if preview {
        let size = inputs
            .str("bundlePath")
            .and_then(|path| std::fs::metadata(path).ok())
            .map(|meta| json!(meta.len()));
        outputs.set("size", size.unwrap_or_else(unknown));
        return Ok(outputs);
    }
    let size = {
        let state = state.clone();
        let name = name.clone();
        let inputs = inputs.clone();
        tokio::task::spawn_blocking(move || install(&state, &name, &inputs))
            .await
            .map_err(|error| io_error("the deployment failed", error))??
    };
    outputs.set("size", json!(size));
    let _server = process::lock(&state).await;
    process::reload(&state).await.map_err(Status::unavailable)?;
    Ok(outputs)
}

#[tonic::async_trait]
impl Resource for FunctionResource {
    fn compared(&self) -> &'static [&'static str] {
        // Not bundlePath: where the host wrote the bundle differs between runs.
        // `handler`, `files` and `captures` say what `bundle` hashes in terms
        // a reviewer reads: a preview shows the handler's changed lines, the
        // files, and the captured values that changed.
        &[
            "name",
            "stateDir",
            "bundle",
            "handler",
            "files",
            "captures",
            "timeout",
            "memory",
            "concurrency",
            "environment",
            "invocations",
            "secrets",
        ]
    }

    fn check(&self, news: &mut Props) -> Vec<CheckFailure> {
        let mut failures = Vec::new();
        check_common(news, "Function", &mut failures);
        if !news.is_unknown("bundle") {
            match news.str("bundle") {
                Some(hash)
                    if !hash.is_empty()
                        && hash.len() <= 128
                        && hash.chars().all(|c| c.is_ascii_hexdigit()) => {}
                Some(hash) => failures.push(failure(
                    "bundle",
                    format!("'bundle' must be a hex content hash, not '{hash}'"),
                )),
                None => failures
                    .push(failure("bundle", "'bundle' (the bundle's content hash) is required")),
            }
        }
        if !news.is_unknown("bundlePath") {
            match news.str("bundlePath") {
                Some(path) if Path::new(path).is_absolute() => {}
                Some(path) => failures.push(failure(
                    "bundlePath",
                    format!("'bundlePath' must be an absolute path, not '{path}'"),
                )),
                None => failures.push(failure("bundlePath", "'bundlePath' is required")),
            }
        }
        check_number(news, "timeout", DEFAULT_TIMEOUT, &mut failures);
        check_number(news, "memory", DEFAULT_MEMORY, &mut failures);
        // Left out when not given, so stacks deployed before it existed see no change.
        if !news.is_unknown("concurrency")
            && let Some(value) = news.get("concurrency")
            && !value.as_u64().is_some_and(|n| (1..=MAX_CONCURRENCY).contains(&n))
        {
            failures.push(failure(
                "concurrency",
                format!(
                    "'concurrency' must be a whole number from 1 to {MAX_CONCURRENCY}, not {value}"
                ),
            ));
        }
        if !news.is_unknown("invocations")
            && let Some(value) = news.get("invocations")
            && let Err(error) = recording_settings(value)
        {
            failures.push(failure("invocations", error));
        }
        if !news.is_unknown("environment") {
            match news.get("environment") {
                None => news.set("environment", json!({})),
                Some(Value::Object(map)) => {
                    for (key, value) in map {
                        if key.is_empty() || key.contains(['=', '\0']) {
                            failures.push(failure(
                                "environment",
                                format!("'{key}' is not a valid environment variable name"),
                            ));
                        } else if !value.is_string() {
                            failures.push(failure(
                                "environment",
                                format!("environment variable '{key}' must be a string"),
                            ));
                        }
                    }
                }
                Some(_) => failures
                    .push(failure("environment", "'environment' must be an object of strings")),
            }
        }
        if news.get("secrets").is_some() {
            // Whatever the program said, these values are never shown.
            news.secret.insert("secrets".into());
            if let Some(text) = news.str("secrets")
                && let Err(reason) = parse_secrets(text)
            {
                failures.push(failure("secrets", reason));
            } else if !news.is_unknown("secrets") && news.str("secrets").is_none() {
                failures.push(failure("secrets", "'secrets' must be a string"));
            }
        }
        failures
    }

    async fn create(&self, inputs: &Props, preview: bool) -> Result<Props, Status> {
        deploy(inputs, preview).await
    }

    async fn delete(&self, outputs: &Props) -> Result<(), Status> {
        let (name, state) = identity(outputs)?;
        let dir = state.function_dir(&name);
        remove_dir(&dir)
            .map_err(|error| io_error(&format!("cannot remove {}", dir.display()), error))?;
        let _server = process::lock(&state).await;
        process::reload(&state).await.map_err(Status::unavailable)
    }

    async fn read(&self, current: &Props) -> Result<Option<Props>, Status> {
        let (name, state) = identity(current)?;
        Ok(state.function_config(&name).is_file().then(|| current.clone()))
    }
}
