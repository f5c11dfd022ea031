import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";

// The pack's top-level code reads the stack's configuration, so even its policy's name depends on it.
const value = new pulumi.Config().requireBoolean("value");

new PolicyPack("stack-config", {
    enforcementLevel: "mandatory",
    policies: [
        {
            name: `validate-${value}`,
            description: `Verifies property is ${value}`,
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "simple:index:Resource" && args.props.value !== value) {
                    reportViolation("Property was " + args.props.value);
                }
            },
        },
    ],
});
