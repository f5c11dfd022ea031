//! `env.*` crossings: what a program sees of its process through the
//! `process` built-in — environment variables, one read at a time so the
//! record holds exactly the ones it looked at, and the platform.

use serde::Deserialize;
use serde_json::{Value, json};

use std::collections::BTreeMap;

use super::host::{Crossing, CrossingError};
use crate::crossings::{CallContext, CrossingSpec, Handler, HandlerSet};

pub static ENV_GET: CrossingSpec =
    CrossingSpec::sync("env.get", "`{name}`", "the variable's value, or `null`");
pub static ENV_KEYS: CrossingSpec =
    CrossingSpec::sync("env.keys", "`{}`", "the names of the variables, sorted");
pub static ENV_PLATFORM: CrossingSpec = CrossingSpec::sync(
    "env.platform",
    "`{}`",
    "`{platform, arch}` with Node.js's names (`linux`, `x64`)",
);

/// The environment variables a program sees.
pub enum Environment {
    /// The process's own.
    Process,
    /// Only these (a Function's configured environment).
    Given(BTreeMap<String, String>),
}

/// `process.env` and `process.platform`.
pub static ENVIRONMENT: HandlerSet<Environment> = HandlerSet {
    name: "environment",
    handlers: &[
        Handler::sync(&ENV_GET, answer),
        Handler::sync(&ENV_KEYS, answer),
        Handler::sync(&ENV_PLATFORM, answer),
    ],
    families: &[],
};

fn answer(environment: &Environment, cx: &mut CallContext<'_>, args: Value) -> Crossing {
    match (environment, cx.name()) {
        (Environment::Given(variables), "env.get") => {
            let key = args.get("name").and_then(Value::as_str).unwrap_or_default();
            Ok(variables.get(key).cloned().map(Value::String).unwrap_or(Value::Null))
        }
        (Environment::Given(variables), "env.keys") => {
            Ok(json!(variables.keys().collect::<Vec<_>>()))
        }
        (_, name) => call(name, args),
    }
}

/// Answers `env.get {name}` (a string or null), `env.keys` (sorted names) and
/// `env.platform` (`{platform, arch}` with Node.js's names).
pub fn call(name: &str, args: Value) -> Crossing {
    match name {
        "env.get" => {
            #[derive(Deserialize)]
            struct Get {
                name: String,
            }
            let Get { name } = serde_json::from_value(args)?;
            Ok(std::env::var(&name).map(Value::String).unwrap_or(Value::Null))
        }
        "env.keys" => {
            let mut keys: Vec<String> =
                std::env::vars_os().filter_map(|(k, _)| k.into_string().ok()).collect();
            keys.sort();
            Ok(json!(keys))
        }
        "env.platform" => {
            let arch = match std::env::consts::ARCH {
                "x86_64" => "x64",
                "aarch64" => "arm64",
                "x86" => "ia32",
                other => other,
            };
            let platform = match std::env::consts::OS {
                "macos" => "darwin",
                "windows" => "win32",
                other => other,
            };
            Ok(json!({ "platform": platform, "arch": arch }))
        }
        _ => Err(CrossingError::host(format!("unknown environment crossing '{name}'"))),
    }
}
