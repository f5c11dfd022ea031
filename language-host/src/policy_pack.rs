//! A policy pack written for `runtime: unfold`, served to the engine as an
//! Analyzer plugin.
//!
//! The engine starts the pack through RunPlugin, reads the port it prints,
//! then calls Handshake and ConfigureStack before anything else. The pack's
//! top-level code may read the stack's config and `isDryRun()` (Pulumi's own
//! policy packs do), so its program starts only once ConfigureStack has said
//! which stack this is: on the first call the program must answer
//! (GetAnalyzerInfo, Configure, Analyze, AnalyzeStack, Remediate), which
//! `@pulumi/policy` in js-lib answers.

use std::sync::Arc;

use serde_json::Value;
use tonic::{Request, Response, Status};
use unfold_proto::pbjson_types::Empty;
use unfold_proto::pulumirpc::analyzer_server::Analyzer;
use unfold_proto::pulumirpc::{
    AnalyzeRequest, AnalyzeResponse, AnalyzeStackRequest, AnalyzerHandshakeRequest,
    AnalyzerHandshakeResponse, AnalyzerInfo, AnalyzerStackConfigureRequest,
    AnalyzerStackConfigureResponse, ConfigureAnalyzerRequest, PluginInfo, RemediateResponse,
};

use crate::plugin_program::{PluginProgram, StackContext};

/// The pack's Analyzer service.
pub struct PolicyPackService {
    program: Arc<PluginProgram>,
}

impl PolicyPackService {
    pub fn new(program: Arc<PluginProgram>) -> Self {
        Self { program }
    }
}

#[tonic::async_trait]
impl Analyzer for PolicyPackService {
    async fn handshake(
        &self,
        _request: Request<AnalyzerHandshakeRequest>,
    ) -> Result<Response<AnalyzerHandshakeResponse>, Status> {
        // RunPlugin already said where the pack and the engine are.
        Ok(Response::new(AnalyzerHandshakeResponse {}))
    }

    async fn configure_stack(
        &self,
        request: Request<AnalyzerStackConfigureRequest>,
    ) -> Result<Response<AnalyzerStackConfigureResponse>, Status> {
        let request = request.into_inner();
        self.program.set_stack(StackContext {
            project: request.project,
            stack: request.stack,
            organization: request.organization,
            dry_run: request.dry_run,
            config: request.config.into_iter().collect(),
            config_secret_keys: request.config_secret_keys,
            tags: request.tags.into_iter().collect(),
        })?;
        Ok(Response::new(AnalyzerStackConfigureResponse {}))
    }

    async fn get_plugin_info(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<PluginInfo>, Status> {
        Ok(Response::new(PluginInfo { version: self.program.spec().version.clone() }))
    }

    async fn get_analyzer_info(
        &self,
        request: Request<Empty>,
    ) -> Result<Response<AnalyzerInfo>, Status> {
        self.program.call("GetAnalyzerInfo", request.into_inner()).await.map(Response::new)
    }

    async fn configure(
        &self,
        request: Request<ConfigureAnalyzerRequest>,
    ) -> Result<Response<Empty>, Status> {
        let _: Value = self.program.call("Configure", request.into_inner()).await?;
        Ok(Response::new(Empty {}))
    }

    async fn analyze(
        &self,
        request: Request<AnalyzeRequest>,
    ) -> Result<Response<AnalyzeResponse>, Status> {
        self.program.call("Analyze", request.into_inner()).await.map(Response::new)
    }

    async fn analyze_stack(
        &self,
        request: Request<AnalyzeStackRequest>,
    ) -> Result<Response<AnalyzeResponse>, Status> {
        self.program.call("AnalyzeStack", request.into_inner()).await.map(Response::new)
    }

    async fn remediate(
        &self,
        request: Request<AnalyzeRequest>,
    ) -> Result<Response<RemediateResponse>, Status> {
        self.program.call("Remediate", request.into_inner()).await.map(Response::new)
    }

    async fn cancel(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }
}
