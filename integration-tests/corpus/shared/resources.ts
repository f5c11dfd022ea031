// Resource classes for the `test` provider that the engine hosts for the corpus.
import * as pulumi from "@pulumi/pulumi";

export interface ResourceArgs {
    value?: pulumi.Input<any>;
    [key: string]: pulumi.Input<any> | undefined;
}

/** `test:index:Resource`: outputs are its inputs plus an id. */
export class Resource extends pulumi.CustomResource {
    public readonly value!: pulumi.Output<any>;

    constructor(name: string, args: ResourceArgs = {}, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Resource", name, { value: undefined, ...args }, opts);
    }
}

/** The explicit provider for `test:*` resources. */
export class Provider extends pulumi.ProviderResource {
    constructor(name: string, args: Record<string, pulumi.Input<any>> = {}, opts?: pulumi.ResourceOptions) {
        super("test", name, args, opts);
    }
}

/** A component with two child resources. */
export class Pair extends pulumi.ComponentResource {
    public readonly left: Resource;
    public readonly right: Resource;
    public readonly joined: pulumi.Output<string>;

    constructor(name: string, args: { value: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
        super("corpus:index:Pair", name, {}, opts);
        this.left = new Resource(`${name}-left`, { value: args.value }, { parent: this });
        this.right = new Resource(`${name}-right`, { value: this.left.value }, { parent: this });
        this.joined = pulumi.interpolate`${this.left.value}+${this.right.value}`;
        this.registerOutputs({ joined: this.joined });
    }
}

/**
 * How references to `test:index:*` resources become instances again, as a generated SDK
 * registers its modules: the instance reads the resource's state by URN instead of registering.
 */
export const resourceModule: pulumi.runtime.ResourceModule = {
    construct: (name: string, type: string, urn: string): pulumi.Resource => {
        switch (type) {
            case "test:index:Resource":
                return new Resource(name, undefined, { urn });
            default:
                throw new Error(`unknown resource type ${type}`);
        }
    },
};

/** How references to `test` providers become instances again. */
export const resourcePackage: pulumi.runtime.ResourcePackage = {
    constructProvider: (name: string, type: string, urn: string): pulumi.ProviderResource => {
        if (type !== "pulumi:providers:test") {
            throw new Error(`unknown provider type ${type}`);
        }
        return new Provider(name, undefined, { urn });
    },
};
