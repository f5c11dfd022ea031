//! `unfold:index:Function` on Lambda (`provided.al2023`): the function's zip
//! holds only its bundle; the runtime comes from the shared layer (see
//! `layer`). Each Function has an IAM role of its own allowed to write its
//! logs and to use the stack's tables — the record does not say which tables
//! a handler reaches, so it may reach every table of its stack, and no other.
//!
//! Secrets travel as the `UNFOLD_SECRETS` environment variable, which Lambda
//! keeps encrypted at rest (under the account's key for Lambda): no second
//! service to call on a cold start, and never in the bundle. Environment
//! variables are limited to 4 KB in all.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Environment, FunctionCode, Runtime};
use serde_json::{Value, json};
use tonic::Status;
use unfold_function_runtime::lambda_layout::{
    BUNDLE_FILE, ENVIRONMENT_ENV, FUNCTION_ENV, SECRETS_ENV, STACK_PREFIX_ENV, TIMEOUT_ENV,
};
use unfold_proto::pulumirpc::CheckFailure;

use super::layer::{self, RuntimeBinary};
use super::names::stack_prefix;
use super::{AWS_NAME, Aws, RUNTIME, aws_error, error_code};
use crate::properties::{Props, unknown};
use crate::resources::function::{DEFAULT_TIMEOUT, FunctionResource};
use crate::resources::{Resource, failure, io_error};
use crate::state::StateDir;

/// Lambda's limits.
/// (A second is kept for the runtime to answer 504 itself.)
const MAX_TIMEOUT: f64 = 899.0;
const MEMORY_RANGE: std::ops::RangeInclusive<f64> = 128.0..=10240.0;
/// How long a new role may take to become usable by Lambda (IAM is
/// eventually consistent).
const ROLE_USABLE_WITHIN: Duration = Duration::from_secs(60);
const POLICY_NAME: &str = "unfold-function";

pub(crate) struct AwsFunction(pub(crate) Arc<Aws>);

fn function_name(props: &Props) -> Result<&str, Status> {
    super::aws_name(props, "Function")
}

const TRUST_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The role's only policy: its own log group, the stack's tables, and
/// invoking the stack's functions (the units a service call or a Function
/// handed over by reference reaches). As with tables, the record does not say
/// which units a handler calls, so its stack's are the bound.
pub(crate) fn role_policy(region: &str, account: &str, function: &str, stack: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": [
                    format!("arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{function}"),
                    format!("arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{function}:*"),
                ],
            },
            {
                "Effect": "Allow",
                "Action": [
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query",
                ],
                "Resource": format!("arn:aws:dynamodb:{region}:{account}:table/{stack}*"),
            },
            {
                "Effect": "Allow",
                "Action": "lambda:InvokeFunction",
                "Resource": format!("arn:aws:lambda:{region}:{account}:function:{stack}*"),
            },
        ],
    })
    .to_string()
}

/// The function's environment: the program's variables, then the runtime's.
fn environment(inputs: &Props) -> Result<Environment, Status> {
    let mut variables: std::collections::HashMap<String, String> = inputs
        .get("environment")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect()
        })
        .unwrap_or_default();
    let mut names: Vec<&String> = variables.keys().collect();
    names.sort();
    let names = json!(names).to_string();
    variables.insert(ENVIRONMENT_ENV.into(), names);
    if let Some(name) = inputs.str("name") {
        variables.insert(FUNCTION_ENV.into(), name.into());
    }
    let seconds = inputs.get("timeout").and_then(Value::as_f64).unwrap_or(DEFAULT_TIMEOUT);
    variables.insert(TIMEOUT_ENV.into(), seconds.to_string());
    if let Some(secrets) = inputs.str("secrets") {
        variables.insert(SECRETS_ENV.into(), secrets.into());
    }
    let (project, stack) = super::stack_of(inputs, "Function")?;
    variables.insert(STACK_PREFIX_ENV.into(), stack_prefix(project, stack));
    Ok(Environment::builder().set_variables(Some(variables)).build())
}

/// Lambda's timeout: a second past the Function's, so the runtime answers 504 first.
fn timeout(inputs: &Props) -> i32 {
    let seconds = inputs.get("timeout").and_then(Value::as_f64).unwrap_or(DEFAULT_TIMEOUT);
    (seconds.ceil() as i32 + 1).min(MAX_TIMEOUT as i32)
}

fn memory(inputs: &Props) -> i32 {
    inputs.get("memory").and_then(Value::as_f64).unwrap_or(128.0).round() as i32
}

