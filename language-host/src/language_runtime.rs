//! The LanguageRuntime gRPC service the Pulumi engine talks to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use deno_core::v8;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::language_runtime_server::LanguageRuntime;
use unfold_proto::pulumirpc::*;
// The glob above brings in the protocol's own `Result` message.
use std::result::Result;

use crate::codegen::Codegen;
use crate::program::{self, ProgramRun};
use crate::{link, npm, pack, plugin, project, provider_packages};
use unfold_runtime::io::Outcome;
use unfold_runtime::io::system::ProcessConsole;

/// A program running now: what stops it, and the flag saying the engine did.
struct RunningProgram {
    isolate: v8::IsolateHandle,
    cancelled: Arc<AtomicBool>,
}

/// The language host's state across the engine's calls.
#[derive(Default)]
pub struct LanguageHost {
    engine_address: Mutex<Option<String>>,
    runs: Arc<Mutex<HashMap<u64, RunningProgram>>>,
    next_run: AtomicU64,
    codegen: Codegen,
}

impl LanguageHost {
    pub fn new(engine_address: Option<String>) -> Self {
        Self { engine_address: Mutex::new(engine_address), ..Default::default() }
    }

    fn engine_address(&self) -> Option<String> {
        self.engine_address.lock().expect("engine address lock").clone()
    }
}

/// Where the program is, from ProgramInfo or, for older engines, pwd/program.
struct ProgramLocation {
    root: PathBuf,
    program_dir: PathBuf,
    entry_point: String,
}

fn locate(info: Option<&ProgramInfo>, pwd: &str, program: &str) -> ProgramLocation {
    match info.filter(|info| !info.root_directory.is_empty()) {
        Some(info) => ProgramLocation {
            root: PathBuf::from(&info.root_directory),
            program_dir: PathBuf::from(if info.program_directory.is_empty() {
                &info.root_directory
            } else {
                &info.program_directory
            }),
            entry_point: if info.entry_point.is_empty() {
                ".".into()
            } else {
                info.entry_point.clone()
            },
        },
        None => ProgramLocation {
            root: PathBuf::from(pwd),
            program_dir: PathBuf::from(pwd),
            entry_point: if program.is_empty() { ".".into() } else { program.to_string() },
        },
    }
}

// `queryMode` and `configPropertyMap` are deprecated but still sent by engines.
#[allow(deprecated)]
fn run_context(request: &RunRequest, location: &ProgramLocation, entry: &Path) -> Value {
    let config: std::collections::BTreeMap<_, _> = request.config.iter().collect();
    json!({
        "project": request.project,
        "stack": request.stack,
        "organization": request.organization,
        "dryRun": request.dry_run,
        "parallel": request.parallel,
        "queryMode": request.query_mode,
        "rootDirectory": location.root.display().to_string(),
        "programDirectory": location.program_dir.display().to_string(),
        "pwd": request.pwd,
        "entryModule": url::Url::from_file_path(entry).map(String::from).unwrap_or_default(),
        "config": config,
        "configSecretKeys": request.config_secret_keys,
        "configPropertyMap": request.config_property_map,
    })
}

/// A boolean runtime option from Pulumi.yaml (`runtime: {name: unfold, options: {…}}`).
fn bool_option(info: Option<&ProgramInfo>, name: &str) -> Option<bool> {
    use unfold_proto::pbjson_types::value::Kind;
    match info?.options.as_ref()?.fields.get(name)?.kind.as_ref()? {
        Kind::BoolValue(value) => Some(*value),
        Kind::StringValue(text) => text.parse().ok(),
        _ => None,
    }
}

/// `<project>/.unfold/<stack>/{preview,update}.snapshot`: the record of the
/// stack's latest run of each kind, beside the rest of Unfold's local state.
fn snapshot_path(root: &Path, stack: &str, dry_run: bool) -> PathBuf {
    project::stack_dir(root, stack).join(if dry_run {
        "preview.snapshot"
    } else {
        "update.snapshot"
    })
}

fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}

#[tonic::async_trait]
impl LanguageRuntime for LanguageHost {
    async fn handshake(
        &self,
        request: Request<LanguageHandshakeRequest>,
    ) -> Result<Response<LanguageHandshakeResponse>, Status> {
        *self.engine_address.lock().expect("engine address lock") =
            Some(request.into_inner().engine_address);
        Ok(Response::new(LanguageHandshakeResponse {}))
    }

