// The root stack resource: the parent of every resource without one, and the holder of the
// program's exports as stack outputs.

import { Archive } from "../asset/archive.ts";
import { Asset } from "../asset/asset.ts";
import { warn } from "../log/index.ts";
import { output, Output, partsOf, type Inputs } from "../output.ts";
import { ComponentResource, Resource, type ResourceTransform, type ResourceTransformation } from "../resource.ts";
import { registerStackTransform as addStackTransform } from "./callbacks.ts";
import { getProject, getStack, isDryRun, monitorFeatures, setRootResource } from "./settings.ts";
import { getStackResource as currentStackResource, setStackResource } from "./state.ts";

/** The type token of the root stack resource. */
export const rootPulumiStackTypeName = "pulumi:pulumi:Stack";

/** Runs `init` as the body of the stack and returns the stack's outputs once they are known. */
export function runInPulumiStack(init: () => Promise<any>): Promise<Inputs | undefined> {
    const stack = new Stack(init);
    return partsOf(stack.outputs).promise();
}

/** The root resource of a deployment. */
class Stack extends ComponentResource<Inputs> {
    /** The program's exports, as registered with the engine. */
    readonly outputs: Output<Inputs | undefined>;

    constructor(init: () => Promise<Inputs>) {
        // The stack itself has no parent.
        setStackResource(undefined);
        super(rootPulumiStackTypeName, `${getProject()}-${getStack()}`, { init });
        this.outputs = output(this.getData());
    }

    // Runs the program once the engine knows this resource as the root, then registers its
    // exports — even if the program failed, so the stack is not left without outputs.
    protected override async initialize(args: { init: () => Promise<Inputs> }): Promise<Inputs> {
        await setRootResource(this);
        setStackResource(this);
        let outputs: Inputs | undefined;
        try {
            const inputs = await args.init();
            outputs = await massage(undefined, inputs, []);
        } finally {
            super.registerOutputs(outputs);
        }
        return outputs!;
    }
}

// Makes exports fit to be stack outputs: Promises and Outputs awaited, resources flattened to
// their plain properties, cycles cut.
async function massage(key: string | undefined, prop: any, objectStack: any[]): Promise<any> {
    if (prop === undefined && objectStack.length === 1) {
        // Only top-level undefined exports are worth a warning; they would silently vanish.
        warn(`Undefined value (${key}) will not show as a stack output.`);
        return undefined;
    }
    if (prop === undefined || prop === null || typeof prop === "boolean" || typeof prop === "number" || typeof prop === "string") {
        return prop;
    }
    if (prop instanceof Promise) {
        return massage(key, await prop, objectStack);
    }
    if (Output.isInstance(prop)) {
        const result = (prop as Output<any>).apply((v) => massage(key, v, objectStack));
        // Awaited so that apply callbacks finish before the outputs are registered.
        await partsOf(result).promise();
        return result;
    }
    if (objectStack.indexOf(prop) >= 0) {
        // A cycle: a resource stands for its URN, anything else is dropped.
        if (Resource.isInstance(prop)) {
            return massage(key, prop.urn, objectStack);
        }
        return undefined;
    }
    try {
        objectStack.push(prop);
        return await massageComplex(prop, objectStack);
    } finally {
        const popped = objectStack.pop();
        if (popped !== prop) {
            throw new Error("Invariant broken when processing stack outputs");
        }
    }
}

async function massageComplex(prop: any, objectStack: any[]): Promise<any> {
    if (Asset.isInstance(prop) || Archive.isInstance(prop)) {
        return prop;
    }
    if (Resource.isInstance(prop)) {
        const pojo = await serializeAllKeys((n) => !n.startsWith("__"));
        // Previews mark resources so the CLI can show them as such.
        return !isDryRun() ? pojo : { ...pojo, "@isPulumiResource": true };
    }
    if (Array.isArray(prop)) {
        const result: any[] = [];
        for (let i = 0; i < prop.length; i++) {
            result[i] = await massage(undefined, prop[i], objectStack);
        }
        return result;
    }
    return serializeAllKeys(() => true);

    async function serializeAllKeys(include: (name: string) => boolean): Promise<Record<string, any>> {
        const obj: Record<string, any> = {};
        for (const k of Object.keys(prop)) {
            if (include(k)) {
                obj[k] = await massage(k, prop[k], objectStack);
            }
        }
        return obj;
    }
}

/** The root stack resource, once the program runs. */
export function getStackResource(): Resource | undefined {
    return currentStackResource();
}

/** Adds a legacy transformation for every resource registered from now on. */
export function registerStackTransformation(t: ResourceTransformation): void {
    const stackResource = currentStackResource();
    if (!stackResource) {
        throw new Error("The root stack resource was referenced before it was initialized.");
    }
    stackResource.__transformations = [...(stackResource.__transformations || []), t];
}

/** Adds an engine-run transform for every resource registered from now on. */
export function registerResourceTransform(t: ResourceTransform): void {
    if (!monitorFeatures.transforms) {
        throw new Error("The Pulumi CLI does not support transforms. Please update the Pulumi CLI");
    }
    addStackTransform(t);
}

/** Alias of {@link registerResourceTransform}. */
export function registerStackTransform(t: ResourceTransform): void {
    registerResourceTransform(t);
}
