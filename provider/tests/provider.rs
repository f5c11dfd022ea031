//! The provider as the engine drives it: the plugin binary is launched with an
//! engine address, announces its port and answers ResourceProvider calls; the
//! effects are checked on disk and on the local server it starts.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use common::{HttpReply, Plugin, ServerCleanup, alive, http, plugin, server_info, wait_until};
use serde_json::{Map, Value, json};
use unfold_proto::pbjson_types::{Empty, Struct};
use unfold_proto::pulumirpc::diff_response::DiffChanges;
use unfold_proto::pulumirpc::property_diff::Kind;
use unfold_proto::pulumirpc::{
    CheckFailure, CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, DiffRequest,
    DiffResponse, GetSchemaRequest, ReadRequest, UpdateRequest,
};
use unfold_wire::signatures::{SECRET_SIG, SIG_KEY, UNKNOWN, make_secret as secret};
use unfold_wire::structs;

const TABLE: &str = "unfold:index:Table";
const FUNCTION: &str = "unfold:index:Function";
const HTTP_API: &str = "unfold:index:HttpApi";

fn to_struct(value: Value) -> Option<Struct> {
    Some(structs::to_struct(value.as_object().unwrap()))
}

fn to_json(properties: Option<Struct>) -> Map<String, Value> {
    structs::from_struct(properties.as_ref()).unwrap()
}

fn urn(kind: &str, name: &str) -> String {
    format!("urn:pulumi:test::app::{kind}::{name}")
}

fn dir(path: &Path) -> String {
    path.display().to_string()
}

impl Plugin {
    async fn check(&mut self, kind: &str, news: Value) -> (Map<String, Value>, Vec<CheckFailure>) {
        let request = CheckRequest {
            urn: urn(kind, "r"),
            r#type: kind.into(),
            news: to_struct(news),
            ..Default::default()
        };
        let response = self.client.check(request).await.unwrap().into_inner();
        (to_json(response.inputs), response.failures)
    }

    async fn create(
        &mut self,
        kind: &str,
        inputs: &Value,
        preview: bool,
    ) -> Result<(String, Map<String, Value>), tonic::Status> {
        let request = CreateRequest {
            urn: urn(kind, "r"),
            r#type: kind.into(),
            properties: to_struct(inputs.clone()),
            preview,
            ..Default::default()
        };
        let response = self.client.create(request).await?.into_inner();
        Ok((response.id, to_json(response.properties)))
    }

    async fn update(
        &mut self,
        kind: &str,
        olds: &Map<String, Value>,
        news: &Value,
    ) -> Map<String, Value> {
        let request = UpdateRequest {
            urn: urn(kind, "r"),
            r#type: kind.into(),
            olds: Some(structs::to_struct(olds)),
            news: to_struct(news.clone()),
            ..Default::default()
        };
        to_json(self.client.update(request).await.unwrap().into_inner().properties)
    }

    async fn diff(&mut self, kind: &str, olds: &Value, news: &Value) -> DiffResponse {
        let request = DiffRequest {
            id: "r".into(),
            urn: urn(kind, "r"),
            r#type: kind.into(),
            olds: to_struct(olds.clone()),
            news: to_struct(news.clone()),
            ..Default::default()
        };
        self.client.diff(request).await.unwrap().into_inner()
    }

    async fn delete(&mut self, kind: &str, outputs: &Map<String, Value>) {
        let request = DeleteRequest {
            id: "r".into(),
            urn: urn(kind, "r"),
            r#type: kind.into(),
            properties: Some(structs::to_struct(outputs)),
            ..Default::default()
        };
        self.client.delete(request).await.unwrap();
    }

    async fn read(&mut self, kind: &str, id: &str, outputs: &Map<String, Value>) -> String {
        let request = ReadRequest {
            id: id.into(),
            urn: urn(kind, id),
            r#type: kind.into(),
            properties: Some(structs::to_struct(outputs)),
            ..Default::default()
        };
        self.client.read(request).await.unwrap().into_inner().id
    }
}

fn failed_properties(failures: &[CheckFailure]) -> Vec<&str> {
    failures.iter().map(|failure| failure.property.as_str()).collect()
}

