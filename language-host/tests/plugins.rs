//! Plugins written for `runtime: unfold` (policy packs, component providers),
//! driven as the engine drives them: RunPlugin on the host, the port read from
//! the plugin's stdout, then the plugin's service on that port. Pulumi's
//! conformance suite runs its packs and providers under the real engine
//! (integration-tests/conformance/{policies,providers}).

mod common;

use std::path::Path;

use common::launch;
use serde_json::json;
use tokio_stream::StreamExt;
use tonic::transport::Channel;
use unfold_proto::pbjson_types::{Empty, Struct};
use unfold_proto::pulumirpc::analyzer_client::AnalyzerClient;
use unfold_proto::pulumirpc::language_runtime_client::LanguageRuntimeClient;
use unfold_proto::pulumirpc::resource_provider_client::ResourceProviderClient;
use unfold_proto::pulumirpc::run_plugin_response::Output;
use unfold_proto::pulumirpc::{
    AnalyzeRequest, AnalyzeStackRequest, AnalyzerHandshakeRequest, AnalyzerResource,
    AnalyzerResourceOptions, AnalyzerStackConfigureRequest, ConfigureAnalyzerRequest,
    ConstructRequest, CreateRequest, EnforcementLevel, GetSchemaRequest, PolicyConfig, PolicyType,
    ProgramInfo, RunPluginRequest, RunPluginResponse,
};

fn run_request(dir: &Path) -> RunPluginRequest {
    RunPluginRequest {
        kind: "analyzer".into(),
        info: Some(ProgramInfo {
            root_directory: dir.display().to_string(),
            program_directory: dir.display().to_string(),
            entry_point: ".".into(),
            options: None,
        }),
        ..Default::default()
    }
}

fn write_pack(dir: &Path, version: &str, program: &str) {
    std::fs::write(dir.join("PulumiPolicy.yaml"), "runtime: unfold\n").unwrap();
    std::fs::write(
        dir.join("package.json"),
        json!({ "name": "pack", "version": version }).to_string(),
    )
    .unwrap();
    std::fs::write(dir.join("index.ts"), program).unwrap();
}

fn props(value: serde_json::Value) -> Option<Struct> {
    Some(serde_json::from_value(value).unwrap())
}

/// Starts the pack and connects to it as the engine does.
/// Runs the plugin `request` names; returns its output and the address it
/// announced on its first stdout line.
async fn start_plugin(
    host: &mut LanguageRuntimeClient<Channel>,
    request: RunPluginRequest,
) -> (tonic::Streaming<RunPluginResponse>, String) {
    let mut output = host.run_plugin(request).await.unwrap().into_inner();
    let first = output.next().await.unwrap().unwrap();
    let Some(Output::Stdout(line)) = first.output else {
        panic!("the port comes first: {first:?}")
    };
    let port: u16 = String::from_utf8(line).unwrap().trim().parse().unwrap();
    (output, format!("http://127.0.0.1:{port}"))
}

async fn start_pack(
    host: &mut LanguageRuntimeClient<Channel>,
    dir: &Path,
) -> (tonic::Streaming<RunPluginResponse>, AnalyzerClient<Channel>) {
    let (output, address) = start_plugin(host, run_request(dir)).await;
    (output, AnalyzerClient::connect(address).await.unwrap())
}

const PACK: &str = r#"
import * as pulumi from "@pulumi/pulumi";
import { PolicyPack, Secret } from "@pulumi/policy";

// The pack's top-level code reads the stack's config, as packs may.
const limit = new pulumi.Config().requireNumber("limit");

new PolicyPack("sizes", {
    policies: [
        {
            name: `at-most-${limit}`,
            description: "Sizes stay small",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.props.size > limit) {
                    reportViolation(`size ${args.props.size} (dry run: ${pulumi.runtime.isDryRun()}, team: ${args.stackTags.get("team")})`);
                }
            },
        },
        {
            name: "labelled",
            description: "Resources carry the configured label",
            enforcementLevel: "remediate",
            remediateResource: (args) => {
                const label = args.getConfig<{ label: string }>().label;
                return args.props.label === label ? undefined : { ...args.props, label };
            },
        },
        {
            name: "one-parent",
            description: "Children name their parent",
            validateStack: (args, reportViolation) => {
                for (const resource of args.resources) {
                    if (resource.parent !== undefined && !resource.name.startsWith(resource.parent.name)) {
                        reportViolation(`${resource.name} is not named after ${resource.parent.name}`, resource.urn);
                    }
                }
            },
        },
    ],
});
void Secret;
"#;

