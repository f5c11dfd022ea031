// Function: a closure deployed as a cloud function. Its code is the deploy-time program itself,
// recorded up to the point where the closure was handed over: the bundle is that record plus the
// modules the program loaded, and the function runtime rebuilds the program's heap by replaying
// it — so the handler sees every value it closes over, resource outputs included, as they were.

import { Config } from "../pulumi/config.ts";
import { CustomResource, type CustomResourceOptions } from "../pulumi/resource.ts";
import type { Output } from "../pulumi/output.ts";
import { enterRunTime, isRunTime, secret } from "../pulumi/output.ts";
import { forgetRandom } from "../unfold/globals.ts";
import { call, listen, quiet, request as crossing, withContext } from "../unfold/io.ts";
import { programLoaded } from "../unfold/program.ts";
import { capturedValues, withoutSecrets } from "./captures.ts";
import { cloudContext } from "./context.ts";
import {
    type Handler, type OutgoingRequest, type Reply, type WireRequest, type WireResponse,
    toReply, toRequest, toWireRequest, toWireResponse,
} from "./http.ts";
import { FUNCTION_TYPE, checkName } from "./names.ts";

export interface FunctionOptions {
    /** Seconds an invocation may run before it is answered with 504 (default 30). */
    timeout?: number;
    /** Memory for the function in MB (default 128). */
    memory?: number;
    /** Environment variables the handler sees in `process.env`. */
    environment?: Record<string, string>;
    /**
     * Instances that may serve the function at once (default 4), started as requests need
     * them, so one slow request does not hold up the rest. Each has its own memory.
     */
    concurrency?: number;
    /**
     * How invocations are recorded, so any one replays locally (`unfold invocations`, `unfold
     * replay`): the last `keep` (default 100), and besides them the last `keepFailed` failed
     * ones (default 100); a record over `maxBytes` (default 1 MiB) keeps only its summary. The
     * Function's secret values are stored as markers unless `secrets` is true (for every Function
     * of a stack: `pulumi config set unfold:recordSecrets true`). `false` records nothing.
     */
    invocations?: false | InvocationRecording;
}

/** How a Function's invocations are recorded (see `FunctionOptions.invocations`). */
export interface InvocationRecording {
    keep?: number;
    keepFailed?: number;
    maxBytes?: number;
    secrets?: boolean;
}

/** A closure deployed as a function. */
export class Function extends CustomResource {
    /** Hex SHA-256 identifying the function's code and everything it observed at deploy time. */
    declare readonly bundle: Output<string>;
    /** Where the provider keeps the bundle. */
    declare readonly codePath: Output<string>;
    /** The bundle's size in bytes. */
    declare readonly size: Output<number>;
    /** The handler's source text, as a preview shows its changes. */
    declare readonly handler: Output<string>;
    /** The program's files the function's code comes from: path → short hash of its code. */
    declare readonly files: Output<Record<string, string>>;
    /** What the handler captures, by variable name; secrets shown as secret. */
    declare readonly captures: Output<Record<string, unknown>>;
    /** The name the function was given. */
    readonly functionName: string;

    constructor(name: string, handler: Handler, options: FunctionOptions = {}, opts: CustomResourceOptions = {}) {
        checkName("Function", name);
        if (typeof handler !== "function") {
            throw new TypeError(`Function '${name}' needs a handler function, not ${typeof handler}`);
        }
        const context = cloudContext();
        const bundle = captureBundle(name, handler);
        super(
            FUNCTION_TYPE,
            name,
            {
                name,
                stateDir: context.stateDir,
                bundle: bundle.then((b) => b.hash),
                // For reviewers: what `bundle` is a hash of, in terms a diff can show.
                handler: handler.toString(),
                files: bundle.then((b) => b.files),
                captures: bundle.then((b) => withoutSecrets(b.captures, JSON.parse(b.secrets) as unknown[])),
                bundlePath: bundle.then((b) => b.path),
                timeout: options.timeout ?? 30,
                memory: options.memory ?? 128,
                environment: options.environment ?? {},
                concurrency: options.concurrency,
                invocations: recording(options),
                secrets: secret(bundle.then((b) => b.secrets)),
                codePath: undefined,
                size: undefined,
            },
            { version: context.version, ...opts },
        );
        this.functionName = name;
        functions.set(name, this);
    }

    /**
     * Invokes the Function with `request` (by default a `POST /` without a body) and gives what
     * its handler answered. At run time the request goes to the Function's own unit, as a
     * route's request would: a Function captured by a handler, or handed to a service, can be
     * invoked from any unit of the stack. At deploy time (and in whole-app tests) the handler
     * runs in place. A handler that throws, or does not answer in time, rejects the promise.
     */
    async invoke(request: OutgoingRequest = {}): Promise<Reply> {
        const wire = toWireRequest(request);
        if (!isRunTime() || unitsRunInPlace()) {
            const handler = handlers.get(this.functionName);
            if (handler === undefined) {
                throw new Error(`Function '${this.functionName}' was handed over by reference and can only be invoked at run time`);
            }
            return toReply(toWireResponse(await handler(toRequest(wire))));
        }
        const answer = await crossing("function.invoke", { function: this.functionName, request: { ...wire } });
        return toReply(answer as WireResponse);
    }
}

/** Every Function of this program, by name. */
const functions = new Map<string, Function>();

