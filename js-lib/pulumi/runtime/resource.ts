// Registering resources with the engine: RegisterResource, ReadResource and
// RegisterResourceOutputs, and settling the resource's Outputs from the answers.

import { GatewayError, type Json } from "../../unfold/io.ts";
import * as log from "../log/index.ts";
import { makeOutput, Output, output, partsOf, type Input, type Inputs } from "../output.ts";
import type { SourcePosition } from "../resource.ts";
import { hasBrand } from "../rtti.ts";
import {
    allAliases,
    expandProviders,
    pkgFromType,
    ProviderResource,
    ResourceHook,
    type Alias,
    type ComponentResourceOptions,
    type CustomResourceOptions,
    type Resource,
    type ResourceOptions,
    type URN,
} from "../resource.ts";
import { awaitStackRegistrations, registerTransform } from "./callbacks.ts";
import { hooksBinding } from "./hooks.ts";
import { gatherExplicitDependencies, getAllTransitivelyReferencedResourceURNs } from "./dependsOn.ts";
import {
    deferred,
    deserializeProperties,
    deserializeProperty,
    resolveProperties,
    serializeProperties,
    serializeProperty,
    serializeResourceProperties,
    transferProperties,
    type OutputResolver,
} from "./rpc.ts";
import { isDryRun, isGrpcError, monitorFeatures, monitorRequest, resolvePackageRef, rpcKeepAlive, serialize } from "./settings.ts";

/** What {@link prepareResource} works out before a resource can be sent to the engine. */
interface PreparedResource {
    resolveURN(urn: URN, err?: Error): void;
    resolveID?: (id: string | undefined, isKnown: boolean, err?: Error) => void;
    resolvers: Record<string, OutputResolver>;
    serializedProps: Record<string, any>;
    parentURN: URN | undefined;
    providerRef: string | undefined;
    providerRefs: Map<string, string>;
    allDirectDependencyURNs: Set<URN>;
    propertyToDirectDependencyURNs: Map<string, Set<URN>>;
    aliases: (URN | Alias)[];
    importId: string | undefined;
    monitorSupportsStructuredAliases: boolean;
    deletedWithURN: URN | undefined;
    replaceWithURNs: URN[];
}

function getParentURN(parent: Resource | Input<string>) {
    return hasBrand(parent, "__pulumiResource") ? (parent as Resource).urn : output(parent as Input<string>);
}

/** Translates aliases into the `aliases` field of a request. */
export async function mapAliasesForRequest(aliases: (URN | Alias)[] | undefined, parentURN: URN | undefined): Promise<Json[]> {
    if (aliases === undefined) {
        return [];
    }
    return Promise.all(
        aliases.map(async (a): Promise<Json> => {
            if (typeof a === "string") {
                return { urn: a };
            }
            const resolve = async (v: Input<string> | undefined) => (v === undefined ? undefined : await partsOf(output(v)).promise());
            const spec: Record<string, Json> = {
                name: (await resolve(a.name)) || "",
                type: (await resolve(a.type)) || "",
                stack: (await resolve(a.stack)) || "",
                project: (await resolve(a.project)) || "",
            };
            if (Object.prototype.hasOwnProperty.call(a, "parent")) {
                if (a.parent === undefined) {
                    spec.noParent = true;
                } else {
                    const urn = await partsOf(getParentURN(a.parent)).promise();
                    if (urn !== undefined) {
                        spec.parentUrn = urn;
                    }
                }
            } else if (parentURN) {
                spec.parentUrn = parentURN;
            }
            return { spec };
        }),
    );
}

/** `sourcePosition` and `stackTrace` of a request, as Pulumi's Node.js SDK fills them. */
function sourceFields(sourcePosition?: SourcePosition, stackTrace?: (SourcePosition | undefined)[]): Record<string, Json> {
    const fields: Record<string, Json> = {};
    if (sourcePosition !== undefined) {
        fields.sourcePosition = { ...sourcePosition };
    }
    if (stackTrace !== undefined) {
        const frames: Json[] = stackTrace.map((pc): Json => (pc === undefined ? {} : { pc: { ...pc } }));
        fields.stackTrace = { frames };
    }
    return fields;
}

