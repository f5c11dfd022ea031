// How a plugin's program (a policy pack, a component provider) answers the engine: the host turns
// each gRPC call into an inbound `plugin` event `{id, method, request}` (proto3 JSON), and the
// answer, or the error's text, goes back through `plugin.reply`.

import { call, listen, type Json } from "./io.ts";

/** Answers one of the engine's calls: the response message in proto3 JSON. */
export type PluginMethods = (method: string, request: any) => Promise<Json>;

/** Starts answering the engine's calls with `answer`; the program runs until the engine stops it. */
export function servePlugin(answer: PluginMethods): void {
    listen("plugin", (event) => {
        const { id, method, request } = event as { id: number; method: string; request: unknown };
        let answered: Promise<Json>;
        try {
            answered = answer(method, request);
        } catch (err) {
            answered = Promise.reject(err);
        }
        answered.then(
            (response) => call("plugin.reply", { id, response }),
            (err: unknown) => call("plugin.reply", { id, error: err instanceof Error ? err.message : String(err) }),
        );
    });
    call("plugin.serve");
}
