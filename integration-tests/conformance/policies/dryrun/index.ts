import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";

// Only a preview is judged: the pack reads isDryRun from the stack the engine configured.
new PolicyPack("dryrun", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "dry",
            description: "Verifies properties are true on dryrun",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "simple:index:Resource" && pulumi.runtime.isDryRun() && !args.props.value) {
                    reportViolation("This is a test error");
                }
            },
        },
    ],
});
