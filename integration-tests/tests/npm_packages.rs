//! Provider SDKs from npm (`@pulumi/random`, `@pulumi/command`, `@pulumi/aws`)
//! and CommonJS packages run unchanged under Unfold's host: the programs in
//! ../npm-programs and small generated ones are run under our host and under
//! Pulumi's Node.js SDK, and must register the same resources, invoke the
//! same functions and export the same outputs.
//!
//! The programs find their packages in ../nodejs/node_modules through the
//! committed symlink npm-programs/node_modules (recreated here if a checkout
//! lost it): both Node.js and our host walk up from the
//! program to it, and both resolve it to the real path, so packages there
//! require the very `@pulumi/pulumi` the Node.js runner uses.
//!
//! Needs `cargo build --workspace --bins` and `npm ci` in ../nodejs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use unfold_engine::{Engine, EngineOptions, HostSpec, ProjectSpec, ProviderRegistry, RunReport};
use unfold_integration_tests::echo_provider::EchoProvider;
use unfold_integration_tests::node_peer::{assert_same, messages, node_host, requests};

const STACK: &str = "dev";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn unfold_host() -> HostSpec {
    unfold_integration_tests::unfold_host()
}

/// npm-programs/<name>, with the node_modules link in place.
fn program(name: &str) -> PathBuf {
    let programs = manifest_dir().join("npm-programs");
    let link = programs.join("node_modules");
    if std::fs::symlink_metadata(&link).is_err() {
        // Another test may create it at the same moment.
        let _ = std::os::unix::fs::symlink("../nodejs/node_modules", &link);
    }
    assert!(
        link.join("@pulumi/aws/package.json").is_file(),
        "{} has no @pulumi/aws: run `npm ci` in integration-tests/nodejs",
        link.display()
    );
    programs.join(name)
}

/// Providers for the packages the programs use, answering the functions they call.
fn providers() -> ProviderRegistry {
    let mut registry = unfold_integration_tests::test_providers();
    let aws = EchoProvider::new().answering(
        "aws:index/getCallerIdentity:getCallerIdentity",
        json!({
            "accountId": "123456789012",
            "arn": "arn:aws:iam::123456789012:user/unfold",
            "id": "123456789012",
            "userId": "AIDAUNFOLD",
        }),
    );
    registry.register("aws", Arc::new(aws));
    registry.register("random", Arc::new(EchoProvider::new()));
    registry.register("command", Arc::new(EchoProvider::new()));
    registry.register("spawner", Arc::new(EchoProvider::new()));
    registry
}

fn engine(state: &Path) -> Engine {
    unfold_integration_tests::engine(state).with_providers(providers()).with_options(
        EngineOptions { run_timeout: Duration::from_secs(120), ..EngineOptions::default() },
    )
}

/// Runs `up` on the same project under both hosts, each with its own state,
/// and checks that both asked the same of the engine.
async fn up_under_both(dir: &Path) -> (RunReport, RunReport) {
    let spec = ProjectSpec::load(dir, STACK).unwrap();
    let state = tempfile::tempdir().unwrap();
    let ours = engine(&state.path().join("unfold")).up(&spec, &unfold_host()).await;
    let node = engine(&state.path().join("node")).up(&spec, &node_host()).await;
    assert_same(&ours, &node, dir);
    (ours, node)
}

