//! What the server serves, read from the state directory: the APIs' routes
//! and the Functions' configurations.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::functions::FunctionSlot;
use super::log;
use crate::cors::Cors;
use crate::route::Router;
use crate::state::{ApiConfig, FunctionConfig, StateDir, read_json};

#[derive(Default)]
pub(crate) struct Config {
    pub(crate) apis: BTreeMap<String, Router>,
    /// The CORS declarations of the APIs that have one.
    pub(crate) cors: BTreeMap<String, Cors>,
    pub(crate) functions: BTreeMap<String, Arc<FunctionSlot>>,
}

fn entries(dir: &std::path::Path) -> Vec<std::fs::DirEntry> {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map(|read| read.flatten().collect()).unwrap_or_default();
    entries.sort_by_key(|entry| entry.file_name());
    entries
}

impl Config {
    /// Reads the state directory; a Function whose configuration is unchanged
    /// keeps its running instance from `previous`. Unreadable files are logged
    /// and left out rather than stopping everything else.
    pub(crate) fn load(state: &StateDir, previous: &Config) -> Config {
        let mut config = Config::default();
        for entry in entries(&state.apis()) {
            let path = entry.path();
            if path.extension().is_none_or(|extension| extension != "json") {
                continue;
            }
            match read_json::<ApiConfig>(&path) {
                Ok(Some(api)) => {
                    if let Some(cors) = api.cors {
                        config.cors.insert(api.name.clone(), cors);
                    }
                    config.apis.insert(api.name.clone(), Router::new(api.routes));
                }
                Ok(None) => {}
                Err(error) => log::server(&format!("skipping an API: {error}")),
            }
        }
        for entry in entries(&state.functions()) {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
            match read_json::<FunctionConfig>(&state.function_config(&name)) {
                Ok(Some(function)) => {
                    let slot = match previous.functions.get(&name) {
                        Some(slot) if slot.config == function => slot.clone(),
                        Some(_) => {
                            log::line(
                                Some(&name),
                                "configuration changed; restarting on the next request",
                            );
                            Arc::new(FunctionSlot::new(name.clone(), function, state))
                        }
                        None => Arc::new(FunctionSlot::new(name.clone(), function, state)),
                    };
                    config.functions.insert(name, slot);
                }
                Ok(None) => {}
                Err(error) => log::line(Some(&name), &format!("skipping the function: {error}")),
            }
        }
        config
    }
}
