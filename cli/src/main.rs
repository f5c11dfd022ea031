//! `unfold`: deploy a program's stack with the embedded engine (`preview`,
//! `up`, `destroy`, `dev`, `stack output|export|import`, `config set`), list and replay the
//! invocations its Functions recorded (`invocations`, `replay`), or run an application module and
//! hibernate and resume it (`run`, `resume`), or run a program's whole-app tests (`test`).
//!
//! ```text
//! unfold dev examples/messages
//! unfold up --cwd examples/messages --stack dev
//! unfold run app.ts --call incr --save counter.snapshot
//! unfold resume counter.snapshot --call incr
//! unfold test examples/shop
//! unfold invocations --cwd examples/messages --failed
//! unfold replay 1764547200000-a1b2c3 --cwd examples/messages --inspect-brk
//! ```

mod config_commands;
mod invocation_commands;
mod session_commands;
mod stack_commands;
mod test_command;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use session_commands::{SessionArgs, Start};
use stack_commands::{StackArgs, StackCommand, StackSubcommand};

#[derive(Parser)]
#[command(
    name = "unfold",
    version,
    about = "Deploy one-program distributed applications, and run programs whose state can be hibernated and restored anywhere"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show what an update would do.
    Preview {
        #[command(flatten)]
        args: StackArgs,
    },
    /// Preview, then update the stack.
    Up {
        #[command(flatten)]
        args: StackArgs,
    },
    /// Delete every resource of the stack.
    Destroy {
        #[command(flatten)]
        args: StackArgs,
    },
    /// Deploy a program (tables, functions, HTTP APIs) to the local target and
    /// redeploy it on every change: `unfold dev examples/messages`.
    Dev {
        /// The project directory (where Pulumi.yaml is); the same as `--cwd`.
        project: Option<PathBuf>,
        /// Serve the V8 inspector protocol (Chrome DevTools, VS Code): every
        /// instance of every Function and service is a target to attach to.
        #[arg(long, value_name = "HOST:PORT", num_args = 0..=1, default_missing_value = "127.0.0.1:9229")]
        inspect: Option<std::net::SocketAddr>,
        #[command(flatten)]
        args: StackArgs,
    },
    /// Stack commands.
    #[command(subcommand)]
    Stack(StackSubcommand),
    /// The stack's config (`Pulumi.<stack>.yaml`).
    #[command(subcommand)]
    Config(config_commands::ConfigSubcommand),
    /// Load a module (TypeScript or JavaScript) and call its exported functions.
    Run {
        module: PathBuf,
        #[command(flatten)]
        session: SessionArgs,
    },
    /// List the invocations the stack's Functions recorded on the local target.
    Invocations {
        #[command(flatten)]
        args: invocation_commands::InvocationsArgs,
    },
    /// Replay a recorded invocation in a local isolate (optionally under a debugger).
    Replay {
        #[command(flatten)]
        args: invocation_commands::ReplayArgs,
    },
    /// Run the program's whole-app tests in one process: `unfold test examples/shop`.
    Test {
        #[command(flatten)]
        args: test_command::TestArgs,
    },
    /// Restore a snapshot written by `--save` and continue calling functions.
    Resume {
        snapshot: PathBuf,
        #[command(flatten)]
        session: SessionArgs,
    },
}

fn main() -> ExitCode {
    unfold_runtime::pin_environment();
    unfold_snapshot::install();
    match Cli::parse().command {
        Command::Preview { args } => stack_commands::main(StackCommand::Preview, args),
        Command::Up { args } => stack_commands::main(StackCommand::Up, args),
        Command::Destroy { args } => stack_commands::main(StackCommand::Destroy, args),
        Command::Dev { project, inspect, args } => {
            stack_commands::main(StackCommand::Dev { inspect }, args.in_project(project))
        }
        Command::Stack(StackSubcommand::Output { name, show_secrets, args }) => {
            stack_commands::main(StackCommand::Output { name, show_secrets }, args)
        }
        Command::Stack(StackSubcommand::Export { file, args }) => {
            stack_commands::main(StackCommand::Export { file }, args)
        }
        Command::Stack(StackSubcommand::Import { file, args }) => {
            stack_commands::main(StackCommand::Import { file }, args)
        }
        Command::Config(command) => config_commands::main(command),
        Command::Invocations { args } => invocation_commands::list(args),
        Command::Replay { args } => invocation_commands::replay_one(args),
        Command::Run { module, session } => session_commands::main(Start::Module(module), session),
        Command::Test { args } => test_command::main(args),
        Command::Resume { snapshot, session } => {
            session_commands::main(Start::Snapshot(snapshot), session)
        }
    }
}
