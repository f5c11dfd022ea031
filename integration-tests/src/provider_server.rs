//! Serves an in-process [`Provider`] as a real provider plugin over Pulumi's
//! ResourceProvider protocol, so the provider our engine runs in memory is
//! the very one Pulumi's CLI launches as `pulumi-resource-<package>`: one
//! implementation, the same behaviour both ways.

use std::sync::Arc;
use std::time::Duration;

use tonic::{Request, Response, Status};
use unfold_engine::property::PropertyMap;
use unfold_engine::provider::{CheckFailure, Provider};
use unfold_proto::pbjson_types::{Empty, Struct};
use unfold_proto::pulumirpc::diff_response::DiffChanges;
use unfold_proto::pulumirpc::resource_provider_server::ResourceProvider;
use unfold_proto::pulumirpc::{
    self as pb, CallRequest, CallResponse, CheckRequest, CheckResponse, ConfigureRequest,
    ConfigureResponse, ConstructRequest, ConstructResponse, CreateRequest, CreateResponse,
    DeleteRequest, DiffRequest, DiffResponse, GetMappingRequest, GetMappingResponse,
    GetMappingsRequest, GetMappingsResponse, GetSchemaRequest, GetSchemaResponse, InvokeRequest,
    InvokeResponse, ListRequest, ListResponse, ParameterizeRequest, ParameterizeResponse,
    PluginAttach, PluginInfo, ProviderHandshakeRequest, ProviderHandshakeResponse, ReadRequest,
    ReadResponse, UpdateRequest, UpdateResponse,
};
use unfold_wire::structs;

/// A [`Provider`] behind the plugin protocol, reporting `version`.
pub struct ProviderServer<P> {
    provider: Arc<P>,
    version: String,
}

impl<P: Provider + 'static> ProviderServer<P> {
    pub fn new(provider: Arc<P>, version: &str) -> Self {
        Self { provider, version: version.to_string() }
    }
}

fn properties(value: Option<&Struct>) -> Result<PropertyMap, Status> {
    structs::from_struct(value).map_err(|error| Status::invalid_argument(error.to_string()))
}

fn to_struct(map: &PropertyMap) -> Result<Struct, Status> {
    Ok(structs::to_struct(map))
}

/// The provider's own message, as the engine shows it to the user.
fn provider_error(error: anyhow::Error) -> Status {
    Status::unknown(format!("{error:#}"))
}

fn timeout(seconds: f64) -> Option<Duration> {
    (seconds > 0.0).then(|| Duration::from_secs_f64(seconds))
}

fn failures(failures: Vec<CheckFailure>) -> Vec<pb::CheckFailure> {
    failures
        .into_iter()
        .map(|failure| pb::CheckFailure { property: failure.property, reason: failure.reason })
        .collect()
}

