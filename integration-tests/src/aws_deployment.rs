//! A project deployed to the AWS target, with moto as every AWS endpoint: the
//! `pulumi-resource-unfold` plugin is started with the emulator's environment
//! and the embedded engine uses it for the `unfold` package. The plugin and
//! the emulator stop when it is dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aws_sdk_lambda::operation::get_function_configuration::GetFunctionConfigurationOutput;

use crate::binary;
use crate::lambda_emulator::LambdaRun;
use crate::local_deployment::Deployment;
use crate::moto::Moto;

pub struct AwsDeployment {
    /// Dropped first: the deployment, then the plugin, then the emulator.
    pub deployment: Deployment,
    provider: Child,
    pub moto: Moto,
}

impl AwsDeployment {
    /// A `messages` project whose index.ts is `program`, on `unfold:target`
    /// aws, its Functions running on the runtime binary `bootstrap`.
    pub fn new(program: &str, bootstrap: &Path) -> Self {
        let moto = Moto::start();
        let mut provider = Command::new(binary("pulumi-resource-unfold"))
            .envs(moto.environment())
            .env("UNFOLD_LAMBDA_BOOTSTRAP", bootstrap)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the provider starts");
        let mut port = String::new();
        BufReader::new(provider.stdout.take().unwrap()).read_line(&mut port).unwrap();
        let address = format!("127.0.0.1:{}", port.trim());
        let deployment = Deployment::with_program(program)
            .with_config("unfold:target", "aws")
            .with_unfold_provider_at(&address);
        Self { deployment, provider, moto }
    }
}

impl AwsDeployment {
    /// Where the stack keeps what it uploaded to AWS.
    pub fn uploads(&self) -> PathBuf {
        self.deployment.local().join("aws")
    }

    /// The runtime layer's zip, as uploaded.
    pub fn layer_zip(&self) -> PathBuf {
        std::fs::read_dir(self.uploads())
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .find(|path| path.file_name().unwrap().to_string_lossy().starts_with("unfold-runtime-"))
            .expect("the layer's zip is kept")
    }

    /// The deployed function `configuration` describes, run as Lambda runs
    /// it: its uploaded zip on the layer, with its environment and memory.
    pub fn run_function(&self, configuration: &GetFunctionConfigurationOutput) -> LambdaRun {
        self.run(configuration, self.moto.environment())
    }

    /// As `run_function`, with Lambda's Invoke API at `lambda` (a
    /// `LambdaRouter`'s URL), so the function's calls to the stack's other
    /// units reach their emulators.
    pub fn run_function_calling(
        &self,
        configuration: &GetFunctionConfigurationOutput,
        lambda: &str,
    ) -> LambdaRun {
        let mut aws = self.moto.environment();
        aws.push(("AWS_ENDPOINT_URL_LAMBDA", lambda.to_string()));
        self.run(configuration, aws)
    }

    fn run(
        &self,
        configuration: &GetFunctionConfigurationOutput,
        aws: Vec<(&str, String)>,
    ) -> LambdaRun {
        let name = configuration.function_name().unwrap();
        let environment =
            configuration.environment().and_then(|e| e.variables()).cloned().unwrap_or_default();
        LambdaRun::start(
            &self.layer_zip(),
            &self.uploads().join(format!("{name}.zip")),
            &environment,
            configuration.memory_size().unwrap_or(128),
            &aws,
        )
    }
}

impl Drop for AwsDeployment {
    fn drop(&mut self) {
        let _ = self.provider.kill();
        let _ = self.provider.wait();
    }
}
