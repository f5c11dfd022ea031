// Property values on the wire: serializing inputs into Struct-ready JSON with the engine's
// special signatures (secrets, unknowns, assets, archives, resource references, output values),
// and deserializing what the engine returns.

import { Archive, AssetArchive, FileArchive, RemoteArchive } from "../asset/archive.ts";
import { Asset, FileAsset, RemoteAsset, StringAsset } from "../asset/asset.ts";
import { getAllResources, isUnknown, makeOutput, Output, unknown } from "../output.ts";
import { hasBrand } from "../rtti.ts";
import { DependencyResource, type ComponentResource, type CustomResource, type Resource, type URN } from "../resource.ts";
import { getAllTransitivelyReferencedResourceURNs } from "./dependsOn.ts";
import { isGrpcError, isDryRun, monitorFeatures } from "./settings.ts";
import { resourceModules, resourcePackages, type ResourceModule, type ResourcePackage } from "./state.ts";
import { compareVersions, parseVersion, type Version } from "./version.ts";

/** The unknown value on the wire. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key that marks an object as a special value. */
export const specialSigKey = "4dabf18193072939515e22adb298388d";
export const specialAssetSig = "c44067f5952c0a294b673a41bacd8c17";
export const specialArchiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";
export const specialSecretSig = "1b47061264138c4ac30d75fd1eb44270";
export const specialResourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
export const specialOutputValueSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export interface SerializationOptions {
    /** Send Outputs as output values (with their dependencies) when the engine accepts them. */
    keepOutputValues?: boolean;
    /** Do not count resources passed as references among the dependencies. */
    excludeResourceReferencesFromDependencies?: boolean;
}

/** A function that settles one output property of a resource. */
export type OutputResolver = (value: any, isKnown: boolean, isSecret: boolean, deps?: Resource[], err?: Error) => void;

/**
 * Gives `onto` an unresolved Output for every property in `props` (except id and urn) and returns
 * their resolvers, so nobody observes a value before the engine has answered.
 */
export function transferProperties(onto: Resource, label: string, props: Record<string, unknown>): Record<string, OutputResolver> {
    const resolvers: Record<string, OutputResolver> = {};
    for (const k of Object.keys(props)) {
        if (k === "id" || k === "urn") {
            continue;
        }
        if (Object.prototype.hasOwnProperty.call(onto, k)) {
            throw new Error(`Property '${k}' is already initialized on target '${label}`);
        }
        const value = deferred<any>();
        const isKnown = deferred<boolean>();
        const isSecret = deferred<boolean>();
        const deps = deferred<Resource[]>();
        resolvers[k] = (v, known, secret, dependencies = [], err) => {
            if (err) {
                // The engine is shutting down; leave the property pending rather than fail.
                if (isGrpcError(err)) {
                    return;
                }
                value.reject(err);
                isKnown.reject(err);
                isSecret.reject(err);
                deps.reject(err);
            } else {
                value.resolve(v);
                isKnown.resolve(known);
                isSecret.resolve(secret);
                deps.resolve(dependencies);
            }
        };
        (onto as unknown as Record<string, unknown>)[k] = makeOutput(onto, value.promise, isKnown.promise, isSecret.promise, deps.promise);
    }
    return resolvers;
}

/** A promise with its settle functions. */
export interface Deferred<T> {
    promise: Promise<T>;
    resolve(value: T): void;
    reject(reason: unknown): void;
}

export function deferred<T>(): Deferred<T> {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}

/**
 * Serializes the properties `acceptKey` accepts, awaiting everything inside them. Returns the
 * serialized object and, per property, the resources it depends on.
 */
async function serializeFilteredProperties(
    label: string,
    props: Record<string, unknown>,
    acceptKey: (k: string) => boolean,
    opts?: SerializationOptions,
): Promise<[Record<string, any>, Map<string, Set<Resource>>]> {
    const dependencies = new Map<string, Set<Resource>>();
    const result: Record<string, any> = {};
    for (const k of Object.keys(props)) {
        if (!acceptKey(k)) {
            continue;
        }
        const dependentResources = new Set<Resource>();
        let v: any;
        try {
            v = await serializeProperty(`${label}.${k}`, props[k], dependentResources, opts);
        } catch (err) {
            if (err instanceof Error) {
                err.message = `error serializing property "${k}": ${err.message}`;
                throw err;
            }
            throw new Error(`error serializing property "${k}": ${String(err)}`);
        }
        if (v !== undefined) {
            result[k] = v;
            dependencies.set(k, dependentResources);
        }
    }
    return [result, dependencies];
}