    #[allow(deprecated)] // the RPC itself, and `pwd`/`program` for engines that do not send `info`
    async fn get_required_plugins(
        &self,
        request: Request<GetRequiredPluginsRequest>,
    ) -> Result<Response<GetRequiredPluginsResponse>, Status> {
        let request = request.into_inner();
        let location = locate(request.info.as_ref(), &request.pwd, &request.program);
        let plugins = provider_packages::required_packages(&location.program_dir)
            .into_iter()
            .map(|p| PluginDependency {
                name: p.name,
                kind: p.kind,
                version: p.version,
                server: p.server,
                checksums: p.checksums,
            })
            .collect();
        Ok(Response::new(GetRequiredPluginsResponse { plugins }))
    }

    async fn get_required_packages(
        &self,
        request: Request<GetRequiredPackagesRequest>,
    ) -> Result<Response<GetRequiredPackagesResponse>, Status> {
        let location = locate(request.into_inner().info.as_ref(), "", "");
        let packages = provider_packages::required_packages(&location.program_dir);
        Ok(Response::new(GetRequiredPackagesResponse { packages, ..Default::default() }))
    }

    // `program` is deprecated in favour of `info`; older engines send only it.
    #[allow(deprecated)]
    async fn run(&self, request: Request<RunRequest>) -> Result<Response<RunResponse>, Status> {
        let request = request.into_inner();
        let location = locate(request.info.as_ref(), &request.pwd, &request.program);
        let failed =
            |message: String| Ok(Response::new(RunResponse { error: message, bail: false }));
        if let Err(error) = project::load(&location.root) {
            return failed(error.to_string());
        }
        let entry = match project::entry_module(&location.program_dir, &location.entry_point) {
            Ok(entry) => absolute(entry),
            Err(error) => return failed(error.to_string()),
        };
        let spec = ProgramRun {
            context: run_context(&request, &location, &entry),
            entry_path: entry.display().to_string(),
            monitor_address: request.monitor_address.clone(),
            engine_address: self.engine_address(),
            snapshot_path: Some(snapshot_path(&location.root, &request.stack, request.dry_run)),
            record: bool_option(request.info.as_ref(), "record").unwrap_or(true),
            cancelled: Arc::default(),
        };
        let cancelled = spec.cancelled.clone();
        let runs = self.runs.clone();
        let run_id = self.next_run.fetch_add(1, Ordering::Relaxed);
        let outcome = tokio::task::spawn_blocking(move || {
            let outcome = program::run(spec, Arc::new(|| Box::new(ProcessConsole)), |isolate| {
                runs.lock()
                    .expect("runs lock")
                    .insert(run_id, RunningProgram { isolate, cancelled });
            });
            runs.lock().expect("runs lock").remove(&run_id);
            outcome
        })
        .await
        .map_err(|error| Status::internal(format!("the program's thread failed: {error}")))?;
        Ok(Response::new(match outcome {
            Outcome::Ok => RunResponse::default(),
            Outcome::Bail => RunResponse { error: String::new(), bail: true },
            Outcome::Error { message } => RunResponse { error: message, bail: false },
        }))
    }

