// The settings of the current run, the engine's feature support, and the bookkeeping that lets
// the run wait for every RPC it started.

import { GatewayError, request, type Json } from "../../unfold/io.ts";
import { partsOf } from "../output.ts";
import type { Resource } from "../resource.ts";

/** What the engine told the language host about this run. */
export interface RunOptions {
    project: string;
    stack: string;
    organization: string;
    dryRun: boolean;
    /** How many resource operations may run at once; 1 serializes them. */
    parallel: number;
    queryMode: boolean;
    rootDirectory: string;
    programDirectory: string;
    pwd: string;
}

let options: RunOptions = {
    project: "",
    stack: "",
    organization: "",
    dryRun: false,
    parallel: -1,
    queryMode: false,
    rootDirectory: "",
    programDirectory: "",
    pwd: "",
};

/** Sets the run's options; the bootstrap calls this once, before the program starts. */
export function configureRun(runOptions: RunOptions): void {
    options = { ...runOptions };
}

/** Whether this run is a preview, in which resources are not actually changed. */
export function isDryRun(): boolean {
    return options.dryRun === true;
}

/** Whether the program runs in query mode, which registers no resources. */
export function isQueryMode(): boolean {
    return options.queryMode === true;
}

export function getProject(): string {
    return options.project || "";
}

export function getStack(): string {
    return options.stack || "";
}

export function getOrganization(): string {
    if (options.organization) {
        return options.organization;
    }
    throw new Error("Missing organization name; for test mode, please call `pulumi.runtime.setMocks`");
}

/** The directory holding Pulumi.yaml. */
export function getRootDirectory(): string {
    return options.rootDirectory || "";
}

/** Whether resource operations must run one at a time. */
export function serialize(): boolean {
    return options.parallel === 1;
}

// ---- RPCs ----

/** Sends a ResourceMonitor request (proto3 JSON) and returns its response. */
export function monitorRequest(method: string, req: Record<string, Json>): Promise<any> {
    return request(`monitor.${method}`, req);
}

/** Sends an Engine request (proto3 JSON) and returns its response. */
export function engineRequest(method: string, req: Record<string, Json>): Promise<any> {
    return request(`engine.${method}`, req);
}

/** Asks the engine whether its version is within `range`; rejects if not. */
export async function requirePulumiVersion(range: string): Promise<void> {
    try {
        await engineRequest("RequirePulumiVersion", { pulumiVersionRange: range });
    } catch (err) {
        if (isUnimplemented(err)) {
            throw new Error("The installed version of the CLI does not support the `RequirePulumiVersion` RPC. Please upgrade the Pulumi CLI.");
        }
        throw err;
    }
}

/** Whether `err` says the engine is going away, after which outstanding RPCs are abandoned. */
export function isGrpcError(err: unknown): boolean {
    const code = (err as { code?: unknown } | null | undefined)?.code;
    return code === "Unavailable" || code === "Cancelled";
}

function isUnimplemented(err: unknown): boolean {
    return err instanceof GatewayError && err.code === "Unimplemented";
}

let rpcDone: Promise<void> = Promise.resolve();

/** Marks an RPC as started; the returned function marks it finished. */
export function rpcKeepAlive(): () => void {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
        done = resolve;
    });
    rpcDone = rpcDone.then(() => finished);
    return done;
}

/** Changes whenever an RPC starts: two equal markers mean no RPC started in between. */
export function rpcMarker(): unknown {
    return rpcDone;
}

/** Waits until every RPC started so far, and every RPC they started in turn, has finished. */
export async function waitForRPCs(): Promise<void> {
    let awaited: Promise<void> | undefined;
    while (awaited !== rpcDone) {
        awaited = rpcDone;
        await awaited;
    }
}

/** Tells the engine the program is done and waits until it has finished its work. */
export async function signalAndWaitForShutdown(): Promise<void> {
    try {
        await monitorRequest("SignalAndWaitForShutdown", {});
    } catch (err) {
        if (isUnimplemented(err) || (err instanceof GatewayError && err.code === "Unavailable")) {
            return;
        }
        throw new Error(`Error while signaling shutdown: ${err}`);
    }
}

// ---- Feature support ----

/** The resource monitor features this SDK adapts to. */
export const monitorFeatures = {
    secrets: false,
    resourceReferences: false,
    outputValues: false,
    deletedWith: false,
    aliasSpecs: false,
    transforms: false,
    invokeTransforms: false,
    parameterization: false,
    resourceHooks: false,
    errorHooks: false,
    invokeDependsOn: false,
    replaceWith: false,
};

type Feature = keyof typeof monitorFeatures;