/** Serializes a resource's input properties; `id` and `urn` are outputs and never sent. */
export function serializeResourceProperties(
    label: string,
    props: Record<string, unknown>,
    opts?: SerializationOptions,
): Promise<[Record<string, any>, Map<string, Set<Resource>>]> {
    return serializeFilteredProperties(label, props, (k) => k !== "id" && k !== "urn", opts);
}

/** Serializes all of `props`, awaiting everything inside them. */
export async function serializeProperties(label: string, props: Record<string, unknown>, opts?: SerializationOptions): Promise<Record<string, any>> {
    const [result] = await serializeFilteredProperties(label, props, () => true, opts);
    return result;
}

/** @internal Serializes all of `props` and reports each property's dependencies. */
export function serializePropertiesReturnDeps(
    label: string,
    props: Record<string, unknown>,
    opts?: SerializationOptions,
): Promise<[Record<string, any>, Map<string, Set<Resource>>]> {
    return serializeFilteredProperties(label, props, () => true, opts);
}

/** Wraps `value` as a secret on the wire. */
export function serializeSecretValue(value: any): Record<string, any> {
    return { [specialSigKey]: specialSecretSig, value: value === undefined ? null : value };
}

/**
 * Serializes one value deeply, awaiting Promises and Outputs and translating special values into
 * their wire form. Resources the value depends on are added to `dependentResources`.
 */
export async function serializeProperty(
    ctx: string,
    prop: any,
    dependentResources: Set<Resource> | undefined,
    opts?: SerializationOptions,
): Promise<any> {
    if (typeof prop === "function") {
        return undefined;
    }
    if (prop === undefined || prop === null || typeof prop === "boolean" || typeof prop === "number" || typeof prop === "string") {
        return prop;
    }
    if (Asset.isInstance(prop) || Archive.isInstance(prop)) {
        const obj = { [specialSigKey]: Asset.isInstance(prop) ? specialAssetSig : specialArchiveSig };
        return serializeAllKeys(prop, obj, { keepOutputValues: false });
    }
    if (prop instanceof Promise) {
        return serializeProperty(`Promise<${ctx}>`, await prop, dependentResources, opts);
    }
    if (Output.isInstance(prop)) {
        return serializeOutput(ctx, prop as any, dependentResources, opts);
    }
    if (isUnknown(prop)) {
        return unknownValue;
    }
    if (hasBrand(prop, "__pulumiCustomResource")) {
        const res = prop as CustomResource;
        let deps = dependentResources;
        if (opts?.excludeResourceReferencesFromDependencies && monitorFeatures.resourceReferences) {
            deps = undefined;
        } else {
            deps?.add(res);
        }
        const id = await serializeProperty(`${ctx}.id`, res.id, deps, { keepOutputValues: false });
        if (monitorFeatures.resourceReferences) {
            const urn = await serializeProperty(`${ctx}.urn`, res.urn, deps, { keepOutputValues: false });
            return { [specialSigKey]: specialResourceSig, urn, id };
        }
        return id;
    }
    if (hasBrand(prop, "__pulumiComponentResource")) {
        const res = prop as ComponentResource;
        if (monitorFeatures.resourceReferences) {
            const deps = opts?.excludeResourceReferencesFromDependencies ? undefined : dependentResources;
            const urn = await serializeProperty(`${ctx}.urn`, res.urn, deps, { keepOutputValues: false });
            return { [specialSigKey]: specialResourceSig, urn };
        }
        return serializeProperty(`${ctx}.urn`, res.urn, dependentResources, { keepOutputValues: false });
    }
    if (Array.isArray(prop)) {
        const result: any[] = [];
        for (let i = 0; i < prop.length; i++) {
            const elem = await serializeProperty(`${ctx}[${i}]`, prop[i], dependentResources, opts);
            result.push(elem === undefined ? null : elem);
        }
        return result;
    }
    return serializeAllKeys(prop, {}, opts);

    async function serializeAllKeys(inner: any, obj: Record<string, any>, innerOpts?: SerializationOptions) {
        for (const k of Object.keys(inner)) {
            const v = await serializeProperty(`${ctx}.${k}`, inner[k], dependentResources, innerOpts);
            if (v !== undefined) {
                obj[k] = v;
            }
        }
        return obj;
    }
}

