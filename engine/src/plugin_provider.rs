//! Resource provider plugins: a `pulumi-resource-<package>` process (or a
//! provider already serving on an address), driven over the ResourceProvider
//! gRPC protocol as Pulumi's engine drives it.
//!
//! A plugin is launched as Pulumi launches one: `<binary> <engine-address>`
//! in the program's directory, its port read from the first line of its
//! stdout, then gRPC on `127.0.0.1:<port>`. Before the first resource
//! operation the engine calls Handshake, GetPluginInfo, CheckConfig and
//! Configure (with the stack's `<package>:<key>` config, as for a default
//! provider). Its stderr (and any later stdout) is shown in the run's
//! diagnostics. The process is stopped by [`PluginProvider::shutdown`], or
//! killed when the provider is dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use async_trait::async_trait;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Child;
use tokio::sync::OnceCell;
use tokio::task::JoinHandle;
use tonic::Code;
use tonic::transport::Channel;
use unfold_proto::pbjson_types::{Empty, Struct};
use unfold_proto::pulumirpc::resource_provider_client::ResourceProviderClient;
use unfold_proto::pulumirpc::{
    CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, DiffRequest, InvokeRequest,
    PluginAttach, ProviderHandshakeRequest, ReadRequest, UpdateRequest, diff_response::DiffChanges,
    property_diff,
};
use unfold_wire::plugin;
use unfold_wire::signatures::{is_secret, make_secret};
use unfold_wire::structs;
use unfold_wire::urn::{self, PROVIDER_TYPE_PREFIX};

use crate::diagnostics::{Diagnostic, Severity, Source};
use crate::evaluation::default_provider_config;
use crate::host::process::interrupt_then_kill;
use crate::project::ConfigValue;
use crate::property::{self, PropertyMap};
use crate::property_path::PropertyPath;
use crate::provider::{CheckFailure, CreateResult, DiffResult, InvokeResult, Provider, ReadResult};
use crate::run_record::CurrentRun;

/// Resource plugins are named `pulumi-resource-<package>`.
pub(crate) const PLUGIN_PREFIX: &str = "pulumi-resource-";

/// How long a plugin may take to print its port.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long connecting to a plugin's port may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for a plugin's output to drain after it exits.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);
/// How many stderr lines a failed start shows.
const EARLY_STDERR_LINES: usize = 50;

/// Where a package's provider plugin comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginSource {
    /// A plugin binary, launched for each run that needs it.
    Binary(PathBuf),
    /// A provider already serving at `host:port`; the engine attaches to it
    /// (as Pulumi does with `PULUMI_DEBUG_PROVIDERS`) and never stops it.
    Address(String),
}

/// What a plugin needs to know about the run it serves.
#[derive(Debug, Clone, Default)]
pub struct PluginContext {
    /// The engine's gRPC address (`127.0.0.1:<port>`), the plugin's argument.
    pub engine_address: String,
    pub project: String,
    pub stack: String,
    /// Stack config, keyed `<namespace>:<key>`; the package's keys configure the plugin.
    pub config: BTreeMap<String, ConfigValue>,
    /// Where the plugin runs: the program's directory.
    pub working_directory: Option<PathBuf>,
    /// Where the plugin's output goes; without one, the engine's stderr.
    pub current: Option<CurrentRun>,
}

/// What the plugin told the engine it understands.
#[derive(Debug, Clone, Copy)]
struct Protocol {
    accept_secrets: bool,
    accept_resources: bool,
    supports_preview: bool,
}

/// A connected and configured plugin.
struct Connection {
    client: ResourceProviderClient<Channel>,
    protocol: Protocol,
}

/// The plugin's process and the tasks forwarding its output.
struct PluginProcess {
    child: Child,
    pumps: Vec<JoinHandle<()>>,
}

/// A provider plugin, started and configured on first use.
pub struct PluginProvider {
    package: String,
    source: PluginSource,
    context: PluginContext,
    /// The connection, or why there is none (the same answer for every call).
    connection: OnceCell<std::result::Result<Connection, String>>,
    process: Mutex<Option<PluginProcess>>,
}