/**
 * Registers `res` with the engine. Its URN, ID and output properties become pending Outputs at
 * once and settle when the engine answers.
 */
export function registerResource(
    res: Resource,
    parent: Resource | undefined,
    t: string,
    name: string,
    custom: boolean,
    remote: boolean,
    newDependency: (urn: URN) => Resource,
    props: Inputs,
    opts: ResourceOptions,
    packageRef?: Promise<string | undefined>,
    sourcePosition?: SourcePosition,
    stackTrace?: (SourcePosition | undefined)[],
): void {
    const label = `resource:${name}[${t}]`;
    log.debug(`Registering resource: t=${t}, name=${name}, custom=${custom}, remote=${remote}`);
    const done = rpcKeepAlive();
    const pending = prepareResource(label, res, parent, custom, remote, props, opts, t, name);
    pending.prepared
        .then(async (resop) => {
            log.debug(`RegisterResource RPC prepared: t=${t}, name=${name}`);
            await awaitStackRegistrations();

            const transforms: Json[] = [];
            if (opts.transforms !== undefined && opts.transforms.length > 0) {
                if (!monitorFeatures.transforms) {
                    throw new Error("The Pulumi CLI does not support transforms. Please update the Pulumi CLI");
                }
                for (const transform of opts.transforms) {
                    transforms.push(await registerTransform(transform));
                }
            }

            const packageRefStr = await resolvePackageRef(packageRef, opts);

            const customOpts = opts as CustomResourceOptions;
            const req: Record<string, Json> = {
                packageRef: packageRefStr,
                type: t,
                name,
                parent: resop.parentURN || "",
                custom,
                object: resop.serializedProps,
            };
            if (opts.protect !== undefined) {
                req.protect = opts.protect;
            }
            Object.assign(req, {
                provider: resop.providerRef || "",
                dependencies: Array.from(resop.allDirectDependencyURNs),
                deleteBeforeReplace: customOpts.deleteBeforeReplace || false,
                deleteBeforeReplaceDefined: customOpts.deleteBeforeReplace !== undefined,
                ignoreChanges: opts.ignoreChanges || [],
                version: opts.version || "",
                acceptSecrets: true,
                acceptResources: true,
                additionalSecretOutputs: customOpts.additionalSecretOutputs || [],
            });
            if (resop.monitorSupportsStructuredAliases) {
                req.aliases = await mapAliasesForRequest(resop.aliases, resop.parentURN);
            } else {
                req.aliasURNs = resop.aliases.filter((a): a is string => typeof a === "string");
            }
            Object.assign(req, {
                importId: resop.importId || "",
                supportsPartialValues: true,
                remote,
                replaceOnChanges: opts.replaceOnChanges || [],
                pluginDownloadURL: opts.pluginDownloadURL || "",
            });
            if (opts.retainOnDelete !== undefined) {
                req.retainOnDelete = opts.retainOnDelete;
            }
            if (opts.hideDiffs !== undefined) {
                req.hideDiffs = opts.hideDiffs;
            }
            req.deletedWith = resop.deletedWithURN || "";
            if (resop.replaceWithURNs.length > 0 && !monitorFeatures.replaceWith) {
                throw new Error("The Pulumi CLI does not support the ReplaceWith option. Please update the Pulumi CLI.");
            }
            req.replaceWith = resop.replaceWithURNs;
            if (opts.replacementTrigger !== undefined) {
                // An unknown trigger (in a preview) goes as an output value, as Pulumi's SDK sends it.
                let keepOutputValues = false;
                if (Output.isInstance(opts.replacementTrigger)) {
                    keepOutputValues = !(await partsOf(opts.replacementTrigger).isKnown) || isDryRun();
                }
                req.replacementTrigger = await serializeProperty(`${label}.replacementTrigger`, opts.replacementTrigger, new Set(), {
                    keepOutputValues,
                });
            }
            const hooks = await hooksBinding(opts.hooks, `${t}_${name}`, (hookName, fn) => new ResourceHook(hookName, fn));
            if (hooks !== undefined) {
                req.hooks = hooks;
            }
            if (opts.envVarMappings !== undefined) {
                req.envVarMappings = { ...opts.envVarMappings };
            }
            req.aliasSpecs = true;
            req.transforms = transforms;
            req.supportsResultReporting = true;
            Object.assign(req, sourceFields(sourcePosition, stackTrace));
            if (resop.deletedWithURN && !monitorFeatures.deletedWith) {
                throw new Error("The Pulumi CLI does not support the DeletedWith option. Please update the Pulumi CLI.");
            }
            const timeouts = opts.customTimeouts;
            req.customTimeouts = {
                create: timeouts?.create || "",
                update: timeouts?.update || "",
                delete: timeouts?.delete || "",
                read: timeouts?.read || "",
            };
            const propertyDependencies: Record<string, Json> = {};
            for (const [key, urns] of resop.propertyToDirectDependencyURNs) {
                propertyDependencies[key] = { urns: Array.from(urns) };
            }
            req.propertyDependencies = propertyDependencies;
            req.providers = Object.fromEntries(resop.providerRefs);

            runAsyncResourceOp(`monitor.registerResource(${label})`, async () => {
                let resp: any = {};
                let err: Error | undefined;
                try {
                    resp = await monitorRequest("RegisterResource", req);
                } catch (e) {
                    err = rpcFailure(e, `failed to register new resource ${name} [${t}]`);
                    resp = {};
                }
                log.debug(`RegisterResource RPC finished: ${label}; err: ${err}`);

                // A resource whose operation failed or was skipped (the engine goes on with
                // --continue-on-error, or --target leaves it out) settles every output as
                // unknown, so the rest of the program still runs and its dependents are skipped.
                const resultFailed = (resp.result ?? "SUCCESS") !== "SUCCESS";
                resop.resolveURN(resp.urn ?? "", err);
                if (resop.resolveID) {
                    const id = resp.id || undefined;
                    resop.resolveID(id, id !== undefined, err);
                }
                const deps: Record<string, Resource[]> = {};
                for (const [k, propertyDeps] of Object.entries((resp.propertyDependencies ?? {}) as Record<string, { urns?: URN[] }>)) {
                    deps[k] = (propertyDeps.urns ?? []).map((urn) => newDependency(urn));
                }
                // After an update, a custom resource the engine skipped keeps its outputs unknown.
                // A remote component's unknown outputs become undefined, as under the Node.js SDK.
                const unknown = custom && !resultFailed && !isDryRun() && resp.unknown === true;
                await resolveOutputs(
                    t,
                    name,
                    resultFailed ? {} : props,
                    err || resultFailed ? undefined : resp.object,
                    deps,
                    resop.resolvers,
                    err,
                    resultFailed || unknown,
                );
                done();
            });
        })
        .catch((err) => {
            log.debug(`RegisterResource RPC failed: t=${t}, name=${name}, err=${err}`);
            pending.fail(err);
            done();
            throw err;
        });
}