async function serializeOutput(
    ctx: string,
    prop: { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(withUnknowns?: boolean): Promise<any>; urn?: unknown },
    dependentResources: Set<Resource> | undefined,
    opts?: SerializationOptions,
): Promise<any> {
    const propResources = await getAllResources(prop as any);
    for (const resource of propResources) {
        dependentResources?.add(resource);
    }
    const isKnown = await prop.isKnown;
    // An Output from an old SDK may not know whether it is secret.
    const isSecret = (await prop.isSecret) === true;
    const promiseDeps = new Set<Resource>();
    const value = await serializeProperty(`${ctx}.id`, prop.promise(), promiseDeps, { keepOutputValues: false });
    for (const resource of promiseDeps) {
        propResources.add(resource);
        dependentResources?.add(resource);
    }

    if (opts?.keepOutputValues && monitorFeatures.outputValues) {
        const urnDeps = new Set<Resource>();
        for (const resource of propResources) {
            await serializeProperty(`${ctx} dependency`, resource.urn, urnDeps, { keepOutputValues: false });
        }
        for (const resource of urnDeps) {
            propResources.add(resource);
            dependentResources?.add(resource);
        }
        const dependencies = await getAllTransitivelyReferencedResourceURNs(propResources, new Set());
        const obj: Record<string, any> = { [specialSigKey]: specialOutputValueSig };
        if (isKnown) {
            // An undefined value is sent as null: an absent value would mean unknown.
            obj["value"] = value === undefined ? null : value;
        }
        if (isSecret) {
            obj["secret"] = isSecret;
        }
        if (dependencies.size > 0) {
            obj["dependencies"] = Array.from(dependencies);
        }
        return obj;
    }

    if (!isKnown) {
        return isSecret && monitorFeatures.secrets ? serializeSecretValue(unknownValue) : unknownValue;
    }
    return isSecret && monitorFeatures.secrets ? serializeSecretValue(value) : value;
}

/** Whether `obj` is a secret in wire form. */
export function isRpcSecret(obj: any): boolean {
    return !!obj && obj[specialSigKey] === specialSecretSig;
}

/** The value inside a wire secret, or `obj` itself. */
export function unwrapRpcSecret(obj: any): any {
    return isRpcSecret(obj) ? obj.value : obj;
}

function isPrimitive(value: unknown): boolean {
    return value === null || value === undefined || typeof value === "boolean" || typeof value === "number" || typeof value === "string";
}

/** @internal Whether a serialized value contains unknowns. */
export function containsUnknownValues(value: any): boolean {
    if (value === unknownValue) {
        return true;
    }
    if (isPrimitive(value)) {
        return false;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknownValues);
    }
    return Object.keys(value).some((k) => containsUnknownValues(value[k]));
}

/** @internal Removes wire secrets from a serialized value, reporting whether there were any. */
export function unwrapSecretValues(value: any): [any, boolean] {
    if (isPrimitive(value)) {
        return [value, false];
    }
    if (isRpcSecret(value)) {
        return [unwrapRpcSecret(value), true];
    }
    let hadSecret = false;
    if (Array.isArray(value)) {
        const result: any[] = [];
        for (const elem of value) {
            const [unwrapped, secret] = unwrapSecretValues(elem);
            hadSecret = hadSecret || secret;
            result.push(unwrapped);
        }
        return [result, hadSecret];
    }
    const result: Record<string, any> = {};
    for (const key of Object.keys(value)) {
        const [unwrapped, secret] = unwrapSecretValues(value[key]);
        hadSecret = hadSecret || secret;
        result[key] = unwrapped;
    }
    return [result, hadSecret];
}

/** Deserializes the properties of a Struct returned by the engine. */
export function deserializeProperties(outputs: Record<string, any> | undefined, keepUnknowns?: boolean): Record<string, any> {
    const props: Record<string, any> = {};
    for (const k of Object.keys(outputs ?? {})) {
        if (outputs![k] !== undefined) {
            props[k] = deserializeProperty(outputs![k], keepUnknowns);
        }
    }
    return props;
}

/**
 * Reverses {@link serializeProperty}. Secrets nested anywhere inside an array or object make the
 * whole container a wire secret, which the caller unwraps into a secret Output.
 */
