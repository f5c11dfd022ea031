//! One suite of `@unfold/cloud` behaviours, run against both targets: round
//! trips through a Table, 4xx answers, 500 with the handler's .ts line in
//! the log, 504 past a Function's timeout, paging, and secrets that reach a
//! handler but not its code. The same program is deployed by the embedded
//! engine to the local target (called over HTTP) and to the AWS target on
//! moto, where each route's function runs as Lambda runs it (see
//! `lambda_emulator`) and gets the events API Gateway would send for the
//! API's routes, as read back from the emulator.
//!
//! `UNFOLD_AWS_EMULATORS` names the emulators' folder (`scripts/test` sets it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use unfold_integration_tests::aws_deployment::AwsDeployment;
use unfold_integration_tests::http::http;
use unfold_integration_tests::lambda_emulator::{LambdaRun, api_gateway_event, bootstrap};
use unfold_integration_tests::local_deployment::Deployment;

const PROGRAM: &str = r#"import * as pulumi from "@pulumi/pulumi";
import * as unfold from "@unfold/cloud";

const notes = new unfold.Table<{ text: string }>("notes");
let token = "";
new pulumi.Config().requireSecret("token").apply((t) => { token = t; });

const api = new unfold.HttpApi("api");
api.route("PUT", "/notes/{id}", async (req) => {
    await notes.put(req.params.id, req.json<{ text: string }>());
    return { status: 201, body: { stored: req.params.id } };
});
api.route("GET", "/notes/{id}", async (req) => {
    const note = await notes.get(req.params.id);
    return note === undefined ? { status: 404, body: { error: `no note ${req.params.id}` } } : { body: note };
});
api.route("GET", "/notes", async (req) => {
    const page = await notes.query(req.query.prefix ?? "", { limit: Number(req.query.limit ?? "100"), cursor: req.query.cursor });
    return { body: { keys: page.items.map((item) => item.key), cursor: page.cursor ?? null } };
});
api.route("GET", "/fail", async () => {
    throw new Error("the handler broke");
});
api.route("GET", "/slow", new unfold.Function("slow", async () => {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return { body: "late" };
}, { timeout: 1 }));
api.route("GET", "/token", async () => ({ body: { length: token.length, starts: token.slice(0, 3) } }));
export const url = api.url;
"#;

/// The token the program reads from its stack's secret config.
const TOKEN: &str = "tok-5d1c0a77-never-in-code";

/// A deployed program, as a client and an operator see it.
trait Target {
    /// `method path` (with its query) and its answer: status and body.
    fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String);
    /// What the functions logged.
    fn log(&self) -> String;
    /// The files holding the functions' code as deployed.
    fn code(&self) -> Vec<PathBuf>;
}

struct Local {
    deployment: Deployment,
    url: String,
}

impl Target for Local {
    fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let reply =
            http(method, &format!("{}{path}", self.url), "application/json", body.unwrap_or(""))
                .unwrap();
        (reply.status, reply.body)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.deployment.local().join("server.log")).unwrap_or_default()
    }

    fn code(&self) -> Vec<PathBuf> {
        files_under(&self.deployment.local().join("functions"))
            .into_iter()
            .filter(|path| path.extension().is_some_and(|extension| extension == "bundle"))
            .collect()
    }
}

/// Each route's function running as Lambda runs it; requests become the
/// events API Gateway sends for the route they match.
struct Aws {
    _deployment: AwsDeployment,
    /// (method, path pattern, function).
    routes: Vec<(String, String, String)>,
    runs: HashMap<String, LambdaRun>,
}

/// `path`'s parameters if it matches `pattern` (`/notes/{id}`).
fn matches(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
    let (patterns, parts): (Vec<_>, Vec<_>) =
        (pattern.split('/').collect(), path.split('/').collect());
    if patterns.len() != parts.len() {
        return None;
    }
    let mut params = Vec::new();
    for (pattern, part) in patterns.iter().zip(&parts) {
        match pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => params.push((name.to_string(), part.to_string())),
            None if pattern == part => {}
            None => return None,
        }
    }
    Some(params)
}

