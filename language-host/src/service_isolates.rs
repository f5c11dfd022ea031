//! Services at deploy time. A module the program imports with `importService`
//! runs in an isolate of its own, behind its own membrane, on a thread of its
//! own, and registers its resources with the same engine as the program. Its
//! record holds only what it did, its bundle only the modules it loaded.
//!
//! Every isolate of a run reaches the others through one [`ServiceIsolates`]:
//! - `service.start` starts a service's isolate, once per service, whichever
//!   isolate imports it first;
//! - `service.call` delivers a call to the service's isolate as an inbound
//!   event (recorded there) and is answered with the `service.answer` it
//!   sends back (recorded in the caller's record as the call's result). So a
//!   call is in both records, and either side replays alone;
//! - `services.settle` says the program's top-level code has settled: nothing
//!   calls a service any more, so each captures its unit when it is quiet
//!   (`services.settled`), as the program captures its Functions;
//! - `services.done` waits for every service's isolate to finish: the program
//!   ends the deployment only after their registrations.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use deno_core::v8;
use serde_json::{Value, json};
use tokio::sync::{mpsc::UnboundedSender, oneshot};
use unfold_runtime::crossings::CrossingSpec;
use unfold_runtime::io::{CrossingError, Inbound};

pub static SERVICE_START: CrossingSpec = CrossingSpec::sync(
    "service.start",
    "`{name, url, options}`: the service's unit name, its module's file URL, its Function options",
    "`null`; the service's isolate starts (once per service of the run)",
);
pub static SERVICE_READY: CrossingSpec = CrossingSpec::sync(
    "service.ready",
    "`{}`, from a service's isolate once its module is loaded and it listens for calls",
    "`null`; calls held until now are delivered",
);
pub static SERVICE_ANSWER: CrossingSpec = CrossingSpec::sync(
    "service.answer",
    "`{id, answer}`: a service's answer (JSON text of `{result}` or `{error}`) to the delivered call `id`",
    "`null`; the caller's `service.call` completes with `answer`",
);
pub static SERVICES_SETTLE: CrossingSpec = CrossingSpec::sync(
    "services.settle",
    "`{}`, from the program's isolate once its top-level code has settled",
    "`null`; services waiting in `services.settled` go on",
);
pub static SERVICES_SETTLED: CrossingSpec = CrossingSpec::asynchronous(
    "services.settled",
    "`{}`, from a service's isolate",
    "`null`, once the program has settled: the service's unit can be captured",
);
pub static SERVICES_DONE: CrossingSpec = CrossingSpec::asynchronous(
    "services.done",
    "`{}`, from the program's isolate before it ends the deployment",
    "`{failed}`, once every service's isolate has finished; `failed` when one did not succeed (it reported why)",
);

/// What starting a service's isolate needs: which service, and the handle
/// its run reports to.
pub struct ServiceLaunch {
    pub name: String,
    pub url: String,
    pub options: Value,
    pub isolates: ServiceIsolates,
}

/// Starts a service's isolate on a thread of its own (see `program::run`).
pub type Launcher = Arc<dyn Fn(ServiceLaunch) -> Result<(), String> + Send + Sync>;

/// The services of one run; cheap to clone, shared by all its isolates.
#[derive(Clone, Default)]
pub struct ServiceIsolates(Arc<Mutex<Registry>>);

#[derive(Default)]
struct Registry {
    launcher: Option<Launcher>,
    services: BTreeMap<String, Service>,
    next_call: u64,
    /// Callers waiting for a service's answer, by call id, with the service.
    waiting: HashMap<u64, (String, oneshot::Sender<String>)>,
    settled: bool,
    on_settled: Vec<oneshot::Sender<()>>,
    failed: bool,
    on_done: Vec<oneshot::Sender<bool>>,
}

#[derive(Default)]
struct Service {
    /// Its module's URL.
    url: String,
    /// Where calls go, once the service listens.
    inbound: Option<UnboundedSender<Inbound>>,
    /// Calls made before it listened.
    held: Vec<Inbound>,
    isolate: Option<v8::IsolateHandle>,
    finished: bool,
}

impl Registry {
    fn all_finished(&self) -> bool {
        self.services.values().all(|service| service.finished)
    }
}