#[tokio::test]
async fn schema_info_and_configure_describe_the_unfold_package() {
    let mut plugin = plugin().await;
    let schema =
        plugin.client.get_schema(GetSchemaRequest::default()).await.unwrap().into_inner().schema;
    let schema: Value = serde_json::from_str(&schema).expect("the schema is JSON");
    assert_eq!(schema["name"], "unfold");
    assert_eq!(schema["version"], env!("CARGO_PKG_VERSION"));
    for kind in [TABLE, FUNCTION, HTTP_API] {
        let resource = &schema["resources"][kind];
        assert!(resource["description"].is_string(), "{kind}");
        assert!(
            resource["inputProperties"]["name"].is_object()
                && resource["inputProperties"]["stateDir"].is_object(),
            "{kind}"
        );
    }
    assert!(schema["resources"][TABLE]["properties"]["path"].is_object());
    assert!(schema["resources"][FUNCTION]["properties"]["codePath"].is_object());
    assert_eq!(schema["resources"][FUNCTION]["inputProperties"]["secrets"]["secret"], true);
    assert_eq!(
        schema["resources"][HTTP_API]["inputProperties"]["routes"]["items"]["$ref"],
        "#/types/unfold:index:Route"
    );
    assert!(schema["types"]["unfold:index:Route"]["properties"]["function"].is_object());

    let info = plugin.client.get_plugin_info(Empty {}).await.unwrap().into_inner();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    let configured = plugin
        .client
        .configure(ConfigureRequest { accept_secrets: true, ..Default::default() })
        .await
        .unwrap();
    assert!(configured.get_ref().accept_secrets && configured.get_ref().supports_preview);
}

#[tokio::test]
async fn check_explains_bad_names_routes_and_function_settings() {
    let mut plugin = plugin().await;
    let (_, failures) =
        plugin.check(TABLE, json!({"name": "../etc", "stateDir": "relative/dir"})).await;
    assert_eq!(failed_properties(&failures), ["name", "stateDir"], "{failures:?}");
    assert!(
        failures[0].reason.contains("'../etc' is not a valid table name"),
        "{}",
        failures[0].reason
    );
    let (_, failures) = plugin.check(TABLE, json!({"stateDir": "/s"})).await;
    assert_eq!(failures[0].reason, "'name' is required");

    let routes = json!([
        {"method": "FETCH", "path": "/a", "function": "f"},
        {"method": "GET", "path": "items/{id}", "function": "f"},
        {"method": "GET", "path": "/a/{x}", "function": "f"},
        {"method": "get", "path": "/a/{y}", "function": "f"},
        {"method": "POST", "path": "/b/x{id}", "function": "f"},
        {"method": "POST", "path": "/c", "function": "no/such"},
    ]);
    let (_, failures) =
        plugin.check(HTTP_API, json!({"name": "api", "stateDir": "/s", "routes": routes})).await;
    assert_eq!(
        failed_properties(&failures),
        ["routes[0]", "routes[1]", "routes[3]", "routes[4]", "routes[5]"],
        "{failures:?}"
    );
    assert!(failures[0].reason.contains("method 'FETCH'"), "{}", failures[0].reason);
    assert!(failures[1].reason.contains("must start with '/'"), "{}", failures[1].reason);
    assert!(failures[2].reason.contains("same route as routes[2]"), "{}", failures[2].reason);
    assert!(failures[3].reason.contains("whole segment"), "{}", failures[3].reason);
    let (_, failures) =
        plugin.check(HTTP_API, json!({"name": "api", "stateDir": "/s", "routes": "GET /"})).await;
    assert_eq!(failed_properties(&failures), ["routes"]);

    let (inputs, failures) = plugin
        .check(
            HTTP_API,
            json!({"name": "api", "stateDir": "/s", "routes": [{"method": "get", "path": "/items/{id}", "function": "f"}]}),
        )
        .await;
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(inputs["routes"][0]["method"], "GET");
    // Routes not known yet (a preview) are checked once they are.
    let (_, failures) =
        plugin.check(HTTP_API, json!({"name": "api", "stateDir": "/s", "routes": UNKNOWN})).await;
    assert!(failures.is_empty(), "{failures:?}");

    let function = json!({"name": "f", "stateDir": "/s", "bundle": "not-hex", "bundlePath": "/b", "timeout": -1, "secrets": "{"});
    let (_, failures) = plugin.check(FUNCTION, function).await;
    assert_eq!(failed_properties(&failures), ["bundle", "timeout", "secrets"], "{failures:?}");
    let function = json!({"name": "f", "stateDir": "/s", "bundle": "ab12", "bundlePath": "/b", "secrets": "[\"x\"]"});
    let (inputs, failures) = plugin.check(FUNCTION, function).await;
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!((inputs["timeout"].as_f64(), inputs["memory"].as_f64()), (Some(30.0), Some(128.0)));
    assert_eq!(inputs["environment"], json!({}));
    assert_eq!(inputs["secrets"], secret(json!("[\"x\"]")), "the secrets are always secret");
}

