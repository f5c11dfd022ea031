//! How a Function is laid out on Lambda: the contract between the provider,
//! which deploys it, and the bootstrap, which runs it.

use sha2::{Digest, Sha256};

/// The bundle, in the function's zip (so at `$LAMBDA_TASK_ROOT/<this>`).
pub const BUNDLE_FILE: &str = "function.bundle";
/// The Function's name, as the program gave it.
pub const FUNCTION_ENV: &str = "UNFOLD_FUNCTION";
/// The values of the bundle's secret placeholders, as a JSON array.
pub const SECRETS_ENV: &str = "UNFOLD_SECRETS";
/// Seconds an invocation may run before it is answered 504 (Lambda's own
/// timeout is a second longer, so the runtime answers first).
pub const TIMEOUT_ENV: &str = "UNFOLD_TIMEOUT";
/// The names of the program's own environment variables, as a JSON array:
/// the handler sees those, not Lambda's.
pub const ENVIRONMENT_ENV: &str = "UNFOLD_ENVIRONMENT";
/// The prefix every name of the Function's stack starts with (`<project>-<stack>-`):
/// a call to another unit of the stack goes to the Lambda function `lambda_name`
/// gives with it.
pub const STACK_PREFIX_ENV: &str = "UNFOLD_STACK_PREFIX";

/// The key of a direct invocation's payload that makes it a call from another
/// unit of the stack: `{"unfoldUnitCall": <HttpRequest>}`. Its answer is the
/// unit's `Result<HttpResponse, InvokeError>` as JSON (`{"Ok": …}` or `{"Err": …}`),
/// so the caller learns why a unit failed, not only that it did.
pub const UNIT_CALL: &str = "unfoldUnitCall";

/// The most characters any name may have: Lambda functions, layers and IAM
/// roles allow 64 (DynamoDB more, API Gateway 128).
pub const MAX_NAME: usize = 64;

/// The AWS name of the stack's unit `name`, after its stack's `prefix`:
/// `name` in the characters every service allows (letters, digits, `-`, `_`)
/// and within `MAX_NAME`, with a hash of it appended where either changed it,
/// so distinct names stay distinct.
pub fn lambda_name(prefix: &str, name: &str) -> String {
    format!("{prefix}{}", shortened(name, MAX_NAME.saturating_sub(prefix.len())))
}

/// `text` in the allowed characters and at most `max` long; a hash of `text`
/// ends it when either changed it.
pub fn shortened(text: &str, max: usize) -> String {
    let allowed: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if allowed == text && text.len() <= max {
        return allowed;
    }
    let hash = hex::encode(&Sha256::digest(text.as_bytes())[..4]);
    let start: String = allowed.chars().take(max.saturating_sub(hash.len() + 1)).collect();
    format!("{start}-{hash}")
}

/// A Table's items in DynamoDB: one partition key value for every item, the
/// item's key as the sort key, its JSON value as text.
pub mod dynamodb {
    /// The partition key attribute.
    pub const PARTITION: &str = "p";
    /// Its one value.
    pub const PARTITION_VALUE: &str = "items";
    /// The sort key attribute: the item's key.
    pub const KEY: &str = "k";
    /// The item's JSON value, as text.
    pub const VALUE: &str = "v";
}
