//! The ResourceMonitor gRPC service: records every call in the run's trace and
//! hands it to the evaluation.

use std::collections::HashMap;
use std::sync::Arc;

use tonic::{Request, Response, Status};
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::resource_monitor_server::ResourceMonitor;
use unfold_proto::pulumirpc::{
    self, CallResponse, Callback, DeploymentInfo, ExistsResourceRequest, ExistsResourceResponse,
    ReadResourceRequest, ReadResourceResponse, RegisterErrorHookRequest, RegisterPackageRequest,
    RegisterPackageResponse, RegisterResourceHookRequest, RegisterResourceOutputsRequest,
    RegisterResourceRequest, RegisterResourceResponse, ResourceCallRequest, ResourceInvokeRequest,
    ResourceInvokeResponse, ResourceMonitorFeature, SupportsFeatureRequest,
    SupportsFeatureResponse,
};

use crate::evaluation::{Evaluation, RegistrationError};

/// The features this engine supports, by the ids programs ask about.
const SUPPORTED_FEATURES: [(&str, ResourceMonitorFeature); 12] = [
    ("secrets", ResourceMonitorFeature::Secrets),
    ("resourceReferences", ResourceMonitorFeature::ResourceReferences),
    ("outputValues", ResourceMonitorFeature::OutputValues),
    ("aliasSpecs", ResourceMonitorFeature::AliasSpecs),
    ("deletedWith", ResourceMonitorFeature::DeletedWith),
    ("transforms", ResourceMonitorFeature::Transforms),
    ("invokeTransforms", ResourceMonitorFeature::InvokeTransforms),
    ("parameterization", ResourceMonitorFeature::Parameterization),
    ("resourceHooks", ResourceMonitorFeature::ResourceHooks),
    ("errorHooks", ResourceMonitorFeature::ErrorHooks),
    ("replaceWith", ResourceMonitorFeature::ReplaceWith),
    ("replacementTrigger", ResourceMonitorFeature::ReplacementTrigger),
];

pub(crate) struct MonitorService {
    evaluation: Arc<Evaluation>,
    parallel: i32,
    organization: String,
    config: HashMap<String, String>,
    config_secret_keys: Vec<String>,
}

impl MonitorService {
    pub(crate) fn new(evaluation: Arc<Evaluation>, parallel: i32, organization: String) -> Self {
        let config =
            evaluation.context().config.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect();
        let config_secret_keys = evaluation
            .context()
            .config
            .iter()
            .filter(|(_, v)| v.secret)
            .map(|(k, _)| k.clone())
            .collect();
        Self { evaluation, parallel, organization, config, config_secret_keys }
    }

    fn trace(&self, method: &str, request: &impl serde::Serialize) {
        self.evaluation.record().trace.record(&format!("ResourceMonitor/{method}"), request);
    }
}

fn internal(error: anyhow::Error) -> Status {
    Status::unknown(format!("{error:#}"))
}

#[tonic::async_trait]
impl ResourceMonitor for MonitorService {
    async fn get_deployment_info(
        &self,
        request: Request<Empty>,
    ) -> Result<Response<DeploymentInfo>, Status> {
        self.trace("GetDeploymentInfo", request.get_ref());
        let ctx = self.evaluation.context();
        Ok(Response::new(DeploymentInfo {
            project: ctx.project.clone(),
            stack: ctx.stack.clone(),
            organization: self.organization.clone(),
            config: self.config.clone(),
            config_secret_keys: self.config_secret_keys.clone(),
            dry_run: ctx.dry_run,
            parallel: self.parallel,
            supported_features: SUPPORTED_FEATURES.iter().map(|(_, f)| *f as i32).collect(),
        }))
    }

    async fn supports_feature(
        &self,
        request: Request<SupportsFeatureRequest>,
    ) -> Result<Response<SupportsFeatureResponse>, Status> {
        self.trace("SupportsFeature", request.get_ref());
        let has_support = SUPPORTED_FEATURES.iter().any(|(id, _)| *id == request.get_ref().id);
        Ok(Response::new(SupportsFeatureResponse { has_support }))
    }

    async fn invoke(
        &self,
        request: Request<ResourceInvokeRequest>,
    ) -> Result<Response<ResourceInvokeResponse>, Status> {
        self.trace("Invoke", request.get_ref());
        self.evaluation.invoke(request.into_inner()).await.map(Response::new).map_err(internal)
    }

