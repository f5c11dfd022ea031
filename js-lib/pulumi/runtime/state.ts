// Program-wide state of the resource graph: the root stack resource, and the resource modules
// and packages that rebuild resources from references the engine returns.

import type { ProviderResource, Resource, URN } from "../resource.ts";

let stackResource: Resource | undefined;

/** The root stack resource, once it exists; resources without a parent are its children. */
export function getStackResource(): Resource | undefined {
    return stackResource;
}

/** @internal */
export function setStackResource(res: Resource | undefined): void {
    stackResource = res;
}

/** Rebuilds resources of one module of a package from their URNs. */
export interface ResourceModule {
    version?: string;
    construct(name: string, type: string, urn: URN): Resource;
}

/** Rebuilds providers of one package from their URNs. */
export interface ResourcePackage {
    version?: string;
    constructProvider(name: string, type: string, urn: URN): ProviderResource;
}

/** @internal */
export const resourceModules = new Map<string, ResourceModule[]>();
/** @internal */
export const resourcePackages = new Map<string, ResourcePackage[]>();
