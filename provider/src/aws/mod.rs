//! The AWS target (`pulumi config set unfold:target aws`): Tables on DynamoDB,
//! Functions on Lambda, HttpApis on API Gateway. Credentials, region and
//! endpoints come from the standard AWS chain (environment, profiles, SSO,
//! IMDS); `AWS_ENDPOINT_URL` points every service at an emulator.

pub(crate) mod archive;
pub(crate) mod function;
pub(crate) mod http_api;
pub(crate) mod layer;
pub(crate) mod names;
pub(crate) mod table;

use aws_config::BehaviorVersion;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use serde_json::json;
use tonic::Status;

use crate::properties::Props;

/// The input naming a resource's target; absent on the local target (as on
/// stacks deployed before there was a choice).
pub(crate) const TARGET: &str = "target";
/// The value of `TARGET` for AWS.
pub(crate) const AWS: &str = "aws";
/// The resource's name in AWS (its ID there), from project, stack and name.
pub(crate) const AWS_NAME: &str = "awsName";
/// The short hash of the function runtime a Function runs on.
pub(crate) const RUNTIME: &str = "runtime";

/// Whether `props` belong to a resource on the AWS target.
pub(crate) fn on_aws(props: &Props) -> bool {
    props.str(TARGET) == Some(AWS)
}

/// Marks checked inputs as bound for AWS: the target, the stack (some
/// resources name others of their stack by it) and the resource's AWS name
/// (made from them, unless an import brought one).
pub(crate) fn place(news: &mut Props, project: &str, stack: &str) {
    news.set(TARGET, json!(AWS));
    news.set("project", json!(project));
    news.set("stack", json!(stack));
    // An imported resource keeps the name it has.
    if news.str(AWS_NAME).is_none()
        && let Some(name) = news.str("name").map(str::to_string)
    {
        news.set(AWS_NAME, json!(names::physical(project, stack, &name)));
    }
}

/// The resource's name in AWS, which Check set; `kind` names it in the error.
pub(crate) fn aws_name<'a>(props: &'a Props, kind: &str) -> Result<&'a str, Status> {
    props.str(AWS_NAME).ok_or_else(|| {
        Status::invalid_argument(format!(
            "the {kind} has no '{AWS_NAME}' (Check sets it from the stack)"
        ))
    })
}

/// The project and stack the resource belongs to, which Check set.
pub(crate) fn stack_of<'a>(props: &'a Props, kind: &str) -> Result<(&'a str, &'a str), Status> {
    match (props.str("project"), props.str("stack")) {
        (Some(project), Some(stack)) => Ok((project, stack)),
        _ => Err(Status::invalid_argument(format!(
            "the {kind} has no 'project' and 'stack' (Check sets them)"
        ))),
    }
}

/// One client per service, sharing one configuration.
pub(crate) struct Aws {
    pub(crate) region: String,
    pub(crate) dynamodb: aws_sdk_dynamodb::Client,
    pub(crate) lambda: aws_sdk_lambda::Client,
    pub(crate) iam: aws_sdk_iam::Client,
    pub(crate) apigateway: aws_sdk_apigatewayv2::Client,
    pub(crate) sts: aws_sdk_sts::Client,
    account: tokio::sync::OnceCell<String>,
}

impl Aws {
    /// Clients configured from the standard chain; fails without a region.
    pub(crate) async fn from_environment() -> Result<Self, Status> {
        // HTTPS on rustls with ring: the SDK's default would add a second
        // crypto library with a C build.
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let config = aws_config::defaults(BehaviorVersion::latest()).http_client(http).load().await;
        let region = config.region().map(|region| region.to_string()).ok_or_else(|| {
            Status::failed_precondition(
                "the AWS target needs a region: set AWS_REGION, or a region in your AWS profile \
                 (`aws configure set region eu-west-1`)",
            )
        })?;
        Ok(Self {
            region,
            dynamodb: aws_sdk_dynamodb::Client::new(&config),
            lambda: aws_sdk_lambda::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            apigateway: aws_sdk_apigatewayv2::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            account: tokio::sync::OnceCell::new(),
        })
    }

    /// The account the credentials belong to (ARNs are built with it).
    pub(crate) async fn account(&self) -> Result<String, Status> {
        self.account
            .get_or_try_init(|| async {
                let identity = self.sts.get_caller_identity().send().await.map_err(|error| {
                    aws_error("cannot tell which AWS account the credentials belong to", error)
                })?;
                identity
                    .account
                    .ok_or_else(|| Status::unavailable("AWS named no account for the credentials"))
            })
            .await
            .cloned()
    }
}

/// Keeps `archive` at `path`, as it was uploaded.
pub(crate) fn keep_upload(path: &std::path::Path, archive: &[u8]) -> Result<(), Status> {
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            unfold_function_runtime::private_files::create_dir_all(dir)?;
        }
        unfold_function_runtime::private_files::write(path, archive)
    };
    write().map_err(|error| Status::internal(format!("cannot keep {}: {error}", path.display())))
}

/// A failed AWS call as the engine shows it: what was being done, then AWS's
/// own code and message.
pub(crate) fn aws_error<E>(what: &str, error: aws_sdk_dynamodb::error::SdkError<E>) -> Status
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    use aws_sdk_dynamodb::error::SdkError;
    let detail = match &error {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            match (inner.code(), inner.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_string(),
                _ => inner.to_string(),
            }
        }
        other => format!("{}", aws_sdk_dynamodb::error::DisplayErrorContext(other)),
    };
    Status::unavailable(format!("{what}: {detail}"))
}

/// The AWS error code of a service error, if that is what `error` is.
pub(crate) fn error_code<E>(error: &aws_sdk_dynamodb::error::SdkError<E>) -> Option<&str>
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    match error {
        aws_sdk_dynamodb::error::SdkError::ServiceError(service) => service.err().code(),
        _ => None,
    }
}