impl PluginProvider {
    /// A provider for `package` from `source`; nothing starts until it is first used.
    pub fn new(package: &str, source: PluginSource, context: PluginContext) -> Self {
        Self {
            package: package.to_string(),
            source,
            context,
            connection: OnceCell::new(),
            process: Mutex::new(None),
        }
    }

    /// Launches `binary` for `package` now, connects and configures it.
    pub async fn launch(
        package: &str,
        binary: impl Into<PathBuf>,
        context: PluginContext,
    ) -> Result<Self> {
        let provider = Self::new(package, PluginSource::Binary(binary.into()), context);
        provider.connection().await?;
        Ok(provider)
    }

    /// Connects to a provider already serving at `address` (`host:port`) and
    /// configures it for `package`. Its process is not the engine's to stop.
    pub async fn connect(package: &str, address: &str, context: PluginContext) -> Result<Self> {
        let provider = Self::new(package, PluginSource::Address(address.to_string()), context);
        provider.connection().await?;
        Ok(provider)
    }

    pub fn package(&self) -> &str {
        &self.package
    }

    pub fn source(&self) -> &PluginSource {
        &self.source
    }

    /// Stops the plugin's process (interrupt, then kill) and waits for it to exit.
    pub async fn shutdown(&self) {
        let process = self.process.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut process) = process {
            interrupt_then_kill(&mut process.child).await;
            for pump in process.pumps {
                let _ = tokio::time::timeout(DRAIN_TIMEOUT, pump).await;
            }
        }
    }

    async fn connection(&self) -> Result<&Connection> {
        let connection = self
            .connection
            .get_or_init(|| async { self.start().await.map_err(|e| format!("{e:#}")) })
            .await;
        connection.as_ref().map_err(|message| anyhow!("{message}"))
    }

    async fn client(&self) -> Result<(ResourceProviderClient<Channel>, Protocol)> {
        let connection = self.connection().await?;
        Ok((connection.client.clone(), connection.protocol))
    }

    /// Starts (or attaches to) the plugin, then handshakes and configures it.
    async fn start(&self) -> Result<Connection> {
        let (address, attached) = match &self.source {
            PluginSource::Binary(binary) => {
                (format!("127.0.0.1:{}", self.launch_process(binary).await?), false)
            }
            PluginSource::Address(address) => (address.clone(), true),
        };
        let name = self.display_name();
        let channel = Channel::from_shared(format!("http://{address}"))
            .with_context(|| format!("invalid address '{address}' for plugin {name}"))?
            .connect_timeout(CONNECT_TIMEOUT)
            .connect()
            .await
            .with_context(|| format!("connecting to plugin {name} at {address}"))?;
        let mut client = ResourceProviderClient::new(channel)
            .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
            .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);

        let directory = match &self.source {
            PluginSource::Binary(binary) => binary.parent().map(|d| d.display().to_string()),
            PluginSource::Address(_) => None,
        };
        let handshake = client
            .handshake(ProviderHandshakeRequest {
                engine_address: self.context.engine_address.clone(),
                root_directory: directory.clone(),
                program_directory: directory,
                configure_with_urn: true,
                ..Default::default()
            })
            .await;
        let handshake = match handshake {
            Ok(response) => Some(response.into_inner()),
            Err(status) if status.code() == Code::Unimplemented => None,
            Err(status) => bail!("failed to handshake with plugin {name}: {}", status.message()),
        };
        if attached && !self.context.engine_address.is_empty() {
            match client.attach(PluginAttach { address: self.context.engine_address.clone() }).await
            {
                Ok(_) => {}
                Err(status) if status.code() == Code::Unimplemented => {}
                Err(status) => bail!("failed to attach to plugin {name}: {}", status.message()),
            }
        }
        match client.get_plugin_info(Empty {}).await {
            Ok(_) => {}
            Err(status) if status.code() == Code::Unimplemented => {}
            Err(status) => {
                bail!("failed to get information about plugin {name}: {}", status.message())
            }
        }

        let provider_urn = self.provider_urn();
        let provider_type = format!("{PROVIDER_TYPE_PREFIX}{}", self.package);
        let news = default_provider_config(&self.context.config, &self.package);
        let inputs = match client
            .check_config(CheckRequest {
                urn: provider_urn.clone(),
                name: "default".into(),
                r#type: provider_type.clone(),
                olds: Some(structs::to_struct(&PropertyMap::new())),
                news: Some(structs::to_struct(&news)),
                ..Default::default()
            })
            .await
        {
            Ok(response) => {
                let response = response.into_inner();
                if !response.failures.is_empty() {
                    bail!(
                        "could not validate provider configuration: {}",
                        failure_reasons(&response.failures)
                    );
                }
                let mut inputs = incoming(response.inputs.as_ref())?;
                annotate_secrets(&mut inputs, &news);
                inputs
            }
            Err(status) if status.code() == Code::Unimplemented => news,
            Err(status) => bail!("{}", status.message()),
        };
        let configured = client
            .configure(ConfigureRequest {
                variables: config_variables(&self.package, &inputs)?,
                args: Some(structs::to_struct(&inputs)),
                accept_secrets: true,
                accept_resources: true,
                sends_old_inputs: true,
                sends_old_inputs_to_delete: true,
                urn: Some(provider_urn),
                name: Some("default".into()),
                r#type: Some(provider_type),
                id: None,
            })
            .await
            .map_err(|status| anyhow!("{}", status.message()))?
            .into_inner();
        let protocol = match handshake {
            Some(h) => Protocol {
                accept_secrets: h.accept_secrets,
                accept_resources: h.accept_resources,
                supports_preview: true,
            },
            None => Protocol {
                accept_secrets: configured.accept_secrets,
                accept_resources: configured.accept_resources,
                supports_preview: configured.supports_preview,
            },
        };
        Ok(Connection { client, protocol })
    }

    /// Starts the plugin process and returns the port it printed.
    async fn launch_process(&self, binary: &Path) -> Result<u16> {
        let mut command = plugin::command(binary, &self.context.engine_address);
        if let Some(dir) = &self.context.working_directory {
            command.current_dir(dir);
        }
        let mut child = command.spawn().with_context(|| {
            format!(
                "could not start resource plugin {} for package '{}'",
                binary.display(),
                self.package
            )
        })?;
        let early_stderr = Arc::new(Mutex::new(Vec::<String>::new()));
        let stderr = child.stderr.take().context("plugin stderr")?;
        let stderr_pump = self.forward(stderr, Some(early_stderr.clone()));
        let mut stdout = BufReader::new(child.stdout.take().context("plugin stdout")?).lines();
        match plugin::read_port(&mut stdout, STARTUP_TIMEOUT).await {
            Ok(port) => {
                let stdout_pump = self.forward_lines(stdout, None);
                *self.process.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(PluginProcess { child, pumps: vec![stderr_pump, stdout_pump] });
                Ok(port)
            }
            Err(e) => {
                interrupt_then_kill(&mut child).await;
                let _ = tokio::time::timeout(DRAIN_TIMEOUT, stderr_pump).await;
                let status =
                    child.try_wait().ok().flatten().map(|s| format!(" ({s})")).unwrap_or_default();
                let stderr = early_stderr.lock().unwrap_or_else(|e| e.into_inner()).join("\n");
                let stderr =
                    if stderr.is_empty() { String::new() } else { format!("\nstderr:\n{stderr}") };
                bail!(
                    "resource plugin {} for package '{}' failed to start{status}: {e}{stderr}",
                    binary.display(),
                    self.package
                )
            }
        }
    }

    fn forward<R: AsyncRead + Unpin + Send + 'static>(
        &self,
        reader: R,
        early: Option<Arc<Mutex<Vec<String>>>>,
    ) -> JoinHandle<()> {
        self.forward_lines(BufReader::new(reader).lines(), early)
    }

    /// Shows each line the plugin writes as an info message of the run, as Pulumi does.
    fn forward_lines<R: AsyncRead + Unpin + Send + 'static>(
        &self,
        mut lines: tokio::io::Lines<BufReader<R>>,
        early: Option<Arc<Mutex<Vec<String>>>>,
    ) -> JoinHandle<()> {
        let current = self.context.current.clone();
        let prefix = format!("{} (resource)", self.package);
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(early) = &early {
                    let mut early = early.lock().unwrap_or_else(|e| e.into_inner());
                    if early.len() < EARLY_STDERR_LINES {
                        early.push(line.clone());
                    }
                }
                match &current {
                    Some(current) => current.get().diagnostics.push(Diagnostic {
                        severity: Severity::Info,
                        source: Source::Plugin,
                        urn: String::new(),
                        message: line,
                        ephemeral: false,
                    }),
                    None => eprintln!("{prefix}: {line}"),
                }
            }
        })
    }

    fn display_name(&self) -> String {
        match &self.source {
            PluginSource::Binary(binary) => format!("{} ({})", self.package, binary.display()),
            PluginSource::Address(address) => format!("{} ({address})", self.package),
        }
    }

    /// The URN of the package's default provider in this stack.
    fn provider_urn(&self) -> String {
        urn::new_urn(
            &self.context.stack,
            &self.context.project,
            None,
            &format!("{PROVIDER_TYPE_PREFIX}{}", self.package),
            "default",
        )
    }
}

