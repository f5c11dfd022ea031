import { PolicyPack, type PolicyResource, type ReportViolation, type ResourceValidationArgs } from "@pulumi/policy";

// Each policy checks that one piece of a resource's metadata reaches the pack, and reports a
// violation when it does: one violation per policy means everything arrived.

function named(resource: { type: string; name: string }, name: string): boolean {
    return resource.type === "simple:index:Resource" && resource.name === name;
}

/** A resource policy that reports `name`'s resource when `holds` is true of it. */
function check(policy: string, description: string, name: string, holds: (args: ResourceValidationArgs) => boolean) {
    return {
        name: policy,
        description,
        enforcementLevel: "advisory" as const,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (named(args, name) && holds(args)) {
                reportViolation("metadata matched");
            }
        },
    };
}

function dependsOn(resources: PolicyResource[] | undefined, name: string): boolean {
    return (resources ?? []).some((resource) => resource.urn.endsWith(`::${name}`));
}

new PolicyPack("resource-metadata", {
    enforcementLevel: "advisory",
    policies: [
        check("name-type-urn-props", "Resource identity metadata is available", "identity",
            (args) => args.props.value === true && args.urn.endsWith("::identity")),
        check("protect", "Protect option metadata is available", "protected", (args) => args.opts.protect),
        check("ignore-changes", "IgnoreChanges option metadata is available", "ignoreChanges",
            (args) => args.opts.ignoreChanges.includes("value")),
        check("delete-before-replace", "DeleteBeforeReplace option metadata is available", "deleteBeforeReplace",
            (args) => args.opts.deleteBeforeReplace === true),
        check("additional-secret-outputs", "AdditionalSecretOutputs option metadata is available", "secretOutput",
            (args) => args.opts.additionalSecretOutputs.includes("value")),
        check("custom-timeouts", "CustomTimeouts option metadata is available", "customTimeouts",
            (args) => args.opts.customTimeouts.createSeconds === 300),
        check("provider", "Provider metadata is available", "explicitProvider",
            (args) => args.provider?.type === "pulumi:providers:simple" && args.provider.name === "prov"),
        check("parent", "Parent metadata is available", "child", (args) => (args.opts.parent ?? "").endsWith("::parent")),
        {
            name: "dependencies",
            description: "Dependency metadata is available",
            enforcementLevel: "advisory",
            validateStack: (args, reportViolation) => {
                const resource = args.resources.find((r) => named(r, "dependsOn"));
                if (resource && dependsOn(resource.dependencies, "dependency")) {
                    reportViolation("metadata matched", resource.urn);
                }
            },
        },
        {
            name: "property-dependencies",
            description: "Property dependency metadata is available",
            enforcementLevel: "advisory",
            validateStack: (args, reportViolation) => {
                const resource = args.resources.find((r) => named(r, "propertyDependency"));
                if (resource && dependsOn(resource.propertyDependencies["value"], "dependency")) {
                    reportViolation("metadata matched", resource.urn);
                }
            },
        },
    ],
});
