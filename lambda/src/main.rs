//! `bootstrap` of Unfold's function runtime on Lambda (`provided.al2023`,
//! from the layer every Function of a stack shares): restores the Function's
//! bundle (`$LAMBDA_TASK_ROOT/function.bundle`) exactly as the local target's
//! server does, then serves Lambda's Runtime API loop. Tables are DynamoDB
//! tables, calls to the stack's other units are Lambda invocations; console
//! output and handler errors go to stderr, so to the function's log.

mod dynamodb_tables;
mod events;
mod unit_calls;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_config::BehaviorVersion;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;
use tokio::sync::Mutex;
use unfold_function_runtime::function::{
    FunctionInstance, FunctionSpec, HttpRequest, HttpResponse, InvokeError,
};
use unfold_function_runtime::lambda_layout::{
    BUNDLE_FILE, ENVIRONMENT_ENV, FUNCTION_ENV, SECRETS_ENV, STACK_PREFIX_ENV, TIMEOUT_ENV,
};
use unfold_function_runtime::tables::TableStore;

use dynamodb_tables::DynamoDbTables;
use events::{Incoming, failure, incoming, outgoing};

fn main() -> ExitCode {
    unfold_runtime::pin_environment();
    unfold_snapshot::install();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("unfold-lambda-bootstrap: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("unfold-lambda-bootstrap: {error}");
            ExitCode::FAILURE
        }
    }
}

fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The Function as its configuration on Lambda describes it.
async fn spec() -> Result<FunctionSpec, String> {
    let task_root = PathBuf::from(variable("LAMBDA_TASK_ROOT").unwrap_or_else(|| ".".into()));
    let secrets = match variable(SECRETS_ENV) {
        Some(text) => serde_json::from_str(&text)
            .map_err(|error| format!("{SECRETS_ENV} is not a JSON array: {error}"))?,
        None => Vec::new(),
    };
    let timeout = variable(TIMEOUT_ENV)
        .and_then(|text| text.parse::<f64>().ok())
        .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
        .unwrap_or(Duration::from_secs(30));
    let memory = variable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        .and_then(|text| text.parse::<usize>().ok())
        .map(|megabytes| megabytes << 20);
    // Only the program's own variables, as on the local target.
    let names: Vec<String> = variable(ENVIRONMENT_ENV)
        .map(|text| serde_json::from_str(&text).unwrap_or_default())
        .unwrap_or_default();
    let environment: BTreeMap<String, String> =
        names.into_iter().filter_map(|name| Some((name.clone(), variable(&name)?))).collect();
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let config = aws_config::defaults(BehaviorVersion::latest()).http_client(http).load().await;
    let tables = DynamoDbTables::new(
        aws_sdk_dynamodb::Client::new(&config),
        tokio::runtime::Handle::current(),
    );
    Ok(FunctionSpec {
        bundle: task_root.join(BUNDLE_FILE),
        secrets,
        tables: TableStore::Remote(Arc::new(tables)),
        timeout,
        memory,
        environment,
        log: Arc::new(|line: &str| eprintln!("{line}")),
        invocations: None,
        units: variable(STACK_PREFIX_ENV)
            .map(|prefix| unit_calls::caller(aws_sdk_lambda::Client::new(&config), prefix)),
        inspector: None,
    })
}

/// The running Function, started again after a timeout or a crash stopped it.
struct Serving {
    function: String,
    spec: FunctionSpec,
    instance: Mutex<Option<FunctionInstance>>,
}

impl Serving {
    async fn invoke(&self, event: Value) -> Result<Value, lambda_runtime::Error> {
        let answer = match incoming(event) {
            Incoming::Request(request) => match self.run(request).await {
                Ok(answer) => answer,
                Err(error) => failure(&self.function, &error),
            },
            // The calling unit gets the answer itself, or why there is none.
            Incoming::UnitCall(request) => {
                return Ok(serde_json::to_value(self.run(request).await)?);
            }
            Incoming::Answer(answer) => answer,
        };
        Ok(serde_json::to_value(outgoing(&self.function, answer))?)
    }

    /// The handler's answer to `request`; an instance that timed out, ran out
    /// of memory or stopped is started again for the next one.
    async fn run(&self, request: HttpRequest) -> Result<HttpResponse, InvokeError> {
        let mut slot = self.instance.lock().await;
        let instance = match slot.as_ref() {
            Some(instance) => instance.clone(),
            None => {
                let instance =
                    FunctionInstance::start(self.spec.clone()).await.map_err(|error| {
                        eprintln!("[{}] cannot start: {error}", self.function);
                        InvokeError::Stopped(error)
                    })?;
                slot.replace(instance.clone());
                instance
            }
        };
        let result = instance.invoke(request).await;
        match &result {
            Ok(_) | Err(InvokeError::Handler(_)) => {}
            Err(InvokeError::Timeout(after)) => {
                eprintln!(
                    "[{}] timed out after {after:?}; its isolate was terminated",
                    self.function
                );
                slot.take();
            }
            Err(error @ (InvokeError::OutOfMemory(_) | InvokeError::Stopped(_))) => {
                eprintln!("[{}] {error}", self.function);
                slot.take();
            }
        }
        result
    }
}

async fn serve() -> Result<(), String> {
    let started = Instant::now();
    let spec = spec().await?;
    // Restored during Lambda's init phase: the first event finds it serving.
    let instance = FunctionInstance::start(spec.clone()).await?;
    let function = variable(FUNCTION_ENV).unwrap_or_else(|| instance.name().to_string());
    eprintln!(
        "[{function}] restored in {} ms (bundle replay {} ms)",
        started.elapsed().as_millis(),
        instance.restore_time().as_millis()
    );
    let serving = Arc::new(Serving { function, spec, instance: Mutex::new(Some(instance)) });
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let serving = serving.clone();
        async move { serving.invoke(event.payload).await }
    }))
    .await
    .map_err(|error| format!("the Runtime API loop stopped: {error}"))
}
