import { PolicyPack } from "@pulumi/policy";

// Advisory unless the configuration raises, lowers or disables it.
new PolicyPack("enforcement-config", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "false",
            description: "Verifies property is false",
            enforcementLevel: "advisory",
            validateResource: (args, reportViolation) => {
                if (args.type === "simple:index:Resource" && args.props.value) {
                    reportViolation("Property was " + args.props.value);
                }
            },
        },
    ],
});
