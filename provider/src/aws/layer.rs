//! The function runtime as a Lambda layer: the `bootstrap` binary that
//! restores a bundle, published once under a name made of its content hash
//! and shared by every Function that uses that runtime — so a Function's own
//! zip holds only its bundle, and a handler edit uploads kilobytes. A layer
//! version goes when the last Function using it is deleted.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Architecture, Runtime};
use sha2::{Digest, Sha256};
use tonic::Status;

use super::archive::{Entry, zip};
use super::{Aws, aws_error, error_code};

/// Names the runtime binary to publish (a build for Lambda's OS); by default
/// `unfold-lambda-bootstrap` beside the provider.
pub(crate) const BOOTSTRAP_ENV: &str = "UNFOLD_LAMBDA_BOOTSTRAP";
const BOOTSTRAP_FILE: &str = "unfold-lambda-bootstrap";
/// Layer names start with this, then the runtime's short hash.
pub(crate) const LAYER_PREFIX: &str = "unfold-runtime-";

/// The runtime to publish: its path and the short hash that names its layer.
#[derive(Clone, Debug)]
pub(crate) struct RuntimeBinary {
    pub(crate) path: PathBuf,
    pub(crate) hash: String,
}

impl RuntimeBinary {
    pub(crate) fn layer_name(&self) -> String {
        format!("{LAYER_PREFIX}{}", self.hash)
    }
}

fn bootstrap_path() -> PathBuf {
    if let Some(path) = std::env::var_os(BOOTSTRAP_ENV) {
        return PathBuf::from(path);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(BOOTSTRAP_FILE)))
        .unwrap_or_else(|| PathBuf::from(BOOTSTRAP_FILE))
}

/// The runtime binary, hashed once per provider process.
pub(crate) fn runtime_binary() -> Result<RuntimeBinary, String> {
    static FOUND: OnceLock<Result<RuntimeBinary, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let path = bootstrap_path();
            let bytes = std::fs::read(&path).map_err(|error| {
                format!(
                    "Functions on the AWS target need Unfold's Lambda runtime, and {} cannot be read \
                     ({error}): build it with `cargo build --release -p unfold-lambda` and put \
                     `unfold-lambda-bootstrap` beside pulumi-resource-unfold, or name it in {BOOTSTRAP_ENV}",
                    path.display()
                )
            })?;
            let hash = hex::encode(&Sha256::digest(&bytes)[..8]);
            Ok(RuntimeBinary { path, hash })
        })
        .clone()
}

/// The layer's zip: the runtime as `bootstrap`, which Lambda runs from `/opt`.
fn archive(runtime: &RuntimeBinary) -> Result<Vec<u8>, Status> {
    let bytes = std::fs::read(&runtime.path).map_err(|error| {
        Status::failed_precondition(format!("cannot read {}: {error}", runtime.path.display()))
    })?;
    zip(&[Entry { name: "bootstrap", bytes: &bytes, executable: true }]).map_err(Status::internal)
}

/// The ARN of the runtime's layer version, published now if the account
/// has none yet. The layer's zip is kept in `uploads`.
pub(crate) async fn ensure(
    aws: &Aws,
    runtime: &RuntimeBinary,
    uploads: &Path,
) -> Result<String, Status> {
    // Functions deploy side by side; one of them publishes, the rest find it.
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _publishing = ONE_AT_A_TIME.lock().await;
    let name = runtime.layer_name();
    let kept = uploads.join(format!("{name}.zip"));
    let published_arn = published(aws, &name).await?;
    if let Some(arn) = &published_arn
        && kept.is_file()
    {
        return Ok(arn.clone());
    }
    let archive = archive(runtime)?;
    super::keep_upload(&kept, &archive)?;
    if let Some(arn) = published_arn {
        return Ok(arn);
    }
    let published = aws
        .lambda
        .publish_layer_version()
        .layer_name(&name)
        .description(format!("Unfold's function runtime {}", env!("CARGO_PKG_VERSION")))
        .compatible_runtimes(Runtime::Providedal2023)
        .compatible_architectures(Architecture::X8664)
        .content(
            aws_sdk_lambda::types::LayerVersionContentInput::builder()
                .zip_file(Blob::new(archive))
                .build(),
        )
        .send()
        .await
        .map_err(|error| aws_error(&format!("cannot publish the runtime layer {name}"), error))?;
    published
        .layer_version_arn
        .ok_or_else(|| Status::unavailable(format!("AWS gave no ARN for layer {name}")))
}

/// The newest version of layer `name`, if there is one.
async fn published(aws: &Aws, name: &str) -> Result<Option<String>, Status> {
    let versions = aws
        .lambda
        .list_layer_versions()
        .layer_name(name)
        .send()
        .await
        .map_err(|error| aws_error(&format!("cannot list versions of layer {name}"), error))?;
    Ok(versions
        .layer_versions
        .unwrap_or_default()
        .into_iter()
        .max_by_key(|version| version.version)
        .and_then(|version| version.layer_version_arn))
}

/// Deletes layer version `arn` if no Function in the account uses it any
/// more, and the copy of its zip in `uploads`.
pub(crate) async fn release(aws: &Aws, arn: &str, uploads: &Path) -> Result<(), Status> {
    let mut marker = None;
    loop {
        let page = aws
            .lambda
            .list_functions()
            .set_marker(marker)
            .send()
            .await
            .map_err(|error| aws_error("cannot list the account's functions", error))?;
        let in_use = page.functions().iter().any(|function| {
            function.layers().iter().any(|layer| layer.arn.as_deref() == Some(arn))
        });
        if in_use {
            return Ok(());
        }
        marker = page.next_marker;
        if marker.is_none() {
            break;
        }
    }
    let Some((name, version)) = split_version_arn(arn) else {
        return Ok(());
    };
    match aws.lambda.delete_layer_version().layer_name(name).version_number(version).send().await {
        Ok(_) => {}
        Err(error) if error_code(&error) == Some("ResourceNotFoundException") => {}
        Err(error) => return Err(aws_error(&format!("cannot delete layer version {arn}"), error)),
    }
    if let Some(short) = name.rsplit(':').next() {
        let _ = std::fs::remove_file(uploads.join(format!("{short}.zip")));
    }
    Ok(())
}

/// `arn:aws:lambda:<region>:<account>:layer:<name>:<version>` → (name ARN, version).
fn split_version_arn(arn: &str) -> Option<(&str, i64)> {
    let (name, version) = arn.rsplit_once(':')?;
    Some((name, version.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_version_arns_split_into_layer_and_version() {
        assert_eq!(
            split_version_arn("arn:aws:lambda:eu-west-1:123:layer:unfold-runtime-ab:3"),
            Some(("arn:aws:lambda:eu-west-1:123:layer:unfold-runtime-ab", 3))
        );
        assert_eq!(split_version_arn("nonsense"), None);
    }
}
