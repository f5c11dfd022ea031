//! `@unfold/cloud` on the AWS target (`unfold:target` = aws), with moto as
//! every AWS endpoint: examples/messages deploys through the embedded engine
//! and `pulumi-resource-unfold`, and the AWS SDK is asked what exists — the
//! runtime layer, the functions and their roles, the table, the API with its
//! routes, integrations and stage — after an edit and after destroy.
//!
//! `UNFOLD_AWS_EMULATORS` names the emulators' folder (`scripts/test` sets it).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use unfold_engine::StepOp;
use unfold_integration_tests::aws_deployment::AwsDeployment;
use unfold_integration_tests::lambda_emulator::{api_gateway_event, bootstrap};
use unfold_integration_tests::lambda_router::LambdaRouter;
use unfold_integration_tests::local_deployment::changes;
use unfold_integration_tests::moto::{ACCOUNT, AwsClients, REGION};
use unfold_integration_tests::repository_path;

fn messages_program() -> String {
    std::fs::read_to_string(repository_path("examples/messages/index.ts")).unwrap()
}

/// The stack's functions: name → (code hash, layer ARNs).
async fn functions(aws: &AwsClients) -> Vec<aws_sdk_lambda::types::FunctionConfiguration> {
    let listed = aws.lambda.list_functions().send().await.unwrap();
    let mut functions: Vec<_> = listed
        .functions()
        .iter()
        .filter(|function| {
            function.function_name().unwrap_or_default().starts_with("messages-dev-")
        })
        .cloned()
        .collect();
    functions.sort_by(|a, b| a.function_name().cmp(&b.function_name()));
    functions
}

fn code_hash(functions: &[aws_sdk_lambda::types::FunctionConfiguration], name: &str) -> String {
    functions
        .iter()
        .find(|function| function.function_name() == Some(name))
        .and_then(|function| function.code_sha256().map(str::to_string))
        .unwrap_or_else(|| panic!("no function {name}"))
}

/// Base64 of the SHA-256 of `path`, as Lambda reports a zip's CodeSha256.
fn code_sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|error| {
        let listing: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        panic!("{}: {error}; {listing:?}", path.display())
    });
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

/// The statements of the policy of the function role `role`.
async fn policy_statements(aws: &AwsClients, role: &str) -> Vec<Value> {
    let policy = aws
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name("unfold-function")
        .send()
        .await
        .unwrap();
    let document = url::form_urlencoded::parse(policy.policy_document().as_bytes())
        .map(|(key, value)| format!("{key}{value}"))
        .collect::<String>();
    let document: Value = serde_json::from_str(&document)
        .or_else(|_| serde_json::from_str(policy.policy_document()))
        .unwrap_or_else(|error| panic!("{error}: {}", policy.policy_document()));
    document["Statement"].as_array().unwrap().clone()
}

fn json_body(reply: &Value) -> Value {
    serde_json::from_str(reply["body"].as_str().unwrap_or("null")).unwrap()
}