/// Where the stack keeps what it uploaded (see `StateDir::aws_uploads`).
fn uploads(props: &Props) -> Result<PathBuf, Status> {
    props
        .str("stateDir")
        .map(|dir| StateDir::new(dir).aws_uploads())
        .ok_or_else(|| Status::invalid_argument("the Function has no 'stateDir'"))
}

/// The function's zip, holding its bundle and nothing else; kept as uploaded.
fn code(inputs: &Props) -> Result<(Vec<u8>, u64), Status> {
    let path = inputs.str("bundlePath").unwrap_or_default();
    let bundle = std::fs::read(path).map_err(|error| {
        Status::failed_precondition(format!(
            "the bundle of Function '{}' cannot be read from {path}: {error} (the language host writes it when the program runs)",
            inputs.str("name").unwrap_or_default()
        ))
    })?;
    let archive = super::archive::zip(&[super::archive::Entry {
        name: BUNDLE_FILE,
        bytes: &bundle,
        executable: false,
    }])
    .map_err(Status::internal)?;
    let kept = uploads(inputs)?.join(format!("{}.zip", function_name(inputs)?));
    super::keep_upload(&kept, &archive)?;
    Ok((archive, bundle.len() as u64))
}

impl AwsFunction {
    /// The role's ARN; the role is made if it does not exist.
    async fn ensure_role(&self, name: &str, inputs: &Props) -> Result<(String, bool), Status> {
        let iam = &self.0.iam;
        let (arn, created) =
            match iam
                .create_role()
                .role_name(name)
                .assume_role_policy_document(TRUST_POLICY)
                .description("The role of an Unfold Function")
                .send()
                .await
            {
                Ok(output) => (output.role.map(|role| role.arn).unwrap_or_default(), true),
                Err(error) if error_code(&error) == Some("EntityAlreadyExists") => {
                    let role =
                        iam.get_role().role_name(name).send().await.map_err(|error| {
                            aws_error(&format!("cannot read role {name}"), error)
                        })?;
                    (role.role.map(|role| role.arn).unwrap_or_default(), false)
                }
                Err(error) => return Err(aws_error(&format!("cannot create role {name}"), error)),
            };
        self.put_role_policy(name, inputs).await?;
        Ok((arn, created))
    }

    /// Sets the policy of the function's role `name` (again, after an update:
    /// a role made by an earlier version gets what this one grants).
    async fn put_role_policy(&self, name: &str, inputs: &Props) -> Result<(), Status> {
        let (project, stack) = super::stack_of(inputs, "Function")?;
        let account = self.0.account().await?;
        let policy = role_policy(&self.0.region, &account, name, &stack_prefix(project, stack));
        self.0
            .iam
            .put_role_policy()
            .role_name(name)
            .policy_name(POLICY_NAME)
            .policy_document(policy)
            .send()
            .await
            .map_err(|error| aws_error(&format!("cannot set the policy of role {name}"), error))?;
        Ok(())
    }

    async fn delete_role(&self, name: &str) -> Result<(), Status> {
        let iam = &self.0.iam;
        let gone = |code: Option<&str>| code == Some("NoSuchEntity");
        if let Err(error) =
            iam.delete_role_policy().role_name(name).policy_name(POLICY_NAME).send().await
            && !gone(error_code(&error))
        {
            return Err(aws_error(&format!("cannot delete the policy of role {name}"), error));
        }
        match iam.delete_role().role_name(name).send().await {
            Ok(_) => Ok(()),
            Err(error) if gone(error_code(&error)) => Ok(()),
            Err(error) => Err(aws_error(&format!("cannot delete role {name}"), error)),
        }
    }

    /// Creates the function, waiting out a new role's propagation.
    async fn create_function(
        &self,
        name: &str,
        role: &str,
        layer: &str,
        inputs: &Props,
        archive: Vec<u8>,
    ) -> Result<aws_sdk_lambda::operation::create_function::CreateFunctionOutput, Status> {
        let deadline = tokio::time::Instant::now() + ROLE_USABLE_WITHIN;
        loop {
            let result = self
                .0
                .lambda
                .create_function()
                .function_name(name)
                .runtime(Runtime::Providedal2023)
                .handler(BUNDLE_FILE)
                .role(role)
                .layers(layer)
                .code(FunctionCode::builder().zip_file(Blob::new(archive.clone())).build())
                .timeout(timeout(inputs))
                .memory_size(memory(inputs))
                .environment(environment(inputs)?)
                .description(format!(
                    "Unfold Function '{}'",
                    inputs.str("name").unwrap_or_default()
                ))
                .send()
                .await;
            match result {
                Ok(output) => return Ok(output),
                Err(error)
                    if error_code(&error) == Some("InvalidParameterValueException")
                        && format!("{error:?}").contains("cannot be assumed")
                        && tokio::time::Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                Err(error) if error_code(&error) == Some("ResourceConflictException") => {
                    return Err(Status::already_exists(format!(
                        "a Lambda function named {name} already exists, made outside this stack: \
                         delete it (`aws lambda delete-function --function-name {name}`) or give \
                         the Function another name in the program"
                    )));
                }
                Err(error) => {
                    return Err(aws_error(&format!("cannot create function {name}"), error));
                }
            }
        }
    }