impl Drop for PluginProvider {
    fn drop(&mut self) {
        let process = self.process.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut process) = process {
            if let Some(pid) = process.child.id() {
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            // Reaps it if it is already gone; otherwise the runtime reaps it once it is.
            let _ = process.child.start_kill();
            let _ = process.child.try_wait();
            for pump in process.pumps {
                pump.abort();
            }
        }
    }
}

/// A resource's name and type, as requests carry them besides its URN.
fn name_and_type(urn: &str) -> (String, String) {
    match urn::parse(urn) {
        Ok(parts) => (parts.name.to_string(), parts.ty().to_string()),
        Err(_) => (String::new(), String::new()),
    }
}

fn timeout_seconds(timeout: Option<Duration>) -> f64 {
    timeout.map(|t| t.as_secs_f64()).unwrap_or_default()
}

/// A provider's error, shown as the provider wrote it.
fn provider_error(status: tonic::Status) -> anyhow::Error {
    if status.message().is_empty() {
        anyhow!("{}", status.code().description())
    } else {
        anyhow!("{}", status.message())
    }
}

/// Properties as a provider may see them: without secrets or resource
/// references if it did not say it accepts them.
fn outgoing(protocol: Protocol, map: &PropertyMap) -> Result<Struct> {
    let mut value = Value::Object(map.clone());
    if !protocol.accept_secrets {
        value = property::reveal_secrets(value);
    }
    if !protocol.accept_resources {
        value = property::downgrade_resource_references(value);
    }
    Ok(structs::to_struct(value.as_object().unwrap_or(&PropertyMap::new())))
}

