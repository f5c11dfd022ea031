import { PolicyPack } from "@pulumi/policy";

// The engine checks the configuration against this schema before the pack sees it.
new PolicyPack("config-schema", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "validator",
            description: "Verifies property matches config",
            enforcementLevel: "advisory",
            configSchema: {
                properties: {
                    value: { type: "boolean" },
                    names: { type: "array", items: { type: "string" }, minItems: 1 },
                },
                required: ["value", "names"],
            },
            validateResource: (args, reportViolation) => {
                if (args.type !== "simple:index:Resource") {
                    return;
                }
                const config = args.getConfig<{ value: boolean; names: string[] }>();
                if (config.names.includes(args.name) && args.props.value !== config.value) {
                    reportViolation("Property was " + args.props.value);
                }
            },
        },
    ],
});
