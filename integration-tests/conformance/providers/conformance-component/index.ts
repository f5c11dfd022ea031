// A component provider written for runtime: unfold: one component, `Simple`, which owns a
// `simple:index:Resource` holding the opposite of its value.
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";

const schema = {
    name: "conformance-component",
    version: "22.0.0",
    resources: {
        "conformance-component:index:Simple": {
            isComponent: true,
            inputProperties: { value: { type: "boolean" } },
            requiredInputs: ["value"],
            properties: { value: { type: "boolean" } },
            required: ["value"],
        },
    },
};

/** The `simple` provider's resource, which the harness serves at version 2.0.0. */
class SimpleResource extends pulumi.CustomResource {
    constructor(name: string, args: { value: pulumi.Input<boolean> }, opts: pulumi.CustomResourceOptions) {
        super("simple:index:Resource", name, args, { ...opts, version: "2.0.0" });
    }
}

interface SimpleArgs {
    value: pulumi.Input<boolean>;
}

class Simple extends pulumi.ComponentResource {
    readonly value: pulumi.Output<boolean>;

    constructor(name: string, args: SimpleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("conformance-component:index:Simple", name, args, opts);
        this.value = pulumi.output(args.value);
        new SimpleResource(`${name}-child`, { value: this.value.apply((value) => !value) }, { parent: this });
        this.registerOutputs({ value: this.value });
    }
}

provider.main({
    version: "22.0.0",
    schema: JSON.stringify(schema),
    async construct(name, type, inputs, options) {
        if (type !== "conformance-component:index:Simple") {
            throw new Error(`unknown resource type ${type}`);
        }
        const simple = new Simple(name, inputs as unknown as SimpleArgs, options);
        return { urn: simple.urn, state: { value: simple.value } };
    },
});
