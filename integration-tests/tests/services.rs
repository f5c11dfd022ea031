//! Services end to end, as the Pulumi engine drives them: examples/shop's three
//! services (orders, catalog, notifier) are deployed to the local target, each
//! a unit of its own, and called over HTTP through routes whose calls cross
//! from unit to unit. Each side of a cross-service call is recorded, and each
//! replays alone; editing one service's module redeploys only that service.
//! And the same programs' whole-app tests under `unfold test`, in one process.

use std::process::Command;

use serde_json::{Value, json};
use unfold_engine::StepOp;

use unfold_integration_tests::http::{Reply, http};
use unfold_integration_tests::local_deployment::{Deployment, changes};
use unfold_integration_tests::{binary, repository_path};

fn json_body(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|error| panic!("{error}: {}", reply.body))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// The invocation of `function` whose `path` is `path`.
fn invocation<'a>(listed: &'a [Value], function: &str, path: &str) -> &'a Value {
    listed
        .iter()
        .find(|summary| summary["function"] == function && summary["path"] == path)
        .unwrap_or_else(|| panic!("no invocation of {function} {path} in {listed:#?}"))
}

/// The program files Function `unit` was registered with (its bundle's), by file name.
fn files_of(report: &unfold_engine::RunReport, unit: &str) -> Vec<String> {
    let registration = report
        .trace
        .iter()
        .find(|e| {
            e.method == "ResourceMonitor/RegisterResource"
                && e.request["type"] == "unfold:index:Function"
                && e.request["name"] == unit
        })
        .unwrap_or_else(|| panic!("{unit} was registered"));
    let files = &registration.request["object"]["files"];
    let mut names: Vec<String> = files
        .as_object()
        .unwrap_or_else(|| panic!("{unit}'s files: {files}"))
        .keys()
        .map(|path| path.rsplit('/').next().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn the_shop_deploys_each_service_as_its_own_unit_and_calls_cross_between_them() {
    let deployment = Deployment::example("shop");
    let up = deployment.run("up");
    let mut created: Vec<String> = changes(&up).into_iter().map(|(_, name)| name).collect();
    created.sort();
    for unit in ["catalog", "notifier", "orders"] {
        assert!(created.contains(&unit.to_string()), "{unit} is deployed: {created:?}");
    }
    let url = up.outputs["url"].as_str().expect("the shop exports its url").to_string();
    // Each unit's code is what its own isolate loaded: a service's module (orders.ts imports
    // types.ts for types only), not the program that imported it; the routes', the program.
    for (unit, files) in [
        ("catalog", vec!["catalog.ts"]),
        ("orders", vec!["orders.ts"]),
        ("notifier", vec!["notifier.ts"]),
        ("shop-post-orders", vec!["index.ts"]),
    ] {
        assert_eq!(files_of(&up, unit), files, "the files {unit}'s bundle holds");
    }
    // orders.ts declared how it runs from its own top-level code (`runAs`).
    let config =
        std::fs::read_to_string(deployment.local().join("functions/orders/function.json")).unwrap();
    let config: Value = serde_json::from_str(&config).unwrap();
    let declared = (config["memory"].as_f64(), config["concurrency"].as_u64());
    assert_eq!(declared, (Some(192.0), Some(8)), "{config}");

    let place = |item: &str, quantity: u32| {
        let body = json!({ "item": item, "quantity": quantity }).to_string();
        http("POST", &format!("{url}/orders"), "application/json", &body).unwrap()
    };
    // A route calls orders, which calls catalog and notifier: a Date comes back.
    let placed = place("tea", 2);
    assert_eq!(placed.status, 201, "{}", placed.body);
    let order = json_body(&placed);
    assert_eq!(
        (&order["item"], &order["quantity"], &order["total"]),
        (&json!("tea"), &json!(2), &json!(700))
    );
    let placed_at = order["placedAt"].as_str().unwrap();
    assert!(placed_at.ends_with('Z') && placed_at.contains('T'), "a Date crossed: {placed_at}");
    let id = order["id"].as_str().unwrap().to_string();

    // The order is in the orders table, the notification in the notifier's.
    let fetched = http("GET", &format!("{url}/orders/{id}"), "", "").unwrap();
    assert_eq!(fetched.status, 200, "{}", fetched.body);
    let fetched = json_body(&fetched);
    assert_eq!(fetched["placedAt"], placed_at);
    assert_eq!(fetched["notified"], "2 × tea ordered, 7.00 to pay");
    // A Map crosses; an error thrown two units away reaches the route with its message.
    let catalog = http("GET", &format!("{url}/catalog"), "", "").unwrap();
    assert_eq!(json_body(&catalog), json!({"tea": 350, "coffee": 420, "cake": 600}));
    let unknown = place("scone", 1);
    assert_eq!(
        (unknown.status, json_body(&unknown)),
        (
            400,
            json!({"error": "orders.place: catalog.price: the catalog has no 'scone'; it has tea, coffee, cake"})
        )
    );

    // Every unit recorded its side of the calls: 4 requests, 8 calls between units.
    let listed = deployment.recorded(12);
    let route = invocation(&listed, "shop-post-orders", "/orders");
    let orders = invocation(&listed, "orders", "/place");
    invocation(&listed, "catalog", "/price");
    invocation(&listed, "notifier", "/notify");
    assert_eq!(orders["status"], 200);
    // Either side of a call replays alone: the caller with the callee's answer
    // from its record, the callee with the call it received.
    for summary in [route, orders] {
        let id = summary["id"].as_str().unwrap();
        let replayed = deployment.unfold(&["replay", id]);
        let stderr = text(&replayed.stderr);
        assert!(replayed.status.success(), "{stderr}");
        assert!(stderr.contains("the replay matched the record"), "{stderr}");
    }
    let failed = listed
        .iter()
        .find(|summary| summary["function"] == "catalog" && summary["status"] == 500)
        .unwrap_or_else(|| panic!("catalog recorded the failed call: {listed:#?}"));
    let replayed = deployment.unfold(&["replay", failed["id"].as_str().unwrap()]);
    let output = text(&replayed.stdout) + &text(&replayed.stderr);
    assert!(replayed.status.success(), "{output}");
    assert!(
        output.contains("catalog.price failed: RangeError: the catalog has no 'scone'"),
        "{output}"
    );

    // An unchanged program is no change; a new price redeploys only the catalog.
    assert_eq!(changes(&deployment.run("preview")), vec![]);
    deployment.edit_file("catalog.ts", r#"["tea", 350]"#, r#"["tea", 380]"#);
    let preview = deployment.run("preview");
    assert_eq!(changes(&preview), vec![(StepOp::Update, "catalog".to_string())]);
    assert_eq!(changes(&deployment.run("up")), vec![(StepOp::Update, "catalog".to_string())]);
    let repriced = place("tea", 1);
    assert_eq!(json_body(&repriced)["total"], 380, "the new catalog serves");
    let kept = http("GET", &format!("{url}/orders/{id}"), "", "").unwrap();
    assert_eq!(json_body(&kept)["total"], 700, "the orders service kept its table");

    deployment.run("destroy");
    assert!(!deployment.local().join("functions/orders").exists(), "the service is gone");
}

/// Structured values cross both ways, a service crosses by reference (and is
/// called by the unit it was handed to), and what cannot cross is refused in
/// the caller, naming the value's path.
#[test]
fn values_and_services_cross_and_what_cannot_is_refused_with_its_path() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";
const echo = unfold.importService<typeof import("./echo")>("./echo");
const relay = unfold.importService<typeof import("./relay")>("./relay");
const api = new unfold.HttpApi("api");
api.route("GET", "/relay", async () => ({ body: { back: await relay.through(echo, "hello") } }));
api.route("GET", "/send", async () => {
    try {
        await echo.back({ when: new Date(0), tags: new Set(["a"]), reply: () => "no" });
        return { body: "sent" };
    } catch (err) {
        return { status: 400, body: { error: (err as Error).message } };
    }
});
api.route("GET", "/echo", async () => {
    const back = await echo.back({ when: new Date(0), tags: new Set(["a"]), big: 2n ** 70n, bytes: new Uint8Array([1, 2]) });
    return { body: { when: back.when.toISOString(), tags: [...back.tags], big: String(back.big), bytes: [...back.bytes] } };
});
export const url = api.url;
// At deploy time a call runs the service's module in place, with the same values.
export const atDeploy = echo.back(new Map([["n", 1]])).then((map) => map.get("n"));
"#,
    );
    std::fs::write(
        deployment.project_dir.join("echo.ts"),
        "export function back<T>(value: T): T {\n    return value;\n}\n",
    )
    .unwrap();
    std::fs::write(
        deployment.project_dir.join("relay.ts"),
        "import type { Service } from \"@unfold/cloud\";\n\
         export async function through(echo: Service<typeof import(\"./echo\")>, text: string): Promise<string> {\n\
         \x20   return `${await echo.back(text)} via relay`;\n}\n",
    )
    .unwrap();
    let up = deployment.run("up");
    assert_eq!(up.outputs["atDeploy"], 1);
    let url = up.outputs["url"].as_str().unwrap().to_string();

    let refused = http("GET", &format!("{url}/send"), "", "").unwrap();
    assert_eq!(refused.status, 400, "{}", refused.body);
    let message = json_body(&refused)["error"].as_str().unwrap().to_string();
    assert!(message.starts_with("echo.back(args)[0].reply is a function"), "{message}");

    let echoed = http("GET", &format!("{url}/echo"), "", "").unwrap();
    assert_eq!(
        json_body(&echoed),
        json!({"when": "1970-01-01T00:00:00.000Z", "tags": ["a"], "big": "1180591620717411303424", "bytes": [1, 2]})
    );
    let relayed = http("GET", &format!("{url}/relay"), "", "").unwrap();
    assert_eq!(json_body(&relayed), json!({"back": "hello via relay"}), "{}", relayed.body);
    // relay called echo itself: echo recorded a call that came from relay's unit.
    let listed = deployment.recorded(6);
    invocation(&listed, "relay", "/through");
    let echo_calls = listed.iter().filter(|s| s["function"] == "echo").count();
    assert_eq!(
        echo_calls, 2,
        "echo answered /echo and relay; the refused /send never left: {listed:#?}"
    );
    deployment.run("destroy");
}

/// A Function crosses by reference: a service holds the Function it was handed
/// at deploy time and invokes it at run time, in the Function's own unit; a
/// handler invokes the Function it captures; a Function that throws fails the
/// caller's call with what was thrown.
#[test]
fn a_function_handed_to_a_service_is_invoked_in_its_own_unit() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";
const hooks = unfold.importService<typeof import("./hooks")>("./hooks");
const audit = new unfold.Table<{ text: string }>("audit");
const record = new unfold.Function("record", async (req) => {
    const { text } = req.json<{ text: string }>();
    await audit.put(text, { text });
    return { status: 201, body: { recorded: text, via: req.headers["x-via"] ?? null } };
});
const failing = new unfold.Function("failing", () => {
    throw new RangeError("no audit today");
});
// At deploy time the service keeps the Function it is handed. A Function runs in place when the
// unit that made it invokes it; another unit's reference reaches it at run time only.
export const subscribed = hooks.subscribe(record);
const ping = new unfold.Function("ping", () => ({ status: 202 }));
export const pingedAtDeploy = ping.invoke().then((reply) => reply.status);
export const refusedAtDeploy = hooks.through(ping).catch((err: Error) => err.message);
const api = new unfold.HttpApi("api");
api.route("POST", "/events", async (req) => ({ body: await hooks.publish(req.json<{ text: string }>().text) }));
api.route("POST", "/direct", async () => {
    const reply = await record.invoke({ body: { text: "direct" }, headers: { "X-Via": "route" } });
    return { status: reply.status, body: reply.json() };
});
api.route("POST", "/failing", async () => {
    try {
        await hooks.through(failing);
        return { body: "answered" };
    } catch (err) {
        return { status: 502, body: { error: (err as Error).message } };
    }
});
api.route("GET", "/audit/{text}", async (req) => ({ body: (await audit.get(req.params.text)) ?? null }));
export const url = api.url;
"#,
    );
    std::fs::write(
        deployment.project_dir.join("hooks.ts"),
        r#"import type { Function } from "@unfold/cloud";
let subscriber: Function | undefined;
export function subscribe(fn: Function): string {
    subscriber = fn;
    return fn.functionName;
}
export async function publish(text: string): Promise<{ status: number; recorded: string }> {
    const reply = await subscriber!.invoke({ body: { text }, headers: { "x-via": "hooks" } });
    return { status: reply.status, ...reply.json() };
}
export async function through(fn: Function): Promise<number> {
    return (await fn.invoke()).status;
}
"#,
    )
    .unwrap();
    let up = deployment.run("up");
    assert_eq!(
        (&up.outputs["subscribed"], &up.outputs["pingedAtDeploy"]),
        (&json!("record"), &json!(202))
    );
    let url = up.outputs["url"].as_str().unwrap().to_string();

    let published =
        http("POST", &format!("{url}/events"), "application/json", r#"{"text":"one"}"#).unwrap();
    assert_eq!(
        json_body(&published),
        json!({"status": 201, "recorded": "one", "via": "hooks"}),
        "{}",
        published.body
    );
    let direct = http("POST", &format!("{url}/direct"), "", "").unwrap();
    assert_eq!(
        (direct.status, json_body(&direct)),
        (201, json!({"recorded": "direct", "via": "route"}))
    );
    for text in ["one", "direct"] {
        let stored = http("GET", &format!("{url}/audit/{text}"), "", "").unwrap();
        assert_eq!(json_body(&stored), json!({"text": text}));
    }
    let failed = http("POST", &format!("{url}/failing"), "", "").unwrap();
    assert_eq!(failed.status, 502, "{}", failed.body);
    assert_eq!(
        json_body(&failed)["error"],
        "hooks.through: Function 'failing' failed: RangeError: no audit today"
    );

    // Each invocation ran in the Function's own unit, where it was recorded.
    let listed = deployment.recorded(10);
    let of = |function: &str| listed.iter().filter(|s| s["function"] == function).count();
    assert_eq!((of("record"), of("failing"), of("hooks")), (2, 1, 2), "{listed:#?}");
    deployment.run("destroy");
}

