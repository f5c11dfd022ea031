//! Debugging a stack's running instances (`unfold dev --inspect`): while the
//! server serves the inspector, every instance it starts — of every Function
//! and service — is listed for debuggers as `<name> #<n>`, with its source
//! maps inlined so breakpoints go in the .ts files. One debugger can then
//! follow a request from a route's instance through the services it calls.

use std::net::SocketAddr;
use std::sync::Mutex;

use unfold_function_runtime::function::Inspectable;
use unfold_function_runtime::inspector_server::{InspectorServer, Listener, Targets};

use super::log;

#[derive(Default)]
pub(crate) struct Inspector {
    targets: Targets,
    serving: Mutex<Option<InspectorServer>>,
}

impl Inspector {
    fn serving(&self) -> std::sync::MutexGuard<'_, Option<InspectorServer>> {
        self.serving.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How an instance titled `title` is listed, when the inspector is served.
    pub(crate) fn inspectable(&self, title: String) -> Option<Inspectable> {
        self.serving().is_some().then(|| Inspectable { targets: self.targets.clone(), title })
    }

    /// Serves the inspector at `address` (port 0: any), or stops serving it
    /// (`None`). Asked again for the address it serves on, it keeps serving,
    /// so debuggers stay attached. Answers the address served on, and whether
    /// it just started.
    pub(crate) fn serve(
        &self,
        address: Option<SocketAddr>,
    ) -> Result<Option<(SocketAddr, bool)>, String> {
        let mut serving = self.serving();
        if let (Some(wanted), Some(current)) = (address, serving.as_ref()) {
            let bound = current.address();
            if wanted.ip() == bound.ip() && (wanted.port() == 0 || wanted.port() == bound.port()) {
                return Ok(Some((bound, false)));
            }
        }
        // The old one goes first, so its port can be bound again.
        serving.take();
        let Some(address) = address else {
            log::server("the inspector stopped");
            return Ok(None);
        };
        let server =
            InspectorServer::start(Listener::bind(address)?, self.targets.clone(), "unfold dev")?;
        let bound = server.address();
        *serving = Some(server);
        log::server(&format!("the inspector listens on http://{bound}/json/list"));
        Ok(Some((bound, true)))
    }
}
