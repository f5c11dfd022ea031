//! `unfold:index:HttpApi` on API Gateway: an HTTP API whose routes (`GET
//! /messages/{id}`) reach their Functions through Lambda proxy integrations
//! (payload 2.0), served from the `$default` stage with auto-deploy, so the
//! API's endpoint is its `url`. Each routed Function lets this API, and only
//! it, invoke it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aws_sdk_apigatewayv2::types::{Cors as ApiCors, IntegrationType, ProtocolType};
use serde_json::json;
use tonic::Status;
use unfold_proto::pulumirpc::CheckFailure;

use super::names::physical;
use super::{AWS_NAME, Aws, aws_error, error_code};
use crate::cors::Cors;
use crate::properties::{Props, unknown};
use crate::resources::Resource;
use crate::resources::http_api::{CORS_INPUT, HttpApiResource, cors, routes};

pub(crate) struct AwsHttpApi(pub(crate) Arc<Aws>);

/// The statement a routed Function's policy gets, one per API.
fn permission_id(api_id: &str) -> String {
    format!("unfold-api-{api_id}")
}

fn api_name(props: &Props) -> Result<&str, Status> {
    super::aws_name(props, "HttpApi")
}

fn api_cors(cors: &Cors) -> ApiCors {
    ApiCors::builder()
        .set_allow_origins(Some(cors.allow_origins.clone()))
        .set_allow_headers(Some(cors.allow_headers.clone()))
        .set_max_age(cors.max_age.map(|age| age.min(86_400) as i32))
        .allow_methods("*")
        .build()
}

impl AwsHttpApi {
    /// The Lambda function a route's `function` names, in this API's stack.
    fn function_name(props: &Props, function: &str) -> Result<String, Status> {
        let (project, stack) = super::stack_of(props, "HttpApi")?;
        Ok(physical(project, stack, function))
    }

    /// Brings the API's routes, integrations and invoke permissions to what
    /// `inputs` declare: missing ones are made, stale ones removed.
    async fn sync_routes(
        &self,
        api_id: &str,
        inputs: &Props,
        olds: Option<&Props>,
    ) -> Result<(), Status> {
        let client = &self.0.apigateway;
        let account = self.0.account().await?;
        let region = &self.0.region;
        let arn_of =
            |function: &str| format!("arn:aws:lambda:{region}:{account}:function:{function}");
        // Route key → Lambda function name.
        let mut wanted = BTreeMap::new();
        for route in routes(inputs).map_err(Status::invalid_argument)? {
            let function = Self::function_name(inputs, &route.function)?;
            wanted.insert(format!("{} {}", route.method, route.path), function);
        }
        // What the API has now.
        let integrations =
            client.get_integrations().api_id(api_id).send().await.map_err(|error| {
                aws_error(&format!("cannot list the integrations of API {api_id}"), error)
            })?;
        let mut integration_of: BTreeMap<String, String> = BTreeMap::new(); // uri → id
        for integration in integrations.items() {
            if let (Some(uri), Some(id)) =
                (&integration.integration_uri, &integration.integration_id)
            {
                integration_of.insert(uri.clone(), id.clone());
            }
        }
        let existing = client.get_routes().api_id(api_id).send().await.map_err(|error| {
            aws_error(&format!("cannot list the routes of API {api_id}"), error)
        })?;
        let mut kept = BTreeSet::new();
        for route in existing.items() {
            let (Some(key), Some(route_id)) = (&route.route_key, &route.route_id) else { continue };
            let target = wanted
                .get(key)
                .and_then(|function| integration_of.get(&arn_of(function)))
                .map(|id| format!("integrations/{id}"));
            if target.is_some() && route.target == target {
                kept.insert(key.clone());
                continue;
            }
            client
                .delete_route()
                .api_id(api_id)
                .route_id(route_id)
                .send()
                .await
                .map_err(|error| aws_error(&format!("cannot delete route {key}"), error))?;
        }
        for (key, function) in &wanted {
            if kept.contains(key) {
                continue;
            }
            let uri = arn_of(function);
            let integration = match integration_of.get(&uri) {
                Some(id) => id.clone(),
                None => {
                    let made = client
                        .create_integration()
                        .api_id(api_id)
                        .integration_type(IntegrationType::AwsProxy)
                        .integration_uri(&uri)
                        .payload_format_version("2.0")
                        .send()
                        .await
                        .map_err(|error| {
                            aws_error(&format!("cannot connect API {api_id} to {function}"), error)
                        })?;
                    let id = made.integration_id.unwrap_or_default();
                    integration_of.insert(uri.clone(), id.clone());
                    id
                }
            };
            client
                .create_route()
                .api_id(api_id)
                .route_key(key)
                .target(format!("integrations/{integration}"))
                .send()
                .await
                .map_err(|error| aws_error(&format!("cannot create route {key}"), error))?;
        }
        // Integrations no route uses any more.
        let used: BTreeSet<String> = wanted.values().map(|function| arn_of(function)).collect();
        for (uri, id) in &integration_of {
            if !used.contains(uri) {
                client
                    .delete_integration()
                    .api_id(api_id)
                    .integration_id(id)
                    .send()
                    .await
                    .map_err(|error| {
                        aws_error(&format!("cannot delete integration {id}"), error)
                    })?;
            }
        }
        // Who may invoke whom: every routed function lets this API in.
        let source = format!("arn:aws:execute-api:{region}:{account}:{api_id}/*/*");
        let functions: BTreeSet<&String> = wanted.values().collect();
        for function in &functions {
            self.allow(function, api_id, &source).await?;
        }
        if let Some(olds) = olds {
            for route in routes(olds).unwrap_or_default() {
                let function = Self::function_name(olds, &route.function)?;
                if !functions.contains(&function) {
                    self.disallow(&function, api_id).await?;
                }
            }
        }
        Ok(())
    }