impl Aws {
    fn deploy() -> Self {
        let mut deployment = AwsDeployment::new(PROGRAM, &bootstrap());
        deployment.deployment.add_config("messages:token", TOKEN, true);
        deployment.deployment.run("up");
        let aws = deployment.deployment.runtime.block_on(deployment.moto.clients());
        let (routes, configurations) = deployment.deployment.runtime.block_on(async {
            let apis = aws.apigateway.get_apis().send().await.unwrap();
            let api_id = apis.items()[0].api_id().unwrap().to_string();
            let integrations =
                aws.apigateway.get_integrations().api_id(&api_id).send().await.unwrap();
            let function_of: HashMap<String, String> = integrations
                .items()
                .iter()
                .map(|integration| {
                    let uri = integration.integration_uri().unwrap();
                    (
                        integration.integration_id().unwrap().to_string(),
                        uri.rsplit(':').next().unwrap().to_string(),
                    )
                })
                .collect();
            let listed = aws.apigateway.get_routes().api_id(&api_id).send().await.unwrap();
            let mut routes = Vec::new();
            for route in listed.items() {
                let (method, pattern) = route.route_key().unwrap().split_once(' ').unwrap();
                let integration = route.target().unwrap().trim_start_matches("integrations/");
                routes.push((
                    method.to_string(),
                    pattern.to_string(),
                    function_of[integration].clone(),
                ));
            }
            let mut configurations = Vec::new();
            for function in function_of.values() {
                configurations.push(
                    aws.lambda
                        .get_function_configuration()
                        .function_name(function)
                        .send()
                        .await
                        .unwrap(),
                );
            }
            (routes, configurations)
        });
        let runs = configurations
            .iter()
            .map(|configuration| {
                (
                    configuration.function_name().unwrap().to_string(),
                    deployment.run_function(configuration),
                )
            })
            .collect();
        Self { _deployment: deployment, routes, runs }
    }
}

impl Target for Aws {
    fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let (pattern, params, function) = self
            .routes
            .iter()
            .filter(|(route_method, ..)| route_method == method)
            .find_map(|(_, pattern, function)| Some((pattern, matches(pattern, path)?, function)))
            .unwrap_or_else(|| panic!("no route for {method} {path}"));
        let params: Vec<(&str, &str)> =
            params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut event = api_gateway_event(
            &format!("{method} {pattern}"),
            path,
            &params,
            "application/json",
            body,
        );
        event["rawQueryString"] = json!(query);
        let answer = self.runs[function].invoke(&event);
        (
            answer["statusCode"].as_u64().unwrap() as u16,
            answer["body"].as_str().unwrap_or_default().to_string(),
        )
    }

    fn log(&self) -> String {
        self.runs.values().map(LambdaRun::log).collect::<Vec<_>>().join("\n")
    }

    fn code(&self) -> Vec<PathBuf> {
        self.runs.values().flat_map(|run| files_under(&run.task_root())).collect()
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {body}"))
}

/// The behaviours, on whichever target.
fn contract(target: &dyn Target) {
    // Round trips through the table.
    for (key, text) in [("a1", "one"), ("a2", "two"), ("a3", "three"), ("b1", "four")] {
        let (status, body) = target.request(
            "PUT",
            &format!("/notes/{key}"),
            Some(&json!({ "text": text }).to_string()),
        );
        assert_eq!((status, json_of(&body)), (201, json!({ "stored": key })));
    }
    let (status, body) = target.request("GET", "/notes/a2", None);
    assert_eq!((status, json_of(&body)), (200, json!({ "text": "two" })));

    // 4xx: the handler's own, and a body that is not the JSON it says it is.
    let (status, body) = target.request("GET", "/notes/zz", None);
    assert_eq!((status, json_of(&body)), (404, json!({ "error": "no note zz" })));
    let (status, _) = target.request("PUT", "/notes/a9", Some("{not json"));
    assert_eq!(status, 400);

    // Paging: a prefix, in key order, a page at a time.
    let (_, first) = target.request("GET", "/notes?prefix=a&limit=2", None);
    let first = json_of(&first);
    assert_eq!(first["keys"], json!(["a1", "a2"]));
    let cursor = first["cursor"].as_str().expect("a cursor to the next page");
    let (_, second) =
        target.request("GET", &format!("/notes?prefix=a&limit=2&cursor={cursor}"), None);
    assert_eq!(json_of(&second), json!({ "keys": ["a3"], "cursor": null }));
    let (_, all) = target.request("GET", "/notes", None);
    assert_eq!(json_of(&all)["keys"], json!(["a1", "a2", "a3", "b1"]));

    // 500, and the log names the handler's .ts line.
    let (status, _) = target.request("GET", "/fail", None);
    assert_eq!(status, 500);
    let log = target.log();
    assert!(log.contains("the handler broke") && log.contains("index.ts:22:"), "{log}");

    // 504 past the Function's timeout.
    let (status, _) = target.request("GET", "/slow", None);
    assert_eq!(status, 504);

    // The secret reaches the handler, and is nowhere in the deployed code.
    let (status, body) = target.request("GET", "/token", None);
    assert_eq!((status, json_of(&body)), (200, json!({ "length": TOKEN.len(), "starts": "tok" })));
    let code = target.code();
    assert!(!code.is_empty());
    for file in code {
        let bytes = std::fs::read(&file).unwrap();
        let holds = bytes.windows(TOKEN.len()).any(|window| window == TOKEN.as_bytes());
        assert!(!holds, "{} holds the secret", file.display());
    }
}

#[test]
fn the_contract_holds_on_the_local_target() {
    let deployment = Deployment::with_program(PROGRAM).with_secret_config("messages:token", TOKEN);
    let url = deployment.run("up").outputs["url"].as_str().unwrap().to_string();
    contract(&Local { deployment, url });
}

#[test]
fn the_contract_holds_on_the_aws_target() {
    contract(&Aws::deploy());
}