impl ServiceIsolates {
    /// The services of a run whose isolates `launcher` starts.
    pub fn new(launcher: Launcher) -> Self {
        let isolates = Self::default();
        isolates.lock().launcher = Some(launcher);
        isolates
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `service.start`.
    pub fn start(&self, args: &Value) -> Result<Value, CrossingError> {
        let text =
            |key: &str| args.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        let (name, url) = (text("name"), text("url"));
        let launcher = {
            let mut registry = self.lock();
            if let Some(started) = registry.services.get(&name) {
                if started.url == url {
                    return Ok(Value::Null);
                }
                return Err(CrossingError::host(format!(
                    "two modules would be service '{name}' ({} and {url}): give one a name with importService(specifier, {{ name }})",
                    started.url
                )));
            }
            let Some(launcher) = registry.launcher.clone() else {
                return Err(CrossingError::host(format!(
                    "service '{name}' cannot start here: services run in deployments only"
                )));
            };
            registry
                .services
                .insert(name.clone(), Service { url: url.clone(), ..Service::default() });
            launcher
        };
        let options = args.get("options").cloned().unwrap_or(json!({}));
        let launch = ServiceLaunch { name: name.clone(), url, options, isolates: self.clone() };
        launcher(launch).map_err(|error| {
            self.finished(&name, false);
            CrossingError::host(format!("service '{name}' could not start: {error}"))
        })?;
        Ok(Value::Null)
    }

    /// Keeps the isolate of `service`, so a failed run can stop it.
    pub fn running(&self, service: &str, isolate: v8::IsolateHandle) {
        if let Some(entry) = self.lock().services.get_mut(service) {
            entry.isolate = Some(isolate);
        }
    }

    /// `service.ready`: `service` listens on `inbound` from now on.
    pub fn ready(
        &self,
        service: &str,
        inbound: UnboundedSender<Inbound>,
    ) -> Result<Value, CrossingError> {
        let mut registry = self.lock();
        let entry = registry
            .services
            .get_mut(service)
            .ok_or_else(|| CrossingError::host(format!("no service '{service}' was started")))?;
        for call in entry.held.drain(..) {
            let _ = inbound.send(call);
        }
        entry.inbound = Some(inbound);
        Ok(Value::Null)
    }

    /// `service.call`: the service's answer, as JSON text.
    pub fn call(
        &self,
        service: &str,
        method: &str,
        args: Value,
    ) -> Result<oneshot::Receiver<String>, CrossingError> {
        let mut registry = self.lock();
        registry.next_call += 1;
        let id = registry.next_call;
        let (answer, answered) = oneshot::channel();
        let event =
            Inbound::new("service.call", json!({ "id": id, "method": method, "args": args }));
        let Some(entry) = registry.services.get_mut(service) else {
            return Err(CrossingError::host(format!(
                "cannot call service '{service}': no service of that name was imported"
            )));
        };
        if entry.finished {
            return Err(CrossingError::host(format!(
                "cannot call service '{service}': its isolate has finished (the program had settled)"
            )));
        }
        match &entry.inbound {
            Some(inbound) => {
                inbound.send(event).map_err(|_| {
                    CrossingError::host(format!(
                        "cannot call service '{service}': its isolate has stopped"
                    ))
                })?;
            }
            None => entry.held.push(event),
        }
        registry.waiting.insert(id, (service.to_string(), answer));
        Ok(answered)
    }

    /// `service.answer`.
    pub fn answer(&self, args: &Value) -> Result<Value, CrossingError> {
        let id = args.get("id").and_then(Value::as_u64).unwrap_or_default();
        let answer = args.get("answer").and_then(Value::as_str).unwrap_or("null").to_string();
        if let Some((_, waiting)) = self.lock().waiting.remove(&id) {
            let _ = waiting.send(answer);
        }
        Ok(Value::Null)
    }

    /// `services.settle`; also what ends a run, so nothing waits for it forever.
    pub fn settle(&self) {
        let mut registry = self.lock();
        registry.settled = true;
        for waiting in registry.on_settled.drain(..) {
            let _ = waiting.send(());
        }
    }

    /// `services.settled`: completes once the program has settled.
    pub fn settled(&self) -> oneshot::Receiver<()> {
        let (done, waiting) = oneshot::channel();
        let mut registry = self.lock();
        if registry.settled {
            let _ = done.send(());
        } else {
            registry.on_settled.push(done);
        }
        waiting
    }

    /// The isolate of `service` has finished (`ok`: it succeeded).
    pub fn finished(&self, service: &str, ok: bool) {
        let mut registry = self.lock();
        if let Some(entry) = registry.services.get_mut(service) {
            entry.finished = true;
            entry.inbound = None;
            entry.isolate = None;
        }
        // Calls it never answered fail (their senders are dropped).
        registry.waiting.retain(|_, (callee, _)| callee != service);
        registry.failed |= !ok;
        if registry.all_finished() {
            let failed = registry.failed;
            for waiting in registry.on_done.drain(..) {
                let _ = waiting.send(failed);
            }
        }
    }

    /// `services.done`: settles the program, then completes once every
    /// service's isolate has finished, with whether one failed.
    pub fn done(&self) -> oneshot::Receiver<bool> {
        self.settle();
        let (done, waiting) = oneshot::channel();
        let mut registry = self.lock();
        if registry.all_finished() {
            let _ = done.send(registry.failed);
        } else {
            registry.on_done.push(done);
        }
        waiting
    }

    /// Ends the run's services: the program has ended (`stop`: it failed, so
    /// their isolates are stopped too); completes once all have finished.
    pub async fn shut_down(&self, stop: bool) {
        if stop {
            for service in self.lock().services.values() {
                if let Some(isolate) = &service.isolate {
                    isolate.terminate_execution();
                }
            }
        }
        let _ = self.done().await;
    }
}
