//! A project deployed to the AWS target, with moto as every AWS endpoint: the
//! `pulumi-resource-unfold` plugin is started with the emulator's environment
//! and the embedded engine uses it for the `unfold` package. The plugin and
//! the emulator stop when it is dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::binary;
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

impl Drop for AwsDeployment {
    fn drop(&mut self) {
        let _ = self.provider.kill();
        let _ = self.provider.wait();
    }
}