export function deserializeProperty(prop: any, keepUnknowns?: boolean): any {
    if (prop === undefined) {
        throw new Error("unexpected undefined property value during deserialization");
    }
    if (prop === unknownValue) {
        return isDryRun() || keepUnknowns ? unknown : undefined;
    }
    if (isPrimitive(prop)) {
        return prop;
    }
    if (Array.isArray(prop)) {
        let hadSecret = false;
        const elems: any[] = [];
        for (const e of prop) {
            const d = deserializeProperty(e, keepUnknowns);
            hadSecret = hadSecret || isRpcSecret(d);
            elems.push(unwrapRpcSecret(d));
        }
        return hadSecret ? { [specialSigKey]: specialSecretSig, value: elems } : elems;
    }
    const sig = prop[specialSigKey];
    if (sig) {
        return deserializeSpecial(sig, prop, keepUnknowns);
    }
    const obj: Record<string, any> = {};
    let hadSecret = false;
    for (const k of Object.keys(prop)) {
        const d = deserializeProperty(prop[k], keepUnknowns);
        hadSecret = hadSecret || isRpcSecret(d);
        obj[k] = unwrapRpcSecret(d);
    }
    return hadSecret ? { [specialSigKey]: specialSecretSig, value: obj } : obj;
}

function deserializeSpecial(sig: string, prop: any, keepUnknowns?: boolean): any {
    switch (sig) {
        case specialAssetSig:
            if (prop["path"]) {
                return new FileAsset(prop["path"]);
            } else if (prop["text"]) {
                return new StringAsset(prop["text"]);
            } else if (prop["uri"]) {
                return new RemoteAsset(prop["uri"]);
            }
            throw new Error("Invalid asset encountered when unmarshaling resource property");
        case specialArchiveSig:
            if (prop["assets"]) {
                const assets: Record<string, Asset | Archive> = {};
                for (const name of Object.keys(prop["assets"])) {
                    const a = deserializeProperty(prop["assets"][name], keepUnknowns);
                    if (!Asset.isInstance(a) && !Archive.isInstance(a)) {
                        throw new Error("Expected an AssetArchive's assets to be unmarshaled Asset or Archive objects");
                    }
                    assets[name] = a;
                }
                return new AssetArchive(assets);
            } else if (prop["path"]) {
                return new FileArchive(prop["path"]);
            } else if (prop["uri"]) {
                return new RemoteArchive(prop["uri"]);
            }
            throw new Error("Invalid archive encountered when unmarshaling resource property");
        case specialSecretSig:
            return { [specialSigKey]: specialSecretSig, value: deserializeProperty(prop["value"], keepUnknowns) };
        case specialResourceSig:
            return deserializeResourceReference(prop, keepUnknowns);
        case specialOutputValueSig: {
            const isKnown = prop["value"] !== undefined;
            const value = isKnown ? deserializeProperty(prop["value"], keepUnknowns) : undefined;
            const dependencies = prop["dependencies"];
            const resources = Array.isArray(dependencies) ? dependencies.map((d: URN) => new DependencyResource(d)) : [];
            return makeOutput(resources, Promise.resolve(value), Promise.resolve(isKnown), Promise.resolve(prop["secret"] === true), Promise.resolve([]));
        }
        default:
            throw new Error(`Unrecognized signature '${sig}' when unmarshaling resource property`);
    }
}

// A reference becomes an instance of the resource's class when its package registered a module
// for it; otherwise it degrades to the resource's ID (custom resources) or URN.
function deserializeResourceReference(prop: any, keepUnknowns?: boolean): any {
    const urn: string = prop["urn"];
    const version: string | undefined = prop["packageVersion"];
    let urnType: string | undefined = prop["type"];
    let urnName: string | undefined = prop["name"];
    if (urnName === undefined || urnType === undefined) {
        const urnParts = urn.split("::");
        urnName = urnParts[3];
        urnType = urnParts[2].split("$").pop()!;
    }
    const typeParts = urnType.split(":");
    const pkgName = typeParts[0];
    const modName = typeParts.length > 1 ? typeParts[1] : "";
    const typName = typeParts.length > 2 ? typeParts[2] : "";
    if (pkgName === "pulumi" && modName === "providers") {
        const resourcePackage = getResourcePackage(typName, version);
        if (resourcePackage) {
            return resourcePackage.constructProvider(urnName, urnType, urn);
        }
    } else {
        const resourceModule = getResourceModule(pkgName, modName, version);
        if (resourceModule) {
            return resourceModule.construct(urnName, urnType, urn);
        }
    }
    if (prop["id"]) {
        const id = prop["id"];
        return deserializeProperty(id === "" ? unknownValue : id, keepUnknowns);
    }
    return urn;
}