/**
 * Whether calls to services and Functions run in place, in this isolate, at run time too: in
 * whole-app tests, whose host says so in the cloud context.
 */
export function unitsRunInPlace(): boolean {
    return cloudContext().unitsInPlace === true;
}

/**
 * The Function `name` as a value handed over by reference (see `structured.ts`): the program's own
 * if it made one, otherwise a reference that only invokes it — its outputs are not carried.
 */
export function functionNamed(name: string): Function {
    const known = functions.get(name);
    if (known !== undefined) {
        return known;
    }
    const reference = Object.create(Function.prototype) as Function;
    Object.defineProperty(reference, "functionName", { value: name, enumerable: true });
    return Object.freeze(reference);
}

/**
 * How the Function's invocations are recorded: its own `invocations` option, with the stack's
 * opt-in to keeping secret values in records (`pulumi config set unfold:recordSecrets true`)
 * where the option does not say.
 */
function recording(options: FunctionOptions): false | InvocationRecording | undefined {
    const given = options.invocations;
    const stackWide = new Config("unfold").getBoolean("recordSecrets");
    if (given === false || stackWide === undefined || given?.secrets !== undefined) {
        return given;
    }
    return { ...given, secrets: stackWide };
}

/** What the host answers for each Function of a capture. */
interface BundleInfo {
    hash: string;
    path: string;
    size: number;
    /** JSON array text of the values the bundle's secret placeholders stand for. */
    secrets: string;
    /** The program's own files the code comes from: path → short hash of its code. */
    files: Record<string, string>;
    /** What the handler captures, by variable name (added here, not by the host). */
    captures: Record<string, unknown>;
}

type CaptureAnswer = { bundles: Record<string, BundleInfo> } | { serve: string };

interface Pending {
    name: string;
    handler: Handler;
    resolve(info: BundleInfo): void;
    reject(reason: unknown): void;
}

const handlers = new Map<string, Handler>();
/** Handlers that serve a whole module (services): its code is the unit's own, not the program's. */
const modules = new WeakMap<Handler, string>();

/** The handler of the program's Function `name`, for whole-app tests to call (`@unfold/test`). */
export function handlerOf(name: string): Handler | undefined {
    return handlers.get(name);
}

/**
 * Marks `handler` as serving the module at `url`: editing that module changes only this unit's
 * identity, as editing a handler changes only its Function's.
 */
export function deploysModule(handler: Handler, url: string): void {
    modules.set(handler, url);
}
let queue: Pending[] = [];
let capturing = false;

function captureBundle(name: string, handler: Handler): Promise<BundleInfo> {
    if (handlers.has(name)) {
        throw new Error(`a Function named '${name}' already exists: Function names must be unique in a program`);
    }
    handlers.set(name, handler);
    return new Promise((resolve, reject) => {
        queue.push({ name, handler, resolve, reject });
        void captureRound();
    });
}

// Functions are captured together, once the program's top-level code has run and nothing is in
// flight: the record then holds every resource registered so far with its outputs settled, and
// it is the same record for every Function of the round — so a change to one handler changes
// only that Function. The host cuts the bundle at the `bundle.capture` crossing. A restored
// Function replays up to exactly that crossing, where the function runtime answers with the
// Function to serve instead.
async function captureRound(): Promise<void> {
    if (capturing) {
        return;
    }
    capturing = true;
    let batch: Pending[] = [];
    try {
        await programLoaded;
        await quiet();
        batch = queue;
        queue = [];
        const captures = await Promise.all(batch.map((p) => capturedValues(p.handler)));
        const answer = call("bundle.capture", {
            bundleDir: cloudContext().bundleDir,
            functions: batch.map((p) => ({ name: p.name, handler: p.handler.toString(), module: modules.get(p.handler) ?? null })),
        }) as CaptureAnswer;
        if ("serve" in answer) {
            serve(answer.serve);
            return;
        }
        batch.forEach((pending, index) => {
            pending.resolve({ ...answer.bundles[pending.name]!, captures: captures[index]! });
        });
    } catch (err) {
        for (const pending of batch.length > 0 ? batch : queue.splice(0)) {
            pending.reject(err);
        }
    }
    capturing = false;
    if (queue.length > 0) {
        void captureRound();
    }
}

interface InvokeEvent {
    id: number;
    request: WireRequest;
}

// The function runtime: invocations arrive as inbound events and are answered with
// `invoke.reply`; a handler's error is answered with its stack, which names the .ts line.
function serve(name: string): void {
    const handler = handlers.get(name);
    if (handler === undefined) {
        call("function.ready", { error: `the bundle has no Function named '${name}'` });
        return;
    }
    enterRunTime();
    listen("invoke", (event) => {
        const { id, request } = event as unknown as InvokeEvent;
        // Each invocation runs in its own context, so its crossings make its own record.
        withContext(id, () => {
            Promise.resolve()
                .then(() => handler(toRequest(request)))
                .then(toWireResponse)
                .then(
                    (response) => call("invoke.reply", { id, response: response as unknown as Record<string, string> }),
                    (err: unknown) => call("invoke.reply", { id, error: describe(err) }),
                )
                .finally(() => forgetRandom(id));
        });
    });
    call("function.ready", { name });
}

function describe(err: unknown): string {
    if (err instanceof Error) {
        return err.stack ?? `${err.name}: ${err.message}`;
    }
    return `Uncaught ${typeof err === "string" ? err : JSON.stringify(err) ?? String(err)}`;
}