fn registered_types(report: &RunReport) -> Vec<String> {
    requests(report)
        .iter()
        .filter(|r| r["method"] == "ResourceMonitor/RegisterResource")
        .map(|r| r["request"]["type"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn random_sdk_registers_as_under_node() {
    let (ours, _) = up_under_both(&program("random")).await;
    let mut types = registered_types(&ours);
    types.sort();
    assert_eq!(
        types,
        [
            "pulumi:pulumi:Stack",
            "random:index/randomId:RandomId",
            "random:index/randomPassword:RandomPassword",
            "random:index/randomPet:RandomPet",
            "random:index/randomShuffle:RandomShuffle"
        ]
    );
    // The SDK pins its provider version from its package.json.
    let pet =
        &requests(&ours).into_iter().find(|r| r["request"]["name"] == "pet").unwrap()["request"];
    assert_eq!(pet["version"], "4.21.2", "{pet:#}");
}

#[tokio::test]
async fn command_sdk_registers_as_under_node() {
    let (ours, _) = up_under_both(&program("command")).await;
    assert_eq!(ours.outputs["remoteCreate"], json!("ssh-echo echo hello"));
}

#[tokio::test]
async fn aws_sdk_registers_and_invokes_as_under_node() {
    let (ours, _) = up_under_both(&program("aws")).await;
    let types = registered_types(&ours);
    for expected in [
        "aws:s3/bucketV2:BucketV2",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:lambda/function:Function",
    ] {
        assert!(types.iter().any(|t| t == expected), "{expected} not in {types:?}");
    }
    assert!(
        requests(&ours)
            .iter()
            .any(|r| r["request"]["tok"] == "aws:index/getCallerIdentity:getCallerIdentity"),
        "the program invokes getCallerIdentity"
    );
    assert_eq!(ours.outputs["account"], json!("123456789012"));
}

/// The AWS SDK v3, minipass, lru-cache and the Node.js built-ins SDKs load
/// (`zlib`, `querystring`, `string_decoder`, `diagnostics_channel`, `http`,
/// `https`, `http2`, `net`) compute the same values under both hosts.
#[tokio::test]
async fn sdk_clients_and_the_builtins_they_load_behave_as_under_node() {
    let (ours, _) = up_under_both(&program("sdk-clients")).await;
    assert_eq!(ours.outputs["s3Region"], json!("eu-west-1"));
    assert_eq!(ours.outputs["minipassText"], json!("h€!"));
    assert_eq!(ours.outputs["gzipStream"], json!("streamed through"));
    assert_eq!(ours.outputs["inflatedFromNode"], json!("made by Node.js zlib"));
}

/// A package of CommonJS features: every value the program exports is
/// computed by Node.js's module system and built-ins, so equal outputs mean
/// equal behaviour.
const COMMONJS_PROGRAM: &[(&str, &str)] = &[
    ("Pulumi.yaml", "name: commonjs\nruntime: unfold\n"),
    ("data/config.json", r#"{ "region": "eu-west-1", "sizes": [1, 2, 3] }"#),
    (
        "index.ts",
        r#"import * as fs from "fs";
import * as path from "node:path";
import { EventEmitter } from "events";
import * as util from "util";
import * as assert from "assert";
import * as crypto from "crypto";
import * as lib from "features";
import { greet, version as libVersion } from "features";
import * as dual from "dual";

const emitter = new EventEmitter();
const heard: string[] = [];
emitter.on("ping", (v: string) => heard.push(v));
emitter.emit("ping", "pong");
assert.deepStrictEqual(heard, ["pong"]);
assert.throws(() => assert.strictEqual(1, 2), /strictEqual|Expected/);

const configPath = path.join(__dirname, "data", "config.json");
const config = JSON.parse(fs.readFileSync(configPath, "utf8"));

export const greeting = greet("unfold");
export const version = libVersion;
export const cycle = lib.cycle;
export const json = lib.json;
export const resolved = path.relative(__dirname, lib.resolved);
export const dirnameOfLib = path.basename(lib.dirname);
export const dualFlavor = dual.flavor;
export const region = config.region;
export const exists = [fs.existsSync(configPath), fs.existsSync(path.join(__dirname, "nope"))];
export const listing = fs.readdirSync(path.join(__dirname, "data"));
export const isDir = fs.statSync(path.join(__dirname, "data")).isDirectory();
export const formatted = util.format("%s=%d %j", "n", 42, { a: [1] });
export const inspected = util.inspect({ a: { b: [1, 2] } });
export const sha1 = crypto.createHash("sha1").update("abc").digest("hex");
export const sha256 = crypto.createHash("sha256").update(Buffer.from("abc")).digest("base64");
export const md5 = crypto.createHash("md5").update("abc").digest("hex");
export const hmac = crypto.createHmac("sha256", "key").update("abc").digest("hex");
export const base64 = Buffer.from("héllo wörld").toString("base64");
export const hex = Buffer.concat([Buffer.from([1, 2]), Buffer.alloc(2, 255)]).toString("hex");
export const joined = path.resolve("/a/b", "../c", "./d.txt");
export const parsed = path.parse("/x/y/file.tar.gz");
export const envHome = typeof process.env.HOME;
export const missingEnv = process.env.UNFOLD_SURELY_UNSET_VARIABLE ?? "unset";
export const cwdIsProgram = process.cwd() === __dirname;
export const nodeKind = typeof process.version;
export const promisified = util.promisify((x: number, cb: (e: unknown, v: number) => void) => cb(null, x * 2))(21);
export const optional = lib.optional;
"#,
    ),
    (
        "node_modules/features/package.json",
        r#"{ "name": "features", "version": "1.2.3", "main": "./lib/index.js" }"#,
    ),
    (
        "node_modules/features/lib/index.js",
        r#""use strict";
const a = require("./a");
const pkg = require("../package.json");
exports.greet = (name) => `hello ${name} from ${a.name}`;
exports.version = pkg.version;
exports.cycle = a.sawPartialIndex;
exports.json = require("./data.json").answer;
exports.resolved = require.resolve("./a");
exports.dirname = __dirname;
let optional;
try { require("not-installed-anywhere"); optional = "found"; } catch (e) { optional = e.code; }
exports.optional = optional;
"#,
    ),
    (
        "node_modules/features/lib/a.js",
        r#"const index = require("./index");
// A cycle sees the partial exports of the module still loading, as in Node.js.
exports.sawPartialIndex = typeof index.greet;
exports.name = "a";
"#,
    ),
    ("node_modules/features/lib/data.json", r#"{ "answer": 42 }"#),
    (
        "node_modules/dual/package.json",
        r#"{ "name": "dual", "exports": { ".": { "types": "./index.d.ts", "import": "./esm.mjs", "require": "./cjs.cjs" } } }"#,
    ),
    ("node_modules/dual/esm.mjs", "export const flavor = 'import';\n"),
    ("node_modules/dual/cjs.cjs", "exports.flavor = 'require';\n"),
];

fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::copy(manifest_dir().join("corpus/l1-empty/tsconfig.json"), root.join("tsconfig.json"))
        .unwrap();
}

#[tokio::test]
async fn commonjs_packages_and_node_builtins_behave_as_under_node() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), COMMONJS_PROGRAM);
    let (ours, _) = up_under_both(dir.path()).await;
    assert_eq!(ours.outputs["cycle"], json!("undefined"));
    // TypeScript programs are CommonJS under Node.js (ts-node), so they see `require` conditions.
    assert_eq!(ours.outputs["dualFlavor"], json!("require"));
    assert_eq!(ours.outputs["optional"], json!("MODULE_NOT_FOUND"));
}

#[tokio::test]
async fn a_missing_builtin_names_the_package_the_module_and_the_builtin() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("Pulumi.yaml", "name: spawns\nruntime: unfold\n"),
            (
                "index.ts",
                "import { run } from \"spawner\";\nexport const out = run(\"echo hi\");\n",
            ),
            (
                "node_modules/spawner/package.json",
                r#"{ "name": "spawner", "version": "1.0.0", "main": "lib/index.js" }"#,
            ),
            (
                "node_modules/spawner/lib/index.js",
                "\"use strict\";\nconst workers = require(\"worker_threads\");\nexports.run = (c) => new workers.Worker(c);\n",
            ),
            (
                "node_modules/globals-user/package.json",
                r#"{ "name": "globals-user", "main": "index.js" }"#,
            ),
            ("node_modules/globals-user/index.js", "exports.request = new XMLHttpRequest();\n"),
        ],
    );
    let spec = ProjectSpec::load(dir.path(), STACK).unwrap();
    let state = tempfile::tempdir().unwrap();
    let report = engine(state.path()).up(&spec, &unfold_host()).await;
    assert!(!report.succeeded());
    let messages = self::messages(&report);
    let error = messages
        .iter()
        .find(|m| m.contains("worker_threads"))
        .unwrap_or_else(|| panic!("{messages:#?}"));
    assert!(error.contains("package 'spawner'"), "{error}");
    assert!(error.contains("spawner/lib/index.js"), "{error}");
    assert!(error.contains("Node.js built-in module 'worker_threads'"), "{error}");

    // A global the package expects but Unfold lacks is named too, never a bare ReferenceError.
    std::fs::write(
        dir.path().join("index.ts"),
        "import * as g from \"globals-user\";\nexport const r = g.request;\n",
    )
    .unwrap();
    let report = engine(state.path()).up(&spec, &unfold_host()).await;
    assert!(!report.succeeded());
    let messages = self::messages(&report);
    let error = messages
        .iter()
        .find(|m| m.contains("XMLHttpRequest"))
        .unwrap_or_else(|| panic!("{messages:#?}"));
    assert!(
        error.contains("package 'globals-user'") && error.contains("globals-user/index.js"),
        "{error}"
    );
    assert!(
        error.contains("uses the global 'XMLHttpRequest', which Unfold does not provide"),
        "{error}"
    );
}

