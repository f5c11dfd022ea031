// Callbacks the engine makes into the program: resource transforms (hooks are in hooks.ts). The host serves the
// Callbacks service for the run; each registered function gets a token, and the engine's calls
// arrive through the IO gateway as inbound `callback` events carrying protobuf bytes.

import { onCallback, request, type InboundCallback, type Json } from "../../unfold/io.ts";
import * as log from "../log/index.ts";
import { output, partsOf } from "../output.ts";
import {
    DependencyProviderResource,
    DependencyResource,
    ProviderResource,
    Resource,
    rootStackResource,
    type Alias,
    type ComponentResourceOptions,
    type CustomResourceOptions,
    type ResourceOptions,
    type ResourceTransform,
} from "../resource.ts";
import { decodeBase64, encodeBase64 } from "./protobuf.ts";
import { mapAliasesForRequest } from "./resource.ts";
import { deserializeProperties, serializeProperties } from "./rpc.ts";
import { monitorRequest } from "./settings.ts";
import {
    decodeTransformRequest,
    emptyOptions,
    encodeTransformResponse,
    type AliasMessage,
    type TransformResourceOptionsMessage,
} from "./transformMessages.ts";

let callbacksTarget: Promise<string> | undefined;
let lastToken = 0;

/** The address the engine calls back on, asked for once per run. */
export function callbackTarget(): Promise<string> {
    callbacksTarget ??= request("callbacks.address", {}).then((r) => (r as { target: string }).target);
    return callbacksTarget;
}

/** A token for a new callback. Tokens only need to be unique within the run; a counter keeps runs reproducible. */
export function nextCallbackToken(kind: string): string {
    return `${kind}-${++lastToken}`;
}

/** Registers `transform` and returns the pulumirpc.Callback that names it. */
export async function registerTransform(transform: ResourceTransform): Promise<Json> {
    const token = nextCallbackToken("transform");
    onCallback(token, async (callback: InboundCallback) => {
        try {
            const response = await runTransform(transform, decodeBase64(callback.request));
            return encodeBase64(response);
        } catch (e) {
            throw new Error(`transform failed: ${e}`);
        }
    });
    return { token, target: await callbackTarget() };
}

// ---- Stack transforms ----

let pendingStackRegistrations = 0;
let stackRegistrationWaiters: (() => void)[] = [];

/** Registers a transform for every resource of the stack registered from now on. */
export function registerStackTransform(transform: ResourceTransform): void {
    pendingStackRegistrations++;
    registerTransform(transform)
        .then(
            (callback) => monitorRequest("RegisterStackTransform", callback as Record<string, Json>).then(() => undefined),
            (err) => log.error(`failed to register stack transform: ${err}`),
        )
        .finally(() => {
            pendingStackRegistrations--;
            if (pendingStackRegistrations === 0) {
                const waiters = stackRegistrationWaiters;
                stackRegistrationWaiters = [];
                waiters.forEach((wake) => wake());
            }
        });
}

/** Waits until stack transforms registered so far are in effect, so no resource misses them. */
export function awaitStackRegistrations(): Promise<void> {
    if (pendingStackRegistrations === 0) {
        return Promise.resolve();
    }
    return new Promise((resolve) => stackRegistrationWaiters.push(resolve));
}

// ---- Running a transform ----

async function runTransform(transform: ResourceTransform, bytes: Uint8Array): Promise<Uint8Array> {
    const request = decodeTransformRequest(bytes);
    const opts = request.options ?? emptyOptions();
    const result = await transform({
        custom: request.custom,
        type: request.type,
        name: request.name,
        props: request.properties === undefined ? {} : deserializeProperties(request.properties),
        opts: resourceOptionsFromMessage(opts, request.custom, request.parent),
    });
    if (result === undefined) {
        return encodeTransformResponse({ properties: request.propertiesBytes, options: request.optionsBytes });
    }
    const properties = await serializeProperties("props", result.props);
    const options = result.opts === undefined ? emptyOptions() : await messageFromResourceOptions(result.opts, request.custom, request.parent);
    return encodeTransformResponse({ properties, options });
}

