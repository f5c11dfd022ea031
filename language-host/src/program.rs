//! Runs one Pulumi program in a fresh isolate and reports how it ended.

use std::rc::Rc;

use deno_core::{JsRuntime, ModuleSpecifier, RuntimeOptions, v8};
use serde_json::Value;
use unfold_proto::LogRequest;

use crate::io::gateway::unfold_io;
use crate::io::pulumi::{Console, PulumiHost};
use crate::io::{Gateway, Outcome};
use crate::membrane::Membrane;
use crate::module_loader::{LIB_URL, ProgramModuleLoader};

/// Everything a run needs besides the program's files.
pub struct ProgramRun {
    /// The answer to the `run.context` crossing (see docs/host-io.md).
    pub context: Value,
    /// The entry module's path, for messages.
    pub entry_path: String,
    pub monitor_address: String,
    pub engine_address: Option<String>,
}

/// Runs the program to completion on the calling thread (which it blocks).
/// `on_isolate` receives a handle that can terminate the run from elsewhere.
pub fn run(spec: ProgramRun, console: Box<dyn Console>, on_isolate: impl FnOnce(v8::IsolateHandle)) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return Outcome::Error { message: format!("could not start the program's event loop: {error}") },
    };
    runtime.block_on(run_on_current_thread(spec, console, on_isolate))
}

async fn run_on_current_thread(
    spec: ProgramRun,
    console: Box<dyn Console>,
    on_isolate: impl FnOnce(v8::IsolateHandle),
) -> Outcome {
    let host =
        match PulumiHost::new(spec.context, &spec.monitor_address, spec.engine_address.as_deref(), console) {
            Ok(host) => Rc::new(host),
            Err(error) => return Outcome::Error { message: format!("invalid engine address: {error:#}") },
        };
    let mut js = JsRuntime::new(RuntimeOptions {
        module_loader: Some(Rc::new(ProgramModuleLoader::new())),
        extensions: vec![unfold_io::init(Gateway::new(host.clone(), Membrane::recording()))],
        ..Default::default()
    });
    let isolate = js.v8_isolate().thread_safe_handle();
    js.op_state().borrow_mut().borrow_mut::<Gateway>().set_isolate(isolate.clone());
    on_isolate(isolate);

    let main = ModuleSpecifier::parse(&format!("{LIB_URL}unfold/main.ts")).expect("valid URL");
    let evaluated = async {
        let id = js.load_main_es_module(&main).await?;
        let evaluation = js.mod_evaluate(id);
        js.run_event_loop(Default::default()).await?;
        evaluation.await
    }
    .await;
    let reported = js.op_state().borrow().borrow::<Gateway>().outcome().cloned();

    let failure = match (reported, evaluated) {
        (Some(outcome), _) => return outcome,
        (None, Err(error)) => describe_failure(&spec.entry_path, &error.to_string()),
        (None, Ok(())) => format!(
            "Running program '{}' failed: the program stopped making progress before it finished. \
             Nothing is left that could settle the promises it is waiting for (an output, a \
             top-level await or an apply callback that never resolves).",
            spec.entry_path
        ),
    };
    report(&host, failure).await
}

/// V8's words for a stalled top-level await become what the user needs to know.
fn describe_failure(entry_path: &str, error: &str) -> String {
    const STALLED: &str = "Top-level await promise never resolved";
    match error.strip_prefix(STALLED) {
        Some(location) => format!(
            "Running program '{entry_path}' failed: a top-level await can never finish, because nothing \
             is left that could settle the promise it waits for{}",
            location.replace("file://", "")
        ),
        None => format!("Running program '{entry_path}' failed with an unhandled exception:\n{error}"),
    }
}

/// Reports a failure the program could not report itself, as the Node.js SDK
/// would: an error log line, then a bailed run.
async fn report(host: &PulumiHost, message: String) -> Outcome {
    let request = LogRequest { severity: unfold_proto::LogSeverity::Error as i32, message: message.clone(), ..Default::default() };
    match host.log(request).await {
        Ok(Ok(_)) => Outcome::Bail,
        _ => Outcome::Error { message },
    }
}
