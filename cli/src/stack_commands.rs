//! `unfold preview | up | destroy | dev | stack output`: stacks deployed by
//! the embedded engine (`unfold_engine`), in this process.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use unfold_engine::deployment;
use unfold_engine::summary::{self, display_value};
use unfold_engine::{Engine, EngineOptions, HostSpec, ProjectSpec, ProviderRegistry, RunReport};
use unfold_language_host::project::stack_dir;
use unfold_provider::state::StateDir;

#[derive(Args)]
pub struct StackArgs {
    /// The language host binary (default: pulumi-language-<runtime> beside this binary, else on PATH).
    #[arg(long)]
    host: Option<PathBuf>,
    /// The project directory (where Pulumi.yaml is).
    #[arg(long, default_value = ".")]
    cwd: PathBuf,
    #[arg(long, default_value = "dev")]
    stack: String,
    /// Where stack state is kept (default: <project>/.unfold/state).
    #[arg(long)]
    backend: Option<PathBuf>,
    /// A config value, `key=value` (repeatable).
    #[arg(long = "config", short = 'c', value_parser = parse_key_value)]
    config: Vec<(String, String)>,
    /// Seconds the program may run before it is stopped (default: the
    /// `runTimeout` runtime option in Pulumi.yaml, else 600).
    #[arg(long = "run-timeout", value_name = "SECONDS")]
    run_timeout: Option<u64>,
}

impl StackArgs {
    /// The same options for the project at `project`.
    pub fn in_project(mut self, project: Option<PathBuf>) -> Self {
        if let Some(project) = project {
            self.cwd = project;
        }
        self
    }
}

