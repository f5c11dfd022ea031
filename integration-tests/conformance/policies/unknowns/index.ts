import { PolicyPack } from "@pulumi/policy";

// Reports every simple resource's value. In a preview some values are unknown: reading one stops
// the policy, and the pack reports that it could not run instead.
new PolicyPack("unknowns", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "report",
            description: "Reports the value of each simple resource",
            enforcementLevel: "advisory",
            validateResource: (args, reportViolation) => {
                if (args.type === "simple:index:Resource") {
                    reportViolation(`value is ${args.props.value}`);
                }
            },
        },
    ],
});