    async fn call(
        &self,
        request: Request<ResourceCallRequest>,
    ) -> Result<Response<CallResponse>, Status> {
        self.trace("Call", request.get_ref());
        Err(Status::unimplemented(format!(
            "{}: method calls on resources are not supported by this engine",
            request.get_ref().tok
        )))
    }

    async fn read_resource(
        &self,
        request: Request<ReadResourceRequest>,
    ) -> Result<Response<ReadResourceResponse>, Status> {
        self.trace("ReadResource", request.get_ref());
        match self.evaluation.read_resource(request.into_inner()).await {
            Ok(response) => Ok(Response::new(response)),
            Err(RegistrationError::Invalid(error)) => Err(internal(error)),
            Err(RegistrationError::Failed { urn, error }) => {
                self.evaluation.report_failure(&urn, &error).await;
                Err(internal(error))
            }
        }
    }

    async fn exists_resource(
        &self,
        request: Request<ExistsResourceRequest>,
    ) -> Result<Response<ExistsResourceResponse>, Status> {
        self.trace("ExistsResource", request.get_ref());
        match self.evaluation.exists_resource(request.into_inner()).await {
            Ok(response) => Ok(Response::new(response)),
            Err(error) => Err(Status::unknown(format!("{error:#}"))),
        }
    }

    async fn register_resource(
        &self,
        request: Request<RegisterResourceRequest>,
    ) -> Result<Response<RegisterResourceResponse>, Status> {
        self.trace("RegisterResource", request.get_ref());
        let reports_results = request.get_ref().supports_result_reporting;
        match self.evaluation.register_resource(request.into_inner()).await {
            Ok(response) => Ok(Response::new(response)),
            Err(RegistrationError::Invalid(error)) => Err(internal(error)),
            Err(RegistrationError::Failed { urn, error }) => {
                self.evaluation.report_failure(&urn, &error).await;
                // Programs that take results get a FAIL they can react to; older ones an error.
                if reports_results {
                    Ok(Response::new(RegisterResourceResponse {
                        urn,
                        result: pulumirpc::Result::Fail as i32,
                        ..Default::default()
                    }))
                } else {
                    Err(internal(error))
                }
            }
        }
    }

    async fn register_resource_outputs(
        &self,
        request: Request<RegisterResourceOutputsRequest>,
    ) -> Result<Response<Empty>, Status> {
        self.trace("RegisterResourceOutputs", request.get_ref());
        self.evaluation.register_resource_outputs(request.into_inner()).await.map_err(internal)?;
        Ok(Response::new(Empty {}))
    }

    async fn register_stack_transform(
        &self,
        request: Request<Callback>,
    ) -> Result<Response<Empty>, Status> {
        self.trace("RegisterStackTransform", request.get_ref());
        self.evaluation.register_stack_transform(request.into_inner()).await;
        Ok(Response::new(Empty {}))
    }

    async fn register_stack_invoke_transform(
        &self,
        request: Request<Callback>,
    ) -> Result<Response<Empty>, Status> {
        self.trace("RegisterStackInvokeTransform", request.get_ref());
        self.evaluation.register_stack_invoke_transform(request.into_inner()).await;
        Ok(Response::new(Empty {}))
    }

    async fn register_resource_hook(
        &self,
        request: Request<RegisterResourceHookRequest>,
    ) -> Result<Response<Empty>, Status> {
        self.trace("RegisterResourceHook", request.get_ref());
        self.evaluation
            .register_resource_hook(request.into_inner())
            .await
            .map_err(|error| Status::invalid_argument(format!("{error:#}")))?;
        Ok(Response::new(Empty {}))
    }

    async fn register_error_hook(
        &self,
        request: Request<RegisterErrorHookRequest>,
    ) -> Result<Response<Empty>, Status> {
        self.trace("RegisterErrorHook", request.get_ref());
        self.evaluation
            .register_error_hook(request.into_inner())
            .await
            .map_err(|error| Status::invalid_argument(format!("{error:#}")))?;
        Ok(Response::new(Empty {}))
    }

    async fn register_package(
        &self,
        request: Request<RegisterPackageRequest>,
    ) -> Result<Response<RegisterPackageResponse>, Status> {
        self.trace("RegisterPackage", request.get_ref());
        let reference = self.evaluation.register_package(request.get_ref()).await;
        Ok(Response::new(RegisterPackageResponse { r#ref: reference }))
    }

    async fn signal_and_wait_for_shutdown(
        &self,
        request: Request<Empty>,
    ) -> Result<Response<Empty>, Status> {
        self.trace("SignalAndWaitForShutdown", request.get_ref());
        Ok(Response::new(Empty {}))
    }
}