function resourceOptionsFromMessage(opts: TransformResourceOptionsMessage, custom: boolean, parent: string): ResourceOptions {
    const ropts: CustomResourceOptions & ComponentResourceOptions = custom
        ? { deleteBeforeReplace: opts.deleteBeforeReplace ?? false, additionalSecretOutputs: opts.additionalSecretOutputs, import: opts.import }
        : { providers: Object.fromEntries(Object.entries(opts.providers).map(([k, v]) => [k, new DependencyProviderResource(v)])) };
    ropts.aliases = opts.aliases.map((alias: AliasMessage) => {
        if (alias.urn !== undefined) {
            return alias.urn;
        }
        if (alias.spec === undefined) {
            throw new Error("alias must have either a urn or a spec");
        }
        const spec = alias.spec;
        const nodeAlias: Alias = {
            name: spec.name,
            type: spec.type,
            project: spec.project,
            stack: spec.stack,
            parent: spec.parentUrn !== "" ? new DependencyResource(spec.parentUrn) : undefined,
        };
        if (spec.noParent) {
            nodeAlias.parent = rootStackResource;
        }
        return nodeAlias;
    });
    if (opts.customTimeouts !== undefined) {
        ropts.customTimeouts = { ...opts.customTimeouts };
    }
    ropts.deletedWith = opts.deletedWith !== "" ? new DependencyResource(opts.deletedWith) : undefined;
    ropts.dependsOn = opts.dependsOn.map((dep) => new DependencyResource(dep));
    ropts.ignoreChanges = opts.ignoreChanges;
    ropts.parent = parent !== "" ? new DependencyResource(parent) : undefined;
    ropts.pluginDownloadURL = opts.pluginDownloadUrl !== "" ? opts.pluginDownloadUrl : undefined;
    ropts.protect = opts.protect ?? false;
    ropts.provider = opts.provider !== "" ? new DependencyProviderResource(opts.provider) : undefined;
    ropts.replaceOnChanges = opts.replaceOnChanges;
    ropts.retainOnDelete = opts.retainOnDelete ?? false;
    ropts.version = opts.version !== "" ? opts.version : undefined;
    return ropts;
}

// Only the options the transform returned are set; the engine keeps the rest as they were.
async function messageFromResourceOptions(
    ropts: ResourceOptions,
    custom: boolean,
    parent: string,
): Promise<TransformResourceOptionsMessage> {
    const opts = emptyOptions();
    if (ropts.aliases !== undefined) {
        const aliases: (string | Alias)[] = [];
        const unique = new Set<unknown>();
        for (const alias of ropts.aliases) {
            const value = await partsOf(output(alias)).promise();
            if (!unique.has(value)) {
                unique.add(value);
                aliases.push(value as string | Alias);
            }
        }
        opts.aliases = (await mapAliasesForRequest(aliases, parent)).map(aliasMessageFromJson);
    }
    if (ropts.customTimeouts !== undefined) {
        const t = ropts.customTimeouts;
        opts.customTimeouts = { create: t.create ?? "", update: t.update ?? "", delete: t.delete ?? "", read: t.read ?? "" };
    }
    if (ropts.deletedWith !== undefined) {
        opts.deletedWith = await partsOf(ropts.deletedWith.urn).promise();
    }
    if (ropts.dependsOn !== undefined) {
        const resolved: unknown = await partsOf(output(ropts.dependsOn as any)).promise();
        const deps = Resource.isInstance(resolved) ? [resolved] : (resolved as Resource[]);
        for (const dep of deps) {
            opts.dependsOn.push(await partsOf(dep.urn).promise());
        }
    }
    if (ropts.ignoreChanges !== undefined) {
        opts.ignoreChanges = ropts.ignoreChanges;
    }
    if (ropts.pluginDownloadURL !== undefined) {
        opts.pluginDownloadUrl = ropts.pluginDownloadURL;
    }
    if (ropts.protect !== undefined) {
        opts.protect = ropts.protect;
    }
    if (ropts.provider !== undefined) {
        opts.provider = (await ProviderResource.register(ropts.provider))!;
    }
    if (ropts.replaceOnChanges !== undefined) {
        opts.replaceOnChanges = ropts.replaceOnChanges;
    }
    if (ropts.retainOnDelete !== undefined) {
        opts.retainOnDelete = ropts.retainOnDelete;
    }
    if (ropts.version !== undefined) {
        opts.version = ropts.version;
    }
    if (custom) {
        const copts = ropts as CustomResourceOptions;
        if (copts.deleteBeforeReplace !== undefined) {
            opts.deleteBeforeReplace = copts.deleteBeforeReplace;
        }
        if (copts.additionalSecretOutputs !== undefined) {
            opts.additionalSecretOutputs = copts.additionalSecretOutputs;
        }
        if (copts.import !== undefined) {
            opts.import = copts.import;
        }
    } else {
        // Providers a transform returns for a component are not applied: the Node.js SDK clears
        // them before answering, and this SDK answers the same. It still warns about mismatches.
        const copts = ropts as ComponentResourceOptions;
        if (copts.providers !== undefined && !Array.isArray(copts.providers)) {
            for (const [k, v] of Object.entries(copts.providers)) {
                if (k !== v.getPackage()) {
                    log.warn(`provider resource map where key ${k} doesn't match provider ${v.getPackage()}`);
                }
            }
        }
    }
    return opts;
}

function aliasMessageFromJson(alias: Json): AliasMessage {
    const a = alias as { urn?: string; spec?: Record<string, Json> };
    if (a.urn !== undefined) {
        return { urn: a.urn };
    }
    const s = a.spec ?? {};
    return {
        spec: {
            name: (s.name as string) ?? "",
            type: (s.type as string) ?? "",
            stack: (s.stack as string) ?? "",
            project: (s.project as string) ?? "",
            parentUrn: (s.parentUrn as string) ?? "",
            noParent: s.noParent === true,
        },
    };
}
