// The plugin bootstrap: the module the host evaluates to run a plugin written for Unfold (a policy
// pack). It sets up the SDK from the context the engine gave the plugin and evaluates the entry
// module. There is no stack: the plugin's own code (`new PolicyPack(...)`) starts listening for
// the engine's calls, which keeps the plugin running until the engine stops it.

import { installConsole, gatewayConsole } from "./console.ts";
import { installGlobals } from "./globals.ts";
import { installNodeGlobals } from "../node/internal/globals.ts";
import { inspect } from "./inspect.ts";
import { call, quiet } from "./io.ts";
import { setAllConfig } from "../pulumi/runtime/config.ts";
import { configureRun, type RunOptions } from "../pulumi/runtime/settings.ts";

interface PluginContext extends RunOptions {
    entryModule: string;
    config: Record<string, string>;
    configSecretKeys: string[];
}

type RejectionHandler = (promise: Promise<unknown>, reason: unknown) => boolean;

const core = (globalThis as unknown as { Deno: { core: { setUnhandledPromiseRejectionHandler?(h: RejectionHandler): void } } })
    .Deno.core;
const setUnhandledRejectionHandler = core.setUnhandledPromiseRejectionHandler?.bind(core);

installGlobals();
installNodeGlobals();
installConsole();
const ctx = call("run.context") as PluginContext;
configureRun(ctx);
setAllConfig(ctx.config, ctx.configSecretKeys);

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
