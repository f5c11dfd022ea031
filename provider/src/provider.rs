//! The ResourceProvider service the engine talks to: dispatches by resource
//! type, and does what is common to every resource (diffing, IDs, secrets).

use pbjson_types::Empty;
use tonic::{Request, Response, Status};
use unfold_proto::pulumirpc::resource_provider_server::ResourceProvider;
use unfold_proto::pulumirpc::{
    CallRequest, CallResponse, CheckRequest, CheckResponse, ConfigureRequest, ConfigureResponse,
    ConstructRequest, ConstructResponse, CreateRequest, CreateResponse, DeleteRequest, DiffRequest,
    DiffResponse, GetMappingRequest, GetMappingResponse, GetMappingsRequest, GetMappingsResponse,
    GetSchemaRequest, GetSchemaResponse, InvokeRequest, InvokeResponse, ListRequest, ListResponse,
    ParameterizeRequest, ParameterizeResponse, PluginAttach, PluginInfo, PropertyDiff,
    ProviderHandshakeRequest, ProviderHandshakeResponse, ReadRequest, ReadResponse, UpdateRequest,
    UpdateResponse, diff_response::DiffChanges, property_diff::Kind,
};

use std::sync::{Arc, RwLock};

use unfold_wire::urn;

use crate::aws::function::AwsFunction;
use crate::aws::http_api::AwsHttpApi;
use crate::aws::table::AwsTable;
use crate::aws::{self, Aws};
use crate::properties::{Props, contains_unknown};
use crate::resources;
use crate::resources::Resource;
use crate::resources::function::FunctionResource;
use crate::resources::http_api::HttpApiResource;
use crate::resources::table::TableResource;
use crate::schema;

/// Where a stack's resources go: provider config `unfold:target`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Target {
    #[default]
    Local,
    Aws,
}

/// The config key as Configure's `variables` spell it (its `args` say `target`).
const TARGET_VARIABLE: &str = "unfold:config:target";

impl Target {
    fn parse(value: &str) -> Result<Self, String> {
        match value {
            "local" | "" => Ok(Target::Local),
            aws::AWS => Ok(Target::Aws),
            other => Err(format!(
                "unfold:target is '{other}'; it must be 'local' (the default) or 'aws': \
                 `pulumi config set unfold:target aws`"
            )),
        }
    }

    /// The target of a resource with these inputs or outputs.
    fn of(props: &Props) -> Self {
        if aws::on_aws(props) { Target::Aws } else { Target::Local }
    }
}

#[derive(Default)]
pub(crate) struct UnfoldProvider {
    /// The target new resources go to, from Configure.
    target: RwLock<Target>,
    /// AWS clients, made the first time a resource on AWS needs them.
    aws: tokio::sync::OnceCell<Arc<Aws>>,
}

/// The resource type: from the request, or from the URN (`…::<parent$>type::name`).
fn type_of(kind: &str, urn: &str) -> String {
    if !kind.is_empty() {
        return kind.to_string();
    }
    urn::parse(urn).map(|parts| parts.ty().to_string()).unwrap_or_default()
}

fn unknown_type(other: &str) -> Status {
    Status::invalid_argument(format!(
        "unknown resource type '{other}' (the unfold package has Table, Function and HttpApi)"
    ))
}

