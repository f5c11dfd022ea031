//! RunPlugin: plugins written for `runtime: unfold`. The engine starts them as
//! it would a plugin binary: it reads the port the plugin prints on stdout and
//! talks gRPC to it until it cancels the call. Policy packs (PulumiPolicy.yaml)
//! and component providers (PulumiPlugin.yaml) are served here; other plugin
//! kinds are refused with a message saying so.

use std::path::Path;
use std::sync::Arc;

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::Status;
use tonic::service::Routes;
use unfold_proto::pulumirpc::analyzer_server::AnalyzerServer;
use unfold_proto::pulumirpc::resource_provider_server::ResourceProviderServer;
use unfold_proto::pulumirpc::run_plugin_response::Output;
use unfold_proto::pulumirpc::{RunPluginRequest, RunPluginResponse};
use unfold_runtime::io::system::ConsoleStream;

use crate::component_provider::ComponentProviderService;
use crate::plugin_program::{PluginProgram, PluginSpec, package_version};
use crate::policy_pack::PolicyPackService;

pub type PluginOutput = UnboundedReceiverStream<Result<RunPluginResponse, Status>>;

/// Where a plugin is: its folder and its entry module.
pub struct PluginLocation<'a> {
    pub dir: &'a Path,
    pub entry_point: &'a str,
}

/// Starts the plugin at `location` and returns its output stream: the port
/// first, then what its program prints. The plugin stops when the engine drops
/// the stream.
pub fn run(
    request: &RunPluginRequest,
    location: PluginLocation<'_>,
    engine_address: Option<String>,
) -> Result<PluginOutput, Status> {
    let kind = PluginKind::of(request, location.dir)?;
    let entry = crate::project::entry_module(location.dir, location.entry_point)
        .map_err(|error| Status::invalid_argument(error.to_string()))?;
    let entry = std::path::absolute(&entry).unwrap_or(entry);
    // The engine passes its own address as the plugin's first argument.
    let engine_address = request.args.first().cloned().or(engine_address);

    let (sink, output) = unbounded_channel();
    let console_sink = sink.clone();
    let program = PluginProgram::new(PluginSpec {
        kind: kind.name(),
        dir: location.dir.to_path_buf(),
        entry,
        version: package_version(location.dir),
        engine_address,
        console: Arc::new(move |stream, text| write(&console_sink, stream, text)),
        how_to_serve: kind.how_to_serve(),
    });
    let routes = match kind {
        PluginKind::PolicyPack => Routes::new(
            AnalyzerServer::new(PolicyPackService::new(program.clone()))
                .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
                .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE),
        ),
        PluginKind::ComponentProvider => Routes::new(
            ResourceProviderServer::new(ComponentProviderService::new(program.clone()))
                .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
                .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE),
        ),
    };

    let cannot_listen = |error: std::io::Error| {
        Status::internal(format!("the {} cannot listen: {error}", kind.name()))
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
        .map_err(cannot_listen)?;
    let port = listener.local_addr().map_err(cannot_listen)?.port();
    let listener = tokio::net::TcpListener::from_std(listener).map_err(cannot_listen)?;

    let stopped_sink = sink.clone();
    tokio::spawn(async move {
        let served = tonic::transport::Server::builder()
            .add_routes(routes)
            .serve_with_incoming_shutdown(
                unfold_wire::plugin::incoming(listener),
                // The engine is done with the plugin when it drops the output stream.
                stopped_sink.closed(),
            )
            .await;
        program.stop();
        let code = match served {
            Ok(()) => 0,
            Err(error) => {
                write(&stopped_sink, ConsoleStream::Stderr, &format!("{error}\n"));
                1
            }
        };
        let _ = stopped_sink.send(Ok(RunPluginResponse { output: Some(Output::Exitcode(code)) }));
    });
    write(&sink, ConsoleStream::Stdout, &format!("{port}\n"));
    Ok(UnboundedReceiverStream::new(output))
}

fn write(
    sink: &UnboundedSender<Result<RunPluginResponse, Status>>,
    stream: ConsoleStream,
    text: &str,
) {
    let bytes = text.as_bytes().to_vec();
    let output = match stream {
        ConsoleStream::Stdout => Output::Stdout(bytes),
        ConsoleStream::Stderr => Output::Stderr(bytes),
    };
    let _ = sink.send(Ok(RunPluginResponse { output: Some(output) }));
}

/// The plugins Unfold runs.
#[derive(Clone, Copy)]
enum PluginKind {
    PolicyPack,
    ComponentProvider,
}

impl PluginKind {
    /// The kind the engine asks for, or, without one, what the folder holds.
    fn of(request: &RunPluginRequest, dir: &Path) -> Result<Self, Status> {
        match request.kind.as_str() {
            "analyzer" => Ok(Self::PolicyPack),
            "resource" => Ok(Self::ComponentProvider),
            "" if dir.join("PulumiPolicy.yaml").is_file() => Ok(Self::PolicyPack),
            "" if dir.join("PulumiPlugin.yaml").is_file() => Ok(Self::ComponentProvider),
            other => Err(Status::unimplemented(format!(
                "{} is a{} plugin written for runtime: unfold; Unfold runs policy packs \
                 (PulumiPolicy.yaml) and component providers (PulumiPlugin.yaml) written in \
                 TypeScript",
                dir.display(),
                if other.is_empty() { "n unknown".to_string() } else { format!(" {other}") }
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::PolicyPack => "policy pack",
            Self::ComponentProvider => "component provider",
        }
    }

    fn how_to_serve(self) -> &'static str {
        match self {
            Self::PolicyPack => {
                "its program must create a PolicyPack (`new PolicyPack(name, { policies })` from \"@pulumi/policy\")"
            }
            Self::ComponentProvider => {
                "its program must call `provider.main(provider)` from \"@pulumi/pulumi/provider\""
            }
        }
    }
}