/** Reads the state of an existing resource, identified by `opts.id`, into `res`. */
export function readResource(
    res: Resource,
    parent: Resource | undefined,
    t: string,
    name: string,
    props: Inputs,
    opts: ResourceOptions,
    packageRef?: Promise<string | undefined>,
    sourcePosition?: SourcePosition,
    stackTrace?: (SourcePosition | undefined)[],
): void {
    if (!opts.id) {
        throw new Error("Cannot read resource whose options are lacking an ID value");
    }
    const id = partsOf(output(opts.id)).promise(true);
    const label = `resource:${name}[${t}]#...`;
    log.debug(`Reading resource: t=${t}, name=${name}`);
    const done = rpcKeepAlive();
    const pending = prepareResource(label, res, parent, true, false, props, opts);
    pending.prepared
        .then(async (resop) => {
            const resolvedID = await serializeProperty(label, await id, new Set(), { keepOutputValues: false });
            log.debug(`ReadResource RPC prepared: id=${resolvedID}, t=${t}, name=${name}`);
            const packageRefStr = await resolvePackageRef(packageRef, opts);
            const req: Record<string, Json> = {
                type: t,
                name,
                id: resolvedID,
                parent: resop.parentURN || "",
                provider: resop.providerRef || "",
                properties: resop.serializedProps,
                dependencies: Array.from(resop.allDirectDependencyURNs),
                version: opts.version || "",
                pluginDownloadURL: opts.pluginDownloadURL || "",
                acceptSecrets: true,
                acceptResources: true,
                additionalSecretOutputs: (opts as CustomResourceOptions).additionalSecretOutputs || [],
                packageRef: packageRefStr,
                ...sourceFields(sourcePosition, stackTrace),
            };
            runAsyncResourceOp(`monitor.readResource(${label})`, async () => {
                let resp: any = {};
                let err: Error | undefined;
                try {
                    resp = await monitorRequest("ReadResource", req);
                } catch (e) {
                    err = rpcFailure(e, `failed to read resource #${resolvedID} '${name}' [${t}]`);
                    resp = {};
                }
                log.debug(`ReadResource RPC finished: ${label}; err: ${err}`);
                resop.resolveURN(resp.urn ?? "", err);
                // The provider may answer with the resource's canonical ID. No ID in a preview
                // means the read is not done yet (it waits on resources not created); no ID
                // after an update means an engine that does not answer with one.
                if (resp.id) {
                    resop.resolveID!(resp.id, true, err);
                } else if (isDryRun()) {
                    resop.resolveID!(undefined, false, err);
                } else {
                    resop.resolveID!(resolvedID, resolvedID !== undefined, err);
                }
                // A read skipped in an update (its provider is not known yet) or failed settles
                // as unknown, so dependents see unknowns rather than empty values.
                const resultFailed = (resp.result ?? "SUCCESS") !== "SUCCESS";
                const skipped = !isDryRun() && resp.unknown === true;
                await resolveOutputs(
                    t,
                    name,
                    resultFailed ? {} : props,
                    resultFailed ? undefined : resp.properties,
                    {},
                    resop.resolvers,
                    err,
                    resultFailed || skipped,
                );
                done();
            });
        })
        .catch((err) => {
            pending.fail(err);
            done();
            throw err;
        });
}

