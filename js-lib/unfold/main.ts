// The run bootstrap: the module the host evaluates to run a program. It sets up the SDK from the
// run's context, runs the entry module as the body of the root stack resource, registers its
// exports as stack outputs, and reports the outcome — failing exactly as the Node.js SDK does.
// In the isolate of one of the program's services, it runs that service instead (`serviceMain`).

import { gatewayConsole } from "./console.ts";
import { inspect } from "./inspect.ts";
import { call, quiet, request } from "./io.ts";
import { markProgramLoaded } from "./program.ts";
import { setUnhandledRejectionHandler, setUpRun } from "./setup.ts";
import { ResourceError, RunError } from "../pulumi/errors.ts";
import * as log from "../pulumi/log/index.ts";
import { rpcMarker, signalAndWaitForShutdown, waitForRPCs } from "../pulumi/runtime/settings.ts";
import { rootPulumiStackTypeName, runInPulumiStack } from "../pulumi/runtime/stack.ts";
import { setStackResource } from "../pulumi/runtime/state.ts";
import { DependencyResource } from "../pulumi/resource.ts";
import { serveService, servicesStarted } from "../cloud/service.ts";
// Loaded now, so that it captures the ops it needs before `Deno` is removed.
import "../pulumi/runtime/closure/v8.ts";

const ctx = setUpRun();

// How the Node.js SDK names a program given as a directory, in its error messages.
const program = ctx.programDirectory.endsWith("/") ? ctx.programDirectory : `${ctx.programDirectory}/`;
// What failed, in those messages: the program, or the service this isolate runs.
const running = ctx.service === undefined ? `Running program '${program}'` : `Running service '${ctx.service.name}' (${decodeURI(ctx.entryModule.replace(/^file:\/\//, ""))})`;

// Errors that escaped the program; each is reported to the user once.
const uncaughtErrors = new Set<unknown>();
// Whether the program's own code is still running. Afterwards, as under the Node.js SDK, an error
// (a failed registration rejecting an output, say) is shown as its bare stack.
let programRunning = true;

function reportUncaught(err: unknown): void {
    if (uncaughtErrors.has(err)) {
        return;
    }
    uncaughtErrors.add(err);
    const e = err as Error | undefined;
    if (!programRunning) {
        void log.error(e?.stack || e?.message || "" + err);
    } else if (RunError.isInstance(err)) {
        void log.error((err as Error).message);
    } else if (e?.name === "TSError" || e?.name === SyntaxError.name) {
        // Compile errors show where the code failed, not the loader's stack.
        const stack = e.stack?.toString() || "";
        const parts = stack.split(e.message);
        const message = parts.length === 2 ? parts[0] + e.message : e.message;
        void log.error(`${running} failed with an unhandled exception:\n${message}`);
    } else if (ResourceError.isInstance(err)) {
        void log.error(err.hideStack ? err.message : describeError(err), err.resource);
    } else {
        void log.error(`${running} failed with an unhandled exception:\n${describeError(err)}`);
    }
}

// The Node.js SDK shows errors as util.inspect does: the stack, then any extra properties.
function describeError(err: unknown): string {
    const e = err as { stack?: unknown; message?: unknown } | null | undefined;
    if (e?.stack) {
        try {
            return inspect(err);
        } catch {
            return typeof e.message === "string" ? String(e.stack) : String(err);
        }
    }
    if (e?.message) {
        return String(e.message);
    }
    try {
        return "" + err;
    } catch {
        return inspect(err);
    }
}

// Runs the entry module as the Node.js SDK does. Its exports become the stack outputs; if they
// are a function (`export =` of one), it is called and its result used instead. An ES module's
// default export stands for its exports.
async function runProgram(): Promise<any> {
    await enterProgramCode();
    let programExport: any = await import(ctx.entryModule);
    markProgramLoaded();
    // Once the program's top-level code has settled, as when its Functions are captured, its
    // services can be captured too: nothing calls them any more.
    // (A program without services makes no crossing for it: its record stays as it was.)
    if (servicesStarted()) {
        void quiet().then(() => call("services.settle"));
    }
    // A CommonJS entry module's result is `module.exports`, as `require` returns it to the SDK.
    if (Object.getOwnPropertyDescriptor(programExport, "module.exports") !== undefined) {
        programExport = programExport["module.exports"];
    } else if (Object.getOwnPropertyDescriptor(programExport, "default") !== undefined) {
        if (Object.keys(programExport).length !== 1) {
            throw new Error("expected entrypoint module to have either a default export or named exports but not both");
        }
        programExport = programExport.default;
    }
    return programExport instanceof Function ? programExport() : programExport;
}