/**
 * Settles a resource's output properties from the engine's answer. `allProps` must come from
 * {@link deserializeProperties}: a property missing from it is unknown.
 */
export function resolveProperties(
    resolvers: Record<string, OutputResolver>,
    t: string,
    name: string,
    allProps: Record<string, any>,
    deps: Record<string, Resource[]>,
    err?: Error,
    keepUnknowns?: boolean,
): void {
    if (err) {
        for (const k of Object.keys(resolvers)) {
            resolvers[k](undefined, true, false, [], err);
        }
        return;
    }
    for (const k of Object.keys(allProps)) {
        if (k === "id" || k === "urn") {
            continue;
        }
        const resolve = resolvers[k];
        if (resolve === undefined) {
            // Outputs the program did not declare stay unreachable, as in the Node.js SDK.
            continue;
        }
        const value = allProps[k];
        try {
            resolve(unwrapRpcSecret(value), true, isRpcSecret(value), deps[k]);
        } catch (resolveError) {
            throw new Error(`Unable to set property '${k}' on resource '${name}' [${t}]; error: ${errorString(resolveError)}`);
        }
    }
    // Properties the engine did not return are unknown in preview (and when it said the result is
    // partial), and undefined otherwise.
    for (const k of Object.keys(resolvers)) {
        if (!Object.prototype.hasOwnProperty.call(allProps, k)) {
            resolvers[k](undefined, !isDryRun() && !keepUnknowns, false);
        }
    }
}

function errorString(err: unknown): string {
    return err instanceof Error ? err.stack ?? err.message : String(err);
}

// ---- Resource modules and packages ----

function sameVersion(a: string | undefined, b: string | undefined): boolean {
    return a === undefined || b === undefined || compareVersions(parseVersion(a), parseVersion(b)) === 0;
}

// The Node.js SDK's compatibility rule: same major, and minor and patch each at least as high.
function checkVersion(want: Version | undefined, have: Version | undefined): boolean {
    if (want === undefined || have === undefined) {
        return true;
    }
    return have.major === want.major && have.minor >= want.minor && have.patch >= want.patch;
}

function register<T extends { version?: string }>(source: Map<string, T[]>, key: string, item: T): boolean {
    let items = source.get(key);
    if (items) {
        if (items.some((existing) => sameVersion(existing.version, item.version))) {
            return false;
        }
    } else {
        items = [];
        source.set(key, items);
    }
    items.push(item);
    return true;
}

function getRegistration<T extends { version?: string }>(source: Map<string, T[]>, key: string, version: string | undefined): T | undefined {
    const want = version ? parseVersion(version) : undefined;
    let best: T | undefined;
    let bestVersion: Version | undefined;
    for (const existing of source.get(key) ?? []) {
        const have = existing.version !== undefined ? parseVersion(existing.version) : undefined;
        if (!checkVersion(want, have)) {
            continue;
        }
        if (!best || (have && bestVersion && compareVersions(have, bestVersion) > 0)) {
            best = existing;
            bestVersion = have;
        }
    }
    return best;
}

/** Registers how to rebuild providers of package `pkg` from references. */
export function registerResourcePackage(pkg: string, resourcePackage: ResourcePackage): void {
    register(resourcePackages, pkg, resourcePackage);
}

/** The registered package for `pkg` that best matches `version`. */
export function getResourcePackage(pkg: string, version: string | undefined): ResourcePackage | undefined {
    return getRegistration(resourcePackages, pkg, version);
}

/** Registers how to rebuild resources of module `mod` of package `pkg` from references. */
export function registerResourceModule(pkg: string, mod: string, module: ResourceModule): void {
    register(resourceModules, `${pkg}:${mod}`, module);
}

/** The registered module for `pkg:mod` that best matches `version`. */
export function getResourceModule(pkg: string, mod: string, version: string | undefined): ResourceModule | undefined {
    return getRegistration(resourceModules, `${pkg}:${mod}`, version);
}
