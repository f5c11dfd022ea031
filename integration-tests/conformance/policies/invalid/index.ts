import { PolicyPack } from "@pulumi/policy";

// "all" names every policy in configuration, so no policy may be called that: the pack fails to load.
new PolicyPack("invalid-policy", {
    policies: [
        {
            name: "all",
            description: "Invalid policy name.",
            enforcementLevel: "mandatory",
            validateResource: () => {
                throw new Error("a pack that fails to load never validates");
            },
            remediateResource: () => {
                throw new Error("a pack that fails to load never remediates");
            },
        },
    ],
});