/// Properties a provider returned. Output values are not expected from a
/// provider; any that come are reduced to what they stand for.
fn incoming(value: Option<&Struct>) -> Result<PropertyMap> {
    let map = structs::from_struct(value)?;
    Ok(match property::flatten_output_values(Value::Object(map)) {
        Value::Object(map) => map,
        _ => PropertyMap::new(),
    })
}

/// Rejects unknowns where a provider must return known values (outside a preview).
fn reject_unknowns(map: &PropertyMap, what: &str) -> Result<()> {
    match map.iter().find(|(_, v)| property::contains_unknowns(v)) {
        Some((key, _)) => bail!("unexpected unknown property value for \"{key}\" in the {what}"),
        None => Ok(()),
    }
}

/// Copies the secretness of inputs onto outputs of the same name, for
/// providers that were sent no secrets: objects are followed key by key,
/// any other value holding a secret makes the output secret.
fn annotate_secrets(outs: &mut PropertyMap, ins: &PropertyMap) {
    for (key, input) in ins {
        let Some(output) = outs.get_mut(key) else { continue };
        let output_secret = is_secret(output);
        match (output.as_object_mut(), input.as_object()) {
            (Some(out_object), Some(in_object)) if !output_secret && !is_secret(input) => {
                annotate_secrets(out_object, in_object)
            }
            _ if !output_secret && property::contains_secrets(input) => {
                *output = make_secret(output.take())
            }
            _ => {}
        }
    }
}

/// Configure's `variables`: `<package>:config:<key>` → the value as a string
/// (non-strings as JSON), without secret markers; `version` is left out.
fn config_variables(package: &str, inputs: &PropertyMap) -> Result<HashMap<String, String>> {
    let mut variables = HashMap::new();
    for (key, value) in inputs {
        if key == "version" {
            continue;
        }
        let value = match property::reveal_secrets(value.clone()) {
            Value::String(s) => s,
            other => serde_json::to_string(&other)
                .with_context(|| format!("marshaling configuration property '{key}'"))?,
        };
        variables.insert(format!("{package}:config:{key}"), value);
    }
    Ok(variables)
}

