//! The `unfold` package schema, as `GetSchema` returns it: what tools that
//! generate SDKs or docs learn about the three resources.

use serde_json::{Value, json};

pub(crate) const TABLE: &str = "unfold:index:Table";
pub(crate) const FUNCTION: &str = "unfold:index:Function";
pub(crate) const HTTP_API: &str = "unfold:index:HttpApi";

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn number(description: &str) -> Value {
    json!({"type": "number", "description": description})
}

/// The inputs every resource has.
fn common() -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("name".into(), string("The resource's name on the local target; also its ID. Letters, digits, '-', '_' and '.'."));
    map.insert(
        "stateDir".into(),
        string("The stack's state directory on the local target (an absolute path)."),
    );
    map
}

fn resource(
    description: &str,
    inputs: serde_json::Map<String, Value>,
    required: &[&str],
    outputs: &[(&str, Value)],
) -> Value {
    let mut properties = inputs.clone();
    for (name, schema) in outputs {
        properties.insert((*name).into(), schema.clone());
    }
    let mut all_required: Vec<&str> = required.to_vec();
    all_required.extend(outputs.iter().map(|(name, _)| *name));
    json!({
        "description": description,
        "inputProperties": inputs,
        "requiredInputs": required,
        "properties": properties,
        "required": all_required,
    })
}

pub(crate) fn schema() -> Value {
    let table = resource(
        "A table on the local target: a SQLite database of JSON values by string key.",
        common(),
        &["name", "stateDir"],
        &[("path", string("The table's SQLite file."))],
    );

    let mut function_inputs = common();
    function_inputs.insert(
        "bundle".into(),
        string("The content hash (hex) of the Function's bundle; a new hash is new code."),
    );
    function_inputs.insert(
        "bundlePath".into(),
        string("Where the language host wrote the bundle (an absolute path); copied on deploy."),
    );
    function_inputs.insert(
        "timeout".into(),
        number("Longest an invocation may run, in seconds (default 30)."),
    );
    function_inputs
        .insert("memory".into(), number("Memory for the function, in MB (default 128)."));
    function_inputs.insert(
        "concurrency".into(),
        number("Instances that may serve the function at once, started as requests need them (default 4)."),
    );
    function_inputs.insert(
        "environment".into(),
        json!({"type": "object", "additionalProperties": {"type": "string"}, "description": "Environment variables the handler sees through process.env."}),
    );
    function_inputs.insert(
        "invocations".into(),
        json!({"type": "object", "additionalProperties": {"$ref": "pulumi.json#/Any"}, "description": "How invocations are recorded for replay: {keep, keepFailed, maxBytes, secrets}; false records none."}),
    );
    function_inputs.insert(
        "secrets".into(),
        json!({"type": "string", "secret": true, "description": "JSON array text of the values the bundle's secret placeholders stand for."}),
    );
    let function = resource(
        "A Function on the local target: a bundle the local server runs when one of an HttpApi's routes is called.",
        function_inputs,
        &["name", "stateDir", "bundle", "bundlePath"],
        &[
            ("codePath", string("Where the deployed bundle lives in the state directory.")),
            ("size", number("The bundle's size in bytes.")),
        ],
    );

    let mut api_inputs = common();
    api_inputs.insert(
        "routes".into(),
        json!({"type": "array", "items": {"$ref": "#/types/unfold:index:Route"}, "description": "The API's routes."}),
    );
    api_inputs.insert(
        "corsConfiguration".into(),
        json!({"$ref": "#/types/unfold:index:Cors", "description": "Web origins that may call the API from a browser; without it, state-changing requests from web pages are refused."}),
    );
    let http_api = resource(
        "An HTTP API on the local target, served by the stack's local server at http://127.0.0.1:<port>/<name>.",
        api_inputs,
        &["name", "stateDir", "routes"],
        &[("url", string("The API's base URL; routes' paths follow it."))],
    );

    json!({
        "name": "unfold",
        "displayName": "Unfold",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Tables, functions and HTTP APIs for Unfold programs, on the local target.",
        "keywords": ["pulumi", "unfold", "category/cloud"],
        "license": "Apache-2.0",
        "provider": {"description": "The unfold provider; it needs no configuration."},
        "config": {},
        "types": {
            "unfold:index:Route": {
                "type": "object",
                "description": "One route of an HttpApi.",
                "properties": {
                    "method": string("GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS."),
                    "path": string("The path below the API's URL, starting with '/'; `{name}` segments are parameters, e.g. /messages/{id}."),
                    "function": string("The name of the Function that answers."),
                },
                "required": ["method", "path", "function"],
            },
            "unfold:index:Cors": {
                "type": "object",
                "description": "Which web origins may call an HttpApi from a browser.",
                "properties": {
                    "allowOrigins": {"type": "array", "items": {"type": "string"}, "description": "Origins (scheme://host[:port]), or * for any."},
                    "allowHeaders": {"type": "array", "items": {"type": "string"}, "description": "Request headers a page may send (default: content-type)."},
                    "maxAge": number("Seconds a browser may cache a preflight's answer."),
                },
                "required": ["allowOrigins"],
            }
        },
        "resources": {
            TABLE: table,
            FUNCTION: function,
            HTTP_API: http_api,
        },
        "language": {},
    })
}
