// Provider functions: `invoke` (data sources and other stateless functions) and `call` (methods
// of component resources).

import { GatewayError, type Json } from "../../unfold/io.ts";
import type { InvokeOptions, InvokeOutputOptions } from "../invoke.ts";
import * as log from "../log/index.ts";
import { makeOutput, partsOf, type Inputs, type Output } from "../output.ts";
import { hasBrand } from "../rtti.ts";
import { DependencyResource, ProviderResource, type CustomResource, type Resource, type URN } from "../resource.ts";
import { gatherExplicitDependencies, getAllTransitivelyReferencedResources, getAllTransitivelyReferencedResourceURNs } from "./dependsOn.ts";
import { awaitStackRegistrations } from "./callbacks.ts";
import {
    containsUnknownValues,
    deserializeProperties,
    isRpcSecret,
    serializePropertiesReturnDeps,
    unwrapRpcSecret,
    unwrapSecretValues,
} from "./rpc.ts";
import { monitorFeatures, monitorRequest, resolvePackageRef, rpcKeepAlive } from "./settings.ts";

interface InvokeResult {
    result: Record<string, any> | undefined;
    isKnown: boolean;
    containsSecrets: boolean;
    dependencies: Resource[];
}

/** Invokes provider function `tok` and returns its result; unknown inputs give an empty result. */
export function invoke(tok: string, props: Inputs, opts: InvokeOptions = {}, packageRef?: Promise<string | undefined>): Promise<any> {
    // Plain invokes do not wait for dependencies.
    const optsCopy: InvokeOutputOptions = { ...opts };
    if ("dependsOn" in optsCopy) {
        optsCopy.dependsOn = undefined;
    }
    return invokeAsync(tok, props, optsCopy, packageRef).then((response) => response.result);
}

/** Invokes provider function `tok`; the result is an Output that tracks secrets and dependencies. */
export function invokeOutput<T>(
    tok: string,
    props: Inputs,
    opts: InvokeOutputOptions = {},
    packageRef?: Promise<string | undefined>,
): Output<T> {
    const [out, resolve] = createOutput<T>();
    invokeAsync(tok, props, opts, packageRef, true).then(
        ({ result, isKnown, containsSecrets, dependencies }) => resolve(result as T, isKnown, containsSecrets, dependencies),
        (err) => resolve(undefined, true, false, [], err),
    );
    return out;
}

// Functions that return a single value answer with a one-property object.
function extractSingleValue(result: Record<string, any> | undefined): any {
    if (result === undefined) {
        return result;
    }
    return result[Object.keys(result)[0]];
}

/** Like {@link invoke}, for functions that return a single value. */
export function invokeSingle(tok: string, props: Inputs, opts: InvokeOptions = {}, packageRef?: Promise<string | undefined>): Promise<any> {
    return invokeAsync(tok, props, opts, packageRef).then((response) => extractSingleValue(response.result));
}

/** Like {@link invokeOutput}, for functions that return a single value. */
export function invokeSingleOutput<T>(tok: string, props: Inputs, opts: InvokeOptions = {}, packageRef?: Promise<string | undefined>): Output<T> {
    const [out, resolve] = createOutput<T>();
    invokeAsync(tok, props, opts, packageRef, true).then(
        ({ result, isKnown, containsSecrets, dependencies }) => resolve(extractSingleValue(result), isKnown, containsSecrets, dependencies),
        (err) => resolve(undefined, true, false, [], err),
    );
    return out;
}

const unknownResult = (dependencies: Resource[] = []): InvokeResult => ({ result: {}, isKnown: false, containsSecrets: false, dependencies });