/// A specifier that names no module fails the deployment with the file that asked.
#[test]
fn a_service_that_does_not_exist_fails_the_deployment_naming_the_caller() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";
const missing = unfold.importService<{ f(): void }>("./nowhere");
"#,
    );
    let failed = deployment.try_run("preview");
    assert!(failed.error.is_some(), "the preview failed");
    let told: Vec<&str> = failed.diagnostics.iter().map(|d| d.message.as_str()).collect();
    let told = told.join("\n");
    assert!(
        told.contains(r#"importService("./nowhere") in file://"#)
            && told.contains("index.ts")
            && told.contains("Cannot find module"),
        "{told}"
    );
}

/// The proxy is typed from the service's module: `tsc --noEmit` refuses a call
/// with the wrong argument type, at the caller's line.
/// A service's module runs in an isolate of its own: its failure (a syntax
/// error, a throw in its top-level code, a second module taking its name)
/// fails the deployment naming the service and its .ts line, and its callers
/// are told it stopped; nothing waits for it.
#[test]
fn a_service_that_fails_to_load_fails_the_deployment_naming_its_file_and_line() {
    let deployment = Deployment::with_program(
        r#"import * as unfold from "@unfold/cloud";
const broken = unfold.importService<typeof import("./broken")>("./broken");
export const answer = broken.twice(2);
"#,
    );
    let broken = deployment.project_dir.join("broken.ts");
    std::fs::write(&broken, "export function twice(n: number): number {\n    return n * ;\n}\n")
        .unwrap();
    let told = |report: &unfold_engine::RunReport| {
        assert!(report.error.is_some(), "the deployment failed");
        let told = report.diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>();
        format!("{}\n{:?}", told.join("\n"), report.error)
    };
    let failed = told(&deployment.try_run("preview"));
    assert!(
        failed.contains("Running service 'broken' (")
            && failed.contains("broken.ts:2:16: Expression expected")
            && failed.contains("broken.twice: service 'broken' stopped before it answered twice"),
        "{failed}"
    );
    std::fs::write(
        &broken,
        "export function twice(n: number): number {\n    return n * 2;\n}\nthrow new Error(\"not today\");\n",
    )
    .unwrap();
    let failed = told(&deployment.try_run("preview"));
    assert!(failed.contains("Error: not today") && failed.contains("broken.ts:4:7"), "{failed}");

    // Two modules that would be one service, imported from two isolates.
    std::fs::create_dir_all(deployment.project_dir.join("other")).unwrap();
    std::fs::write(deployment.project_dir.join("other/broken.ts"), "export const x = 1;\n")
        .unwrap();
    std::fs::write(
        &broken,
        "import * as unfold from \"@unfold/cloud\";\n\
         unfold.importService<typeof import(\"./other/broken\")>(\"./other/broken\");\n\
         export function twice(n: number): number {\n    return n * 2;\n}\n",
    )
    .unwrap();
    let failed = told(&deployment.try_run("preview"));
    assert!(failed.contains("two modules would be service 'broken'"), "{failed}");
}

