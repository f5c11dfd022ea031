//! `unfold config set`: a stack's config, written to `Pulumi.<stack>.yaml` as
//! `pulumi config set` writes it. A secret's value is read from standard input
//! or an environment variable, never from the command line, where any user
//! of the machine could read it in the process list.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ConfigSubcommand {
    /// Set a config value: `unfold config set region eu-west-1`, or for a
    /// secret `printf %s "$TOKEN" | unfold config set --secret token`.
    Set {
        /// `name` (the project's namespace) or `namespace:name`.
        key: String,
        /// The value (plain values only; a secret comes from standard input or --from-env).
        value: Option<String>,
        /// Encrypt the value with the stack's passphrase (`secure:` in the file).
        #[arg(long)]
        secret: bool,
        /// Read the value from this environment variable instead of standard input.
        #[arg(long = "from-env", value_name = "VARIABLE")]
        from_env: Option<String>,
        /// The project directory (where Pulumi.yaml is).
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        #[arg(long, default_value = "dev")]
        stack: String,
    },
}

pub fn main(command: ConfigSubcommand) -> ExitCode {
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: ConfigSubcommand) -> Result<()> {
    let ConfigSubcommand::Set { key, value, secret, from_env, cwd, stack } = command;
    let value = match (value, from_env) {
        (Some(_), _) if secret => bail!(
            "a secret is not taken from the command line, where other users see it in the \
             process list; pipe it in (`printf %s \"$VALUE\" | unfold config set --secret {key}`) \
             or name a variable that holds it (`--from-env VARIABLE`)"
        ),
        (Some(_), Some(_)) => bail!("give the value or --from-env, not both"),
        (Some(value), None) => value,
        (None, Some(variable)) => std::env::var(&variable)
            .with_context(|| format!("reading the value of {key} from ${variable}"))?,
        (None, None) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .with_context(|| format!("reading the value of {key} from standard input"))?;
            // A trailing newline is the terminal's or echo's, not the value's.
            text.strip_suffix('\n')
                .map(|t| t.strip_suffix('\r').unwrap_or(t))
                .unwrap_or(&text)
                .to_string()
        }
    };
    unfold_engine::stack_config::set_value(&cwd, &stack, &key, &value, secret)
}