async function invokeAsync(
    tok: string,
    props: Inputs,
    opts: InvokeOutputOptions,
    packageRef: Promise<string | undefined> | undefined,
    checkDependencies?: boolean,
): Promise<InvokeResult> {
    log.debug(`Invoking function: tok=${tok} asynchronously`);
    await awaitStackRegistrations();
    const done = rpcKeepAlive();
    try {
        const dependsOnDeps = await gatherExplicitDependencies(opts.dependsOn);
        let serialized: Record<string, any>;
        let deps: Map<string, Set<Resource>>;
        try {
            [serialized, deps] = await serializePropertiesReturnDeps(`invoke:${tok}`, props);
        } catch (err) {
            const detail = err instanceof Error ? err.stack || err.message : String(err);
            log.error(`Error serializing arguments for invoke ${tok}: ${detail}`);
            throw err;
        }
        // With unknown arguments the function cannot run yet; the result is unknown.
        if (containsUnknownValues(serialized)) {
            return unknownResult();
        }

        let invokeDependsOn: Set<URN> | undefined;
        if (checkDependencies) {
            const waitFor = new Set<Resource>(dependsOnDeps);
            for (const resourceDeps of deps.values()) {
                for (const r of resourceDeps) {
                    waitFor.add(r);
                }
            }
            if (monitorFeatures.invokeDependsOn) {
                invokeDependsOn = await getAllTransitivelyReferencedResourceURNs(waitFor, new Set());
            } else {
                // Without engine support, a dependency that does not exist yet makes the result unknown.
                for (const dep of await getAllTransitivelyReferencedResources(waitFor, new Set())) {
                    const id = hasBrand(dep, "__pulumiCustomResource") ? (dep as CustomResource).id : undefined;
                    if (id) {
                        const known = await partsOf(id).isKnown;
                        if (!known) {
                            return unknownResult();
                        }
                    }
                }
            }
        }

        const provider = await ProviderResource.register(opts.provider ?? opts.parent?.getProvider(tok));
        const [plainInputs, inputsContainSecrets] = unwrapSecretValues(serialized);
        const req = await invokeRequest(tok, plainInputs, provider, opts, packageRef, invokeDependsOn);
        let resp: any;
        try {
            resp = await monitorRequest("Invoke", req);
        } catch (err) {
            throw terminatingOrDetails(err);
        }

        const dependencies = dependsOnDeps;
        for (const dep of deps.values()) {
            for (const d of dep) {
                if (!dependencies.includes(d)) {
                    dependencies.push(d);
                }
            }
        }
        // The engine does not run an invoke whose dependencies are still pending (in preview, resources
        // yet to be created): the whole result is unknown, as in the Node.js SDK.
        if (resp?.unknown) {
            return unknownResult(dependencies);
        }
        const deserialized = deserializeResponse(tok, resp);
        return {
            result: deserialized.result,
            containsSecrets: deserialized.containsSecrets || inputsContainSecrets,
            dependencies,
            isKnown: true,
        };
    } finally {
        done();
    }
}

// A failed invoke reports the provider's message alone, except when the engine is going away.
function terminatingOrDetails(err: unknown): Error {
    if (err instanceof GatewayError) {
        if (err.code === "Unavailable" || err.code === "Cancelled") {
            return Object.assign(new Error("Resource monitor is terminating"), { code: err.code });
        }
        return new Error(err.details);
    }
    return err instanceof Error ? err : new Error(String(err));
}

async function invokeRequest(
    tok: string,
    args: Record<string, any>,
    provider: string | undefined,
    opts: InvokeOptions,
    packageRef: Promise<string | undefined> | undefined,
    dependsOn: Set<URN> | undefined,
): Promise<Record<string, Json>> {
    const packageRefStr = await resolvePackageRef(packageRef, opts);
    const req: Record<string, Json> = {
        tok,
        args,
        provider: provider || "",
        version: opts.version || "",
        pluginDownloadURL: opts.pluginDownloadURL || "",
        acceptResources: true,
        packageRef: packageRefStr,
    };
    if (dependsOn !== undefined) {
        req.dependsOn = Array.from(dependsOn);
    }
    return req;
}

function deserializeResponse(tok: string, resp: any): { result: Record<string, any> | undefined; containsSecrets: boolean } {
    const failures: { property?: string; reason?: string }[] = resp?.failures ?? [];
    if (failures.length) {
        const reasons = failures.map((f) => `${f.reason ?? ""} (${f.property ?? ""})`).join("; ");
        throw new Error(`Invoke of '${tok}' failed: ${reasons}`);
    }
    const ret = resp?.return;
    if (ret === undefined) {
        return { result: undefined, containsSecrets: false };
    }
    let containsSecrets = false;
    const properties = deserializeProperties(ret);
    for (const key of Object.keys(properties)) {
        containsSecrets = containsSecrets || isRpcSecret(properties[key]);
        properties[key] = unwrapRpcSecret(properties[key]);
    }
    return { result: properties, containsSecrets };
}