/// What to do with the stack.
pub enum StackCommand {
    Preview,
    Up,
    Destroy,
    /// With the address to serve the inspector at, if asked.
    Dev {
        inspect: Option<SocketAddr>,
    },
    Output {
        name: Option<String>,
        show_secrets: bool,
    },
    Export {
        file: Option<PathBuf>,
    },
    Import {
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum StackSubcommand {
    /// Print the stack's outputs (or one of them).
    Output {
        name: Option<String>,
        /// Print secret values instead of `[secret]`.
        #[arg(long = "show-secrets")]
        show_secrets: bool,
        #[command(flatten)]
        args: StackArgs,
    },
    /// Print the stack's state as a Pulumi deployment (secrets stay
    /// encrypted), for `pulumi stack import`.
    Export {
        /// Write it to this file instead of standard output.
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        args: StackArgs,
    },
    /// Replace the stack's state by a Pulumi deployment (`pulumi stack export`).
    Import {
        #[arg(long)]
        file: PathBuf,
        #[command(flatten)]
        args: StackArgs,
    },
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("expected key=value, got '{text}'"))
}

pub fn main(command: StackCommand, args: StackArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("unfold: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command, args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: StackCommand, args: StackArgs) -> Result<ExitCode> {
    let mut project = ProjectSpec::load(&args.cwd, &args.stack)?;
    for (key, value) in &args.config {
        project.set_config(key, value, false);
    }
    let backend = args
        .backend
        .clone()
        .unwrap_or_else(|| project.root_directory.join(".unfold").join("state"));
    let mut options = EngineOptions { echo: true, ..EngineOptions::default() };
    if let Some(seconds) = run_timeout(&args, &project)? {
        options.run_timeout = Duration::from_secs(seconds);
    }
    let engine = Engine::new(backend)
        .with_options(options)
        .with_providers(beside_this_binary(ProviderRegistry::default()));
    let host_beside = sibling(&format!("pulumi-language-{}", project.runtime));
    let host = HostSpec::Plugin { binary: args.host.clone().or(host_beside) };
    let operation: std::pin::Pin<Box<dyn std::future::Future<Output = RunReport> + '_>> =
        match command {
            StackCommand::Preview => {
                println!("Previewing update ({}):", project.stack);
                Box::pin(engine.preview(&project, &host))
            }
            StackCommand::Up => {
                println!("Updating ({}):", project.stack);
                Box::pin(engine.up(&project, &host))
            }
            StackCommand::Destroy => {
                println!("Destroying ({}):", project.stack);
                Box::pin(engine.destroy(&project))
            }
            StackCommand::Dev { inspect } => {
                println!(
                    "Deploying {} to the local target; watching its files (Ctrl-C to stop).",
                    project.root_directory.display()
                );
                let stop = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                let state =
                    StateDir::new(stack_dir(&project.root_directory, &project.stack).join("local"));
                let debugging =
                    Debugging { state: state.clone(), address: inspect, announced: Arc::default() };
                unfold_engine::dev::watch(&engine, &project, &host, |report| {
                print!("{}", summary::render(report));
                match &report.error {
                    Some(error) => eprintln!("error: {error}\nWaiting for a change to the program…"),
                    None => {
                        println!("Serving. Edit the program to redeploy; `unfold destroy` removes it all.");
                        debugging.ensure();
                    }
                }
            }, stop)
            .await?;
                if inspect.is_some() {
                    let _ = unfold_provider::process::inspect(&state, None).await;
                }
                return Ok(ExitCode::SUCCESS);
            }
            StackCommand::Export { file } => {
                let state = engine
                    .backend()
                    .load_sealed(&project.name, &project.stack)?
                    .with_context(|| format!("stack '{}' has no state yet", project.stack))?;
                let mut text = serde_json::to_string_pretty(&deployment::export(&state))?;
                text.push('\n');
                match file {
                    Some(file) => std::fs::write(&file, text)
                        .with_context(|| format!("writing {}", file.display()))?,
                    None => print!("{text}"),
                }
                return Ok(ExitCode::SUCCESS);
            }
            StackCommand::Import { file } => {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?;
                let value: serde_json::Value = serde_json::from_str(&text)
                    .with_context(|| format!("{} is not JSON", file.display()))?;
                let state = deployment::import(&value, &project.name, &project.stack)
                    .with_context(|| format!("importing {}", file.display()))?;
                engine.backend().save_sealed(&state)?;
                println!(
                    "Imported {} resources into stack '{}'.",
                    state.resources.len(),
                    project.stack
                );
                return Ok(ExitCode::SUCCESS);
            }
            StackCommand::Output { name, show_secrets } => {
                let mut outputs = engine.stack_outputs(&project.name, &project.stack)?;
                if show_secrets {
                    outputs = outputs
                        .into_iter()
                        .map(|(k, v)| (k, unfold_engine::property::reveal_secrets(v)))
                        .collect();
                }
                match name {
                    Some(name) => {
                        let value = outputs.get(&name).with_context(|| {
                            format!("current stack does not have output property '{name}'")
                        })?;
                        // As `pulumi stack output <name>`: a string alone prints as it is.
                        match value.as_str() {
                            Some(text) => println!("{text}"),
                            None => println!("{}", display_value(value)),
                        }
                    }
                    None => {
                        for (key, value) in &outputs {
                            println!("{key}: {}", display_value(value));
                        }
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
        };
    // Ctrl-C or SIGTERM ends the operation: dropping it stops the language
    // host and the plugins (each in a process group of its own, so the
    // terminal's signal does not reach them); steps already done are in the
    // stack's state.
    tokio::select! {
        report = operation => Ok(finish(&report)),
        signal = interrupted() => {
            eprintln!("{signal}: stopping the program and its plugins; steps already done are kept in the stack's state");
            Ok(ExitCode::from(130))
        }
    }
}

/// Resolves with the name of the first SIGINT or SIGTERM.
async fn interrupted() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
        (Ok(mut interrupt), Ok(mut terminate)) => tokio::select! {
            _ = interrupt.recv() => "interrupted",
            _ = terminate.recv() => "terminated",
        },
        _ => std::future::pending().await,
    }
}

/// `--run-timeout`, else the `runTimeout` runtime option of Pulumi.yaml.
fn run_timeout(args: &StackArgs, project: &ProjectSpec) -> Result<Option<u64>> {
    if args.run_timeout.is_some() {
        return Ok(args.run_timeout);
    }
    match project.runtime_options.get("runTimeout") {
        None => Ok(None),
        Some(value) => value.as_u64().filter(|seconds| *seconds > 0).map(Some).with_context(|| {
            format!(
                "{}: runtime option runTimeout must be a whole number of seconds above 0, not {value}",
                project.root_directory.join("Pulumi.yaml").display()
            )
        }),
    }
}

/// A binary installed next to this one, if there is one.
fn sibling(name: &str) -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(name);
    path.is_file().then_some(path)
}

/// Unfold's own resource plugin, from beside this binary (else from PATH, as Pulumi finds plugins).
fn beside_this_binary(registry: ProviderRegistry) -> ProviderRegistry {
    match sibling("pulumi-resource-unfold") {
        Some(plugin) => registry.with_plugin("unfold", plugin),
        None => registry,
    }
}

fn finish(report: &RunReport) -> ExitCode {
    print!("{}", summary::render(report));
    match &report.error {
        None => ExitCode::SUCCESS,
        Some(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `unfold dev --inspect`: after each deployment, the stack's server is asked
/// to serve the inspector (it keeps serving one it serves already, so
/// debuggers stay attached across redeploys); where it listens is told once.
struct Debugging {
    state: StateDir,
    address: Option<SocketAddr>,
    announced: Arc<Mutex<Option<SocketAddr>>>,
}

impl Debugging {
    fn ensure(&self) {
        let Some(address) = self.address else { return };
        let (state, announced) = (self.state.clone(), self.announced.clone());
        tokio::spawn(async move {
            match unfold_provider::process::inspect(&state, Some(address)).await {
                Ok(Some(bound)) => {
                    let mut announced = announced.lock().unwrap_or_else(|p| p.into_inner());
                    if *announced != Some(bound) {
                        *announced = Some(bound);
                        println!(
                            "Debugger listening on http://{bound}/json/list: each instance of each Function and service is a target, listed once a request starts it."
                        );
                        println!(
                            "Visit chrome://inspect to connect, or attach VS Code (type \"node\", request \"attach\", port {}).",
                            bound.port()
                        );
                    }
                }
                Ok(None) => {}
                Err(error) => eprintln!("cannot serve the inspector: {error}"),
            }
        });
    }
}