/// Pulumi's engine rejects a `google.protobuf.Value` with no kind: every null
/// the provider returns, at any depth, is `NULL_VALUE`.
#[tokio::test]
async fn nulls_cross_the_wire_as_null_value_both_ways() {
    use unfold_proto::pbjson_types::value::Kind;
    use unfold_proto::pbjson_types::{ListValue, Value as ProtoValue};

    fn assert_no_missing_kind(value: &ProtoValue, path: &str, nulls: &mut usize) {
        match &value.kind {
            None => panic!("{path} has no kind"),
            Some(Kind::NullValue(_)) => *nulls += 1,
            Some(Kind::ListValue(list)) => {
                list.values.iter().enumerate().for_each(|(i, item)| {
                    assert_no_missing_kind(item, &format!("{path}[{i}]"), nulls)
                })
            }
            Some(Kind::StructValue(object)) => object.fields.iter().for_each(|(key, item)| {
                assert_no_missing_kind(item, &format!("{path}.{key}"), nulls)
            }),
            Some(_) => {}
        }
    }

    let mut plugin = plugin().await;
    let news = json!({
        "name": "t", "stateDir": "/s",
        "empty": null, "list": [1, null, [null]], "object": {"x": null, "y": [{"z": null}]},
    });
    let request = CheckRequest {
        urn: urn(TABLE, "r"),
        r#type: TABLE.into(),
        news: to_struct(news.clone()),
        ..Default::default()
    };
    let inputs = plugin.client.check(request).await.unwrap().into_inner().inputs.unwrap();
    let mut nulls = 0;
    for (key, value) in &inputs.fields {
        assert_no_missing_kind(value, key, &mut nulls);
    }
    assert_eq!(nulls, 5, "every null comes back as NULL_VALUE: {inputs:?}");
    assert_eq!(Value::Object(to_json(Some(inputs))), news, "and reads back as JSON null");

    // A value without a kind is not taken for null: it is an invalid argument.
    let mut malformed = to_struct(news).unwrap();
    malformed.fields.insert(
        "bad".into(),
        ProtoValue {
            kind: Some(Kind::ListValue(ListValue { values: vec![ProtoValue { kind: None }] })),
        },
    );
    let request = CheckRequest {
        urn: urn(TABLE, "r"),
        r#type: TABLE.into(),
        news: Some(malformed),
        ..Default::default()
    };
    let status = plugin.client.check(request).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("'bad[0]'"), "{}", status.message());
}

#[tokio::test]
async fn previews_change_nothing_on_disk() {
    let temporary = tempfile::tempdir().unwrap();
    let state = temporary.path().join("stack");
    let bundle_path = temporary.path().join("written.bundle");
    std::fs::write(&bundle_path, b"bundle").unwrap();
    let mut plugin = plugin().await;

    let table = json!({"name": "messages", "stateDir": dir(&state)});
    let (id, outputs) = plugin.create(TABLE, &table, true).await.unwrap();
    assert_eq!(id, "messages");
    assert_eq!(outputs["path"], dir(&state.join("tables/messages.sqlite")));

    let function = json!({"name": "f", "stateDir": dir(&state), "bundle": "ab", "bundlePath": dir(&bundle_path), "timeout": 30, "memory": 128, "environment": {}});
    let (_, outputs) = plugin.create(FUNCTION, &function, true).await.unwrap();
    assert_eq!(outputs["codePath"], dir(&state.join("functions/f/ab.bundle")));
    assert_eq!(outputs["size"].as_f64(), Some(6.0));

    let api = json!({"name": "api", "stateDir": dir(&state), "routes": [{"method": "GET", "path": "/", "function": "f"}]});
    let (_, outputs) = plugin.create(HTTP_API, &api, true).await.unwrap();
    assert_eq!(outputs["url"], UNKNOWN, "no server has fixed the port yet");
    let unknown_name = json!({"name": UNKNOWN, "stateDir": dir(&state), "routes": UNKNOWN});
    let (id, outputs) = plugin.create(HTTP_API, &unknown_name, true).await.unwrap();
    assert_eq!((id.as_str(), &outputs["url"]), ("", &json!(UNKNOWN)));

    assert!(!state.exists(), "a preview wrote into the state directory");
}

