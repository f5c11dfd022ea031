// Services: a module of the program deployed as a unit of its own. At deploy time `importService`
// has the host start the module in an isolate of its own, behind its own membrane (see the run
// bootstrap, `serveService`): the module runs there like any module, and is deployed as a Function
// whose handler calls its exported functions; its bundle is that isolate's record and the modules
// it loaded. The caller gets a typed proxy. Each call, at deploy time as at run time (in a Function
// or another service), is a `service.call` crossing recorded in the caller's record, and the callee
// records the call it received — so either side replays alone. Arguments and results cross as
// structured values (see `structured.ts`). Whole-app tests load every service in place, in one
// isolate.

import { isRunTime } from "../pulumi/output.ts";
import { createRequire, loadCommonJs } from "../node/module.ts";
import { gatewayConsole } from "../unfold/console.ts";
import { call, type Json, listen, request } from "../unfold/io.ts";
import { Function, type FunctionOptions, deploysModule, functionNamed, unitsRunInPlace } from "./function.ts";
import type { Request, Response } from "./http.ts";
import { decode, encode, type References } from "./structured.ts";

/** What a call through a proxy becomes: the module's function, asynchronous. */
export type Service<M> = {
    readonly [K in keyof M as M[K] extends (...args: any[]) => unknown ? K : never]: M[K] extends (...args: infer A) => infer R
        ? (...args: A) => Promise<Awaited<R>>
        : never;
};

/** How a service runs: as a Function's options (`timeout`, `memory`, `concurrency`, …). */
export interface ServiceOptions extends FunctionOptions {
    /** The deployed unit's name (default: the module's file name without its extension). */
    name?: string;
}

/** What the callee's dispatcher receives. */
interface CallBody {
    method: string;
    args: unknown;
}

/** The name a proxy answers to; not enumerable, so it never shows as an export. */
const SERVICE_NAME = Symbol("unfold.service");

/** How each service being loaded asked to run (`runAs`), innermost last. */
const loading: { name: string; runAs: FunctionOptions }[] = [];

/**
 * Declares how the service whose module calls it runs — `timeout`, `memory`, `concurrency`, … as
 * a Function's options — from the module's own top-level code:
 *
 * ```ts
 * unfold.runAs({ memory: 256, concurrency: 8 });
 * ```
 *
 * Options given to `importService` take precedence.
 */
export function runAs(options: FunctionOptions): void {
    const current = loading[loading.length - 1];
    if (current === undefined) {
        throw new Error("runAs must be called from the top-level code of a module loaded with importService");
    }
    Object.assign(current.runAs, options);
}

/** Whether this isolate started a service in an isolate of its own. */
let started = false;

/** Whether the program started services in isolates of their own (see the run bootstrap). */
export function servicesStarted(): boolean {
    return started;
}

/** Every service of the program by name, and the module file it serves. */
const byName = new Map<string, { file: string; proxy: object }>();
const byFile = new Map<string, object>();

const references: References = {
    unitOf(value: object) {
        const service = (value as { [SERVICE_NAME]?: string })[SERVICE_NAME];
        if (service !== undefined) {
            return { kind: "service", name: service };
        }
        return value instanceof Function ? { kind: "function", name: value.functionName } : undefined;
    },
    byUnit({ kind, name }) {
        if (kind === "function") {
            return functionNamed(name);
        }
        // A service this unit never imported itself (it was handed a reference): at run time its
        // proxy only needs the name.
        return byName.get(name)?.proxy ?? proxy(name, undefined);
    },
};

/**
 * Deploys the module `specifier` (resolved from the calling file, as `require` resolves it) as a
 * service of its own and gives its exported functions as a typed proxy:
 *
 * ```ts
 * const orders = importService<typeof import("./orders")>("./orders");
 * await orders.place({ item: "tea", quantity: 2 });
 * ```
 *
 * Importing the same module again gives the same service.
 */
export function importService<M>(specifier: string, options: ServiceOptions = {}): Service<M> {
    const caller = callerUrl();
    const require = createRequire(caller);
    let file: string;
    try {
        file = require.resolve(specifier);
    } catch (err) {
        throw new Error(`importService("${specifier}") in ${caller}: ${(err as Error).message}`);
    }
    const existing = byFile.get(file);
    if (existing !== undefined) {
        return existing as Service<M>;
    }
    const name = options.name ?? serviceName(file);
    const known = byName.get(name);
    if (known !== undefined) {
        throw new Error(`two modules would be service '${name}' (${known.file} and ${file}): give one a name with importService(specifier, { name })`);
    }
    const { name: _name, ...given } = options;
    const url = "file://" + encodeURI(file);
    if (unitsRunInPlace()) {
        return remember(name, file, proxy(name, deployInPlace(name, url, given))) as Service<M>;
    }
    // The module runs in an isolate of its own, behind its own membrane: the host starts it (once
    // per service, whichever unit imports it first) and carries the calls to it.
    call("service.start", { name, url, options: given as Json });
    started = true;
    return remember(name, file, proxy(name, undefined)) as Service<M>;
}

/** Keeps `service` as the program's service `name`, serving the module `file`. */
function remember(name: string, file: string, service: object): object {
    byName.set(name, { file, proxy: service });
    byFile.set(file, service);
    return service;
}