#[tokio::test]
async fn a_policy_pack_answers_the_engine_with_its_policies() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(dir.path(), "4.5.6", PACK);
    let (_host_process, mut host) = launch(&[]).await;
    let (_output, mut analyzer) = start_pack(&mut host, dir.path()).await;

    analyzer
        .handshake(AnalyzerHandshakeRequest {
            engine_address: String::new(),
            root_directory: Some(dir.path().display().to_string()),
            program_directory: Some(dir.path().display().to_string()),
        })
        .await
        .unwrap();
    analyzer
        .configure_stack(AnalyzerStackConfigureRequest {
            stack: "dev".into(),
            project: "shop".into(),
            dry_run: true,
            config: [("shop:limit".to_string(), "3".to_string())].into(),
            tags: [("team".to_string(), "payments".to_string())].into(),
            ..Default::default()
        })
        .await
        .unwrap();

    let info = analyzer.get_analyzer_info(Empty {}).await.unwrap().into_inner();
    assert_eq!((info.name.as_str(), info.version.as_str()), ("sizes", "4.5.6"));
    assert!(info.supports_config);
    let policies: Vec<_> = info
        .policies
        .iter()
        .map(|p| (p.name.as_str(), p.enforcement_level(), p.policy_type()))
        .collect();
    assert_eq!(
        policies,
        [
            ("at-most-3", EnforcementLevel::Mandatory, PolicyType::Resource),
            ("labelled", EnforcementLevel::Remediate, PolicyType::Resource),
            ("one-parent", EnforcementLevel::Advisory, PolicyType::Stack),
        ],
        "the policy's name comes from the stack's config"
    );

    analyzer
        .configure(ConfigureAnalyzerRequest {
            policy_config: [(
                "labelled".to_string(),
                PolicyConfig {
                    enforcement_level: EnforcementLevel::Remediate as i32,
                    properties: props(json!({ "label": "shop" })),
                },
            )]
            .into(),
        })
        .await
        .unwrap();

    let resource = |name: &str, properties: serde_json::Value| AnalyzeRequest {
        r#type: "shop:index:Box".into(),
        name: name.into(),
        urn: format!("urn:pulumi:dev::shop::shop:index:Box::{name}"),
        properties: props(properties),
        options: Some(AnalyzerResourceOptions::default()),
        provider: None,
    };
    let analyzed =
        analyzer.analyze(resource("big", json!({ "size": 5 }))).await.unwrap().into_inner();
    assert_eq!(analyzed.diagnostics.len(), 1, "{analyzed:?}");
    let violation = &analyzed.diagnostics[0];
    assert_eq!(violation.policy_name, "at-most-3");
    assert_eq!(violation.policy_pack_version, "4.5.6");
    assert_eq!(violation.message, "Sizes stay small\nsize 5 (dry run: true, team: payments)");
    assert_eq!(violation.enforcement_level(), EnforcementLevel::Mandatory);
    assert!(
        analyzed.not_applicable.iter().any(|n| n.policy_name == "labelled"),
        "a remediation-only policy does not validate: {analyzed:?}"
    );

    // An unknown value (a preview) stops the policy that reads it, which says so.
    let unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    let analyzed =
        analyzer.analyze(resource("later", json!({ "size": unknown }))).await.unwrap().into_inner();
    assert_eq!(analyzed.diagnostics.len(), 1, "{analyzed:?}");
    assert_eq!(
        analyzed.diagnostics[0].message,
        "can't run policy 'at-most-3' from policy pack 'sizes@v4.5.6' during preview: \
         string value at .size can't be known during preview"
    );
    assert_eq!(analyzed.diagnostics[0].enforcement_level(), EnforcementLevel::Advisory);

    // A remediation keeps a secret property secret.
    let secret = json!({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "s3cret" });
    let remediated = analyzer
        .remediate(resource("box", json!({ "size": 1, "label": "old", "token": secret })))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(remediated.remediations.len(), 1, "{remediated:?}");
    let fixed = serde_json::to_value(remediated.remediations[0].properties.as_ref()).unwrap();
    // Struct numbers are doubles.
    assert_eq!(fixed, json!({ "size": 1.0, "label": "shop", "token": secret }));

    let stack_resource = |name: &str, parent: &str| AnalyzerResource {
        r#type: "shop:index:Box".into(),
        name: name.into(),
        urn: format!("urn:pulumi:dev::shop::shop:index:Box::{name}"),
        parent: if parent.is_empty() {
            String::new()
        } else {
            format!("urn:pulumi:dev::shop::shop:index:Box::{parent}")
        },
        options: Some(AnalyzerResourceOptions::default()),
        ..Default::default()
    };
    let stack = analyzer
        .analyze_stack(AnalyzeStackRequest {
            resources: vec![
                stack_resource("cart", ""),
                stack_resource("cart-item", "cart"),
                stack_resource("stray", "cart"),
            ],
        })
        .await
        .unwrap()
        .into_inner();
    let reported: Vec<_> =
        stack.diagnostics.iter().map(|d| (d.message.as_str(), d.urn.as_str())).collect();
    assert_eq!(
        reported,
        [(
            "Children name their parent\nstray is not named after cart",
            "urn:pulumi:dev::shop::shop:index:Box::stray"
        )]
    );
}