// Before the program's (or a service's) own code runs.
async function enterProgramCode(): Promise<void> {
    // No ambient authority for the program: the gateway ops were captured at load.
    delete (globalThis as { Deno?: unknown }).Deno;
    // Evaluating a module is not a crossing: nothing may be in flight to race it, or the
    // interleaving (and with it the record) would depend on timing.
    await quiet();
}

// Promises rejected without a handler are reported as uncaught errors, once each.
function reportRejections(): void {
    setUnhandledRejectionHandler?.((_promise, reason) => {
        reportUncaught(reason);
        return true;
    });
}

async function main(): Promise<void> {
    reportRejections();
    try {
        await runInPulumiStack(runProgram);
        programRunning = false;
    } catch (err) {
        reportUncaught(err);
    }
    await settle();
    await emitBeforeExit();
    // The services' isolates register resources too: the deployment ends after theirs.
    if (servicesStarted()) {
        const services = (await request("services.done")) as { failed: boolean };
        if (services.failed) {
            // Each service reported its own errors.
            uncaughtErrors.add(services);
        }
    }
    if (uncaughtErrors.size === 0) {
        try {
            await signalAndWaitForShutdown();
        } catch (err) {
            gatewayConsole.error(`Error while signaling shutdown: ${err}`);
        }
    }
    // Errors were reported through the engine's log: the run fails without another message.
    call("run.finish", { outcome: uncaughtErrors.size === 0 ? "ok" : "bail" });
}

// Waits until every registration, output and log message has been delivered. The pause in
// between lets the isolate report promises that were rejected without a handler, whose
// messages must be delivered too.
async function settle(): Promise<void> {
    await waitForRPCs();
    await request("timer.sleep", { ms: 0 });
    await waitForRPCs();
}

/** The part of Node.js's `process` this bootstrap uses. */
interface NodeProcessEvents {
    exitCode?: number;
    listenerCount(event: string): number;
    emit(event: string, ...args: unknown[]): boolean;
}

/** How many times `beforeExit` may start new work before the run is stopped as a loop. */
const MAX_BEFORE_EXIT_ROUNDS = 100;

// Node.js emits `beforeExit` each time its event loop empties, and SDKs register resources from it
// (@pulumi/aws adds a bucket's notifications there): emitted until a round starts no new RPC.
async function emitBeforeExit(): Promise<void> {
    const process = (globalThis as unknown as { process: NodeProcessEvents }).process;
    for (let round = 0; process.listenerCount("beforeExit") > 0; round++) {
        if (round === MAX_BEFORE_EXIT_ROUNDS) {
            reportUncaught(new Error(`'beforeExit' listeners started new work ${round} times in a row; stopping the program`));
            return;
        }
        const marker = rpcMarker();
        try {
            process.emit("beforeExit", process.exitCode ?? 0);
        } catch (err) {
            reportUncaught(err);
            return;
        }
        await settle();
        if (rpcMarker() === marker) {
            return;
        }
    }
}

// A service's isolate (see `cloud/service.ts`): the entry module is the service's module. Its
// resources are the root stack's children, as they would be in the program's own isolate; the
// stack itself, its outputs and the end of the deployment are the program's isolate's.
async function serviceMain(service: NonNullable<typeof ctx.service>): Promise<void> {
    reportRejections();
    try {
        await enterProgramCode();
        setStackResource(new DependencyResource(rootStackUrn()));
        // Its unit is captured (as the program's are) once the program can no longer call it.
        await serveService(service.name, ctx.entryModule, service.options, async () => {
            await request("services.settled");
            markProgramLoaded();
        });
        programRunning = false;
    } catch (err) {
        reportUncaught(err);
    }
    await settle();
    call("run.finish", { outcome: uncaughtErrors.size === 0 ? "ok" : "bail" });
}

/** What V8 says of code the host terminated. */
const TERMINATED = "execution terminated";

/** The URN of the stack resource the program's isolate registers. */
function rootStackUrn(): string {
    return `urn:pulumi:${ctx.stack}::${ctx.project}::${rootPulumiStackTypeName}::${ctx.project}-${ctx.stack}`;
}

// Not awaited at the top level: if the program waits on a promise nothing can settle, the event
// loop goes idle without `run.finish`, and the host reports where the program itself stalled.
(ctx.service === undefined ? main() : serviceMain(ctx.service)).catch((err) => {
    // The host stopped the run (the engine cancelled the deployment): that is no failure of the
    // bootstrap. Landing inside a module being loaded, it comes back as the text of an error (its
    // first line, then its stack).
    const text = typeof err === "string" ? err.split("\n")[0] : (err as Error | undefined)?.message;
    if (text?.endsWith(TERMINATED)) {
        call("run.finish", { outcome: "bail" });
        return;
    }
    gatewayConsole.error(`Unfold's run bootstrap failed: ${describeError(err)}`);
    call("run.finish", { outcome: "error", message: `Unfold's run bootstrap failed: ${describeError(err)}` });
});