impl UnfoldProvider {
    fn configured_target(&self) -> Target {
        *self.target.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn aws(&self) -> Result<Arc<Aws>, Status> {
        self.aws
            .get_or_try_init(|| async { Aws::from_environment().await.map(Arc::new) })
            .await
            .cloned()
    }

    /// The resource of type `kind` (or the URN's) on `target`.
    async fn resource(
        &self,
        kind: &str,
        urn: &str,
        target: Target,
    ) -> Result<Box<dyn Resource>, Status> {
        let kind = type_of(kind, urn);
        Ok(match (kind.as_str(), target) {
            (schema::TABLE, Target::Local) => Box::new(TableResource),
            (schema::FUNCTION, Target::Local) => Box::new(FunctionResource),
            (schema::HTTP_API, Target::Local) => Box::new(HttpApiResource),
            (schema::TABLE, Target::Aws) => Box::new(AwsTable(self.aws().await?)),
            (schema::FUNCTION, Target::Aws) => Box::new(AwsFunction(self.aws().await?)),
            (schema::HTTP_API, Target::Aws) => Box::new(AwsHttpApi(self.aws().await?)),
            (other, _) => return Err(unknown_type(other)),
        })
    }
}

/// The ID of a resource with these outputs: its name, on AWS its name there
/// (empty while unknown, in previews).
fn id_of(outputs: &Props) -> String {
    let key = if aws::on_aws(outputs) { aws::AWS_NAME } else { "name" };
    outputs.str(key).unwrap_or_default().to_string()
}

/// Compares the inputs `resource` cares about; unknown new values count as changes.
pub(crate) fn diff(
    resource: &dyn Resource,
    olds: &Props,
    news: &Props,
    ignore_changes: &[String],
) -> DiffResponse {
    let mut response = DiffResponse { has_detailed_diff: true, ..Default::default() };
    // Moving to another target replaces every resource.
    if olds.get(aws::TARGET) != news.get(aws::TARGET) {
        response.diffs.push(aws::TARGET.into());
        response.replaces.push(aws::TARGET.into());
        response.detailed_diff.insert(
            aws::TARGET.into(),
            PropertyDiff { kind: Kind::UpdateReplace as i32, input_diff: true },
        );
    }
    for key in resource.compared() {
        if ignore_changes.iter().any(|ignored| ignored == key) {
            continue;
        }
        let old = olds.get(key);
        let new = news.get(key);
        let changed = new.is_some_and(contains_unknown) || old != new;
        if !changed {
            response.stables.push(key.to_string());
            continue;
        }
        let replaces = resource.replaced_by().contains(key);
        let kind = match (old, new, replaces) {
            (None, _, false) => Kind::Add,
            (None, _, true) => Kind::AddReplace,
            (_, None, false) => Kind::Delete,
            (_, None, true) => Kind::DeleteReplace,
            (_, _, false) => Kind::Update,
            (_, _, true) => Kind::UpdateReplace,
        };
        response.diffs.push(key.to_string());
        response
            .detailed_diff
            .insert(key.to_string(), PropertyDiff { kind: kind as i32, input_diff: true });
        if replaces {
            response.replaces.push(key.to_string());
        }
    }
    response.changes =
        if response.diffs.is_empty() { DiffChanges::DiffNone } else { DiffChanges::DiffSome }
            as i32;
    response
}

fn olds_of(
    old_inputs: Option<&pbjson_types::Struct>,
    olds: Option<&pbjson_types::Struct>,
) -> Result<Props, Status> {
    match old_inputs.filter(|inputs| !inputs.fields.is_empty()) {
        Some(inputs) => Props::from_struct(Some(inputs)),
        None => Props::from_struct(olds),
    }
}

#[tonic::async_trait]
impl ResourceProvider for UnfoldProvider {
    async fn handshake(
        &self,
        _: Request<ProviderHandshakeRequest>,
    ) -> Result<Response<ProviderHandshakeResponse>, Status> {
        Ok(Response::new(ProviderHandshakeResponse { accept_secrets: true, ..Default::default() }))
    }

    async fn parameterize(
        &self,
        _: Request<ParameterizeRequest>,
    ) -> Result<Response<ParameterizeResponse>, Status> {
        Err(Status::unimplemented("the unfold provider takes no parameters"))
    }

    async fn get_schema(
        &self,
        request: Request<GetSchemaRequest>,
    ) -> Result<Response<GetSchemaResponse>, Status> {
        if !request.get_ref().subpackage_name.is_empty() {
            return Err(Status::invalid_argument("the unfold provider has no subpackages"));
        }
        Ok(Response::new(GetSchemaResponse { schema: schema::schema().to_string() }))
    }

    async fn check_config(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        let news = request.into_inner().news;
        let config = Props::from_struct(news.as_ref())?;
        let failures = match config.str("target").map(Target::parse) {
            Some(Err(reason)) => vec![resources::failure("target", reason)],
            _ => Vec::new(),
        };
        Ok(Response::new(CheckResponse { inputs: news, failures }))
    }

    async fn diff_config(&self, _: Request<DiffRequest>) -> Result<Response<DiffResponse>, Status> {
        Ok(Response::new(DiffResponse {
            changes: DiffChanges::DiffNone as i32,
            ..Default::default()
        }))
    }

    async fn configure(
        &self,
        request: Request<ConfigureRequest>,
    ) -> Result<Response<ConfigureResponse>, Status> {
        let request = request.into_inner();
        let args = Props::from_struct(request.args.as_ref())?;
        let value = args
            .str("target")
            .or_else(|| request.variables.get(TARGET_VARIABLE).map(String::as_str))
            .unwrap_or_default();
        let target = Target::parse(value).map_err(Status::invalid_argument)?;
        *self.target.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = target;
        Ok(Response::new(ConfigureResponse {
            accept_secrets: true,
            supports_preview: true,
            ..Default::default()
        }))
    }

    async fn invoke(
        &self,
        request: Request<InvokeRequest>,
    ) -> Result<Response<InvokeResponse>, Status> {
        Err(Status::unimplemented(format!(
            "the unfold provider has no function '{}'",
            request.get_ref().tok
        )))
    }