#[tonic::async_trait]
impl<P: Provider + 'static> ResourceProvider for ProviderServer<P> {
    type ListStream = tokio_stream::Empty<Result<ListResponse, Status>>;

    async fn handshake(
        &self,
        _: Request<ProviderHandshakeRequest>,
    ) -> Result<Response<ProviderHandshakeResponse>, Status> {
        Ok(Response::new(ProviderHandshakeResponse {
            accept_secrets: true,
            accept_resources: true,
            accept_outputs: false,
            ..Default::default()
        }))
    }

    async fn parameterize(
        &self,
        _: Request<ParameterizeRequest>,
    ) -> Result<Response<ParameterizeResponse>, Status> {
        Err(Status::unimplemented("Parameterize"))
    }

    async fn get_schema(
        &self,
        _: Request<GetSchemaRequest>,
    ) -> Result<Response<GetSchemaResponse>, Status> {
        Err(Status::unimplemented("GetSchema"))
    }

    async fn check_config(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        Ok(Response::new(CheckResponse { inputs: request.into_inner().news, failures: vec![] }))
    }

    async fn diff_config(&self, _: Request<DiffRequest>) -> Result<Response<DiffResponse>, Status> {
        Ok(Response::new(DiffResponse {
            changes: DiffChanges::DiffNone as i32,
            ..Default::default()
        }))
    }

    async fn configure(
        &self,
        _: Request<ConfigureRequest>,
    ) -> Result<Response<ConfigureResponse>, Status> {
        Ok(Response::new(ConfigureResponse {
            accept_secrets: true,
            supports_preview: true,
            accept_resources: true,
            accept_outputs: false,
            ..Default::default()
        }))
    }

    async fn invoke(
        &self,
        request: Request<InvokeRequest>,
    ) -> Result<Response<InvokeResponse>, Status> {
        let request = request.into_inner();
        let args = properties(request.args.as_ref())?;
        let result = self.provider.invoke(&request.tok, &args).await.map_err(provider_error)?;
        Ok(Response::new(InvokeResponse {
            r#return: Some(to_struct(&result.outputs)?),
            failures: failures(result.failures),
        }))
    }

    async fn call(&self, _: Request<CallRequest>) -> Result<Response<CallResponse>, Status> {
        Err(Status::unimplemented("Call"))
    }

    async fn check(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        let request = request.into_inner();
        let olds = properties(request.olds.as_ref())?;
        let news = properties(request.news.as_ref())?;
        let (inputs, check_failures) =
            self.provider.check(&request.urn, &olds, news).await.map_err(provider_error)?;
        Ok(Response::new(CheckResponse {
            inputs: Some(to_struct(&inputs)?),
            failures: failures(check_failures),
        }))
    }

    async fn diff(&self, request: Request<DiffRequest>) -> Result<Response<DiffResponse>, Status> {
        let request = request.into_inner();
        let old_inputs = properties(request.old_inputs.as_ref())?;
        let old_outputs = properties(request.olds.as_ref())?;
        let news = properties(request.news.as_ref())?;
        let diff = self
            .provider
            .diff(&request.urn, &request.id, &old_inputs, &old_outputs, &news)
            .await
            .map_err(provider_error)?;
        let changes =
            if diff.has_changes() { DiffChanges::DiffSome } else { DiffChanges::DiffNone };
        Ok(Response::new(DiffResponse {
            changes: changes as i32,
            diffs: diff.changed_keys,
            replaces: diff.replace_keys,
            delete_before_replace: diff.delete_before_replace,
            ..Default::default()
        }))
    }

    async fn create(
        &self,
        request: Request<CreateRequest>,
    ) -> Result<Response<CreateResponse>, Status> {
        let request = request.into_inner();
        let inputs = properties(request.properties.as_ref())?;
        let created = self
            .provider
            .create(&request.urn, &inputs, timeout(request.timeout), request.preview)
            .await
            .map_err(provider_error)?;
        Ok(Response::new(CreateResponse {
            id: created.id.unwrap_or_default(),
            properties: Some(to_struct(&created.outputs)?),
            ..Default::default()
        }))
    }

    async fn read(&self, request: Request<ReadRequest>) -> Result<Response<ReadResponse>, Status> {
        let request = request.into_inner();
        let inputs = properties(request.inputs.as_ref())?;
        let state = properties(request.properties.as_ref())?;
        let read = self
            .provider
            .read(&request.urn, &request.id, &inputs, &state)
            .await
            .map_err(provider_error)?;
        // An empty ID tells the engine the resource no longer exists.
        let response = match read {
            None => ReadResponse::default(),
            Some(read) => ReadResponse {
                id: read.id,
                properties: Some(to_struct(&read.outputs)?),
                inputs: Some(to_struct(&read.inputs)?),
                ..Default::default()
            },
        };
        Ok(Response::new(response))
    }

    async fn list(&self, _: Request<ListRequest>) -> Result<Response<Self::ListStream>, Status> {
        Err(Status::unimplemented("List"))
    }

    async fn update(
        &self,
        request: Request<UpdateRequest>,
    ) -> Result<Response<UpdateResponse>, Status> {
        let request = request.into_inner();
        let old_inputs = properties(request.old_inputs.as_ref())?;
        let old_outputs = properties(request.olds.as_ref())?;
        let news = properties(request.news.as_ref())?;
        let outputs = self
            .provider
            .update_with_inputs(
                &request.urn,
                &request.id,
                &old_inputs,
                &old_outputs,
                &news,
                timeout(request.timeout),
                request.preview,
            )
            .await
            .map_err(provider_error)?;
        Ok(Response::new(UpdateResponse {
            properties: Some(to_struct(&outputs)?),
            ..Default::default()
        }))
    }

    async fn delete(&self, request: Request<DeleteRequest>) -> Result<Response<Empty>, Status> {
        let request = request.into_inner();
        let old_inputs = properties(request.old_inputs.as_ref())?;
        let outputs = properties(request.properties.as_ref())?;
        self.provider
            .delete_with_inputs(
                &request.urn,
                &request.id,
                &old_inputs,
                &outputs,
                timeout(request.timeout),
            )
            .await
            .map_err(provider_error)?;
        Ok(Response::new(Empty {}))
    }

    async fn construct(
        &self,
        _: Request<ConstructRequest>,
    ) -> Result<Response<ConstructResponse>, Status> {
        Err(Status::unimplemented("Construct"))
    }

    async fn cancel(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }

    async fn get_plugin_info(&self, _: Request<Empty>) -> Result<Response<PluginInfo>, Status> {
        Ok(Response::new(PluginInfo { version: self.version.clone() }))
    }

    async fn attach(&self, _: Request<PluginAttach>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }

    async fn get_mapping(
        &self,
        _: Request<GetMappingRequest>,
    ) -> Result<Response<GetMappingResponse>, Status> {
        Err(Status::unimplemented("GetMapping"))
    }

    async fn get_mappings(
        &self,
        _: Request<GetMappingsRequest>,
    ) -> Result<Response<GetMappingsResponse>, Status> {
        Err(Status::unimplemented("GetMappings"))
    }
}
