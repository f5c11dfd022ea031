// What every bootstrap does first (the program's, `main.ts`, and a plugin's, `plugin.ts`): install
// the globals and the console, read the run's context, and configure the SDK from it.

import { installConsole } from "./console.ts";
import { installGlobals } from "./globals.ts";
import { installNodeGlobals } from "../node/internal/globals.ts";
import { call } from "./io.ts";
import { setAllConfig } from "../pulumi/runtime/config.ts";
import { configureRun, type RunOptions } from "../pulumi/runtime/settings.ts";

/** The `run.context` crossing's answer: the run's settings, the entry module and the config. */
export interface RunContext extends RunOptions {
    /** The specifier of the program's entry module. */
    entryModule: string;
    config: Record<string, string>;
    configSecretKeys: string[];
    /**
     * Set when this isolate runs a service of the program (see `cloud/service.ts`): the entry
     * module is the service's module, deployed as the unit `name` with `options`.
     */
    service?: { name: string; options: Record<string, unknown> };
}

type RejectionHandler = (promise: Promise<unknown>, reason: unknown) => boolean;

// deno_core reports promises rejected without a handler here; the hook stays inside the isolate.
// Captured before `Deno` is removed from the global scope.
const core = (globalThis as unknown as { Deno: { core: { setUnhandledPromiseRejectionHandler?(h: RejectionHandler): void } } })
    .Deno.core;

/** Sets where promises rejected without a handler are reported. */
export const setUnhandledRejectionHandler = core.setUnhandledPromiseRejectionHandler?.bind(core);

/** Installs the globals and configures the SDK from the run's context, which it returns. */
export function setUpRun(): RunContext {
    installGlobals();
    installNodeGlobals();
    installConsole();
    const ctx = call("run.context") as RunContext;
    configureRun(ctx);
    setAllConfig(ctx.config, ctx.configSecretKeys);
    return ctx;
}