/// Our host, started as the engine starts it; stopped when dropped.
struct RunningHost {
    child: tokio::process::Child,
    address: String,
}

async fn start_host() -> RunningHost {
    use tokio::io::AsyncBufReadExt;
    let HostSpec::Plugin { binary: Some(binary) } = unfold_host() else { unreachable!() };
    // The engine address is only health-checked; these calls need no engine.
    let mut child = tokio::process::Command::new(binary)
        .arg("127.0.0.1:1")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let port = lines.next_line().await.unwrap().expect("the host prints its port");
    RunningHost { child, address: format!("http://127.0.0.1:{}", port.trim()) }
}

#[tokio::test]
async fn required_packages_are_the_plugins_the_sdk_packages_declare() {
    use unfold_proto::pulumirpc::language_runtime_client::LanguageRuntimeClient;
    use unfold_proto::pulumirpc::{
        GetRequiredPackagesRequest, GetRequiredPluginsRequest, ProgramInfo,
    };

    let host = start_host().await;
    let mut client = LanguageRuntimeClient::connect(host.address.clone()).await.unwrap();
    let dir = program("aws");
    let info = ProgramInfo {
        root_directory: dir.display().to_string(),
        program_directory: dir.display().to_string(),
        entry_point: ".".into(),
        options: None,
    };
    let packages = client
        .get_required_packages(GetRequiredPackagesRequest { info: Some(info.clone()) })
        .await
        .unwrap()
        .into_inner()
        .packages;
    let found: Vec<(String, String, String)> =
        packages.iter().map(|p| (p.name.clone(), p.kind.clone(), p.version.clone())).collect();
    // @pulumi/command's package.json gives no plugin version: the package's own ("v4.5.0") is used.
    for expected in [("aws", "7.48.0"), ("command", "4.5.0"), ("random", "4.21.2")] {
        assert!(
            found.contains(&(
                expected.0.to_string(),
                "resource".to_string(),
                expected.1.to_string()
            )),
            "{expected:?} not in {found:?}"
        );
    }
    #[allow(deprecated)]
    let plugins = client
        .get_required_plugins(GetRequiredPluginsRequest { info: Some(info), ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .plugins;
    assert!(plugins.iter().any(|p| p.name == "command" && p.version == "4.5.0"), "{plugins:?}");
    drop(host.child);
}
