// @pulumi/pulumi/provider: component providers written for runtime: unfold, with the API of the
// Node.js SDK's `provider` module. `main(provider)` serves the provider: the host answers the
// engine's ResourceProvider calls and hands GetSchema, Construct and Call over to the program.
// Each Construct names the stack and the resource monitor the component registers with; the
// component is built by the provider's own `construct`, in this program, as a program's
// components are.

import { call, type Json } from "../../unfold/io.ts";
import { servePlugin } from "../../unfold/serve.ts";
import { makeOutput, Output, output, partsOf, type Input, type Inputs } from "../output.ts";
import {
    DependencyProviderResource,
    DependencyResource,
    rootStackResource,
    type Alias,
    type ComponentResourceOptions,
    type ProviderResource,
    type Resource,
} from "../resource.ts";
import { setAllConfig } from "../runtime/config.ts";
import { deserializeProperties, deserializeProperty, isRpcSecret, serializeResourceProperties, unwrapRpcSecret } from "../runtime/rpc.ts";
import { awaitFeatureSupport, configureRun, waitForRPCs, type RunOptions } from "../runtime/settings.ts";

/** What a component's construction gives back: its URN and its outputs. */
export interface ConstructResult {
    urn: Input<string>;
    state: Inputs;
}

/** A property the provider could not accept, by its path. */
export interface CheckFailure {
    property: string;
    reason: string;
}

/** What a method call on a component gives back. */
export interface InvokeResult {
    outputs?: Inputs;
    failures?: CheckFailure[];
}

/** A provider of components. */
export interface Provider {
    /** The provider's version. */
    readonly version: string;
    /** The provider's schema, as JSON text. */
    readonly schema?: string;
    /** Builds the component `type` named `name`. */
    construct?(name: string, type: string, inputs: Inputs, options: ComponentResourceOptions): Promise<ConstructResult>;
    /** Calls the method `token` of a component. */
    call?(token: string, inputs: Inputs): Promise<InvokeResult>;
    /** The schema, when it is worked out rather than fixed. */
    getSchema?(): Promise<string>;
}

let serving = false;

/** Serves `provider` to the engine; the program then runs until the engine stops it. */
export async function main(provider: Provider, _args?: string[]): Promise<void> {
    if (serving) {
        return;
    }
    serving = true;
    // The plugin's own settings (its folders), which each Construct completes with its stack.
    const plugin = call("run.context") as RunOptions;
    servePlugin((method, request) => {
        switch (method) {
            case "GetSchema":
                return getSchema(provider);
            case "Construct":
                return construct(provider, plugin, request);
            case "Call":
                return callMethod(provider, plugin, request);
            default:
                return Promise.reject(new Error(`a component provider does not answer ${method}`));
        }
    });
}

async function getSchema(provider: Provider): Promise<Json> {
    const schema = provider.getSchema !== undefined ? await provider.getSchema() : provider.schema;
    return { schema: schema ?? "{}" };
}

/** Points the SDK at the stack and monitor a Construct or Call names. */
async function configureFor(plugin: RunOptions, request: any): Promise<void> {
    call("plugin.connectMonitor", { address: request.monitorEndpoint ?? "" });
    configureRun({
        ...plugin,
        project: request.project ?? "",
        stack: request.stack ?? "",
        organization: request.organization ?? "",
        dryRun: request.dryRun ?? false,
        parallel: request.parallel ?? 1,
        queryMode: false,
    });
    await awaitFeatureSupport();
    setAllConfig(request.config ?? {}, request.configSecretKeys ?? []);
}

async function construct(provider: Provider, plugin: RunOptions, request: any): Promise<Json> {
    const { type, name } = request as { type: string; name: string };
    if (provider.construct === undefined) {
        throw new Error(`unknown resource type ${type}`);
    }
    await configureFor(plugin, request);
    const inputs = deserializeInputs(request.inputs, request.inputDependencies);
    const result = await provider.construct(name, type, inputs, constructOptions(request));
    const urn = await partsOf(output(result.urn)).promise();
    const [state, stateDependencies] = await serializeWithDependencies(`construct(${type}, ${name})`, result.state);
    await waitForRPCs();
    return { urn, state, stateDependencies };
}

