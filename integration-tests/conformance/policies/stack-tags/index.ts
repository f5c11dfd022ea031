import { PolicyPack } from "@pulumi/policy";

// The expected value is the stack's `value` tag.
new PolicyPack("stack-tags", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "allowed",
            description: "Verifies property equals the stack tag value",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type !== "simple:index:Resource") {
                    return;
                }
                const tag = args.stackTags.get("value");
                if (tag === undefined) {
                    reportViolation("Stack tag 'value' is required");
                } else if (args.props.value !== JSON.parse(tag)) {
                    reportViolation("Property was " + args.props.value);
                }
            },
        },
    ],
});