#[test]
fn tsc_refuses_a_cross_service_call_with_a_wrong_argument() {
    let tsc = repository_path("integration-tests/nodejs/node_modules/.bin/tsc");
    assert!(
        tsc.is_file(),
        "{} is missing: run `npm ci` in integration-tests/nodejs",
        tsc.display()
    );
    let deployment = Deployment::example("shop");
    let cloud = repository_path("js-lib/cloud/index.ts");
    let test = repository_path("js-lib/test/index.ts");
    let globals = repository_path("js-lib/types/globals.d.ts");
    let config = json!({
        "compilerOptions": {
            "strict": true, "noEmit": true, "target": "es2022", "module": "esnext",
            "moduleResolution": "bundler", "allowImportingTsExtensions": true,
            "lib": ["es2022"], "types": [],
            "paths": { "@unfold/cloud": [cloud], "@unfold/test": [test] }
        },
        "files": [globals],
        "include": ["*.ts"]
    });
    std::fs::write(deployment.project_dir.join("tsconfig.json"), config.to_string()).unwrap();
    let check = || {
        let output = Command::new(&tsc).arg("-p").arg(&deployment.project_dir).output().unwrap();
        (output.status.success(), text(&output.stdout))
    };
    let (passed, told) = check();
    assert!(passed, "the example type-checks: {told}");
    deployment.edit("orders.place(item, quantity)", "orders.place(item, String(quantity))");
    let (passed, told) = check();
    assert!(!passed, "a string for `quantity: number` is refused");
    assert!(
        told.contains("index.ts(18,")
            && told.contains("error TS2345")
            && told.contains("not assignable to parameter of type 'number'"),
        "{told}"
    );
}

