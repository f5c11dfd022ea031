import { PolicyPack } from "@pulumi/policy";

// Sets the property to the configured value instead of reporting it.
new PolicyPack("remediate", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "fixup",
            description: "Sets property to config",
            enforcementLevel: "remediate",
            remediateResource: (args) => {
                if (args.type !== "simple:index:Resource") {
                    return undefined;
                }
                const config = args.getConfig<{ value: boolean }>();
                return config.value !== args.props.value ? { value: config.value } : undefined;
            },
        },
    ],
});
