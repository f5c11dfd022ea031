//! Calls from this Function to the stack's other units (a service, or a
//! Function handed over by reference) as Lambda invokes them: synchronously,
//! by the unit's Lambda name, with the request whole (`UNIT_CALL`). The
//! role's policy allows invoking the stack's own functions and nothing else.

use aws_sdk_lambda::primitives::Blob;
use serde_json::json;
use unfold_function_runtime::function::{
    HttpRequest, HttpResponse, InvokeError, UnitCaller, unit_caller,
};
use unfold_function_runtime::lambda_layout::{UNIT_CALL, lambda_name};

/// The caller of the stack's units whose Lambda names start with `prefix`.
pub fn caller(client: aws_sdk_lambda::Client, prefix: String) -> UnitCaller {
    // The SDK's requests run on the bootstrap's runtime, where its connections live.
    unit_caller(tokio::runtime::Handle::current(), move |unit, request| {
        let (client, function) = (client.clone(), lambda_name(&prefix, &unit));
        async move { invoke(&client, &function, request).await }
    })
}

async fn invoke(
    client: &aws_sdk_lambda::Client,
    function: &str,
    request: HttpRequest,
) -> Result<HttpResponse, InvokeError> {
    let payload = serde_json::to_vec(&json!({ UNIT_CALL: request }))
        .map_err(|error| InvokeError::Stopped(error.to_string()))?;
    let output =
        client.invoke().function_name(function).payload(Blob::new(payload)).send().await.map_err(
            |error| {
                let error = aws_sdk_lambda::error::DisplayErrorContext(error);
                InvokeError::Stopped(format!("Lambda did not invoke {function}: {error}"))
            },
        )?;
    let body = output.payload().map(Blob::as_ref).unwrap_or_default();
    if let Some(kind) = output.function_error() {
        // The runtime itself failed (it answers a handler's errors itself).
        let text = String::from_utf8_lossy(body);
        return Err(InvokeError::Stopped(format!("{function} failed ({kind}): {text}")));
    }
    serde_json::from_slice::<Result<HttpResponse, InvokeError>>(body).unwrap_or_else(|error| {
        let text = String::from_utf8_lossy(body);
        Err(InvokeError::Stopped(format!(
            "{function} answered something other than a unit's answer ({error}): {text}"
        )))
    })
}
