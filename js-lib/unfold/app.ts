// The application bootstrap: loads a module and serves invocations of its exported functions,
// one `invoke` event at a time, answering each with `invoke.reply`. Everything the module does
// crosses the gateway, so a session can be hibernated and restored by replaying its record.

import { installConsole } from "./console.ts";
import { installGlobals } from "./globals.ts";
import { inspect } from "./inspect.ts";
import { call, listen, type Json } from "./io.ts";
// A CommonJS entry module is run by node/module.ts, which captures its ops when it loads: it must
// load before `Deno` is removed.
import "../node/module.ts";

interface Invocation {
    id: number;
    export: string;
    args: unknown[];
}

installGlobals();
installConsole();
const { entryModule } = call("app.context") as { entryModule: string };

async function serve(): Promise<void> {
    // The app gets no ambient authority: the gateway ops were captured at load.
    delete (globalThis as { Deno?: unknown }).Deno;
    const app = (await import(entryModule)) as Record<string, unknown>;
    // Invocations run one after another, in the order they arrived.
    let queue: Promise<void> = Promise.resolve();
    listen("invoke", (event) => {
        const invocation = event as unknown as Invocation;
        queue = queue.then(() => invoke(app, invocation));
    });
    call("app.ready");
}

async function invoke(app: Record<string, unknown>, { id, export: name, args }: Invocation): Promise<void> {
    try {
        const target = app[name];
        if (typeof target !== "function") {
            throw new TypeError(`${entryModule} has no exported function '${name}'`);
        }
        const value = await target(...args);
        call("invoke.reply", { id, value: value === undefined ? null : toJson(value) });
    } catch (err) {
        call("invoke.reply", { id, error: err instanceof Error && err.stack ? err.stack : inspect(err) });
    }
}

function toJson(value: unknown): Json {
    return JSON.parse(JSON.stringify(value) ?? "null") as Json;
}

serve().catch((err) => {
    call("app.ready", { error: err instanceof Error && err.stack ? err.stack : inspect(err) });
});