/**
 * Whether the provider finds a resource of type `type` with ID `id`, without reading it into the
 * stack (ExistsResource). Unknown in a preview when `id` is not known yet.
 */
export function existsResource(
    type: string,
    id: Input<string>,
    props?: Inputs,
    opts: ResourceOptions = {},
    packageRef?: Promise<string | undefined>,
): Output<boolean> {
    const label = `existsResource[${type}]`;
    const answer = (async (): Promise<{ exists: boolean; known: boolean }> => {
        const resolvedID = await serializeProperty(label, await partsOf(output(id)).promise(true), new Set(), {
            keepOutputValues: false,
        });
        if (resolvedID === undefined) {
            return { exists: false, known: false };
        }
        const properties = props ? await serializeProperties(label, props, { keepOutputValues: false }) : {};
        let provider = "";
        if (opts.provider) {
            const urn = await partsOf(opts.provider.urn).promise();
            const providerID = (await partsOf(opts.provider.id).promise()) || "";
            provider = `${urn}::${providerID}`;
        }
        const parent = opts.parent ? (await partsOf(opts.parent.urn).promise()) || "" : "";
        const packageRefStr = packageRef === undefined ? undefined : await packageRef;
        const resp = await monitorRequest("ExistsResource", {
            type,
            id: resolvedID,
            parent,
            properties,
            provider,
            // A package reference names the version and where to download the plugin.
            version: packageRefStr ? "" : opts.version || "",
            pluginDownloadURL: packageRefStr ? "" : opts.pluginDownloadURL || "",
            packageRef: packageRefStr || "",
        }).catch((err: unknown) => {
            throw new Error(`failed to check existence of resource [${type}]: ${(err as Error)?.message ?? err}`);
        });
        return { exists: resp.exists === true, known: resp.unknown !== true };
    })();
    return makeOutput<boolean>(
        [],
        answer.then((a) => a.exists),
        answer.then((a) => a.known),
        Promise.resolve(false),
        Promise.resolve(new Set()),
    );
}

