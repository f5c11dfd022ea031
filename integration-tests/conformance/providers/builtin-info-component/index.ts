// A component provider written for runtime: unfold whose component reports the organization,
// project and stack it was built in, as the engine's Construct named them.
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";

const schema = {
    name: "builtin-info-component",
    version: "37.0.0",
    resources: {
        "builtin-info-component:index:BuiltinInfo": {
            isComponent: true,
            properties: {
                organization: { type: "string" },
                project: { type: "string" },
                stack: { type: "string" },
            },
            required: ["organization", "project", "stack"],
        },
    },
};

class BuiltinInfo extends pulumi.ComponentResource {
    readonly organization: pulumi.Output<string>;
    readonly project: pulumi.Output<string>;
    readonly stack: pulumi.Output<string>;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("builtin-info-component:index:BuiltinInfo", name, {}, opts);
        this.organization = pulumi.output(pulumi.getOrganization());
        this.project = pulumi.output(pulumi.getProject());
        this.stack = pulumi.output(pulumi.getStack());
        this.registerOutputs({ organization: this.organization, project: this.project, stack: this.stack });
    }
}

provider.main({
    version: "37.0.0",
    schema: JSON.stringify(schema),
    async construct(name, type, _inputs, options) {
        if (type !== "builtin-info-component:index:BuiltinInfo") {
            throw new Error(`unknown resource type ${type}`);
        }
        const info = new BuiltinInfo(name, options);
        return {
            urn: info.urn,
            state: { organization: info.organization, project: info.project, stack: info.stack },
        };
    },
});
