//! `unfold-engine`: preview, update and destroy stacks with the embedded engine.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use unfold_engine::summary::{self, display_value};
use unfold_engine::{Engine, EngineOptions, HostSpec, ProjectSpec, ProviderRegistry, RunReport};

#[derive(Parser)]
#[command(
    name = "unfold-engine",
    about = "Preview, update and destroy Pulumi stacks with an embedded engine"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct GlobalArgs {
    /// The language host binary (default: pulumi-language-<runtime> on PATH).
    #[arg(long, global = true)]
    host: Option<PathBuf>,
    /// The project directory (where Pulumi.yaml is).
    #[arg(long, global = true, default_value = ".")]
    cwd: PathBuf,
    #[arg(long, global = true, default_value = "dev")]
    stack: String,
    /// Where stack state is kept (default: <project>/.unfold/state).
    #[arg(long, global = true)]
    backend: Option<PathBuf>,
    /// A config value, `key=value` (repeatable).
    #[arg(long = "config", short = 'c', global = true, value_parser = parse_key_value)]
    config: Vec<(String, String)>,
    /// A secret config value, `key=value` (repeatable).
    #[arg(long = "secret-config", global = true, value_parser = parse_key_value)]
    secret_config: Vec<(String, String)>,
}

#[derive(Subcommand)]
enum Command {
    /// Show what an update would do.
    Preview,
    /// Preview, then update the stack.
    Up,
    /// Delete every resource of the stack.
    Destroy,
    /// Deploy to the local target, then redeploy on every change to the program's files.
    Dev,
    /// Stack commands.
    #[command(subcommand)]
    Stack(StackCommand),
}

#[derive(Subcommand)]
enum StackCommand {
    /// Print the stack's outputs (or one of them).
    Output { name: Option<String> },
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("expected key=value, got '{text}'"))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let mut project = ProjectSpec::load(&cli.global.cwd, &cli.global.stack)?;
    for (key, value) in &cli.global.config {
        project.set_config(key, value, false);
    }
    for (key, value) in &cli.global.secret_config {
        project.set_config(key, value, true);
    }
    let backend = cli
        .global
        .backend
        .clone()
        .unwrap_or_else(|| project.root_directory.join(".unfold").join("state"));
    let engine = Engine::new(backend)
        .with_options(EngineOptions { echo: true, ..EngineOptions::default() })
        .with_providers(beside_this_binary(ProviderRegistry::default()));
    let host_beside = sibling(&format!("pulumi-language-{}", project.runtime));
    let host = HostSpec::Plugin { binary: cli.global.host.clone().or(host_beside) };
    let report = match cli.command {
        Command::Preview => {
            println!("Previewing update ({}):", project.stack);
            engine.preview(&project, &host).await
        }
        Command::Up => {
            println!("Updating ({}):", project.stack);
            engine.up(&project, &host).await
        }
        Command::Destroy => {
            println!("Destroying ({}):", project.stack);
            engine.destroy(&project).await
        }
        Command::Dev => {
            println!(
                "Deploying {} to the local target; watching its files (Ctrl-C to stop).",
                project.root_directory.display()
            );
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            unfold_engine::dev::watch(&engine, &project, &host, |report| {
                print!("{}", summary::render(report));
                match &report.error {
                    Some(error) => eprintln!("error: {error}\nWaiting for a change to the program…"),
                    None => println!("Serving. Edit the program to redeploy; `unfold-engine destroy` removes it all."),
                }
            }, stop)
            .await;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Stack(StackCommand::Output { name }) => {
            let outputs = engine.stack_outputs(&project.name, &project.stack)?;
            match name {
                Some(name) => {
                    let value = outputs.get(&name).with_context(|| {
                        format!("current stack does not have output property '{name}'")
                    })?;
                    println!("{}", display_value(value));
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
    Ok(finish(&report))
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
