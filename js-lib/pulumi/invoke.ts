// Options of provider function invocations.

import type { Input } from "./output.ts";
import type { ProviderResource, Resource, ResourceOptions } from "./resource.ts";

/** Options for invoking a provider function. */
export interface InvokeOptions {
    /** A resource whose provider (for the function's package) is used. */
    parent?: Resource;
    /** The provider to invoke the function with. */
    provider?: ProviderResource;
    /** The exact provider plugin version to use. */
    version?: string;
    /** Where to download the provider plugin from. */
    pluginDownloadURL?: string;
    /** Kept for compatibility; invokes are always asynchronous. */
    async?: boolean;
}

/** Options for invoking a provider function whose result is an Output. */
export interface InvokeOutputOptions extends InvokeOptions {
    /** Resources the invocation waits for. */
    dependsOn?: Input<Input<Resource>[]> | Input<Resource>;
}

/** The invoke options that resource options imply. */
export function invokeOptionsFromResourceOptions(opts: ResourceOptions): InvokeOptions {
    return { parent: opts.parent, provider: opts.provider, version: opts.version, pluginDownloadURL: opts.pluginDownloadURL };
}

/** The output-invoke options that resource options imply. */
export function invokeOutputOptionsFromResourceOptions(opts: ResourceOptions): InvokeOutputOptions {
    return { ...invokeOptionsFromResourceOptions(opts), dependsOn: opts.dependsOn };
}