    async fn allow(&self, function: &str, api_id: &str, source: &str) -> Result<(), Status> {
        let result = self
            .0
            .lambda
            .add_permission()
            .function_name(function)
            .statement_id(permission_id(api_id))
            .action("lambda:InvokeFunction")
            .principal("apigateway.amazonaws.com")
            .source_arn(source)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            // Already allowed.
            Err(error) if error_code(&error) == Some("ResourceConflictException") => Ok(()),
            Err(error) => {
                Err(aws_error(&format!("cannot let API {api_id} invoke {function}"), error))
            }
        }
    }

    async fn disallow(&self, function: &str, api_id: &str) -> Result<(), Status> {
        let result = self
            .0
            .lambda
            .remove_permission()
            .function_name(function)
            .statement_id(permission_id(api_id))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            // The function, or its permission, is gone already.
            Err(error) if error_code(&error) == Some("ResourceNotFoundException") => Ok(()),
            Err(error) => {
                Err(aws_error(&format!("cannot revoke API {api_id}'s access to {function}"), error))
            }
        }
    }
}

impl AwsHttpApi {
    async fn set_cors(&self, api_id: &str, cors: Option<Cors>) -> Result<(), Status> {
        let client = &self.0.apigateway;
        let what = || format!("cannot set the CORS of API {api_id}");
        match cors {
            Some(cors) => client
                .update_api()
                .api_id(api_id)
                .cors_configuration(api_cors(&cors))
                .send()
                .await
                .map(drop)
                .map_err(|error| aws_error(&what(), error)),
            None => match client.delete_cors_configuration().api_id(api_id).send().await {
                Ok(_) => Ok(()),
                Err(error) if error_code(&error) == Some("NotFoundException") => Ok(()),
                Err(error) => Err(aws_error(&what(), error)),
            },
        }
    }

    async fn delete_api(&self, api_id: &str) -> Result<(), Status> {
        match self.0.apigateway.delete_api().api_id(api_id).send().await {
            Ok(_) => Ok(()),
            Err(error) if error_code(&error) == Some("NotFoundException") => Ok(()),
            Err(error) => Err(aws_error(&format!("cannot delete API {api_id}"), error)),
        }
    }

    /// The ID of the API named `name`, if there is one.
    async fn find_by_name(&self, name: &str) -> Result<Option<String>, Status> {
        let mut token = None;
        loop {
            let page = self
                .0
                .apigateway
                .get_apis()
                .set_next_token(token)
                .send()
                .await
                .map_err(|error| aws_error("cannot list the account's APIs", error))?;
            if let Some(api) = page.items().iter().find(|api| api.name.as_deref() == Some(name)) {
                return Ok(api.api_id.clone());
            }
            token = page.next_token;
            if token.is_none() {
                return Ok(None);
            }
        }
    }
}