fn failure_reasons(failures: &[unfold_proto::pulumirpc::CheckFailure]) -> String {
    failures
        .iter()
        .map(|f| {
            if f.property.is_empty() {
                f.reason.clone()
            } else {
                format!("{}: {}", f.property, f.reason)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// 32 random bytes for Check's `randomSeed`, as Pulumi draws for each registration.
fn random_seed(urn: &str) -> Vec<u8> {
    let mut seed = vec![0u8; 32];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut seed))
        .is_ok()
    {
        return seed;
    }
    let mut hasher = Sha256::new();
    hasher.update(urn.as_bytes());
    hasher.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
    hasher.finalize().to_vec()
}

/// The top-level keys of a provider's diff: `diffs`, the roots of the
/// detailed diff's paths, and the keys that force a replacement.
fn diff_keys(response: &unfold_proto::pulumirpc::DiffResponse) -> (Vec<String>, Vec<String>) {
    let root = |path: &str| {
        PropertyPath::parse(path)
            .ok()
            .and_then(|p| p.root_key().map(str::to_string))
            .unwrap_or_else(|| path.to_string())
    };
    let mut changed: BTreeSet<String> = response.diffs.iter().map(|k| root(k)).collect();
    let mut replace: BTreeSet<String> = response.replaces.iter().map(|k| root(k)).collect();
    if response.has_detailed_diff {
        for (path, diff) in &response.detailed_diff {
            changed.insert(root(path));
            let replaces = matches!(
                property_diff::Kind::try_from(diff.kind),
                Ok(property_diff::Kind::AddReplace
                    | property_diff::Kind::DeleteReplace
                    | property_diff::Kind::UpdateReplace)
            );
            if replaces {
                replace.insert(root(path));
            }
        }
    }
    changed.extend(replace.iter().cloned());
    (changed.into_iter().collect(), replace.into_iter().collect())
}

/// Top-level keys whose values differ.
fn differing_keys(old: &PropertyMap, new: &PropertyMap) -> Vec<String> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter().filter(|k| old.get(*k) != new.get(*k)).cloned().collect()
}

#[async_trait]
impl Provider for PluginProvider {
    async fn check(
        &self,
        urn: &str,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> Result<(PropertyMap, Vec<CheckFailure>)> {
        let (mut client, protocol) = self.client().await?;
        let (name, ty) = name_and_type(urn);
        let response = client
            .check(CheckRequest {
                urn: urn.to_string(),
                name,
                r#type: ty,
                olds: Some(outgoing(protocol, olds)?),
                news: Some(outgoing(protocol, &news)?),
                random_seed: random_seed(urn),
                ..Default::default()
            })
            .await
            .map_err(provider_error)?
            .into_inner();
        let mut inputs = incoming(response.inputs.as_ref())?;
        if !protocol.accept_secrets {
            annotate_secrets(&mut inputs, &news);
        }
        let failures = response
            .failures
            .into_iter()
            .map(|f| CheckFailure { property: f.property, reason: f.reason })
            .collect();
        Ok((inputs, failures))
    }

    async fn diff(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
    ) -> Result<DiffResult> {
        let (mut client, protocol) = self.client().await?;
        let (name, ty) = name_and_type(urn);
        let response = client
            .diff(DiffRequest {
                id: id.to_string(),
                urn: urn.to_string(),
                olds: Some(outgoing(protocol, old_outputs)?),
                news: Some(outgoing(protocol, new_inputs)?),
                old_inputs: Some(outgoing(protocol, old_inputs)?),
                name,
                r#type: ty,
                ignore_changes: Vec::new(),
            })
            .await
            .map_err(provider_error)?
            .into_inner();
        let (mut changed_keys, replace_keys) = diff_keys(&response);
        let delete_before_replace = response.delete_before_replace;
        match DiffChanges::try_from(response.changes).unwrap_or(DiffChanges::DiffUnknown) {
            DiffChanges::DiffNone => Ok(DiffResult::default()),
            DiffChanges::DiffSome => {
                // A change the provider did not attribute to any key is taken to be in the inputs that differ.
                if changed_keys.is_empty() {
                    changed_keys = differing_keys(old_inputs, new_inputs);
                }
                Ok(DiffResult { changed_keys, replace_keys, delete_before_replace })
            }
            // As Pulumi does: the provider could not tell, so the inputs decide.
            DiffChanges::DiffUnknown => {
                let changed_keys = differing_keys(old_inputs, new_inputs);
                if changed_keys.is_empty() {
                    return Ok(DiffResult::default());
                }
                let mut changed: BTreeSet<String> = changed_keys.into_iter().collect();
                changed.extend(replace_keys.iter().cloned());
                Ok(DiffResult {
                    changed_keys: changed.into_iter().collect(),
                    replace_keys,
                    delete_before_replace,
                })
            }
        }
    }

    async fn create(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<CreateResult> {
        let (mut client, protocol) = self.client().await?;
        if preview && !protocol.supports_preview {
            return Ok(CreateResult { id: None, outputs: inputs.clone() });
        }
        let (name, ty) = name_and_type(urn);
        let response = client
            .create(CreateRequest {
                urn: urn.to_string(),
                properties: Some(outgoing(protocol, inputs)?),
                timeout: timeout_seconds(timeout),
                preview,
                name,
                r#type: ty,
                ..Default::default()
            })
            .await
            .map_err(provider_error)?
            .into_inner();
        if response.id.is_empty() && !preview {
            bail!(
                "plugin for package '{}' returned empty resource.ID from create '{urn}'",
                self.package
            );
        }
        let mut outputs = incoming(response.properties.as_ref())?;
        if !preview {
            reject_unknowns(&outputs, "outputs of Create")?;
        }
        if !protocol.accept_secrets {
            annotate_secrets(&mut outputs, inputs);
        }
        Ok(CreateResult { id: Some(response.id).filter(|id| !id.is_empty()), outputs })
    }

    async fn read(
        &self,
        urn: &str,
        id: &str,
        inputs: &PropertyMap,
        state: &PropertyMap,
    ) -> Result<Option<ReadResult>> {
        let (mut client, protocol) = self.client().await?;
        let (name, ty) = name_and_type(urn);
        let response = client
            .read(ReadRequest {
                id: id.to_string(),
                urn: urn.to_string(),
                properties: Some(outgoing(protocol, state)?),
                inputs: if inputs.is_empty() { None } else { Some(outgoing(protocol, inputs)?) },
                name,
                r#type: ty,
                ..Default::default()
            })
            .await
            .map_err(provider_error)?
            .into_inner();
        // An empty ID means the resource does not exist.
        if response.id.is_empty() {
            return Ok(None);
        }
        let mut outputs = incoming(response.properties.as_ref())?;
        let mut read_inputs = incoming(response.inputs.as_ref())?;
        reject_unknowns(&outputs, "outputs of Read")?;
        reject_unknowns(&read_inputs, "inputs of Read")?;
        if !protocol.accept_secrets {
            annotate_secrets(&mut read_inputs, inputs);
            annotate_secrets(&mut outputs, state);
        }
        Ok(Some(ReadResult { id: response.id, inputs: read_inputs, outputs }))
    }

    async fn update(
        &self,
        urn: &str,
        id: &str,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap> {
        self.update_with_inputs(
            urn,
            id,
            &PropertyMap::new(),
            old_outputs,
            new_inputs,
            timeout,
            preview,
        )
        .await
    }

    async fn update_with_inputs(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap> {
        let (mut client, protocol) = self.client().await?;
        if preview && !protocol.supports_preview {
            return Ok(new_inputs.clone());
        }
        let (name, ty) = name_and_type(urn);
        let response = client
            .update(UpdateRequest {
                id: id.to_string(),
                urn: urn.to_string(),
                olds: Some(outgoing(protocol, old_outputs)?),
                news: Some(outgoing(protocol, new_inputs)?),
                timeout: timeout_seconds(timeout),
                preview,
                old_inputs: Some(outgoing(protocol, old_inputs)?),
                name,
                r#type: ty,
                ..Default::default()
            })
            .await
            .map_err(provider_error)?
            .into_inner();
        let mut outputs = incoming(response.properties.as_ref())?;
        if !preview {
            reject_unknowns(&outputs, "outputs of Update")?;
        }
        if !protocol.accept_secrets {
            annotate_secrets(&mut outputs, new_inputs);
        }
        Ok(outputs)
    }

    async fn delete(
        &self,
        urn: &str,
        id: &str,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()> {
        self.delete_with_inputs(urn, id, &PropertyMap::new(), outputs, timeout).await
    }

    async fn delete_with_inputs(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()> {
        let (mut client, protocol) = self.client().await?;
        let (name, ty) = name_and_type(urn);
        client
            .delete(DeleteRequest {
                id: id.to_string(),
                urn: urn.to_string(),
                properties: Some(outgoing(protocol, outputs)?),
                timeout: timeout_seconds(timeout),
                old_inputs: Some(outgoing(protocol, old_inputs)?),
                name,
                r#type: ty,
                ..Default::default()
            })
            .await
            .map_err(provider_error)?;
        Ok(())
    }

    async fn invoke(&self, token: &str, args: &PropertyMap) -> Result<InvokeResult> {
        let (mut client, protocol) = self.client().await?;
        let response = client
            .invoke(InvokeRequest {
                tok: token.to_string(),
                args: Some(outgoing(protocol, args)?),
                preview: false,
            })
            .await
            .map_err(provider_error)?
            .into_inner();
        let outputs = incoming(response.r#return.as_ref())?;
        reject_unknowns(&outputs, "result of Invoke")?;
        let failures = response
            .failures
            .into_iter()
            .map(|f| CheckFailure { property: f.property, reason: f.reason })
            .collect();
        Ok(InvokeResult { outputs, failures })
    }
}

/// Finds `pulumi-resource-<package>` on `$PATH`, as Pulumi finds ambient plugins.
pub(crate) fn find_on_path(package: &str) -> Option<PathBuf> {
    which::which(format!("{PLUGIN_PREFIX}{package}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use unfold_wire::signatures::{SECRET_SIG, SIG_KEY};

    fn map(value: Value) -> PropertyMap {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn config_variables_use_the_old_key_spelling_and_strings() {
        let inputs = map(json!({
            "region": "eu",
            "count": 3,
            "token": {SIG_KEY: SECRET_SIG, "value": "s3cr3t"},
            "version": "1.0.0",
        }));
        let variables = config_variables("aws", &inputs).unwrap();
        assert_eq!(variables.len(), 3);
        assert_eq!(variables["aws:config:region"], "eu");
        assert_eq!(variables["aws:config:count"], "3");
        assert_eq!(variables["aws:config:token"], "s3cr3t");
    }

    #[test]
    fn secrets_are_carried_over_to_outputs_of_the_same_name() {
        let secret = |v: Value| make_secret(v);
        let ins = map(
            json!({"a": secret(json!("x")), "o": {"inner": secret(json!(1)), "plain": 2}, "l": [secret(json!(1))]}),
        );
        let mut outs = map(json!({"a": "x", "o": {"inner": 1, "plain": 2}, "l": [1], "other": 3}));
        annotate_secrets(&mut outs, &ins);
        assert_eq!(
            Value::Object(outs),
            json!({"a": secret(json!("x")), "o": {"inner": secret(json!(1)), "plain": 2}, "l": secret(json!([1])), "other": 3})
        );
    }

    #[test]
    fn detailed_diffs_name_top_level_keys_and_replacements() {
        use unfold_proto::pulumirpc::{DiffResponse, PropertyDiff};
        let response = DiffResponse {
            changes: DiffChanges::DiffSome as i32,
            diffs: vec!["b".into()],
            has_detailed_diff: true,
            detailed_diff: [
                (
                    "a.x[0]".to_string(),
                    PropertyDiff {
                        kind: property_diff::Kind::UpdateReplace as i32,
                        input_diff: true,
                    },
                ),
                (
                    "c".to_string(),
                    PropertyDiff { kind: property_diff::Kind::Add as i32, input_diff: true },
                ),
            ]
            .into_iter()
            .collect(),
            ..Default::default()
        };
        let (changed, replace) = diff_keys(&response);
        assert_eq!(changed, ["a", "b", "c"]);
        assert_eq!(replace, ["a"]);
    }
}