async function callMethod(provider: Provider, plugin: RunOptions, request: any): Promise<Json> {
    const token = request.tok as string;
    if (provider.call === undefined) {
        throw new Error(`unknown function ${token}`);
    }
    await configureFor(plugin, request);
    const args = deserializeInputs(request.args, request.argDependencies);
    const result = await provider.call(token, args);
    const response: Record<string, Json> = {};
    if (result.outputs !== undefined) {
        const [returned, returnDependencies] = await serializeWithDependencies(`call(${token})`, result.outputs);
        response.return = returned;
        response.returnDependencies = returnDependencies;
    }
    if (result.failures !== undefined) {
        response.failures = result.failures as unknown as Json;
    }
    await waitForRPCs();
    return response;
}

async function serializeWithDependencies(label: string, props: Inputs): Promise<[Record<string, any>, Record<string, { urns: string[] }>]> {
    const [serialized, dependencies] = await serializeResourceProperties(label, props);
    const byProperty: Record<string, { urns: string[] }> = {};
    for (const [key, resources] of dependencies) {
        byProperty[key] = { urns: await Promise.all([...resources].map((r) => partsOf(r.urn).promise())) };
    }
    return [serialized, byProperty];
}

/**
 * The component's inputs: values as the engine sent them, wrapped in Outputs where they are
 * secret or depend on resources (as the Node.js SDK does), so the component keeps both.
 */
function deserializeInputs(inputs: Record<string, any> | undefined, dependencies: Record<string, { urns?: string[] }> | undefined): Inputs {
    const result: Inputs = {};
    const values = deserializeProperties(inputs);
    for (const [key, value] of Object.entries(values)) {
        const secret = isRpcSecret(value);
        const urns = dependencies?.[key]?.urns ?? [];
        if (!secret && (urns.length === 0 || containsOutputs(value))) {
            result[key] = value;
            continue;
        }
        const resources = urns.map((urn) => new DependencyResource(urn));
        result[key] = makeOutput(resources, Promise.resolve(unwrapRpcSecret(value)), Promise.resolve(true), Promise.resolve(secret), Promise.resolve([]));
    }
    return result;
}

function containsOutputs(value: unknown): boolean {
    if (Output.isInstance(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsOutputs);
    }
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.values(value).some(containsOutputs);
    }
    return false;
}

/** The component's options, from the ones the program gave its registration. */
function constructOptions(request: any): ComponentResourceOptions {
    const providers: Record<string, ProviderResource> = {};
    for (const [pkg, ref] of Object.entries((request.providers ?? {}) as Record<string, string>)) {
        providers[pkg] = new DependencyProviderResource(ref);
    }
    const opts: ComponentResourceOptions = {
        aliases: ((request.aliases ?? []) as any[]).map(aliasFromMessage),
        dependsOn: ((request.dependencies ?? []) as string[]).map((urn) => new DependencyResource(urn)),
        protect: request.protect ?? false,
        providers,
        parent: request.parent ? new DependencyResource(request.parent) : undefined,
        ignoreChanges: request.ignoreChanges ?? [],
        replaceOnChanges: request.replaceOnChanges ?? [],
        retainOnDelete: request.retainOnDelete ?? false,
    };
    if (request.customTimeouts !== undefined) {
        opts.customTimeouts = request.customTimeouts;
    }
    if (request.deletedWith) {
        opts.deletedWith = new DependencyResource(request.deletedWith);
    }
    if (request.replacementTrigger !== undefined && request.replacementTrigger !== null) {
        opts.replacementTrigger = deserializeProperty(request.replacementTrigger, true);
    }
    return opts;
}

function aliasFromMessage(message: any): string | Alias {
    if (message.urn !== undefined) {
        return message.urn;
    }
    const spec = message.spec ?? {};
    const alias: Alias = {};
    if (spec.name) {
        alias.name = spec.name;
    }
    if (spec.type) {
        alias.type = spec.type;
    }
    if (spec.project) {
        alias.project = spec.project;
    }
    if (spec.stack) {
        alias.stack = spec.stack;
    }
    if (spec.parentUrn) {
        alias.parent = spec.parentUrn;
    } else if (spec.noParent) {
        alias.parent = rootStackResource as Resource;
    }
    return alias;
}
