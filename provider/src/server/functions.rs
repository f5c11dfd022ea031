//! A deployed Function as the server runs it: a pool of instances, each an
//! isolate on a thread of its own, started as requests need them (up to the
//! Function's `concurrency`), kept for the next requests, and replaced when
//! one stops or the configuration changes. A request goes to an idle
//! instance, else to a new one while the pool may grow, else to the least
//! busy: one slow request does not hold up the rest.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;
use unfold_function_runtime::function::{
    FunctionInstance, FunctionSpec, HttpRequest, HttpResponse, InvokeError,
};
use unfold_function_runtime::invocation_store::{InvocationStore, invocations_dir};
use unfold_function_runtime::redaction::Redactor;
use unfold_function_runtime::tables::TableStore;

use super::{Server, log, services};
use crate::state::{FunctionConfig, StateDir};

pub(crate) struct FunctionSlot {
    pub(crate) name: String,
    pub(crate) config: FunctionConfig,
    /// Where its instances keep their invocations' records.
    invocations: Arc<InvocationStore>,
    /// Keeps the Function's secret values out of the log.
    redactor: Arc<Redactor>,
    /// Held while choosing or starting an instance, so concurrent requests
    /// start only the instances they need.
    pool: Mutex<Vec<Pooled>>,
}

#[derive(Clone)]
struct Pooled {
    instance: FunctionInstance,
    /// Requests it is serving now.
    busy: Arc<AtomicUsize>,
}

/// An instance lent to one request; it counts as busy until dropped.
pub(crate) struct Lease {
    pooled: Pooled,
}

impl Lease {
    pub(crate) fn instance(&self) -> &FunctionInstance {
        &self.pooled.instance
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.pooled.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

impl FunctionSlot {
    pub(crate) fn new(name: String, config: FunctionConfig, state: &StateDir) -> Self {
        let redactor = Arc::new(Redactor::new(&config.secrets));
        let (function, errors) = (name.clone(), redactor.clone());
        let invocations = Arc::new(InvocationStore::open(
            invocations_dir(&state.function_dir(&name)),
            config.invocations.clone(),
            &config.secrets,
            Arc::new(move |text: &str| log::line(Some(&function), &errors.redact(text))),
        ));
        Self { name, config, invocations, redactor, pool: Mutex::new(Vec::new()) }
    }

    /// Writes `message` to the log under the Function's name, its secrets redacted.
    pub(crate) fn log(&self, message: &str) {
        log::line(Some(&self.name), &self.redactor.redact(message));
    }

    /// Runs `request` on an instance (started if need be). What went wrong is
    /// logged under the Function's name, and an instance that stopped or was
    /// stopped is replaced for the next request.
    pub(crate) async fn invoke(
        &self,
        server: &Arc<Server>,
        request: HttpRequest,
    ) -> Result<HttpResponse, InvokeError> {
        let lease = self.lease(server).await.map_err(|reason| {
            self.log(&format!("cannot start: {reason}"));
            InvokeError::Stopped(reason)
        })?;
        let result = lease.instance().invoke(request).await;
        match &result {
            Ok(_) => {}
            Err(InvokeError::Handler(stack)) => self.log(stack),
            Err(InvokeError::Timeout(after)) => {
                self.log(&format!("timed out after {after:?}; its isolate was terminated"));
                self.forget(&lease).await;
            }
            // The runtime has logged why.
            Err(InvokeError::OutOfMemory(_)) => self.forget(&lease).await,
            Err(InvokeError::Stopped(reason)) => {
                self.log(&format!("stopped: {reason}"));
                self.forget(&lease).await;
            }
        }
        result
    }

    /// An instance for one request, started if need be; why none can run otherwise.
    async fn lease(&self, server: &Arc<Server>) -> Result<Lease, String> {
        let mut pool = self.pool.lock().await;
        let idle = pool.iter().find(|p| p.busy.load(Ordering::SeqCst) == 0);
        let chosen = match idle {
            Some(pooled) => pooled.clone(),
            None if pool.len() < self.config.concurrency.max(1) => {
                let pooled = Pooled {
                    instance: self.start(server, pool.len() + 1).await?,
                    busy: Arc::default(),
                };
                pool.push(pooled.clone());
                pooled
            }
            None => pool
                .iter()
                .min_by_key(|p| p.busy.load(Ordering::SeqCst))
                .cloned()
                .expect("a full pool has instances"),
        };
        chosen.busy.fetch_add(1, Ordering::SeqCst);
        Ok(Lease { pooled: chosen })
    }

    async fn start(&self, server: &Arc<Server>, number: usize) -> Result<FunctionInstance, String> {
        let (name, redactor) = (self.name.clone(), self.redactor.clone());
        let spec = FunctionSpec {
            bundle: self.config.code_path.clone(),
            secrets: self.config.secrets.clone(),
            tables: TableStore::Local(server.state.tables()),
            timeout: Duration::try_from_secs_f64(self.config.timeout)
                .unwrap_or(Duration::from_secs(30)),
            // `memory` is in MB; what fits in a usize and is positive becomes the heap limit.
            memory: (self.config.memory.is_finite() && self.config.memory >= 1.0)
                .then_some((self.config.memory * (1 << 20) as f64) as usize),
            environment: self.config.environment.clone(),
            log: Arc::new(move |text: &str| log::line(Some(&name), &redactor.redact(text))),
            invocations: Some(self.invocations.clone()),
            units: Some(services::caller(server)),
            inspector: server.inspector.inspectable(format!("{} #{number}", self.name)),
        };
        let label = if number == 1 {
            "starting".to_string()
        } else {
            format!("starting instance {number}")
        };
        self.log(&label);
        let instance = FunctionInstance::start(spec).await?;
        self.log(&format!("started in {:?}", instance.restore_time()));
        Ok(instance)
    }

    /// Drops the instances serving no request from the pool: the next
    /// requests start new ones (the inspector lists only those it saw start).
    pub(crate) async fn retire_idle(&self) {
        self.pool.lock().await.retain(|p| p.busy.load(Ordering::SeqCst) > 0);
    }

    /// Drops the lease's instance from the pool (it stopped, or was stopped),
    /// so later requests go to the others or a fresh one.
    async fn forget(&self, lease: &Lease) {
        let busy = &lease.pooled.busy;
        self.pool.lock().await.retain(|p| !Arc::ptr_eq(&p.busy, busy));
    }
}