    async fn deploy(&self, inputs: &Props) -> Result<Props, Status> {
        let name = function_name(inputs)?;
        let runtime = runtime(inputs)?;
        let (archive, size) = code(inputs)?;
        let layer = layer::ensure(&self.0, &runtime, &uploads(inputs)?).await?;
        let (role, role_created) = self.ensure_role(name, inputs).await?;
        let created = match self.create_function(name, &role, &layer, inputs, archive).await {
            Ok(created) => created,
            Err(error) => {
                // Nothing is left behind that the stack would not know of.
                if role_created && let Err(cleanup) = self.delete_role(name).await {
                    return Err(Status::new(
                        error.code(),
                        format!(
                            "{}; and role {name}, made for it, is left: {}",
                            error.message(),
                            cleanup.message()
                        ),
                    ));
                }
                return Err(error);
            }
        };
        let mut outputs = inputs.clone();
        outputs.set("arn", json!(created.function_arn.unwrap_or_default()));
        outputs.set("roleArn", json!(role));
        outputs.set("layerArn", json!(layer));
        outputs.set("codeSha256", json!(created.code_sha256.unwrap_or_default()));
        outputs.set("size", json!(size));
        Ok(outputs)
    }
}

/// The runtime binary named by the inputs' `runtime` hash (set by Check).
fn runtime(inputs: &Props) -> Result<RuntimeBinary, Status> {
    let found = layer::runtime_binary().map_err(Status::failed_precondition)?;
    match inputs.str(RUNTIME) {
        Some(hash) if hash == found.hash => Ok(found),
        Some(hash) => Err(Status::failed_precondition(format!(
            "the Function was checked against runtime {hash}, but the provider now has {}: run the deployment again",
            found.hash
        ))),
        None => Err(Status::invalid_argument("the Function has no 'runtime' (Check sets it)")),
    }
}

/// Inputs whose change needs new function configuration, not new code.
const CONFIGURATION: &[&str] = &["timeout", "memory", "environment", "secrets", RUNTIME];

