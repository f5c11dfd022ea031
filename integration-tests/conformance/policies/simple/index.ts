import { PolicyPack } from "@pulumi/policy";

// Every simple resource breaks one of the two rules: true ones warn, false ones fail the update.
new PolicyPack("simple", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "truthiness",
            description: "Verifies properties are true",
            enforcementLevel: "advisory",
            validateResource: (args, reportViolation) => {
                if (args.type === "simple:index:Resource" && args.props.value) {
                    reportViolation("This is a test warning");
                }
            },
        },
        {
            name: "falsiness",
            description: "Verifies properties are false",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "simple:index:Resource" && !args.props.value) {
                    reportViolation("This is a test error");
                }
            },
        },
    ],
});