#[tokio::test]
async fn tables_are_created_read_and_deleted() {
    let temporary = tempfile::tempdir().unwrap();
    let state = temporary.path();
    let mut plugin = plugin().await;
    let (id, outputs) = plugin
        .create(TABLE, &json!({"name": "messages", "stateDir": dir(state)}), false)
        .await
        .unwrap();
    let file = state.join("tables/messages.sqlite");
    assert_eq!((id.as_str(), &outputs["path"]), ("messages", &json!(dir(&file))));
    assert!(file.is_file());
    unfold_function_runtime::tables::Table::open(&state.join("tables"), "messages")
        .expect("a usable table");
    assert_eq!(plugin.read(TABLE, "messages", &outputs).await, "messages");

    plugin.delete(TABLE, &outputs).await;
    assert!(!file.exists());
    assert_eq!(plugin.read(TABLE, "messages", &outputs).await, "", "a deleted table reads as gone");
}

#[tokio::test]
async fn diff_compares_the_bundle_not_where_it_was_written() {
    let mut plugin = plugin().await;
    let old = json!({"name": "f", "stateDir": "/s", "bundle": "aa", "bundlePath": "/tmp/run1/f.bundle", "timeout": 30, "memory": 128,
        "environment": {"A": "1"}, "secrets": secret(json!("[1]")), "codePath": "/s/functions/f/aa.bundle", "size": 10});
    let mut same = old.clone();
    same["bundlePath"] = json!("/tmp/run2/f.bundle");
    let unchanged = plugin.diff(FUNCTION, &old, &same).await;
    assert_eq!(unchanged.changes, DiffChanges::DiffNone as i32, "{unchanged:?}");

    let mut new_code = same.clone();
    new_code["bundle"] = json!("bb");
    let update = plugin.diff(FUNCTION, &old, &new_code).await;
    assert_eq!(update.changes, DiffChanges::DiffSome as i32);
    assert!(update.replaces.is_empty() && update.has_detailed_diff);
    assert_eq!(update.diffs, ["bundle"]);
    assert_eq!(update.detailed_diff["bundle"].kind, Kind::Update as i32);

    let mut new_secret = same.clone();
    new_secret["secrets"] = secret(json!("[2]"));
    assert_eq!(plugin.diff(FUNCTION, &old, &new_secret).await.diffs, ["secrets"]);

    let mut renamed = same.clone();
    renamed["name"] = json!("g");
    let replace = plugin.diff(FUNCTION, &old, &renamed).await;
    assert_eq!(replace.replaces, ["name"]);
    assert_eq!(replace.detailed_diff["name"].kind, Kind::UpdateReplace as i32);

    let api = json!({"name": "api", "stateDir": "/s", "routes": [{"method": "GET", "path": "/", "function": "f"}], "url": "http://127.0.0.1:1/api"});
    let mut unknown_routes = api.clone();
    unknown_routes["routes"] = json!(UNKNOWN);
    let diff = plugin.diff(HTTP_API, &api, &unknown_routes).await;
    assert_eq!(
        (diff.diffs.as_slice(), diff.replaces.len()),
        (["routes".to_string()].as_slice(), 0)
    );
    let mut moved = api.clone();
    moved["stateDir"] = json!("/t");
    assert_eq!(plugin.diff(HTTP_API, &api, &moved).await.replaces, ["stateDir"]);
    let table = json!({"name": "t", "stateDir": "/s", "path": "/s/tables/t.sqlite"});
    assert_eq!(
        plugin.diff(TABLE, &table, &json!({"name": "t", "stateDir": "/s"})).await.changes,
        DiffChanges::DiffNone as i32
    );
}

