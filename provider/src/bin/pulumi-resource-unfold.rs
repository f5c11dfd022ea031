//! `pulumi-resource-unfold`: launched by the engine as the `unfold` resource
//! plugin (`[flags…] <engine-address>`), or as a stack's local server
//! (`serve --state <dir>`), which the plugin starts itself.

use std::process::ExitCode;

fn main() -> ExitCode {
    unfold_runtime::pin_environment();
    unfold_snapshot::install();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("pulumi-resource-unfold: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args.first().is_some_and(|first| first == "serve") {
        match state_dir(&args[1..]) {
            Some(dir) => runtime
                .block_on(unfold_provider::server::run(unfold_provider::state::StateDir::new(dir))),
            None => {
                eprintln!("usage: pulumi-resource-unfold serve --state <dir>");
                return ExitCode::from(2);
            }
        }
    } else {
        runtime.block_on(unfold_provider::plugin::serve(unfold_wire::plugin::engine_address(&args)))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pulumi-resource-unfold: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn state_dir(args: &[String]) -> Option<String> {
    match args {
        [flag, dir] if flag == "--state" => Some(dir.clone()),
        [arg] => arg.strip_prefix("--state=").map(str::to_string),
        _ => None,
    }
}
