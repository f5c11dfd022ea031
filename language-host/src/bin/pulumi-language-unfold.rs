//! `pulumi-language-unfold`: the plugin Pulumi launches for `runtime: unfold`.

fn main() -> std::process::ExitCode {
    unfold_runtime::pin_environment();
    unfold_snapshot::install();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let engine_address = unfold_wire::plugin::engine_address(&args);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("pulumi-language-unfold: cannot start: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(unfold_language_host::serve::serve(engine_address)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pulumi-language-unfold: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