/** Calls method `tok` of component `res` (or a function, without one) in its provider. */
export function call<T>(tok: string, props: Inputs, res?: Resource, packageRef?: Promise<string | undefined>): Output<T> {
    const [out, resolve] = createOutput<T>();
    callAsync(tok, props, res, packageRef).then(
        ({ result, isKnown, containsSecrets, dependencies }) => resolve(result as T, isKnown, containsSecrets, dependencies),
        (err) => resolve(undefined, true, false, [], err),
    );
    return out;
}

/** Like {@link call}, for methods that return a single value. */
export function callSingle<T>(tok: string, props: Inputs, res?: Resource, packageRef?: Promise<string | undefined>): Output<T> {
    const [out, resolve] = createOutput<T>();
    callAsync(tok, props, res, packageRef).then(
        ({ result, isKnown, containsSecrets, dependencies }) => resolve(extractSingleValue(result), isKnown, containsSecrets, dependencies),
        (err) => resolve(undefined, true, false, [], err),
    );
    return out;
}

async function callAsync(tok: string, props: Inputs, res: Resource | undefined, packageRef: Promise<string | undefined> | undefined): Promise<InvokeResult> {
    log.debug(`Calling function: tok=${tok}`);
    const done = rpcKeepAlive();
    try {
        let provider: string | undefined;
        const plugin: { version?: string; pluginDownloadURL?: string } = {};
        if (res) {
            if (res.__prov) {
                provider = await ProviderResource.register(res.__prov);
            }
            plugin.version = res.__version;
            plugin.pluginDownloadURL = res.__pluginDownloadURL;
        }
        let serialized: Record<string, any>;
        let propertyDeps: Map<string, Set<Resource>>;
        try {
            [serialized, propertyDeps] = await serializePropertiesReturnDeps(`call:${tok}`, props, {
                keepOutputValues: true,
                excludeResourceReferencesFromDependencies: true,
            });
        } catch (err) {
            const detail = err instanceof Error ? err.stack || err.message : String(err);
            log.error(`Error serializing arguments for call ${tok}: ${detail}`);
            throw err;
        }
        const packageRefStr = await resolvePackageRef(packageRef, plugin);
        const argDependencies: Record<string, Json> = {};
        for (const [key, deps] of propertyDeps) {
            const urns = new Set<string>();
            for (const dep of deps) {
                urns.add(await partsOf(dep.urn).promise());
            }
            argDependencies[key] = { urns: Array.from(urns) };
        }
        const req: Record<string, Json> = {
            tok,
            args: serialized,
            provider: provider || "",
            version: plugin.version || "",
            pluginDownloadURL: plugin.pluginDownloadURL || "",
            packageRef: packageRefStr,
            argDependencies,
        };
        let resp: any;
        try {
            resp = await monitorRequest("Call", req);
        } catch (err) {
            throw terminatingOrDetails(err);
        }
        const { result, containsSecrets } = deserializeResponse(tok, resp);
        const urns = new Set<URN>();
        for (const returnDeps of Object.values((resp?.returnDependencies ?? {}) as Record<string, { urns?: URN[] }>)) {
            for (const urn of returnDeps.urns ?? []) {
                urns.add(urn);
            }
        }
        return { result, containsSecrets, dependencies: [...urns].map((urn) => new DependencyResource(urn)), isKnown: true };
    } finally {
        done();
    }
}

type OutputSettler<T> = (value: T | undefined, isKnown: boolean, isSecret: boolean, deps: Resource[], err?: unknown) => void;

function createOutput<T>(): [Output<T>, OutputSettler<T>] {
    let settle!: OutputSettler<T>;
    const parts = new Promise<{ value: T; isKnown: boolean; isSecret: boolean; deps: Resource[] }>((resolve, reject) => {
        settle = (value, isKnown, isSecret, deps, err) => {
            if (err) {
                reject(err);
            } else {
                resolve({ value: value as T, isKnown, isSecret, deps });
            }
        };
    });
    const out = makeOutput<T>(
        [],
        parts.then((p) => p.value),
        parts.then((p) => p.isKnown),
        parts.then((p) => p.isSecret),
        parts.then((p) => p.deps),
    );
    return [out, settle];
}