#[tokio::test]
async fn functions_install_their_bundle_and_a_private_configuration() {
    let temporary = tempfile::tempdir().unwrap();
    let state = temporary.path().join("stack");
    let written = temporary.path().join("host-output");
    std::fs::create_dir_all(&written).unwrap();
    std::fs::write(written.join("one.bundle"), b"first bundle").unwrap();
    std::fs::write(written.join("two.bundle"), b"second").unwrap();
    let mut plugin = plugin().await;

    let inputs = json!({"name": "f", "stateDir": dir(&state), "bundle": "aa11", "bundlePath": dir(&written.join("one.bundle")),
        "timeout": 5, "memory": 64, "environment": {"MODE": "test"}, "secrets": secret(json!("[\"hunter2\"]"))});
    let (id, outputs) = plugin.create(FUNCTION, &inputs, false).await.unwrap();
    assert_eq!(id, "f");
    let first = state.join("functions/f/aa11.bundle");
    assert_eq!((&outputs["codePath"], outputs["size"].as_f64()), (&json!(dir(&first)), Some(12.0)));
    assert_eq!(outputs["secrets"][SIG_KEY], SECRET_SIG, "the secrets stay secret in the outputs");
    assert_eq!(std::fs::read(&first).unwrap(), b"first bundle");
    let config_path = state.join("functions/f/function.json");
    assert_eq!(std::fs::metadata(&config_path).unwrap().permissions().mode() & 0o777, 0o600);
    let config: Value = serde_json::from_slice(&std::fs::read(&config_path).unwrap()).unwrap();
    assert_eq!(config["bundle"], "aa11");
    assert_eq!(config["codePath"], dir(&first));
    assert_eq!((config["timeout"].as_f64(), config["memory"].as_f64()), (Some(5.0), Some(64.0)));
    assert_eq!(config["environment"], json!({"MODE": "test"}));
    // The secret values are sealed under the user's key, and open to what was given.
    let text = std::fs::read_to_string(&config_path).unwrap();
    assert!(!text.contains("hunter2") && !text.contains("aHVudGVyMg"), "{text}");
    let sealed = {
        use base64::Engine as _;
        let text = config["sealedSecrets"].as_str().expect("sealed secrets");
        base64::engine::general_purpose::STANDARD.decode(text).unwrap()
    };
    let opened = unfold_function_runtime::sealing::open(&sealed).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&opened).unwrap(), json!(["hunter2"]));

    let mut next = inputs.clone();
    next["bundle"] = json!("bb22");
    next["bundlePath"] = json!(dir(&written.join("two.bundle")));
    let outputs = plugin.update(FUNCTION, &outputs, &next).await;
    let second = state.join("functions/f/bb22.bundle");
    assert_eq!(outputs["codePath"], dir(&second));
    assert!(second.is_file() && !first.exists(), "the older bundle is removed");
    assert_eq!(plugin.read(FUNCTION, "f", &outputs).await, "f");

    let mut missing = inputs.clone();
    missing["name"] = json!("g");
    missing["bundlePath"] = json!(dir(&written.join("gone.bundle")));
    let error = plugin.create(FUNCTION, &missing, false).await.unwrap_err();
    assert_eq!(error.code(), tonic::Code::FailedPrecondition);
    assert!(error.message().contains("gone.bundle does not exist"), "{}", error.message());

    plugin.delete(FUNCTION, &outputs).await;
    assert!(!state.join("functions/f").exists());
    assert_eq!(plugin.read(FUNCTION, "f", &outputs).await, "");
}

fn health(port: u16) -> HttpReply {
    http(port, "GET", "/.unfold/health", &[], b"")
}

