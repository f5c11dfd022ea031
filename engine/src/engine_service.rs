//! The Engine gRPC service: the program's log messages and its root resource.

use std::sync::Mutex;

use tonic::{Request, Response, Status};
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::engine_server::Engine;
use unfold_proto::pulumirpc::{
    GetRootResourceRequest, GetRootResourceResponse, LogRequest, RequirePulumiVersionRequest,
    RequirePulumiVersionResponse, SetRootResourceRequest, SetRootResourceResponse,
    StartDebuggingRequest,
};

use crate::diagnostics::{Diagnostic, Severity, Source};
use crate::pulumi_version::{PULUMI_VERSION, satisfies};
use crate::run_record::CurrentRun;

pub(crate) struct EngineService {
    current: CurrentRun,
    root: Mutex<String>,
}

impl EngineService {
    pub(crate) fn new(current: CurrentRun) -> Self {
        Self { current, root: Mutex::default() }
    }
}

#[tonic::async_trait]
impl Engine for EngineService {
    async fn log(&self, request: Request<LogRequest>) -> Result<Response<Empty>, Status> {
        let record = self.current.get();
        record.trace.record("Engine/Log", request.get_ref());
        let LogRequest { severity, message, urn, ephemeral, .. } = request.into_inner();
        record.diagnostics.push(Diagnostic {
            severity: Severity::from_log_severity(severity),
            source: Source::Program,
            urn,
            message,
            ephemeral,
        });
        Ok(Response::new(Empty {}))
    }

    async fn get_root_resource(
        &self,
        request: Request<GetRootResourceRequest>,
    ) -> Result<Response<GetRootResourceResponse>, Status> {
        self.current.get().trace.record("Engine/GetRootResource", request.get_ref());
        let urn = self.root.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Ok(Response::new(GetRootResourceResponse { urn }))
    }

    async fn set_root_resource(
        &self,
        request: Request<SetRootResourceRequest>,
    ) -> Result<Response<SetRootResourceResponse>, Status> {
        self.current.get().trace.record("Engine/SetRootResource", request.get_ref());
        *self.root.lock().unwrap_or_else(|e| e.into_inner()) = request.into_inner().urn;
        Ok(Response::new(SetRootResourceResponse {}))
    }

    async fn start_debugging(
        &self,
        request: Request<StartDebuggingRequest>,
    ) -> Result<Response<Empty>, Status> {
        self.current.get().trace.record("Engine/StartDebugging", request.get_ref());
        Err(Status::unimplemented("debugging is not supported by this engine"))
    }

    async fn require_pulumi_version(
        &self,
        request: Request<RequirePulumiVersionRequest>,
    ) -> Result<Response<RequirePulumiVersionResponse>, Status> {
        self.current.get().trace.record("Engine/RequirePulumiVersion", request.get_ref());
        let range = request.into_inner().pulumi_version_range;
        let version = semver::Version::parse(PULUMI_VERSION).expect("a valid version");
        match satisfies(&version, &range) {
            Ok(true) => Ok(Response::new(RequirePulumiVersionResponse {})),
            Ok(false) => Err(Status::failed_precondition(format!(
                "Pulumi version {PULUMI_VERSION} does not satisfy the version range \"{range}\" the program requires"
            ))),
            Err(reason) => Err(Status::invalid_argument(reason)),
        }
    }
}
