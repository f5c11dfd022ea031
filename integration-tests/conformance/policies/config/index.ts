import { PolicyPack } from "@pulumi/policy";

// The expected value comes from the policy's configuration.
new PolicyPack("config", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "allowed",
            description: "Verifies properties",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type !== "simple:index:Resource") {
                    return;
                }
                const config = args.getConfig<{ value: boolean }>();
                if (args.props.value !== config.value) {
                    reportViolation("Property was " + args.props.value);
                }
            },
        },
    ],
});
