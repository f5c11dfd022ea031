//! `unfold:index:HttpApi`: routes in `<stateDir>/apis/<name>.json`, served by
//! the stack's local server at `http://127.0.0.1:<port>/<name>`. The first API
//! starts the server; deleting the last one stops it.

use serde_json::{Value, json};
use tonic::Status;
use unfold_function_runtime::private_files;
use unfold_proto::pulumirpc::CheckFailure;

use super::{Resource, check_common, failure, identity, io_error};
use crate::cors::Cors;
use crate::process;
use crate::properties::{Props, contains_unknown, unknown};
use crate::route::{Route, validate};
use crate::state::{ApiConfig, StateDir, remove_file, valid_name, write_json};

pub(crate) struct HttpApiResource;

pub(crate) fn url(port: u16, name: &str) -> String {
    format!("http://127.0.0.1:{port}/{name}")
}

pub(crate) fn routes(props: &Props) -> Result<Vec<Route>, String> {
    serde_json::from_value(props.get("routes").cloned().unwrap_or(json!([]))).map_err(|error| {
        format!("'routes' must be a list of {{method, path, function}} strings: {error}")
    })
}

/// The `corsConfiguration` input, if the API declares one.
pub(crate) fn cors(props: &Props) -> Result<Option<Cors>, String> {
    match props.get(CORS_INPUT) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => Cors::from_input(value).map(Some),
    }
}

/// Not `cors`: a resource's inputs become properties of its object in the
/// program, which would hide the `cors()` method.
pub(crate) const CORS_INPUT: &str = "corsConfiguration";

fn any_api_left(state: &StateDir) -> bool {
    std::fs::read_dir(state.apis())
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| entry.path().extension().is_some_and(|extension| extension == "json"))
}

async fn deploy(inputs: &Props, preview: bool) -> Result<Props, Status> {
    let mut outputs = inputs.clone();
    let Ok((name, state)) = identity(inputs) else {
        if !preview {
            return Err(Status::invalid_argument(
                "the HttpApi needs a valid 'name' and 'stateDir'",
            ));
        }
        outputs.set("url", unknown());
        return Ok(outputs);
    };
    if preview {
        // The port is fixed once a server has run; before that it is not known.
        let port = process::recorded(&state).map(|info| info.port);
        outputs.set("url", port.map_or_else(unknown, |port| json!(url(port, &name))));
        return Ok(outputs);
    }
    let routes = routes(inputs).map_err(Status::invalid_argument)?;
    let cors = cors(inputs).map_err(Status::invalid_argument)?;
    private_files::create_dir_all(state.path())
        .map_err(|error| io_error("cannot create the state directory", error))?;
    let _server = process::lock(&state).await;
    let info = process::ensure_running(&state).await.map_err(Status::unavailable)?;
    write_json(&state.api(&name), &ApiConfig { name: name.clone(), routes, cors })
        .map_err(|error| io_error("cannot write the API's routes", error))?;
    process::reload(&state).await.map_err(Status::unavailable)?;
    outputs.set("url", json!(url(info.port, &name)));
    Ok(outputs)
}

#[tonic::async_trait]
impl Resource for HttpApiResource {
    fn compared(&self) -> &'static [&'static str] {
        &["name", "stateDir", "routes", CORS_INPUT]
    }

    fn check(&self, news: &mut Props) -> Vec<CheckFailure> {
        let mut failures = Vec::new();
        check_common(news, "HttpApi", &mut failures);
        match news.get("routes") {
            None => failures.push(failure("routes", "'routes' is required")),
            // Routes not known yet are checked when they are.
            Some(value) if contains_unknown(value) => {}
            Some(Value::Array(items)) => {
                let mut normalized = items.clone();
                for item in &mut normalized {
                    // Methods are matched in upper case, as HTTP spells them.
                    if let Some(method) = item.get_mut("method")
                        && let Some(text) = method.as_str()
                    {
                        *method = json!(text.to_ascii_uppercase());
                    }
                }
                news.set("routes", Value::Array(normalized));
                match routes(news) {
                    Ok(routes) => {
                        for (index, reason) in validate(&routes, valid_name) {
                            failures.push(failure(&format!("routes[{index}]"), reason));
                        }
                    }
                    Err(reason) => failures.push(failure("routes", reason)),
                }
            }
            Some(_) => failures.push(failure("routes", "'routes' must be a list")),
        }
        if news.get(CORS_INPUT).is_some_and(|value| !contains_unknown(value))
            && let Err(reason) = cors(news)
        {
            failures.push(failure(CORS_INPUT, reason));
        }
        failures
    }

    async fn create(&self, inputs: &Props, preview: bool) -> Result<Props, Status> {
        deploy(inputs, preview).await
    }

    async fn delete(&self, outputs: &Props) -> Result<(), Status> {
        let (name, state) = identity(outputs)?;
        let _server = process::lock(&state).await;
        remove_file(&state.api(&name))
            .map_err(|error| io_error("cannot remove the API's routes", error))?;
        if any_api_left(&state) {
            process::reload(&state).await.map_err(Status::unavailable)
        } else {
            process::stop(&state).await.map_err(Status::unavailable)
        }
    }

    /// The stack's server serves this API again if it died since the last deployment.
    async fn unchanged(&self, olds: &Props) -> Result<(), Status> {
        let Ok((name, state)) = identity(olds) else { return Ok(()) };
        if !state.api(&name).is_file() {
            return Ok(());
        }
        let _server = process::lock(&state).await;
        process::ensure_running(&state).await.map(drop).map_err(Status::unavailable)
    }

    async fn read(&self, current: &Props) -> Result<Option<Props>, Status> {
        let (name, state) = identity(current)?;
        if !state.api(&name).is_file() {
            return Ok(None);
        }
        let mut outputs = current.clone();
        if let Some(info) = process::recorded(&state) {
            outputs.set("url", json!(url(info.port, &name)));
        }
        Ok(Some(outputs))
    }
}
