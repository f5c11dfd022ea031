import { PolicyPack } from "@pulumi/policy";

// A stack policy: it sees every resource at once.
new PolicyPack("analyze-stack", {
    enforcementLevel: "mandatory",
    policies: [
        {
            name: "stack-size",
            description: "Stack must contain at most one simple:index:Resource",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => {
                const simple = args.resources.filter((resource) => resource.type === "simple:index:Resource");
                if (simple.length > 1) {
                    reportViolation("Found an extra simple:index:Resource");
                }
            },
        },
    ],
});