    async fn call(&self, request: Request<CallRequest>) -> Result<Response<CallResponse>, Status> {
        Err(Status::unimplemented(format!(
            "the unfold provider has no method '{}'",
            request.get_ref().tok
        )))
    }

    async fn check(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        let request = request.into_inner();
        let target = self.configured_target();
        let resource = self.resource(&request.r#type, &request.urn, target).await?;
        let mut news = Props::from_struct(request.news.as_ref())?;
        if target == Target::Aws {
            let urn = urn::parse(&request.urn)
                .map_err(|error| Status::invalid_argument(error.to_string()))?;
            aws::place(&mut news, urn.project, urn.stack);
        }
        let failures = resource.check(&mut news);
        Ok(Response::new(CheckResponse { inputs: Some(news.to_struct()), failures }))
    }

    async fn diff(&self, request: Request<DiffRequest>) -> Result<Response<DiffResponse>, Status> {
        let request = request.into_inner();
        let olds = olds_of(request.old_inputs.as_ref(), request.olds.as_ref())?;
        let news = Props::from_struct(request.news.as_ref())?;
        let resource = self.resource(&request.r#type, &request.urn, Target::of(&news)).await?;
        let response = diff(resource.as_ref(), &olds, &news, &request.ignore_changes);
        if response.changes == DiffChanges::DiffNone as i32 {
            resource.unchanged(&olds).await?;
        }
        Ok(Response::new(response))
    }

    async fn create(
        &self,
        request: Request<CreateRequest>,
    ) -> Result<Response<CreateResponse>, Status> {
        let request = request.into_inner();
        let inputs = Props::from_struct(request.properties.as_ref())?;
        let resource = self.resource(&request.r#type, &request.urn, Target::of(&inputs)).await?;
        let outputs = resource.create(&inputs, request.preview).await?;
        Ok(Response::new(CreateResponse {
            id: id_of(&outputs),
            properties: Some(outputs.to_struct()),
            refresh_before_update: false,
        }))
    }

    async fn read(&self, request: Request<ReadRequest>) -> Result<Response<ReadResponse>, Status> {
        let request = request.into_inner();
        let mut current = Props::from_struct(request.properties.as_ref())?;
        // An import has only the ID (the name; on AWS the name there); the
        // rest comes from the inputs.
        if current.values.is_empty() {
            current = Props::from_struct(request.inputs.as_ref())?;
        }
        // `pulumi import` sends nothing but the ID: the resource is on the
        // stack's target, named by its URN.
        let importing = current.values.is_empty();
        let target = if importing { self.configured_target() } else { Target::of(&current) };
        if importing && target == Target::Aws {
            let urn = urn::parse(&request.urn)
                .map_err(|error| Status::invalid_argument(error.to_string()))?;
            current.set("name", serde_json::json!(urn.name));
            aws::place(&mut current, urn.project, urn.stack);
            current.set(aws::AWS_NAME, serde_json::json!(request.id));
        }
        let imported_inputs = importing.then(|| current.to_struct());
        let resource = self.resource(&request.r#type, &request.urn, target).await?;
        let id_key = if target == Target::Aws { aws::AWS_NAME } else { "name" };
        if current.str(id_key).is_none() {
            current.set(id_key, serde_json::json!(request.id));
        }
        if target == Target::Local && current.str("stateDir").is_none() {
            return Err(Status::invalid_argument(
                "reading an unfold resource needs its 'stateDir'",
            ));
        }
        let response = match resource.read(&current).await? {
            Some(outputs) => ReadResponse {
                id: request.id,
                properties: Some(outputs.to_struct()),
                inputs: imported_inputs.or(request.inputs).or_else(|| Some(outputs.to_struct())),
                refresh_before_update: false,
            },
            // Gone: an empty ID tells the engine so.
            None => ReadResponse::default(),
        };
        Ok(Response::new(response))
    }

    type ListStream = tokio_stream::Empty<Result<ListResponse, Status>>;

    async fn list(&self, _: Request<ListRequest>) -> Result<Response<Self::ListStream>, Status> {
        Err(Status::unimplemented("the unfold provider does not list resources"))
    }

    async fn update(
        &self,
        request: Request<UpdateRequest>,
    ) -> Result<Response<UpdateResponse>, Status> {
        let request = request.into_inner();
        let olds = Props::from_struct(request.olds.as_ref())?;
        let news = Props::from_struct(request.news.as_ref())?;
        let resource = self.resource(&request.r#type, &request.urn, Target::of(&news)).await?;
        let outputs = resource.update(&olds, &news, request.preview).await?;
        Ok(Response::new(UpdateResponse {
            properties: Some(outputs.to_struct()),
            refresh_before_update: false,
        }))
    }

    async fn delete(&self, request: Request<DeleteRequest>) -> Result<Response<Empty>, Status> {
        let request = request.into_inner();
        let outputs = Props::from_struct(request.properties.as_ref())?;
        let resource = self.resource(&request.r#type, &request.urn, Target::of(&outputs)).await?;
        resource.delete(&outputs).await?;
        Ok(Response::new(Empty {}))
    }

    async fn construct(
        &self,
        _: Request<ConstructRequest>,
    ) -> Result<Response<ConstructResponse>, Status> {
        Err(Status::unimplemented("the unfold provider has no components"))
    }

    async fn cancel(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        // Operations are short and finish on their own; nothing to interrupt.
        Ok(Response::new(Empty {}))
    }

    async fn get_plugin_info(&self, _: Request<Empty>) -> Result<Response<PluginInfo>, Status> {
        Ok(Response::new(PluginInfo { version: env!("CARGO_PKG_VERSION").into() }))
    }

    async fn attach(&self, _: Request<PluginAttach>) -> Result<Response<Empty>, Status> {
        Err(Status::unimplemented("the unfold provider is always launched by the engine"))
    }

    async fn get_mapping(
        &self,
        _: Request<GetMappingRequest>,
    ) -> Result<Response<GetMappingResponse>, Status> {
        Ok(Response::new(GetMappingResponse::default()))
    }

    async fn get_mappings(
        &self,
        _: Request<GetMappingsRequest>,
    ) -> Result<Response<GetMappingsResponse>, Status> {
        Ok(Response::new(GetMappingsResponse::default()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn props(value: serde_json::Value) -> Props {
        Props::from_json(value.as_object().unwrap())
    }

    #[test]
    fn types_come_from_the_request_or_the_urn() {
        assert_eq!(type_of("", "urn:pulumi:dev::app::unfold:index:Table::t"), "unfold:index:Table");
        assert_eq!(
            type_of("", "urn:pulumi:dev::app::my:Comp$unfold:index:HttpApi::a"),
            "unfold:index:HttpApi"
        );
    }

    #[test]
    fn targets_are_local_or_aws_and_a_typo_says_how_to_set_one() {
        assert_eq!(Target::parse(""), Ok(Target::Local));
        assert_eq!(Target::parse("local"), Ok(Target::Local));
        assert_eq!(Target::parse("aws"), Ok(Target::Aws));
        let error = Target::parse("amazon").unwrap_err();
        assert!(
            error.contains("'amazon'") && error.contains("pulumi config set unfold:target aws"),
            "{error}"
        );
        assert_eq!(Target::of(&props(json!({"name": "t"}))), Target::Local);
        assert_eq!(Target::of(&props(json!({"name": "t", "target": "aws"}))), Target::Aws);
    }

    #[test]
    fn moving_a_resource_to_another_target_replaces_it() {
        let local = props(json!({"name": "t", "stateDir": "/s"}));
        let mut on_aws = local.clone();
        aws::place(&mut on_aws, "shop", "dev");
        assert_eq!(on_aws.str(aws::AWS_NAME), Some("shop-dev-t"));
        let response = diff(&TableResource, &local, &on_aws, &[]);
        assert_eq!(response.replaces, ["target"]);
        assert_eq!(response.changes, DiffChanges::DiffSome as i32);
        // An imported resource keeps the name it was found by.
        let mut imported = props(json!({"name": "notes", "awsName": "legacy-notes"}));
        aws::place(&mut imported, "shop", "dev");
        assert_eq!(imported.str(aws::AWS_NAME), Some("legacy-notes"));
    }

    #[test]
    fn function_diffs_ignore_where_the_bundle_was_written() {
        let old = props(
            json!({"name": "f", "stateDir": "/s", "bundle": "aa", "bundlePath": "/tmp/1", "timeout": 30.0}),
        );
        let same = props(
            json!({"name": "f", "stateDir": "/s", "bundle": "aa", "bundlePath": "/tmp/2", "timeout": 30.0}),
        );
        assert_eq!(diff(&FunctionResource, &old, &same, &[]).changes, DiffChanges::DiffNone as i32);
        let renamed =
            props(json!({"name": "g", "stateDir": "/s", "bundle": "bb", "timeout": 30.0}));
        let response = diff(&FunctionResource, &old, &renamed, &[]);
        assert_eq!(response.replaces, ["name"]);
        assert_eq!(response.detailed_diff["bundle"].kind, Kind::Update as i32);
        assert_eq!(response.detailed_diff["name"].kind, Kind::UpdateReplace as i32);
    }
}
