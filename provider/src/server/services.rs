//! Calls between a stack's units: a service call, or the invocation of a
//! Function handed over by reference, made by one instance reaches the other
//! unit inside this same server process. No route leads to it, so nothing but
//! the stack's own units can call a service, and a service has no public URL
//! unless the program routes to it.

use std::sync::{Arc, Weak};

use unfold_function_runtime::function::{
    HttpRequest, HttpResponse, InvokeError, UnitCaller, unit_caller,
};

use super::Server;

/// The caller of other units an instance started by `server` is given.
pub(crate) fn caller(server: &Arc<Server>) -> UnitCaller {
    // Calls are served on the server's runtime, as requests from clients are.
    // The weak handle keeps instances from holding the server alive.
    let server: Weak<Server> = Arc::downgrade(server);
    unit_caller(tokio::runtime::Handle::current(), move |name, request| {
        let server = server.clone();
        async move {
            let server = server.upgrade().ok_or_else(|| {
                InvokeError::Stopped("the stack's server is stopping".to_string())
            })?;
            call(&server, &name, request).await
        }
    })
}

async fn call(
    server: &Arc<Server>,
    name: &str,
    request: HttpRequest,
) -> Result<HttpResponse, InvokeError> {
    let config = server.config();
    let Some(unit) = config.functions.get(name) else {
        return Err(InvokeError::Stopped(format!("no unit '{name}' is deployed in this stack")));
    };
    unit.invoke(server, request).await
}
