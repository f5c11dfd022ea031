//! A deployed Function as the server runs it: started on its first request,
//! kept for the next ones, and replaced when its configuration changes.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use unfold_function_runtime::function::{FunctionInstance, FunctionSpec};
use unfold_function_runtime::redaction::Redactor;

use super::log;
use crate::state::FunctionConfig;

pub(crate) struct FunctionSlot {
    pub(crate) name: String,
    pub(crate) config: FunctionConfig,
    /// Keeps the Function's secret values out of the log.
    redactor: Arc<Redactor>,
    /// Held while starting, so concurrent first requests start it once.
    instance: Mutex<Option<FunctionInstance>>,
}

impl FunctionSlot {
    pub(crate) fn new(name: String, config: FunctionConfig) -> Self {
        let redactor = Arc::new(Redactor::new(&config.secrets));
        Self { name, config, redactor, instance: Mutex::new(None) }
    }

    /// Writes `message` to the log under the Function's name, its secrets redacted.
    pub(crate) fn log(&self, message: &str) {
        log::line(Some(&self.name), &self.redactor.redact(message));
    }

    /// The running instance, started if need be; why it cannot run otherwise.
    pub(crate) async fn instance(
        &self,
        tables_dir: &std::path::Path,
    ) -> Result<FunctionInstance, String> {
        let mut slot = self.instance.lock().await;
        if let Some(instance) = slot.as_ref() {
            return Ok(instance.clone());
        }
        let (name, redactor) = (self.name.clone(), self.redactor.clone());
        let spec = FunctionSpec {
            bundle: self.config.code_path.clone(),
            secrets: self.config.secrets.clone(),
            tables_dir: tables_dir.to_path_buf(),
            timeout: Duration::try_from_secs_f64(self.config.timeout)
                .unwrap_or(Duration::from_secs(30)),
            // `memory` is in MB; what fits in a usize and is positive becomes the heap limit.
            memory: (self.config.memory.is_finite() && self.config.memory >= 1.0)
                .then_some((self.config.memory * (1 << 20) as f64) as usize),
            environment: self.config.environment.clone(),
            log: Arc::new(move |text: &str| log::line(Some(&name), &redactor.redact(text))),
        };
        self.log("starting");
        let instance = FunctionInstance::start(spec).await?;
        self.log(&format!("started in {:?}", instance.restore_time()));
        *slot = Some(instance.clone());
        Ok(instance)
    }

    /// Drops a stopped instance, so the next request starts a fresh one.
    pub(crate) async fn forget(&self) {
        self.instance.lock().await.take();
    }
}