/**
 * Loads the service's module (`url`) in this isolate and deploys it as the unit `name`: a Function
 * whose handler answers calls to its exports, with the options its module declared (`runAs`) and
 * `given` over them. Gives the module's exports, as `require` does.
 */
function deployInPlace(name: string, url: string, given: FunctionOptions): Record<string, unknown> {
    const declared = { name, runAs: {} };
    loading.push(declared);
    let exports: Record<string, unknown>;
    try {
        exports = loadCommonJs(url) as Record<string, unknown>;
    } finally {
        loading.pop();
    }
    const handler = dispatcher(name, exports);
    deploysModule(handler, url);
    new Function(name, handler, { ...declared.runAs, ...given });
    return exports;
}

/**
 * The isolate of service `name` (see the run bootstrap): loads its module (`url`), deploys it as
 * the service's unit and answers the calls the host delivers to it, until `settled` — when the
 * program can no longer call it and its unit is captured.
 */
export async function serveService(name: string, url: string, options: FunctionOptions, settled: () => Promise<void>): Promise<void> {
    const exports = deployInPlace(name, url, options);
    remember(name, decodeURI(url.replace(/^file:\/\//, "")), proxy(name, exports));
    const stop = listen("service.call", (event) => {
        const { id, method, args } = event as unknown as InboundCall;
        void answerCall(name, exports, method, args).then(({ answer }) => {
            call("service.answer", { id, answer: JSON.stringify(answer) });
        });
    });
    call("service.ready");
    await settled();
    stop();
}

/** A call the host delivers to a service's isolate at deploy time. */
interface InboundCall {
    id: number;
    method: string;
    args: unknown;
}

/** The service's handler: answers the call its request's body holds (see `answerCall`). */
function dispatcher(service: string, exports: Record<string, unknown>): (request: Request) => Promise<Response> {
    return async (request) => {
        const { method, args } = request.json<CallBody>();
        const answer = await answerCall(service, exports, method, args);
        return { status: answer.status, body: answer.answer };
    };
}

/** Calls the module's exported `method` with `args` (as `encode` gave them), as the service answers. */
async function answerCall(service: string, exports: Record<string, unknown>, method: string, args: unknown): Promise<{ status: number; answer: Answer }> {
    const target = exports[method];
    if (typeof target !== "function") {
        const message = `service '${service}' exports no function '${method}'`;
        return { status: 404, answer: { error: { name: "TypeError", message } } };
    }
    try {
        const result = await (target as (...args: unknown[]) => unknown)(...(decode(args, references) as unknown[]));
        return { status: 200, answer: { result: encode(result, `the result of ${service}.${method}`, references) } };
    } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        // The caller gets the error's name and message; the stack goes to the service's log.
        gatewayConsole.error(`${service}.${method} failed: ${error.stack ?? error.message}`);
        return { status: 500, answer: { error: { name: error.name, message: error.message } } };
    }
}

/** What a call answered: its result, or the error the callee threw. */
interface Answer {
    result?: unknown;
    error?: { name: string; message: string };
}

function proxy(name: string, exports: Record<string, unknown> | undefined): object {
    const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    return new Proxy(Object.freeze({ [SERVICE_NAME]: name }), {
        get(_target, key) {
            if (key === SERVICE_NAME) {
                return name;
            }
            // Not a thenable: `await importService(...)` gives the proxy itself.
            if (typeof key !== "string" || key === "then") {
                return undefined;
            }
            let method = methods.get(key);
            if (method === undefined) {
                method = (...args: unknown[]) => callService(name, exports, key, args);
                methods.set(key, method);
            }
            return method;
        },
    });
}

async function callService(service: string, exports: Record<string, unknown> | undefined, method: string, args: unknown[]): Promise<unknown> {
    const encoded = encode(args, `${service}.${method}(args)`, references);
    if (exports !== undefined && (unitsRunInPlace() || !isRunTime())) {
        // The module is in this isolate (whole-app tests, or the service calling itself): it runs
        // in place, with the values a call from another unit would see.
        return settle(service, method, (await answerCall(service, exports, method, encoded)).answer);
    }
    if (exports === undefined && unitsRunInPlace()) {
        throw new Error(`service '${service}' was handed over by reference and is not part of this program`);
    }
    let text: string;
    try {
        text = (await request("service.call", { service, method, args: encoded })) as string;
    } catch (err) {
        // The call got no answer (the service's isolate failed, or its unit could not be reached).
        throw new Error(`${service}.${method}: ${(err as Error).message}`);
    }
    return settle(service, method, JSON.parse(text) as Answer);
}

function settle(service: string, method: string, answer: Answer): unknown {
    if (answer.error !== undefined) {
        const error = new Error(`${service}.${method}: ${answer.error.message}`);
        error.name = answer.error.name;
        throw error;
    }
    return decode(answer.result, references);
}

/** `orders` for `/app/orders.ts`, `orders` for `/app/orders/index.ts`. */
function serviceName(file: string): string {
    const parts = file.split("/");
    const base = parts.pop()!.replace(/\.[cm]?[jt]sx?$/, "");
    return base === "index" && parts.length > 0 ? parts.pop()! : base;
}

/** The file URL of the program module that called `importService`. */
function callerUrl(): string {
    const stack = new Error().stack ?? "";
    const match = /\(?(file:\/\/[^\s)]+?):\d+:\d+\)?/.exec(stack);
    if (match === null) {
        throw new Error("importService must be called from a module of the program");
    }
    return match[1]!;
}
