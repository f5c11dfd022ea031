// @unfold/test: whole-app tests. `unfold test` loads the program in one isolate as a deployment
// would — resources registered with a stand-in engine, tables kept in memory, time and randomness
// the same on every run — and then runs the tests of each test file in that same isolate. A test
// calls routes as a client would (`request`), services as the program does (`importService`, whose
// calls run in place), and reads tables (`table`). Tables are emptied before each test; what a
// service's module keeps in its own variables lives as long as the run, as an instance's does.

import { findRoute } from "../cloud/httpApi.ts";
import { type Reply, toReply, toRequest, toWireRequest, toWireResponse } from "../cloud/http.ts";
import { handlerOf } from "../cloud/function.ts";
import { type Table, tableNamed } from "../cloud/table.ts";
import { enterRunTime } from "../pulumi/output.ts";
import { gatewayConsole } from "../unfold/console.ts";
import { call } from "../unfold/io.ts";

/** A response as a client of the API gets it. */
export type TestResponse = Reply;

export interface RequestOptions {
    /** Sent as JSON unless it is a string. */
    body?: unknown;
    headers?: Record<string, string>;
    query?: Record<string, string>;
}

interface Test {
    name: string;
    body: () => unknown;
}

let tests: Test[] = [];

/** Declares a test; it runs after its file has loaded, in the order declared. */
export function test(name: string, body: () => unknown): void {
    if (typeof body !== "function") {
        throw new TypeError(`test '${name}' needs a function to run`);
    }
    tests.push({ name, body });
}

/**
 * Calls a route of the program's HttpApis: `path` starts with the API's name, as the API's URL
 * ends with it (`request("POST", "/shop/orders", { body: { item: "tea" } })`). The request runs the
 * route's handler in place; a handler that throws answers 500, as on a target.
 */
export async function request(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
    const [, api = "", ...rest] = path.split("/");
    const below = `/${rest.join("/")}`;
    const verb = method.toUpperCase();
    const found = findRoute(api, verb, below);
    if ("error" in found) {
        return response(found.status, { "content-type": "application/json" }, JSON.stringify({ error: found.error }));
    }
    const handler = handlerOf(found.target.functionName)!;
    const wire = toWireRequest({ ...options, method: verb, path: below }, found.params);
    try {
        return toReply(toWireResponse(await handler(toRequest(wire))));
    } catch (err) {
        gatewayConsole.error(`${verb} ${path}: the handler failed: ${(err as Error)?.stack ?? err}`);
        return response(500, { "content-type": "application/json" }, JSON.stringify({ error: "internal error" }));
    }
}

function response(status: number, headers: Record<string, string>, body: string): TestResponse {
    return toReply({ status, headers, body });
}

/** The program's Table `name`, to read or fill in a test. */
export function table<T = unknown>(name: string): Table<T> {
    const found = tableNamed(name);
    if (found === undefined) {
        throw new Error(`the program has no Table named '${name}'`);
    }
    return found as Table<T>;
}

/** Runs the tests of each file in turn; `unfold test` calls it once the program is loaded. */
export async function runTests(files: { url: string; name: string }[]): Promise<void> {
    // Handlers run as they do when deployed: Output.get() gives settled values.
    enterRunTime();
    let passed = 0;
    let failed = 0;
    for (const file of files) {
        tests = [];
        await import(file.url);
        gatewayConsole.log(file.name);
        for (const { name, body } of tests) {
            call("test.reset");
            try {
                await body();
                passed++;
                gatewayConsole.log(`  ok   ${name}`);
            } catch (err) {
                failed++;
                gatewayConsole.log(`  FAIL ${name}\n${indent((err as Error)?.stack ?? String(err))}`);
            }
        }
    }
    call("test.done", { passed, failed });
}

function indent(text: string): string {
    return text
        .split("\n")
        .map((line) => `       ${line}`)
        .join("\n");
}