/// The zips the stack uploaded run as Lambda runs them, answer API Gateway's
/// events as the local target answers the same requests, and write their
/// rows to DynamoDB.
fn run_as_lambda(aws_deployment: &AwsDeployment, aws: &AwsClients) {
    let deployment = &aws_deployment.deployment;
    let uploads = aws_deployment.uploads();
    let layer = aws_deployment.layer_zip();
    let configurations = deployment.runtime.block_on(async {
        // The kept zips are the uploaded ones.
        let layers = aws.lambda.list_layers().send().await.unwrap();
        let listed = &layers.layers()[0];
        let number = listed.latest_matching_version().unwrap().version();
        let version = aws
            .lambda
            .get_layer_version()
            .layer_name(listed.layer_name().unwrap())
            .version_number(number)
            .send()
            .await
            .unwrap();
        assert_eq!(
            version.content().and_then(|c| c.code_sha256()),
            Some(code_sha256(&layer).as_str())
        );
        let mut configurations = Vec::new();
        for name in ["messages-dev-insert", "messages-dev-api-get-messages-id"] {
            let configuration =
                aws.lambda.get_function_configuration().function_name(name).send().await.unwrap();
            assert_eq!(
                configuration.code_sha256(),
                Some(code_sha256(&uploads.join(format!("{name}.zip"))).as_str()),
                "{name}"
            );
            configurations.push(configuration);
        }
        configurations
    });
    let start = |configuration| {
        let run = aws_deployment.run_function(configuration);
        run.wait_for_log("restored in");
        run
    };
    let insert = start(&configurations[0]);
    let get = start(&configurations[1]);

    let stored = insert.invoke(&api_gateway_event(
        "POST /messages",
        "/messages",
        &[],
        "application/json",
        Some(r#"{"id":"m1","text":"hello"}"#),
    ));
    assert_eq!(
        (stored["statusCode"].clone(), json_body(&stored)),
        (json!(201), json!({"stored": "m1"})),
        "{}",
        insert.log()
    );
    let row = deployment.runtime.block_on(
        aws.dynamodb
            .get_item()
            .table_name("messages-dev-messages")
            .key("p", AttributeValue::S("items".into()))
            .key("k", AttributeValue::S("m1".into()))
            .send(),
    );
    let value = row.unwrap().item.unwrap()["v"].as_s().unwrap().clone();
    assert_eq!(
        serde_json::from_str::<Value>(&value).unwrap(),
        json!({"id": "m1", "text": "hello"})
    );

    // A direct invocation's payload is the JSON body of a POST.
    let direct = insert.invoke(&json!({"id": "m2", "text": "direct"}));
    assert_eq!(
        (direct["statusCode"].clone(), json_body(&direct)),
        (json!(201), json!({"stored": "m2"}))
    );

    let event = |id: &str| {
        api_gateway_event("GET /messages/{id}", &format!("/messages/{id}"), &[("id", id)], "", None)
    };
    let fetched = get.invoke(&event("m1"));
    assert_eq!(
        (fetched["statusCode"].clone(), json_body(&fetched)),
        (json!(200), json!({"id": "m1", "text": "hello"})),
        "{}",
        get.log()
    );
    let missing = get.invoke(&event("m3"));
    assert_eq!(
        (missing["statusCode"].clone(), json_body(&missing)),
        (json!(404), json!({"error": "no message m3"}))
    );

    // Bad requests are refused as the local server refuses them; a handler
    // that throws answers 500 and logs its .ts line.
    let malformed = insert.invoke(&api_gateway_event(
        "POST /messages",
        "/messages",
        &[],
        "application/json",
        Some("{not json"),
    ));
    assert_eq!(malformed["statusCode"], 400);
    let thrown = insert.invoke(&api_gateway_event(
        "POST /messages",
        "/messages",
        &[],
        "application/json",
        Some("null"),
    ));
    assert_eq!(thrown["statusCode"], 500);
    insert.wait_for_log("index.ts:");
}

#[test]
fn the_messages_example_deploys_to_aws_updates_one_function_and_is_destroyed() {
    let aws_deployment = AwsDeployment::new(&messages_program(), &bootstrap());
    let deployment = &aws_deployment.deployment;
    let aws = deployment.runtime.block_on(aws_deployment.moto.clients());

    let up = deployment.run("up");
    let url = up.outputs.get("url").and_then(Value::as_str).expect("the stack exports a url");
    assert!(url.starts_with("https://") && url.contains(".execute-api."), "{url}");

    deployment.runtime.block_on(async {
        // The table: on-demand, items under one partition key, sorted by key.
        let table = aws
            .dynamodb
            .describe_table()
            .table_name("messages-dev-messages")
            .send()
            .await
            .expect("the table exists")
            .table
            .unwrap();
        let schema: Vec<(String, String)> = table
            .key_schema()
            .iter()
            .map(|key| (key.attribute_name().to_string(), key.key_type().as_str().to_string()))
            .collect();
        assert_eq!(schema, [("p".into(), "HASH".into()), ("k".into(), "RANGE".into())]);
        assert_eq!(
            table
                .billing_mode_summary()
                .and_then(|summary| summary.billing_mode())
                .map(|m| m.as_str()),
            Some("PAY_PER_REQUEST")
        );

        // One runtime layer, shared by both functions; each function's zip is its bundle.
        let layers = aws.lambda.list_layers().send().await.unwrap();
        let layer_names: Vec<_> =
            layers.layers().iter().filter_map(|layer| layer.layer_name()).collect();
        assert_eq!(layer_names.len(), 1, "{layer_names:?}");
        assert!(layer_names[0].starts_with("unfold-runtime-"), "{layer_names:?}");
        let deployed = functions(&aws).await;
        let names: Vec<_> =
            deployed.iter().filter_map(|function| function.function_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"messages-dev-insert"), "{names:?}");
        for function in &deployed {
            let name = function.function_name().unwrap();
            assert_eq!(function.runtime().map(|r| r.as_str()), Some("provided.al2023"), "{name}");
            let layer_arns: Vec<_> =
                function.layers().iter().filter_map(|layer| layer.arn()).collect();
            assert_eq!(layer_arns.len(), 1, "{name}: {layer_arns:?}");
            assert!(layer_arns[0].contains(layer_names[0]), "{name}: {layer_arns:?}");
            assert!(function.code_size() < 1_000_000, "{name}: {} bytes", function.code_size());
            let environment =
                function.environment().and_then(|e| e.variables()).cloned().unwrap_or_default();
            assert!(environment.contains_key("UNFOLD_FUNCTION"), "{name}: {environment:?}");

            // Its own role: its logs, and the stack's tables only.
            let role_name = function.role().unwrap().rsplit('/').next().unwrap();
            assert_eq!(role_name, name);
            let statements = policy_statements(&aws, role_name).await;
            assert_eq!(
                statements[1]["Resource"],
                format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/messages-dev-*")
            );
            assert_eq!(
                statements[0]["Resource"][0],
                format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{name}")
            );
            assert_eq!(
                (&statements[2]["Action"], &statements[2]["Resource"]),
                (
                    &json!("lambda:InvokeFunction"),
                    &json!(format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:messages-dev-*"))
                )
            );
            // API Gateway, and only it, may invoke it.
            let function_policy = aws.lambda.get_policy().function_name(name).send().await.unwrap();
            assert!(
                function_policy.policy().unwrap_or_default().contains("apigateway.amazonaws.com"),
                "{name}: {function_policy:?}"
            );
        }

        // The API: one route per declared route, each through a proxy integration.
        let apis = aws.apigateway.get_apis().send().await.unwrap();
        let api = apis
            .items()
            .iter()
            .find(|api| api.name() == Some("messages-dev-api"))
            .expect("the API exists");
        let api_id = api.api_id().unwrap();
        assert_eq!(api.api_endpoint(), Some(url));
        let routes = aws.apigateway.get_routes().api_id(api_id).send().await.unwrap();
        let keys: BTreeSet<_> =
            routes.items().iter().filter_map(|route| route.route_key()).collect();
        assert_eq!(keys, BTreeSet::from(["GET /messages/{id}", "POST /messages"]));
        let integrations = aws.apigateway.get_integrations().api_id(api_id).send().await.unwrap();
        assert_eq!(integrations.items().len(), 2);
        for integration in integrations.items() {
            assert_eq!(integration.integration_type().map(|t| t.as_str()), Some("AWS_PROXY"));
            assert_eq!(integration.payload_format_version(), Some("2.0"));
            let uri = integration.integration_uri().unwrap();
            assert!(
                uri.starts_with(&format!(
                    "arn:aws:lambda:{REGION}:{ACCOUNT}:function:messages-dev-"
                )),
                "{uri}"
            );
        }
        let stages = aws.apigateway.get_stages().api_id(api_id).send().await.unwrap();
        let stage = &stages.items()[0];
        assert_eq!((stage.stage_name(), stage.auto_deploy()), (Some("$default"), Some(true)));
    });

    run_as_lambda(&aws_deployment, &aws);

    // Nothing changed: nothing to do.
    let again = deployment.run("up");
    assert_eq!(changes(&again), []);

    // One handler edited: only its function gets new code.
    let before = deployment.runtime.block_on(functions(&aws));
    deployment.edit("stored: msg.id", "saved: msg.id");
    let edited = deployment.run("up");
    assert_eq!(changes(&edited), [(StepOp::Update, "insert".to_string())]);
    let after = deployment.runtime.block_on(functions(&aws));
    assert_ne!(code_hash(&after, "messages-dev-insert"), code_hash(&before, "messages-dev-insert"));
    for function in &before {
        let name = function.function_name().unwrap();
        if name != "messages-dev-insert" {
            assert_eq!(code_hash(&after, name), code_hash(&before, name), "{name} kept its code");
        }
    }

    // Destroy leaves nothing of the stack behind.
    deployment.run("destroy");
    deployment.runtime.block_on(async {
        assert_eq!(functions(&aws).await.len(), 0);
        let tables = aws.dynamodb.list_tables().send().await.unwrap();
        assert_eq!(tables.table_names(), [] as [String; 0]);
        let apis = aws.apigateway.get_apis().send().await.unwrap();
        assert_eq!(apis.items().len(), 0);
        let layers = aws.lambda.list_layers().send().await.unwrap();
        assert_eq!(layers.layers().len(), 0, "{layers:?}");
        let roles = aws.iam.list_roles().send().await.unwrap();
        let left: Vec<_> = roles
            .roles()
            .iter()
            .map(|role| role.role_name())
            .filter(|name| name.starts_with("messages-dev-"))
            .collect();
        assert_eq!(left, [] as [&str; 0]);
    });
}

/// A service and a Function handed to it by reference are Lambdas of their
/// own: a route's call reaches the service, and the service's invocation of
/// the Function reaches it, each through Lambda's Invoke API by name.
#[test]
fn a_service_on_aws_is_a_lambda_that_other_units_invoke_by_name() {
    let program = r#"import * as unfold from "@unfold/cloud";
const greeter = unfold.importService<typeof import("./greeter")>("./greeter");
const stamp = new unfold.Function("stamp", (req) => ({ body: { stamped: req.json<{ text: string }>().text.toUpperCase() } }));
const api = new unfold.HttpApi("api");
api.route("POST", "/greet", async (req) => {
    try {
        return { body: await greeter.greet(req.json<{ name: string }>().name, stamp) };
    } catch (err) {
        return { status: 400, body: { error: (err as Error).message } };
    }
});
export const url = api.url;
"#;
    let aws_deployment = AwsDeployment::new(program, &bootstrap());
    let deployment = &aws_deployment.deployment;
    std::fs::write(
        deployment.project_dir.join("greeter.ts"),
        r#"import type { Function } from "@unfold/cloud";
export async function greet(name: string, stamp: Function): Promise<{ text: string; stamped: string; at: string }> {
    if (name === "") {
        throw new RangeError("a greeting needs a name");
    }
    const text = `hello, ${name}`;
    const reply = await stamp.invoke({ body: { text } });
    return { text, stamped: reply.json().stamped, at: new Date(0).toISOString() };
}
"#,
    )
    .unwrap();
    let aws = deployment.runtime.block_on(aws_deployment.moto.clients());
    deployment.run("up");

    let names = ["messages-dev-api-post-greet", "messages-dev-greeter", "messages-dev-stamp"];
    let configurations = deployment.runtime.block_on(async {
        let mut configurations = Vec::new();
        for name in names {
            let configuration =
                aws.lambda.get_function_configuration().function_name(name).send().await.unwrap();
            let role = configuration.role().unwrap().rsplit('/').next().unwrap().to_string();
            let invokes = policy_statements(&aws, &role)
                .await
                .into_iter()
                .find(|statement| statement["Action"] == "lambda:InvokeFunction");
            assert_eq!(
                invokes.map(|statement| statement["Resource"].clone()),
                Some(json!(format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:messages-dev-*"))),
                "{name} may invoke the stack's functions, and only them"
            );
            configurations.push(configuration);
        }
        configurations
    });
    // The callees first: the router sends each invocation to its function's emulator.
    let stamp = aws_deployment.run_function(&configurations[2]);
    let router = LambdaRouter::start(HashMap::from([(
        names[2].to_string(),
        stamp.invoke_url().to_string(),
    )]));
    let greeter = aws_deployment.run_function_calling(&configurations[1], router.url());
    let router = LambdaRouter::start(HashMap::from([
        (names[1].to_string(), greeter.invoke_url().to_string()),
        (names[2].to_string(), stamp.invoke_url().to_string()),
    ]));
    let route = aws_deployment.run_function_calling(&configurations[0], router.url());
    for run in [&stamp, &greeter, &route] {
        run.wait_for_log("restored in");
    }

    let greet = |body: &str| {
        route.invoke(&api_gateway_event(
            "POST /greet",
            "/greet",
            &[],
            "application/json",
            Some(body),
        ))
    };
    let greeted = greet(r#"{"name":"ada"}"#);
    assert_eq!(
        (greeted["statusCode"].clone(), json_body(&greeted)),
        (
            json!(200),
            json!({"text": "hello, ada", "stamped": "HELLO, ADA", "at": "1970-01-01T00:00:00.000Z"})
        ),
        "route: {}\ngreeter: {}\nstamp: {}",
        route.log(),
        greeter.log(),
        stamp.log()
    );
    // The service's error reaches the route with its message; its stack is in the service's log.
    let refused = greet(r#"{"name":""}"#);
    assert_eq!(
        (refused["statusCode"].clone(), json_body(&refused)),
        (json!(400), json!({"error": "greeter.greet: a greeting needs a name"}))
    );
    greeter.wait_for_log("greeter.ts:");
    deployment.run("destroy");
}

/// A create that fails half way removes what it made, and says what was in
/// the way.
#[test]
fn a_failed_create_leaves_nothing_behind() {
    let program = "import * as unfold from \"@unfold/cloud\";\nnew unfold.Function(\"insert\", async () => ({ body: \"hi\" }));\n";
    let aws_deployment = AwsDeployment::new(program, &bootstrap());
    let deployment = &aws_deployment.deployment;
    let aws = deployment.runtime.block_on(aws_deployment.moto.clients());
    // A function of that name exists already, made outside the stack.
    deployment.runtime.block_on(async {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let role = aws.iam.create_role().role_name("someone-elses").assume_role_policy_document(trust).send().await.unwrap();
        let code = {
            use std::io::Write;
            let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            writer.start_file("bootstrap", zip::write::SimpleFileOptions::default()).unwrap();
            writer.write_all(b"#!/bin/sh\n").unwrap();
            writer.finish().unwrap().into_inner()
        };
        aws.lambda
            .create_function()
            .function_name("messages-dev-insert")
            .runtime(aws_sdk_lambda::types::Runtime::Providedal2023)
            .handler("bootstrap")
            .role(role.role().unwrap().arn())
            .code(aws_sdk_lambda::types::FunctionCode::builder().zip_file(code.into()).build())
            .send()
            .await
            .unwrap();
    });
    let report = deployment.try_run("up");
    let error = format!("{:?} {:?}", report.error, report.diagnostics);
    assert!(
        error.contains("already exists")
            && error.contains("aws lambda delete-function --function-name messages-dev-insert"),
        "{error}"
    );
    let roles = deployment.runtime.block_on(aws.iam.list_roles().send()).unwrap();
    let names: Vec<_> = roles.roles().iter().map(|role| role.role_name()).collect();
    assert_eq!(names, ["someone-elses"], "the role made for the function is gone");
}