/**
 * Reads the state of a resource already registered (or read) in this deployment, by its URN, into
 * `res`: the engine's built-in `pulumi:pulumi:getResource` function answers with its URN, ID and
 * outputs. Nothing is registered, so the resource keeps the URN it has.
 */
export function getResource(res: Resource, parent: Resource | undefined, props: Inputs, custom: boolean, urn: string): void {
    const urnParts = urn.split("::");
    const qualifiedType = urnParts[2];
    const urnName = urnParts[3];
    const type = qualifiedType.split("$").pop()!;
    const label = `resource:urn=${urn}`;
    log.debug(`Getting resource: urn=${urn}`);
    const done = rpcKeepAlive();
    const pending = prepareResource(label, res, parent, custom, false, props, { urn });
    pending.prepared
        .then(async (resop) => {
            const args = await serializeProperties(label, { urn });
            const req: Record<string, Json> = {
                tok: "pulumi:pulumi:getResource",
                args,
                provider: "",
                version: "",
                acceptResources: true,
            };
            runAsyncResourceOp(`monitor.getResource(${label})`, async () => {
                let resp: { urn: string; id: string | undefined; state: Record<string, any> | undefined };
                let err: Error | undefined;
                try {
                    const answer = await monitorRequest("Invoke", req);
                    const failures: { property?: string; reason?: string }[] = answer.failures ?? [];
                    if (failures.length > 0) {
                        const reasons = failures.map((f) => `${f.reason ?? ""} (${f.property ?? ""})`).join("; ");
                        throw new Error(`getResource Invoke failed: ${reasons}`);
                    }
                    const found = answer.return ?? {};
                    resp = { urn: found.urn, id: found.id || undefined, state: found.state };
                } catch (e) {
                    // As in Node's SDK, the engine's own words, unless it is going away.
                    err = e instanceof GatewayError && !isGrpcError(e) ? new Error(e.details) : rpcFailure(e, `failed to get resource:urn=${urn}`);
                    resp = { urn: "", id: undefined, state: undefined };
                }
                resop.resolveURN(resp.urn, err);
                if (resop.resolveID) {
                    const id = resp.id || undefined;
                    resop.resolveID(id, id !== undefined, err);
                }
                await resolveOutputs(type, urnName, props, resp.state, {}, resop.resolvers, err);
                done();
            });
        })
        .catch((err) => {
            pending.fail(err);
            done();
            throw err;
        });
}

// Errors of failed RPCs name the operation. When the engine is going away they keep its gRPC code,
// so that the resource's Outputs stay pending instead of failing.
function rpcFailure(e: unknown, operation: string): Error {
    if (!(e instanceof GatewayError)) {
        return e instanceof Error ? e : new Error(String(e));
    }
    const terminating = isGrpcError(e);
    const err = new Error(`${operation}: ${terminating ? "Resource monitor is terminating" : e.message}`) as Error & {
        code?: string;
    };
    if (terminating) {
        err.code = e.code;
    }
    return err;
}

/** An output of `res` settled later, with a value and whether it is known, or with an error. */
function pendingOutput<T>(res: Resource): { output: unknown; settle(value: T, isKnown: boolean, err?: Error): void } {
    const value = deferred<T>();
    const known = deferred<boolean>();
    const output = makeOutput(res, value.promise, known.promise, Promise.resolve(false), Promise.resolve(res));
    const settle = (v: T, isKnown: boolean, err?: Error) => {
        if (err) {
            // A monitor that is shutting down is reported once, elsewhere; these outputs never settle.
            if (isGrpcError(err)) {
                return;
            }
            value.reject(err);
            known.reject(err);
        } else {
            value.resolve(v);
            known.resolve(isKnown);
        }
    };
    return { output, settle };
}

/** The pending registration of a resource: its preparation, and how to fail it. */
interface PendingRegistration {
    prepared: Promise<PreparedResource>;
    fail(err: Error): void;
}