/// `unfold test`: the shop's whole-app tests run in one process, deploy
/// nothing, print the same on every run, and a failing check fails the run
/// naming the test and its line.
#[test]
fn unfold_test_runs_the_shops_whole_app_tests_in_one_process() {
    let project = Deployment::example("shop");
    let run = || {
        let output = Command::new(binary("unfold")).arg("test").arg(&project.project_dir).output();
        let output = output.expect("unfold runs");
        let printed = text(&output.stdout) + &text(&output.stderr);
        // The last line gives the run's time; everything else is the same every run.
        let fixed: Vec<&str> = printed.lines().filter(|line| !line.contains(" passed, ")).collect();
        (output.status.success(), printed.clone(), fixed.join("\n"))
    };
    let (passed, printed, first) = run();
    assert!(passed, "{printed}");
    assert!(printed.contains("3 passed, 0 failed"), "{printed}");
    assert!(printed.contains("  ok   an item the catalog lacks is refused"), "{printed}");
    assert_eq!(run().2, first, "a second run prints the same");
    assert!(!project.local().exists(), "nothing was deployed");

    project.edit_file("shop.test.ts", "order.total === 700", "order.total === 701");
    let (passed, printed, _) = run();
    assert!(!passed, "{printed}");
    assert!(printed.contains("2 passed, 1 failed"), "{printed}");
    assert!(
        printed.contains("  FAIL an order is priced by the catalog")
            && printed.contains("shop.test.ts:19:"),
        "{printed}"
    );
}