#[tonic::async_trait]
impl Resource for AwsHttpApi {
    fn compared(&self) -> &'static [&'static str] {
        &["name", AWS_NAME, "routes", CORS_INPUT]
    }

    fn replaced_by(&self) -> &'static [&'static str] {
        &["name", AWS_NAME]
    }

    fn check(&self, news: &mut Props) -> Vec<CheckFailure> {
        HttpApiResource.check(news)
    }

    async fn create(&self, inputs: &Props, preview: bool) -> Result<Props, Status> {
        let mut outputs = inputs.clone();
        if preview {
            outputs.set("url", unknown());
            outputs.set("apiId", unknown());
            return Ok(outputs);
        }
        let name = api_name(inputs)?;
        let cors = cors(inputs).map_err(Status::invalid_argument)?;
        let client = &self.0.apigateway;
        let api = client
            .create_api()
            .name(name)
            .protocol_type(ProtocolType::Http)
            .set_cors_configuration(cors.as_ref().map(api_cors))
            .send()
            .await
            .map_err(|error| aws_error(&format!("cannot create API {name}"), error))?;
        let api_id = api.api_id.unwrap_or_default();
        let made = async {
            client
                .create_stage()
                .api_id(&api_id)
                .stage_name("$default")
                .auto_deploy(true)
                .send()
                .await
                .map_err(|error| {
                    aws_error(&format!("cannot create the stage of API {name}"), error)
                })?;
            self.sync_routes(&api_id, inputs, None).await
        }
        .await;
        if let Err(error) = made {
            // Nothing is left behind that the stack would not know of.
            if let Err(cleanup) = self.delete_api(&api_id).await {
                return Err(Status::new(
                    error.code(),
                    format!(
                        "{}; and API {api_id}, made for it, is left: {}",
                        error.message(),
                        cleanup.message()
                    ),
                ));
            }
            return Err(error);
        }
        outputs.set("apiId", json!(api_id));
        outputs.set("url", json!(api.api_endpoint.unwrap_or_default()));
        Ok(outputs)
    }

    async fn update(&self, olds: &Props, news: &Props, preview: bool) -> Result<Props, Status> {
        let mut outputs = news.clone();
        for key in ["apiId", "url"] {
            outputs.set(key, olds.get(key).cloned().unwrap_or_else(unknown));
        }
        if preview {
            return Ok(outputs);
        }
        let api_id = olds
            .str("apiId")
            .ok_or_else(|| Status::invalid_argument("the HttpApi has no 'apiId'"))?;
        if olds.get(CORS_INPUT) != news.get(CORS_INPUT) {
            self.set_cors(api_id, cors(news).map_err(Status::invalid_argument)?).await?;
        }
        self.sync_routes(api_id, news, Some(olds)).await?;
        Ok(outputs)
    }

    async fn delete(&self, outputs: &Props) -> Result<(), Status> {
        let Some(api_id) = outputs.str("apiId") else { return Ok(()) };
        for route in routes(outputs).unwrap_or_default() {
            let function = Self::function_name(outputs, &route.function)?;
            self.disallow(&function, api_id).await?;
        }
        self.delete_api(api_id).await
    }

    /// By `apiId`, or, importing, by name.
    async fn read(&self, current: &Props) -> Result<Option<Props>, Status> {
        let client = &self.0.apigateway;
        let api_id = match current.str("apiId") {
            Some(id) => id.to_string(),
            None => match self.find_by_name(api_name(current)?).await? {
                Some(id) => id,
                None => return Ok(None),
            },
        };
        match client.get_api().api_id(&api_id).send().await {
            Ok(api) => {
                let mut outputs = current.clone();
                outputs.set("apiId", json!(api_id));
                outputs.set("url", json!(api.api_endpoint.unwrap_or_default()));
                Ok(Some(outputs))
            }
            Err(error) if error_code(&error) == Some("NotFoundException") => Ok(None),
            Err(error) => Err(aws_error(&format!("cannot read API {api_id}"), error)),
        }
    }
}