// Names of the features in GetDeploymentInfo's `supportedFeatures`.
const featureEnumNames: Record<Feature, string> = {
    secrets: "RESOURCE_MONITOR_FEATURE_SECRETS",
    resourceReferences: "RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES",
    outputValues: "RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES",
    deletedWith: "RESOURCE_MONITOR_FEATURE_DELETED_WITH",
    aliasSpecs: "RESOURCE_MONITOR_FEATURE_ALIAS_SPECS",
    transforms: "RESOURCE_MONITOR_FEATURE_TRANSFORMS",
    invokeTransforms: "RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS",
    parameterization: "RESOURCE_MONITOR_FEATURE_PARAMETERIZATION",
    resourceHooks: "RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS",
    errorHooks: "RESOURCE_MONITOR_FEATURE_ERROR_HOOKS",
    invokeDependsOn: "RESOURCE_MONITOR_FEATURE_INVOKE_DEPENDS_ON",
    replaceWith: "RESOURCE_MONITOR_FEATURE_REPLACE_WITH",
};

// Engines without GetDeploymentInfo are asked feature by feature, for these ids only, as the
// Node.js SDK asks them.
const probedFeatureIds = [
    "aliasSpecs",
    "deletedWith",
    "errorHooks",
    "invokeTransforms",
    "outputValues",
    "parameterization",
    "replaceWith",
    "resourceHooks",
    "resourceReferences",
    "secrets",
    "transforms",
];

/** Learns which features the resource monitor supports. */
export async function awaitFeatureSupport(): Promise<void> {
    let supported: string[];
    try {
        const info = await monitorRequest("GetDeploymentInfo", {});
        supported = (info?.supportedFeatures ?? []) as string[];
    } catch (err) {
        if (!isUnimplemented(err)) {
            throw err;
        }
        const answers = await Promise.all(probedFeatureIds.map((id) => supportsFeature(id)));
        supported = probedFeatureIds
            .filter((_, i) => answers[i])
            .flatMap((id) => (id in featureEnumNames ? [featureEnumNames[id as Feature]] : []));
    }
    for (const feature of Object.keys(monitorFeatures) as Feature[]) {
        monitorFeatures[feature] = supported.includes(featureEnumNames[feature]);
    }
}

async function supportsFeature(id: string): Promise<boolean> {
    try {
        const resp = await monitorRequest("SupportsFeature", { id });
        return resp?.hasSupport === true;
    } catch (err) {
        if (isUnimplemented(err)) {
            return false;
        }
        throw err;
    }
}

/** Whether the engine supports parameterized packages. */
export function supportsParameterization(): boolean {
    return monitorFeatures.parameterization;
}

// ---- Root resource and packages ----

/** Learns the engine's features, then makes `res` the root of the stack's resources. */
export async function setRootResource(res: Resource): Promise<void> {
    await awaitFeatureSupport();
    const urn = await partsOf(res.urn).promise();
    try {
        await engineRequest("SetRootResource", { urn: urn ?? "" });
    } catch (err) {
        if (!isUnimplemented(err)) {
            throw err;
        }
    }
}

/** The base provider and parameter of a parameterized package. */
export interface RegisterPackageArgs {
    baseProviderName: string;
    baseProviderVersion: string;
    baseProviderDownloadUrl?: string;
    packageName: string;
    packageVersion: string;
    base64Parameter: string;
    extension?: boolean;
}

const packageRefs = new Map<string, Promise<string>>();

/** Registers a parameterized package once per run and returns its reference. */
export function registerPackage(args: RegisterPackageArgs): Promise<string> {
    const key = [
        args.baseProviderName,
        args.baseProviderVersion,
        args.baseProviderDownloadUrl,
        args.packageName,
        args.packageVersion,
        args.base64Parameter,
        String(args.extension ?? false),
    ].join("\0");
    const existing = packageRefs.get(key);
    if (existing !== undefined) {
        return existing;
    }
    if (!supportsParameterization()) {
        throw new Error("The Pulumi CLI does not support parameterization. Please update the Pulumi CLI");
    }
    const parameterization = { name: args.packageName, version: args.packageVersion, value: args.base64Parameter };
    const req: Record<string, Json> = {
        name: args.baseProviderName,
        version: args.baseProviderVersion,
        downloadUrl: args.baseProviderDownloadUrl ?? "",
    };
    req[args.extension ? "extension" : "parameterization"] = parameterization;
    const ref = monitorRequest("RegisterPackage", req).then((resp) => (resp?.ref ?? "") as string);
    packageRefs.set(key, ref);
    return ref;
}

/**
 * The reference of a package registered with the engine (a parameterized provider), if any. A
 * reference takes the place of `version` and `pluginDownloadURL`, which are then cleared on `opts`.
 */
export async function resolvePackageRef(
    packageRef: Promise<string | undefined> | undefined,
    opts: { version?: string; pluginDownloadURL?: string },
): Promise<string> {
    const ref = packageRef === undefined ? undefined : await packageRef;
    if (ref !== undefined) {
        opts.version = undefined;
        opts.pluginDownloadURL = undefined;
    }
    return ref || "";
}