#[tonic::async_trait]
impl Resource for AwsFunction {
    fn compared(&self) -> &'static [&'static str] {
        &[
            "name",
            AWS_NAME,
            "bundle",
            "handler",
            "files",
            "captures",
            "timeout",
            "memory",
            "environment",
            "secrets",
            RUNTIME,
        ]
    }

    fn replaced_by(&self) -> &'static [&'static str] {
        &["name", AWS_NAME]
    }

    fn check(&self, news: &mut Props) -> Vec<CheckFailure> {
        let mut failures = FunctionResource.check(news);
        if let Some(timeout) = news.get("timeout").and_then(Value::as_f64)
            && timeout > MAX_TIMEOUT
        {
            failures.push(failure(
                "timeout",
                format!("Lambda runs a function for at most {MAX_TIMEOUT} seconds, not {timeout}"),
            ));
        }
        if let Some(memory) = news.get("memory").and_then(Value::as_f64)
            && !MEMORY_RANGE.contains(&memory)
        {
            failures.push(failure(
                "memory",
                format!("Lambda gives a function 128 to 10240 MB, not {memory}"),
            ));
        }
        match layer::runtime_binary() {
            Ok(runtime) => news.set(RUNTIME, json!(runtime.hash)),
            Err(reason) => failures.push(failure(RUNTIME, reason)),
        }
        failures
    }

    async fn create(&self, inputs: &Props, preview: bool) -> Result<Props, Status> {
        if preview {
            let mut outputs = inputs.clone();
            for key in ["arn", "roleArn", "layerArn", "codeSha256", "size"] {
                outputs.set(key, unknown());
            }
            return Ok(outputs);
        }
        self.deploy(inputs).await
    }

    /// New code only when the bundle changed; new configuration only when it did.
    async fn update(&self, olds: &Props, news: &Props, preview: bool) -> Result<Props, Status> {
        let mut outputs = news.clone();
        for key in ["arn", "roleArn", "layerArn", "codeSha256", "size"] {
            outputs.set(key, olds.get(key).cloned().unwrap_or_else(unknown));
        }
        let code_changed = olds.get("bundle") != news.get("bundle");
        let configuration_changed = CONFIGURATION.iter().any(|key| olds.get(key) != news.get(key));
        if preview {
            if code_changed {
                outputs.set("codeSha256", unknown());
                outputs.set("size", unknown());
            }
            if olds.get(RUNTIME) != news.get(RUNTIME) {
                outputs.set("layerArn", unknown());
            }
            return Ok(outputs);
        }
        let name = function_name(news)?;
        let lambda = &self.0.lambda;
        if configuration_changed {
            self.put_role_policy(name, news).await?;
            let layer = layer::ensure(&self.0, &runtime(news)?, &uploads(news)?).await?;
            lambda
                .update_function_configuration()
                .function_name(name)
                .timeout(timeout(news))
                .memory_size(memory(news))
                .environment(environment(news)?)
                .layers(&layer)
                .send()
                .await
                .map_err(|error| aws_error(&format!("cannot configure function {name}"), error))?;
            self.wait_until_updated(name).await?;
            if let Some(old) = olds.str("layerArn")
                && old != layer
            {
                layer::release(&self.0, old, &uploads(news)?).await?;
            }
            outputs.set("layerArn", json!(layer));
        }
        if code_changed {
            let (archive, size) = code(news)?;
            let updated = lambda
                .update_function_code()
                .function_name(name)
                .zip_file(Blob::new(archive))
                .send()
                .await
                .map_err(|error| {
                    aws_error(&format!("cannot update the code of function {name}"), error)
                })?;
            self.wait_until_updated(name).await?;
            outputs.set("codeSha256", json!(updated.code_sha256.unwrap_or_default()));
            outputs.set("size", json!(size));
        }
        Ok(outputs)
    }

    async fn delete(&self, outputs: &Props) -> Result<(), Status> {
        let name = function_name(outputs)?;
        match self.0.lambda.delete_function().function_name(name).send().await {
            Ok(_) => {}
            Err(error) if error_code(&error) == Some("ResourceNotFoundException") => {}
            Err(error) => return Err(aws_error(&format!("cannot delete function {name}"), error)),
        }
        self.delete_role(name).await?;
        let uploads = uploads(outputs)?;
        let _ = std::fs::remove_file(uploads.join(format!("{name}.zip")));
        if let Some(layer) = outputs.str("layerArn") {
            layer::release(&self.0, layer, &uploads).await?;
        }
        Ok(())
    }

    async fn read(&self, current: &Props) -> Result<Option<Props>, Status> {
        let name = function_name(current)?;
        let found =
            match self.0.lambda.get_function_configuration().function_name(name).send().await {
                Ok(found) => found,
                Err(error) if error_code(&error) == Some("ResourceNotFoundException") => {
                    return Ok(None);
                }
                Err(error) => {
                    return Err(aws_error(&format!("cannot read function {name}"), error));
                }
            };
        let mut outputs = current.clone();
        outputs.set("arn", json!(found.function_arn.unwrap_or_default()));
        outputs.set("roleArn", json!(found.role.unwrap_or_default()));
        outputs.set("codeSha256", json!(found.code_sha256.unwrap_or_default()));
        if let Some(layer) =
            found.layers.unwrap_or_default().into_iter().find_map(|layer| layer.arn)
        {
            outputs.set("layerArn", json!(layer));
        }
        // Lambda's timeout is a second past the Function's (see `timeout`).
        if let Some(seconds) = found.timeout
            && seconds != timeout(current)
        {
            outputs.set("timeout", json!(f64::from(seconds - 1)));
        }
        if let Some(memory) = found.memory_size {
            outputs.set("memory", json!(f64::from(memory)));
        }
        Ok(Some(outputs))
    }
}

impl AwsFunction {
    /// Lambda refuses a second update while one is in progress.
    async fn wait_until_updated(&self, name: &str) -> Result<(), Status> {
        use aws_sdk_lambda::types::LastUpdateStatus;
        for _ in 0..120 {
            let found = self
                .0
                .lambda
                .get_function_configuration()
                .function_name(name)
                .send()
                .await
                .map_err(|error| aws_error(&format!("cannot read function {name}"), error))?;
            match found.last_update_status {
                Some(LastUpdateStatus::InProgress) => {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Some(LastUpdateStatus::Failed) => {
                    return Err(io_error(
                        &format!("function {name} failed to update"),
                        found.last_update_status_reason.unwrap_or_default(),
                    ));
                }
                _ => return Ok(()),
            }
        }
        Err(Status::deadline_exceeded(format!("function {name} is still updating after a minute")))
    }
}
