//! A component provider written for `runtime: unfold` (PulumiPlugin.yaml),
//! served to the engine as a resource provider plugin.
//!
//! Its program calls `provider.main(provider)` from `@pulumi/pulumi/provider`
//! and answers GetSchema and Construct (and Call, when it implements it);
//! each Construct names the stack and the resource monitor the component
//! registers its resources with. Configuration needs no program: the provider
//! takes any config and accepts secrets, resources and outputs. A component
//! provider has no custom resources, so their methods say so.

use std::sync::Arc;

use tonic::{Request, Response, Status};
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::resource_provider_server::ResourceProvider;
use unfold_proto::pulumirpc::*;
// The glob above brings in the protocol's own `Result` message.
use std::result::Result;

use crate::plugin_program::PluginProgram;

/// The provider's ResourceProvider service.
pub struct ComponentProviderService {
    program: Arc<PluginProgram>,
}

impl ComponentProviderService {
    pub fn new(program: Arc<PluginProgram>) -> Self {
        Self { program }
    }

    fn no_custom_resources(&self, method: &str) -> Status {
        Status::unimplemented(format!(
            "{method}: the component provider {} has components only; it cannot {}",
            self.program.spec().dir.display(),
            match method {
                "Invoke" => "answer invokes",
                "Parameterize" => "be parameterized",
                _ => "manage custom resources",
            }
        ))
    }
}

#[tonic::async_trait]
impl ResourceProvider for ComponentProviderService {
    async fn handshake(
        &self,
        _request: Request<ProviderHandshakeRequest>,
    ) -> Result<Response<ProviderHandshakeResponse>, Status> {
        Ok(Response::new(ProviderHandshakeResponse {
            accept_secrets: true,
            accept_resources: true,
            accept_outputs: true,
            ..Default::default()
        }))
    }

    async fn parameterize(
        &self,
        _request: Request<ParameterizeRequest>,
    ) -> Result<Response<ParameterizeResponse>, Status> {
        Err(self.no_custom_resources("Parameterize"))
    }

    async fn get_schema(
        &self,
        request: Request<GetSchemaRequest>,
    ) -> Result<Response<GetSchemaResponse>, Status> {
        self.program.call("GetSchema", request.into_inner()).await.map(Response::new)
    }

    async fn check_config(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        let request = request.into_inner();
        Ok(Response::new(CheckResponse { inputs: request.news, failures: Vec::new() }))
    }

    async fn diff_config(
        &self,
        _request: Request<DiffRequest>,
    ) -> Result<Response<DiffResponse>, Status> {
        Ok(Response::new(DiffResponse::default()))
    }

    async fn configure(
        &self,
        _request: Request<ConfigureRequest>,
    ) -> Result<Response<ConfigureResponse>, Status> {
        Ok(Response::new(ConfigureResponse {
            accept_secrets: true,
            supports_preview: true,
            accept_resources: true,
            accept_outputs: true,
            supports_autonaming_configuration: false,
        }))
    }

    async fn invoke(
        &self,
        _request: Request<InvokeRequest>,
    ) -> Result<Response<InvokeResponse>, Status> {
        Err(self.no_custom_resources("Invoke"))
    }

    async fn call(&self, request: Request<CallRequest>) -> Result<Response<CallResponse>, Status> {
        self.program.call("Call", request.into_inner()).await.map(Response::new)
    }

    async fn check(
        &self,
        _request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        Err(self.no_custom_resources("Check"))
    }

    async fn diff(&self, _request: Request<DiffRequest>) -> Result<Response<DiffResponse>, Status> {
        Err(self.no_custom_resources("Diff"))
    }

    async fn create(
        &self,
        _request: Request<CreateRequest>,
    ) -> Result<Response<CreateResponse>, Status> {
        Err(self.no_custom_resources("Create"))
    }

    async fn read(&self, _request: Request<ReadRequest>) -> Result<Response<ReadResponse>, Status> {
        Err(self.no_custom_resources("Read"))
    }

    type ListStream = tokio_stream::Empty<Result<ListResponse, Status>>;

    async fn list(
        &self,
        _request: Request<ListRequest>,
    ) -> Result<Response<Self::ListStream>, Status> {
        Err(self.no_custom_resources("List"))
    }

    async fn update(
        &self,
        _request: Request<UpdateRequest>,
    ) -> Result<Response<UpdateResponse>, Status> {
        Err(self.no_custom_resources("Update"))
    }

    async fn delete(&self, _request: Request<DeleteRequest>) -> Result<Response<Empty>, Status> {
        Err(self.no_custom_resources("Delete"))
    }

    async fn construct(
        &self,
        request: Request<ConstructRequest>,
    ) -> Result<Response<ConstructResponse>, Status> {
        self.program.call("Construct", request.into_inner()).await.map(Response::new)
    }

    async fn cancel(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }

    async fn get_plugin_info(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<PluginInfo>, Status> {
        Ok(Response::new(PluginInfo { version: self.program.spec().version.clone() }))
    }

    async fn attach(&self, _request: Request<PluginAttach>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }

    async fn get_mapping(
        &self,
        _request: Request<GetMappingRequest>,
    ) -> Result<Response<GetMappingResponse>, Status> {
        Ok(Response::new(GetMappingResponse::default()))
    }

    async fn get_mappings(
        &self,
        _request: Request<GetMappingsRequest>,
    ) -> Result<Response<GetMappingsResponse>, Status> {
        Ok(Response::new(GetMappingsResponse::default()))
    }
}