#[tokio::test]
async fn a_pack_that_fails_to_load_says_where() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        "1.0.0",
        "import { PolicyPack } from \"@pulumi/policy\";\n\nconst limits: number[] = [];\nthrow new Error(`no limits: ${limits.length}`);\n",
    );
    let (_host_process, mut host) = launch(&[]).await;
    let (_output, mut analyzer) = start_pack(&mut host, dir.path()).await;
    let error = analyzer.get_analyzer_info(Empty {}).await.unwrap_err();
    let message = error.message();
    assert!(message.contains("no limits: 0"), "{message}");
    assert!(message.contains("index.ts:4"), "the error points at the .ts line: {message}");
}

#[tokio::test]
async fn a_pack_with_a_reserved_policy_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        "1.0.0",
        r#"import { PolicyPack } from "@pulumi/policy";
new PolicyPack("p", { policies: [{ name: "all", description: "d", validateResource: () => {} }] });
"#,
    );
    let (_host_process, mut host) = launch(&[]).await;
    let (_output, mut analyzer) = start_pack(&mut host, dir.path()).await;
    let error = analyzer.get_analyzer_info(Empty {}).await.unwrap_err();
    assert!(
        error.message().contains(r#"Invalid policy name "all". "all" is a reserved name."#),
        "{}",
        error.message()
    );
}

#[tokio::test]
async fn a_plugin_of_another_kind_is_refused_with_what_unfold_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.ts"), "export {};\n").unwrap();
    let (_host_process, mut host) = launch(&[]).await;
    let mut request = run_request(dir.path());
    request.kind = "language".into();
    let error = host.run_plugin(request).await.unwrap_err();
    assert_eq!(error.code(), tonic::Code::Unimplemented);
    assert!(
        error.message().contains("runs policy packs (PulumiPolicy.yaml) and component providers"),
        "{}",
        error.message()
    );
}

#[tokio::test]
async fn a_component_provider_serves_its_schema_and_names_what_it_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("PulumiPlugin.yaml"), "runtime: unfold\n").unwrap();
    std::fs::write(dir.path().join("package.json"), r#"{"name": "shapes", "version": "3.1.4"}"#)
        .unwrap();
    std::fs::write(
        dir.path().join("index.ts"),
        r#"import * as provider from "@pulumi/pulumi/provider";
provider.main({ version: "3.1.4", schema: JSON.stringify({ name: "shapes", version: "3.1.4" }) });
"#,
    )
    .unwrap();
    let (_host_process, mut host) = launch(&[]).await;
    let mut request = run_request(dir.path());
    request.kind = "resource".into();
    let (_output, address) = start_plugin(&mut host, request).await;
    let mut provider = ResourceProviderClient::connect(address).await.unwrap();

    let info = provider.get_plugin_info(Empty {}).await.unwrap().into_inner();
    assert_eq!(info.version, "3.1.4");
    let schema = provider.get_schema(GetSchemaRequest::default()).await.unwrap().into_inner();
    let schema: serde_json::Value = serde_json::from_str(&schema.schema).unwrap();
    assert_eq!(schema["name"], "shapes");
    let error = provider.create(CreateRequest::default()).await.unwrap_err();
    assert_eq!(error.code(), tonic::Code::Unimplemented);
    assert!(error.message().contains("has components only"), "{}", error.message());
    // Its provider has no construct: the engine hears which type it does not know.
    let error = provider
        .construct(ConstructRequest { r#type: "shapes:index:Square".into(), ..Default::default() })
        .await
        .unwrap_err();
    assert!(
        error.message().contains("unknown resource type shapes:index:Square"),
        "{}",
        error.message()
    );
}