/**
 * Gives `res` pending `urn`, `id` and output properties, then works out everything the request
 * needs: serialized inputs, dependencies, parent, providers and aliases.
 */
function prepareResource(
    label: string,
    res: Resource,
    parent: Resource | undefined,
    custom: boolean,
    remote: boolean,
    props: Inputs,
    opts: ResourceOptions,
    type?: string,
    name?: string,
): PendingRegistration {
    const urn = pendingOutput<URN>(res);
    (res as { urn: unknown }).urn = urn.output;
    const resolveURN = (v: URN, err?: Error) => urn.settle(v, true, err);

    let resolveID: PreparedResource["resolveID"];
    if (custom) {
        const id = pendingOutput<string | undefined>(res);
        (res as { id?: unknown }).id = id.output;
        resolveID = id.settle;
    }

    // Local components set up their own outputs; one read by URN gets them from the engine.
    const resolvers = remote || custom || opts.urn !== undefined ? transferProperties(res, label, props) : {};
    // Nothing above may await: the resource must be complete when its constructor returns.

    let prepared = false;
    const fail = (err: Error) => {
        if (prepared) {
            return;
        }
        prepared = true;
        resolveURN("", err);
        resolveID?.(undefined, false, err);
        for (const key of Object.keys(resolvers)) {
            resolvers[key](undefined, true, false, [], err);
        }
    };

    const work = async (): Promise<PreparedResource> => {
        const explicitDirectDependencies = new Set(await gatherExplicitDependencies(opts.dependsOn));
        // A resource replaced along with others depends on them, as with dependsOn.
        const replaceWith = await gatherExplicitDependencies(opts.replaceWith);
        for (const dependency of replaceWith) {
            explicitDirectDependencies.add(dependency);
        }
        const [serializedProps, propertyToDirectDependencies] = await serializeResourceProperties(label, props, {
            keepOutputValues: remote,
            excludeResourceReferencesFromDependencies: remote,
        });
        const parentURN = parent ? await partsOf(parent.urn).promise() : undefined;

        const importId = custom ? (opts as CustomResourceOptions).import : undefined;
        // Components only send a provider when they are remote and it serves their own package.
        let sendProvider = custom;
        if (remote && opts.provider) {
            const pkg = pkgFromType(type!);
            if (pkg && pkg === opts.provider.getPackage()) {
                sendProvider = true;
            }
        }
        const providerRef = sendProvider ? await ProviderResource.register(opts.provider) : undefined;

        const providerRefs = new Map<string, string>();
        if (remote || !custom) {
            const componentOpts = opts as ComponentResourceOptions;
            expandProviders(componentOpts);
            const providers = componentOpts.providers as ProviderResource[] | undefined;
            if (componentOpts.provider !== undefined) {
                if (providers === undefined) {
                    componentOpts.providers = [componentOpts.provider];
                } else if (providers.indexOf(componentOpts.provider) !== -1) {
                    const pkg = componentOpts.provider.getPackage();
                    log.warn(
                        `There is a conflict between the 'provider' field (${pkg}) and a member of the 'providers' map'. ` +
                            "This will become an error in a future version. See https://github.com/pulumi/pulumi/issues/8799 for more details",
                    );
                } else {
                    providers.push(componentOpts.provider);
                }
            }
            for (const provider of (componentOpts.providers as ProviderResource[] | undefined) ?? []) {
                const pref = await ProviderResource.register(provider);
                if (pref) {
                    providerRefs.set(provider.getPackage(), pref);
                }
            }
        }

        // Dependencies on components stand for all of their custom children.
        const exclude = new Set<Resource>([res]);
        const allDirectDependencyURNs = await getAllTransitivelyReferencedResourceURNs(explicitDirectDependencies, exclude);
        const propertyToDirectDependencyURNs = new Map<string, Set<URN>>();
        for (const [propertyName, directDependencies] of propertyToDirectDependencies) {
            const urns = await getAllTransitivelyReferencedResourceURNs(directDependencies, exclude);
            for (const u of urns) {
                allDirectDependencyURNs.add(u);
            }
            propertyToDirectDependencyURNs.set(propertyName, urns);
        }

        const monitorSupportsStructuredAliases = monitorFeatures.aliasSpecs;
        const computedAliases =
            !monitorSupportsStructuredAliases && parent
                ? allAliases(opts.aliases || [], name!, type!, parent, parent.__name!)
                : opts.aliases || [];
        const aliases: (URN | Alias)[] = [];
        const uniqueAliases = new Set<unknown>();
        for (const alias of computedAliases) {
            const aliasVal = await partsOf(output(alias)).promise();
            if (!uniqueAliases.has(aliasVal)) {
                uniqueAliases.add(aliasVal);
                aliases.push(aliasVal as URN | Alias);
            }
        }

        const deletedWithURN = opts.deletedWith ? await partsOf(opts.deletedWith.urn).promise() : undefined;
        const replaceWithURNs: URN[] = [];
        for (const dependency of new Set(replaceWith)) {
            const urn = await partsOf(dependency.urn).promise();
            if (urn) {
                replaceWithURNs.push(urn);
            }
        }
        prepared = true;
        return {
            resolveURN,
            resolveID,
            resolvers,
            serializedProps,
            parentURN,
            providerRef,
            providerRefs,
            allDirectDependencyURNs,
            propertyToDirectDependencyURNs,
            aliases,
            importId,
            monitorSupportsStructuredAliases,
            deletedWithURN,
            replaceWithURNs,
        };
    };
    return { prepared: work(), fail };
}

