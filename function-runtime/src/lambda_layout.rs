//! How a Function is laid out on Lambda: the contract between the provider,
//! which deploys it, and the bootstrap, which runs it.

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