#[tokio::test]
async fn http_apis_run_the_server_keep_their_url_and_the_last_one_stops_it() {
    let temporary = tempfile::tempdir().unwrap();
    let state = temporary.path().join("stack");
    let _cleanup = ServerCleanup(&state);
    let mut plugin = plugin().await;
    let routes = json!([{"method": "GET", "path": "/items/{id}", "function": "f"}]);

    let a = json!({"name": "a", "stateDir": dir(&state), "routes": routes});
    let (id, a_outputs) = plugin.create(HTTP_API, &a, false).await.unwrap();
    assert_eq!(id, "a");
    let info = server_info(&state).expect("the first API starts the server");
    assert_eq!(
        std::fs::metadata(state.join("server.json")).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(alive(info.pid));
    assert_eq!(health(info.port).status, 200);
    let url = format!("http://127.0.0.1:{}/a", info.port);
    assert_eq!(a_outputs["url"], url);
    assert!(state.join("apis/a.json").is_file());
    // Routes are served as soon as the API is created.
    assert_eq!(http(info.port, "POST", "/a/items/1", &[], b"").status, 405);

    // Now that the port is fixed, a preview knows the URL.
    let b = json!({"name": "b", "stateDir": dir(&state), "routes": routes});
    let (_, preview) = plugin.create(HTTP_API, &b, true).await.unwrap();
    assert_eq!(preview["url"], format!("http://127.0.0.1:{}/b", info.port));
    let (_, b_outputs) = plugin.create(HTTP_API, &b, false).await.unwrap();
    assert_eq!(server_info(&state).unwrap(), info, "the second API shares the server");

    // Deploying a Function tells the server, which restarts it when it changes.
    let bundle = temporary.path().join("f.bundle");
    std::fs::write(&bundle, b"not a bundle").unwrap();
    let function = json!({"name": "f", "stateDir": dir(&state), "bundle": "f1", "bundlePath": dir(&bundle),
        "timeout": 30, "memory": 128, "environment": {}});
    let (_, f_outputs) = plugin.create(FUNCTION, &function, false).await.unwrap();
    let mut changed_function = function.clone();
    changed_function["bundle"] = json!("f2");
    plugin.update(FUNCTION, &f_outputs, &changed_function).await;
    let log = std::fs::read_to_string(state.join("server.log")).unwrap();
    assert!(log.contains("[f] configuration changed"), "{log}");
    assert_eq!(
        http(info.port, "GET", "/a/items/1", &[], b"").status,
        503,
        "a bundle that cannot start"
    );

    // A server that went away is started again on the same port.
    let stopped = http(info.port, "POST", "/.unfold/stop", &[("x-unfold-token", &info.token)], b"");
    assert_eq!(stopped.status, 200);
    wait_until("the server exits", Duration::from_secs(15), || !alive(info.pid));
    let mut changed = a.clone();
    changed["routes"] = json!([{"method": "POST", "path": "/items", "function": "f"}]);
    let a_outputs = plugin.update(HTTP_API, &a_outputs, &changed).await;
    let restarted = server_info(&state).unwrap();
    assert_ne!(restarted.pid, info.pid);
    assert_eq!(restarted.port, info.port);
    assert_eq!(a_outputs["url"], url, "the URL survives a restart");
    assert_eq!(
        http(info.port, "GET", "/a/items", &[], b"").status,
        405,
        "the updated routes are served"
    );
    let reply = http(info.port, "GET", "/b/items/1", &[], b"");
    assert_eq!(reply.status, 503, "b is still served after the restart, by f");
    assert_eq!(reply.json()["error"], "function 'f' is not available");

    plugin.delete(HTTP_API, &a_outputs).await;
    assert!(alive(restarted.pid), "b still needs the server");
    assert_eq!(http(info.port, "GET", "/a/items", &[], b"").status, 404);
    plugin.delete(HTTP_API, &b_outputs).await;
    assert!(!alive(restarted.pid), "deleting the last API stops the server");
    assert!(server_info(&state).is_none(), "server.json is removed");
    assert_eq!(plugin.read(HTTP_API, "b", &b_outputs).await, "");
}

#[tokio::test]
async fn the_plugin_exits_when_the_engine_goes_away() {
    let mut plugin = plugin().await;
    assert!(plugin.process.0.try_wait().unwrap().is_none());
    drop(plugin.engine.take());
    let started = std::time::Instant::now();
    while plugin.process.0.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(20), "the plugin outlived the engine");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn apis_created_at_once_share_one_server() {
    let temporary = tempfile::tempdir().unwrap();
    let state = temporary.path().join("stack");
    let _cleanup = ServerCleanup(&state);
    let mut first = plugin().await;
    let mut second = plugin().await;
    let mut same_process = first.client.clone();
    let routes = json!([{"method": "GET", "path": "/", "function": "f"}]);
    let api = |name: &str| json!({"name": name, "stateDir": dir(&state), "routes": routes});
    let request = CreateRequest {
        urn: urn(HTTP_API, "b"),
        r#type: HTTP_API.into(),
        properties: to_struct(api("b")),
        ..Default::default()
    };
    // Two calls on one provider, and one from another provider process.
    let (a_inputs, c_inputs) = (api("a"), api("c"));
    let (a, b, c) = tokio::join!(
        first.create(HTTP_API, &a_inputs, false),
        same_process.create(request),
        second.create(HTTP_API, &c_inputs, false)
    );
    let b = to_json(b.unwrap().into_inner().properties);
    let (a, c) = (a.unwrap().1, c.unwrap().1);
    let info = server_info(&state).unwrap();
    for (outputs, name) in [(&a, "a"), (&b, "b"), (&c, "c")] {
        assert_eq!(outputs["url"], format!("http://127.0.0.1:{}/{name}", info.port));
        assert_eq!(
            http(info.port, "GET", &format!("/{name}/"), &[], b"").status,
            503,
            "{name} is served"
        );
    }
    for outputs in [&a, &b, &c] {
        first.delete(HTTP_API, outputs).await;
    }
    assert!(!alive(info.pid) && server_info(&state).is_none());
}