    async fn get_plugin_info(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<PluginInfo>, Status> {
        Ok(Response::new(PluginInfo { version: env!("CARGO_PKG_VERSION").into() }))
    }

    type InstallDependenciesStream = ReceiverStream<Result<InstallDependenciesResponse, Status>>;

    #[allow(deprecated)] // `directory`, for engines that do not send `info`
    async fn install_dependencies(
        &self,
        request: Request<InstallDependenciesRequest>,
    ) -> Result<Response<Self::InstallDependenciesStream>, Status> {
        let request = request.into_inner();
        let dir = match request.info.as_ref().filter(|info| !info.program_directory.is_empty()) {
            Some(info) => PathBuf::from(&info.program_directory),
            None => PathBuf::from(&request.directory),
        };
        let (sink, stream) = mpsc::channel(16);
        npm::install(&dir, sink);
        Ok(Response::new(ReceiverStream::new(stream)))
    }

    async fn runtime_options_prompts(
        &self,
        _request: Request<RuntimeOptionsRequest>,
    ) -> Result<Response<RuntimeOptionsResponse>, Status> {
        // Unfold has no runtime options to ask for.
        Ok(Response::new(RuntimeOptionsResponse::default()))
    }

    async fn template(
        &self,
        _request: Request<TemplateRequest>,
    ) -> Result<Response<TemplateResponse>, Status> {
        Ok(Response::new(TemplateResponse {}))
    }

    async fn about(
        &self,
        _request: Request<AboutRequest>,
    ) -> Result<Response<AboutResponse>, Status> {
        let metadata = HashMap::from([
            ("v8".to_string(), v8::VERSION_STRING.to_string()),
            (
                "typescript".to_string(),
                "transpiled by deno_ast (types stripped, not checked)".to_string(),
            ),
        ]);
        Ok(Response::new(AboutResponse {
            executable: std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            version: env!("CARGO_PKG_VERSION").into(),
            metadata,
        }))
    }

    #[allow(deprecated)] // `pwd`/`program`, for engines that do not send `info`
    async fn get_program_dependencies(
        &self,
        request: Request<GetProgramDependenciesRequest>,
    ) -> Result<Response<GetProgramDependenciesResponse>, Status> {
        let request = request.into_inner();
        let location = locate(request.info.as_ref(), &request.pwd, &request.program);
        let dependencies = npm::dependencies(&location.program_dir)
            .map_err(|e| Status::invalid_argument(e.to_string()))?;
        Ok(Response::new(GetProgramDependenciesResponse { dependencies }))
    }

    type RunPluginStream = plugin::PluginOutput;

    #[allow(deprecated)] // `pwd`/`program`, for engines that do not send `info`
    async fn run_plugin(
        &self,
        request: Request<RunPluginRequest>,
    ) -> Result<Response<Self::RunPluginStream>, Status> {
        let request = request.into_inner();
        let location = locate(request.info.as_ref(), &request.pwd, &request.program);
        let output = plugin::run(
            &request,
            plugin::PluginLocation {
                dir: &absolute(location.program_dir.clone()),
                entry_point: &location.entry_point,
            },
            self.engine_address(),
        )?;
        Ok(Response::new(output))
    }

    async fn generate_program(
        &self,
        request: Request<GenerateProgramRequest>,
    ) -> Result<Response<GenerateProgramResponse>, Status> {
        self.codegen.client().await?.generate_program(request.into_inner()).await
    }

    async fn generate_project(
        &self,
        request: Request<GenerateProjectRequest>,
    ) -> Result<Response<GenerateProjectResponse>, Status> {
        self.codegen.client().await?.generate_project(request.into_inner()).await
    }

    async fn generate_package(
        &self,
        request: Request<GeneratePackageRequest>,
    ) -> Result<Response<GeneratePackageResponse>, Status> {
        self.codegen.client().await?.generate_package(request.into_inner()).await
    }

    async fn pack(&self, request: Request<PackRequest>) -> Result<Response<PackResponse>, Status> {
        let request = request.into_inner();
        let package = absolute(PathBuf::from(&request.package_directory));
        let destination = absolute(PathBuf::from(&request.destination_directory));
        let packed = tokio::task::spawn_blocking(move || pack::pack(&package, &destination))
            .await
            .map_err(|error| Status::internal(format!("packing failed: {error}")))?;
        match packed {
            Ok(artifact) => {
                Ok(Response::new(PackResponse { artifact_path: artifact.display().to_string() }))
            }
            Err(error) => Err(Status::invalid_argument(format!(
                "could not pack {}: {error:#}",
                request.package_directory
            ))),
        }
    }

    async fn link(&self, request: Request<LinkRequest>) -> Result<Response<LinkResponse>, Status> {
        let request = request.into_inner();
        let location = locate(request.info.as_ref(), "", "");
        if location.program_dir.as_os_str().is_empty() {
            return Err(Status::invalid_argument("Link needs the program's directory in `info`"));
        }
        let packages: Vec<link::LocalPackage> = request
            .packages
            .iter()
            .map(|dependency| link::LocalPackage {
                name: dependency
                    .package
                    .as_ref()
                    .map(|package| match &package.parameterization {
                        Some(parameterization) => parameterization.name.clone(),
                        None => package.name.clone(),
                    })
                    .unwrap_or_default(),
                path: location.program_dir.join(&dependency.path),
            })
            .collect();
        match link::link(&location.program_dir, &packages) {
            Ok(import_instructions) => Ok(Response::new(LinkResponse { import_instructions })),
            Err(error) => Err(Status::invalid_argument(format!("could not link: {error:#}"))),
        }
    }

    async fn cancel(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        for run in self.runs.lock().expect("runs lock").values() {
            run.cancelled.store(true, Ordering::SeqCst);
            run.isolate.terminate_execution();
        }
        Ok(Response::new(Empty {}))
    }
}
