// The plugin bootstrap: the module the host evaluates to run a plugin written for Unfold (a policy
// pack). It sets up the SDK from the context the engine gave the plugin and evaluates the entry
// module. There is no stack: the plugin's own code (`new PolicyPack(...)`) starts listening for
// the engine's calls, which keeps the plugin running until the engine stops it.

import { gatewayConsole } from "./console.ts";
import { inspect } from "./inspect.ts";
import { call, quiet } from "./io.ts";
import { setUnhandledRejectionHandler, setUpRun } from "./setup.ts";

const ctx = setUpRun();

function describe(err: unknown): string {
    const e = err as { stack?: unknown } | null | undefined;
    try {
        return e?.stack ? inspect(err) : String(err);
    } catch {
        return String(err);
    }
}

async function main(): Promise<void> {
    // A rejection nothing handles is shown, as Node.js would print it; the plugin keeps serving.
    setUnhandledRejectionHandler?.((_promise, reason) => {
        gatewayConsole.error(`Unhandled rejection in ${ctx.entryModule}: ${describe(reason)}`);
        return true;
    });
    delete (globalThis as { Deno?: unknown }).Deno;
    await quiet();
    try {
        await import(ctx.entryModule);
    } catch (err) {
        call("run.finish", { outcome: "error", message: `the plugin ${ctx.entryModule.replace("file://", "")} failed with an unhandled exception:\n${describe(err)}` });
    }
}

main().catch((err) => {
    call("run.finish", { outcome: "error", message: `Unfold's plugin bootstrap failed: ${describe(err)}` });
});
