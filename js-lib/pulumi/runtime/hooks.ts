// Resource hooks and error hooks: functions the engine calls around a resource's create, update
// and delete, and when one of them fails. A hook is registered once, by name, with a callback
// token; a resource binds hooks by name in its RegisterResource request. The engine's calls
// arrive as `callback` events carrying pulumirpc.ResourceHookRequest or ErrorHookRequest bytes.

import { onCallback, type InboundCallback, type Json } from "../../unfold/io.ts";
import { secret } from "../output.ts";
import type { ErrorHook, ResourceHook, ResourceHookBinding, ResourceHookFunction } from "../resource.ts";
import { decodeBase64, decodeUtf8, encodeBase64, ProtoWriter, readFields } from "./protobuf.ts";
import { deserializeProperties, isRpcSecret, unwrapRpcSecret } from "./rpc.ts";
import { callbackTarget, nextCallbackToken } from "./callbacks.ts";
import { monitorFeatures, monitorRequest } from "./settings.ts";
import { decodeStruct } from "./transformMessages.ts";

/** Registers `hook` with the engine; resolves once resources may bind it. */
export async function registerResourceHook(hook: ResourceHook): Promise<void> {
    if (!monitorFeatures.resourceHooks) {
        throw new Error("The Pulumi CLI does not support resource hooks. Please update the Pulumi CLI");
    }
    const token = nextCallbackToken("hook");
    onCallback(token, (callback: InboundCallback) =>
        answer(callback, resourceHookRequest, async (request) => {
            await hook.callback({ ...resourceOf(request), newOutputs: properties(request.structs[7]), oldOutputs: properties(request.structs[8]) });
            return new ProtoWriter().finish();
        }),
    );
    await monitorRequest("RegisterResourceHook", {
        name: hook.name,
        callback: { token, target: await callbackTarget() },
        onDryRun: hook.opts?.onDryRun ?? false,
        ignoreErrors: hook.opts?.ignoreErrors ?? false,
    });
}

/** Registers `hook` with the engine; resolves once resources may bind it. */
export async function registerErrorHook(hook: ErrorHook): Promise<void> {
    if (!monitorFeatures.errorHooks) {
        throw new Error("The Pulumi CLI does not support error hooks. Please update the Pulumi CLI");
    }
    const token = nextCallbackToken("error-hook");
    onCallback(token, (callback: InboundCallback) =>
        answer(callback, errorHookRequest, async (request) => {
            const retry = await hook.callback({
                ...resourceOf(request),
                oldOutputs: properties(request.structs[7]),
                failedOperation: request.strings[8]?.[0] ?? "",
                errors: request.strings[9] ?? [],
            });
            // pulumirpc.ErrorHookResponse: retry = 2.
            return new ProtoWriter().bool(2, retry === true).finish();
        }),
    );
    await monitorRequest("RegisterErrorHook", { name: hook.name, callback: { token, target: await callbackTarget() } });
}

// The binding kinds in pulumirpc.RegisterResourceRequest.ResourceHooksBinding, in proto3 JSON.
const resourceHookKinds = ["beforeCreate", "afterCreate", "beforeUpdate", "afterUpdate", "beforeDelete", "afterDelete"] as const;

/**
 * The `hooks` field of a RegisterResource request, once every hook it names is registered. A plain
 * function becomes a hook named `<type>_<name>_<kind>_<index>`, as Pulumi's Node.js SDK names it.
 */
export async function hooksBinding(
    binding: ResourceHookBinding | undefined,
    namePrefix: string,
    newHook: (name: string, fn: ResourceHookFunction) => ResourceHook,
): Promise<Record<string, Json> | undefined> {
    if (binding === undefined || Object.keys(binding).length === 0) {
        return undefined;
    }
    const names: Record<string, Json> = {};
    for (const kind of resourceHookKinds) {
        const bound: string[] = [];
        for (const [index, entry] of (binding[kind] ?? []).entries()) {
            const hook = typeof entry === "function" ? newHook(`${namePrefix}_${kind}_${index}`, entry) : entry;
            await hook.__registered;
            bound.push(hook.name);
        }
        names[kind] = bound;
    }
    const onError: string[] = [];
    for (const hook of binding.onError ?? []) {
        await hook.__registered;
        onError.push(hook.name);
    }
    names.onError = onError;
    return names;
}

// ---- The engine's calls ----

/** The fields of a hook request: strings and Structs by field number. */
interface HookRequest {
    strings: Record<number, string[]>;
    structs: Record<number, Uint8Array>;
}

// Both requests: urn = 1, id = 2, name = 3, type = 4, then Structs: new_inputs = 5, old_inputs = 6,
// and new_outputs = 7, old_outputs = 8 (ResourceHookRequest) or old_outputs = 7, failed_operation
// = 8, errors = 9 (ErrorHookRequest). The old and new resource options that follow are not read.
const resourceHookRequest = { strings: [1, 2, 3, 4], structs: [5, 6, 7, 8] };
const errorHookRequest = { strings: [1, 2, 3, 4, 8, 9], structs: [5, 6, 7] };

function decodeRequest(bytes: Uint8Array, layout: { strings: number[]; structs: number[] }): HookRequest {
    const request: HookRequest = { strings: {}, structs: {} };
    for (const f of readFields(bytes)) {
        const value = f.value as Uint8Array;
        if (layout.structs.includes(f.field)) {
            request.structs[f.field] = value;
        } else if (layout.strings.includes(f.field)) {
            (request.strings[f.field] ??= []).push(decodeUtf8(value));
        }
    }
    return request;
}

/** Fields 1–6, the same in both requests: the resource and its inputs. */
function resourceOf(request: HookRequest) {
    const text = (field: number) => request.strings[field]?.[0] ?? "";
    return {
        urn: text(1),
        id: text(2),
        name: text(3),
        type: text(4),
        newInputs: properties(request.structs[5]),
        oldInputs: properties(request.structs[6]),
    };
}

/** A Struct of properties as the hook sees it: unknowns kept, secrets as secret Outputs. */
function properties(bytes: Uint8Array | undefined): Record<string, any> | undefined {
    if (bytes === undefined) {
        return undefined;
    }
    const props = deserializeProperties(decodeStruct(bytes), true);
    for (const [key, value] of Object.entries(props)) {
        if (isRpcSecret(value)) {
            props[key] = secret(unwrapRpcSecret(value));
        }
    }
    return props;
}

/**
 * Runs a hook for one call and answers with its response message. A hook that throws answers
 * with its message in the response's `error` (field 1 of both responses), which the engine
 * reports against the resource — it does not fail the program.
 */
async function answer(
    callback: InboundCallback,
    layout: { strings: number[]; structs: number[] },
    run: (request: HookRequest) => Promise<Uint8Array>,
): Promise<string> {
    try {
        return encodeBase64(await run(decodeRequest(decodeBase64(callback.request), layout)));
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return encodeBase64(new ProtoWriter().string(1, message).finish());
    }
}