/// `unfold test` gives the program the `test` stack's config, a clock that
/// starts at 2026-01-01 and a named seed; a program that does not load fails
/// the run with its error at the .ts line.
#[test]
fn unfold_test_reads_the_test_stacks_config_and_fixes_time_and_randomness() {
    let project = Deployment::with_program(
        r#"import * as pulumi from "@pulumi/pulumi";
import * as unfold from "@unfold/cloud";
const greeting = new pulumi.Config().require("greeting");
const api = new unfold.HttpApi("api");
api.route("GET", "/hello/{name}", async (req) => ({ body: `${greeting}, ${req.params.name}` }));
"#,
    );
    std::fs::write(
        project.project_dir.join("Pulumi.test.yaml"),
        "config:\n  messages:greeting: hi\n",
    )
    .unwrap();
    std::fs::write(
        project.project_dir.join("hello.test.ts"),
        r#"import { request, test } from "@unfold/test";
test("greets by name", async () => {
    const reply = await request("GET", "/api/hello/ada");
    if (reply.body !== "hi, ada") throw new Error(`got ${reply.status} ${reply.body}`);
});
test("sees a fixed clock and seed", () => {
    console.log(`now ${new Date().toISOString()} random ${Math.random()}`);
});
"#,
    )
    .unwrap();
    let run = || {
        let output = Command::new(binary("unfold")).arg("test").arg(&project.project_dir).output();
        let output = output.expect("unfold runs");
        (output.status.success(), text(&output.stdout) + &text(&output.stderr))
    };
    let (passed, printed) = run();
    assert!(passed && printed.contains("2 passed, 0 failed"), "{printed}");
    assert!(printed.contains("now 2026-01-01T00:00:00.000Z random 0."), "{printed}");
    let random =
        |printed: &str| printed.lines().find(|l| l.starts_with("now ")).map(str::to_string);
    assert_eq!(random(&run().1), random(&printed), "the same numbers on every run");

    project.edit("const api", "const api = ;\nconst other");
    let (passed, printed) = run();
    assert!(!passed, "{printed}");
    assert!(printed.contains("index.ts:4:"), "the error names the .ts line: {printed}");
}
