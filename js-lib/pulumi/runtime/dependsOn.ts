// Dependencies between resources: explicit `dependsOn` lists and the custom resources a set of
// resources reaches through components.

import { getAllResources, Output, partsOf } from "../output.ts";
import { hasBrand } from "../rtti.ts";
import type { Input } from "../output.ts";
import type { ComponentResource, Resource, URN } from "../resource.ts";

/** Flattens a `dependsOn` option (resources, arrays, Promises, Outputs) into resources. */
export async function gatherExplicitDependencies(
    dependsOn: Input<Input<Resource>[]> | Input<Resource> | undefined,
): Promise<Resource[]> {
    if (!dependsOn) {
        return [];
    }
    if (Array.isArray(dependsOn)) {
        const all: Resource[] = [];
        for (const d of dependsOn) {
            all.push(...(await gatherExplicitDependencies(d)));
        }
        return all;
    }
    if (dependsOn instanceof Promise) {
        return gatherExplicitDependencies(await dependsOn);
    }
    if (Output.isInstance(dependsOn)) {
        // Resources the Output itself depends on count as dependencies too.
        const gathered = (dependsOn as Output<any>).apply((v: any) => gatherExplicitDependencies(v));
        const resources = await partsOf(gathered).promise();
        const implicit = await gatherExplicitDependencies([...(await getAllResources(gathered))]);
        return ((resources ?? []) as Resource[]).concat(implicit);
    }
    if (!hasBrand(dependsOn, "__pulumiResource")) {
        throw new Error("'dependsOn' was passed a value that was not a Resource.");
    }
    return [dependsOn as Resource];
}

/**
 * The custom resources (and remote components) reachable from `resources`, where a local
 * component stands for all of its children.
 */
export async function getAllTransitivelyReferencedResources(resources: Set<Resource>, exclude: Set<Resource>): Promise<Resource[]> {
    const reachable = new Set<Resource>();
    await addReachable(resources, exclude, reachable);
    return [...reachable].filter(
        (r) => (hasBrand(r, "__pulumiCustomResource") || (r as any).__remote) && !exclude.has(r),
    );
}

/** The URNs of {@link getAllTransitivelyReferencedResources}. */
export async function getAllTransitivelyReferencedResourceURNs(resources: Set<Resource>, exclude: Set<Resource>): Promise<Set<URN>> {
    const reachable = await getAllTransitivelyReferencedResources(resources, exclude);
    const urns = await Promise.all(reachable.map((r) => partsOf(r.urn).promise()));
    return new Set(urns);
}

async function addReachable(resources: Iterable<Resource> | undefined, exclude: Set<Resource>, result: Set<Resource>): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const resource of resources ?? []) {
        if (result.has(resource)) {
            continue;
        }
        result.add(resource);
        if (hasBrand(resource, "__pulumiComponentResource") && !exclude.has(resource)) {
            const component = resource as ComponentResource;
            // Children are complete once the component has finished initializing.
            pending.push(
                (component as any).__data.then(() => addReachable((component as any).__childResources, exclude, result)),
            );
        }
    }
    await Promise.all(pending);
}
