//! `env.*` crossings: what a program sees of its process through the
//! `process` built-in — environment variables, one read at a time so the
//! record holds exactly the ones it looked at, and the platform.

use serde::Deserialize;
use serde_json::{Value, json};

use super::host::{Crossing, CrossingError};

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
        _ => Err(CrossingError::host(format!("unknown synchronous crossing '{name}'"))),
    }
}
