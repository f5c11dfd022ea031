//! The provider's resources. Each checks its inputs and carries out create,
//! update, delete and read against the state directory; diffing is common to
//! all (see `provider`). With `preview`, nothing on disk changes.

pub(crate) mod function;
pub(crate) mod http_api;
pub(crate) mod table;

use std::path::Path;

use tonic::Status;
use unfold_proto::pulumirpc::CheckFailure;

use crate::properties::Props;
use crate::state::{StateDir, valid_name};

#[tonic::async_trait]
pub(crate) trait Resource: Send + Sync {
    /// Inputs Diff compares.
    fn compared(&self) -> &'static [&'static str];

    /// Inputs whose change replaces the resource.
    fn replaced_by(&self) -> &'static [&'static str] {
        &["name", "stateDir"]
    }

    /// Validates `news` and fills in defaults.
    fn check(&self, news: &mut Props) -> Vec<CheckFailure>;

    /// The outputs of a new resource.
    async fn create(&self, inputs: &Props, preview: bool) -> Result<Props, Status>;

    /// The outputs after an in-place update: by default the resource is
    /// deployed again from its new inputs, as `create` deploys it.
    async fn update(&self, olds: &Props, news: &Props, preview: bool) -> Result<Props, Status> {
        let _ = olds;
        self.create(news, preview).await
    }

    async fn delete(&self, outputs: &Props) -> Result<(), Status>;

    /// Called when a deployment finds the resource unchanged: what it stands
    /// for is brought back if it is gone (a server that died).
    async fn unchanged(&self, olds: &Props) -> Result<(), Status> {
        let _ = olds;
        Ok(())
    }

    /// The outputs as they are now, or `None` if the resource is gone.
    async fn read(&self, outputs: &Props) -> Result<Option<Props>, Status>;
}

pub(crate) fn failure(property: &str, reason: impl Into<String>) -> CheckFailure {
    CheckFailure { property: property.into(), reason: reason.into() }
}

/// A required string input: a reason if it is missing or not a string. Unknowns pass.
fn required_string(props: &Props, key: &str, failures: &mut Vec<CheckFailure>) -> Option<String> {
    if props.is_unknown(key) {
        return None;
    }
    match props.get(key) {
        Some(serde_json::Value::String(text)) => Some(text.clone()),
        Some(_) => {
            failures.push(failure(key, format!("'{key}' must be a string")));
            None
        }
        None => {
            failures.push(failure(key, format!("'{key}' is required")));
            None
        }
    }
}

/// Checks `name` and `stateDir`, which every resource on the local target has.
pub(crate) fn check_common(props: &Props, kind: &str, failures: &mut Vec<CheckFailure>) {
    check_name(props, kind, failures);
    if let Some(dir) = required_string(props, "stateDir", failures)
        && !Path::new(&dir).is_absolute()
    {
        failures.push(failure("stateDir", format!("stateDir '{dir}' must be an absolute path")));
    }
}

/// Checks `name`, which every resource has.
pub(crate) fn check_name(props: &Props, kind: &str, failures: &mut Vec<CheckFailure>) {
    if let Some(name) = required_string(props, "name", failures)
        && !valid_name(&name)
    {
        failures.push(failure(
            "name",
            format!("'{name}' is not a valid {kind} name: use up to 128 letters, digits, '-', '_' and '.', not starting with '.'"),
        ));
    }
}

/// The `name` and state directory of a resource whose inputs are known.
pub(crate) fn identity(props: &Props) -> Result<(String, StateDir), Status> {
    match (props.str("name"), props.str("stateDir")) {
        (Some(name), Some(dir)) if valid_name(name) => Ok((name.to_string(), StateDir::new(dir))),
        _ => Err(Status::invalid_argument("the resource needs a valid 'name' and 'stateDir'")),
    }
}

pub(crate) fn io_error(what: &str, error: impl std::fmt::Display) -> Status {
    Status::internal(format!("{what}: {error}"))
}