/** Settles the resource's output properties from the engine's answer. */
async function resolveOutputs(
    t: string,
    name: string,
    props: Inputs,
    outputs: Record<string, any> | undefined,
    deps: Record<string, Resource[]>,
    resolvers: Record<string, OutputResolver>,
    err?: Error,
    keepUnknowns?: boolean,
): Promise<void> {
    const allProps: Record<string, any> = {};
    if (outputs) {
        Object.assign(allProps, deserializeProperties(outputs, keepUnknowns));
    }
    // After an update, inputs the engine did not echo back keep their input values.
    if (!isDryRun()) {
        const label = `resource:${name}[${t}]#...`;
        for (const key of Object.keys(props)) {
            if (!Object.prototype.hasOwnProperty.call(allProps, key)) {
                const inputProp = await serializeProperty(label, props[key], new Set(), { keepOutputValues: false });
                if (inputProp === undefined) {
                    continue;
                }
                allProps[key] = deserializeProperty(inputProp, keepUnknowns);
            }
        }
    }
    resolveProperties(resolvers, t, name, allProps, deps, err, keepUnknowns);
}

/** Registers the outputs of a component (or the stack) once they are all known. */
export function registerResourceOutputs(res: Resource, outputs: Inputs | Promise<Inputs> | Input<Inputs>): void {
    const opLabel = `monitor.registerResourceOutputs(...)`;
    const done = rpcKeepAlive();
    runAsyncResourceOp(
        opLabel,
        async () => {
            try {
                const urn = await partsOf(res.urn).promise();
                const resolved = await serializeProperties(opLabel, { outputs });
                log.debug(`RegisterResourceOutputs RPC prepared: urn=${urn}`);
                await monitorRequest("RegisterResourceOutputs", { urn, outputs: resolved.outputs ?? {} });
            } finally {
                done();
            }
        },
        false,
    );
}

// Resource operations run in a chain when the run is serialized (parallel = 1), else as soon as
// they are ready. Failures that only mean the engine is going away are swallowed.
let resourceChain: Promise<void> = Promise.resolve();

function runAsyncResourceOp(label: string, callback: () => Promise<void>, serial?: boolean): void {
    const runSerially = serial ?? serialize();
    const op = resourceChain.then(async () => {
        if (runSerially) {
            log.debug(`Resource RPC serialization requested: ${label} is current`);
        }
        return callback();
    });
    op.catch((err) => {
        if (!isGrpcError(err)) {
            throw err;
        }
    });
    if (runSerially) {
        resourceChain = op;
    }
}
