// The policy SDK's API: PolicyPack, the shapes of policies and of what they are given, and the
// helpers that narrow a policy to one resource type. The pack's answers to the engine are in
// server.ts.

import { call } from "../unfold/io.ts";
import { serve } from "./server.ts";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";

/** A JSON schema (draft 7) for one property of a policy's configuration. */
export type PolicyConfigJSONSchema = Record<string, any>;

export interface PolicyConfigSchema {
    properties: { [key: string]: PolicyConfigJSONSchema };
    required?: string[];
}

export interface PolicyComplianceFramework {
    name?: string;
    version?: string;
    reference?: string;
    specification?: string;
}

export interface Policy {
    name: string;
    description: string;
    enforcementLevel?: EnforcementLevel;
    configSchema?: PolicyConfigSchema;
    displayName?: string;
    severity?: Severity;
    framework?: PolicyComplianceFramework;
    tags?: string[];
    remediationSteps?: string;
    url?: string;
}

export interface PolicyCustomTimeouts {
    createSeconds: number;
    updateSeconds: number;
    deleteSeconds: number;
}

export interface PolicyResourceOptions {
    protect: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace?: boolean;
    aliases: string[];
    customTimeouts: PolicyCustomTimeouts;
    additionalSecretOutputs: string[];
    parent?: string;
}

export interface PolicyProviderResource {
    type: string;
    props: Record<string, any>;
    urn: string;
    name: string;
}

/** A resource class, as provider SDKs declare them (`static __pulumiType`, `isInstance`). */
export interface ResourceClass {
    readonly __pulumiType?: string;
    isInstance?(obj: any): boolean;
    readonly name?: string;
}

export interface ResourceValidationArgs {
    type: string;
    props: Record<string, any>;
    urn: string;
    name: string;
    opts: PolicyResourceOptions;
    provider?: PolicyProviderResource;
    stackTags: ReadonlyMap<string, string>;
    isType(resourceClass: ResourceClass): boolean;
    asType(resourceClass: ResourceClass): Record<string, any> | undefined;
    getConfig<T extends object>(): T;
    notApplicable(reason?: string): never;
}

export interface PolicyResource {
    type: string;
    props: Record<string, any>;
    urn: string;
    name: string;
    opts: PolicyResourceOptions;
    provider?: PolicyProviderResource;
    parent?: PolicyResource;
    dependencies: PolicyResource[];
    propertyDependencies: Record<string, PolicyResource[]>;
    isType(resourceClass: ResourceClass): boolean;
    asType(resourceClass: ResourceClass): Record<string, any> | undefined;
}

export interface StackValidationArgs {
    resources: PolicyResource[];
    stackTags: ReadonlyMap<string, string>;
    getConfig<T extends object>(): T;
    notApplicable(reason?: string): never;
}

export type ReportViolation = (message?: string, urn?: string) => void;
export type ResourceValidation = (args: ResourceValidationArgs, reportViolation: ReportViolation) => Promise<void> | void;
export type StackValidation = (args: StackValidationArgs, reportViolation: ReportViolation) => Promise<void> | void;
export type ResourceRemediation = (
    args: ResourceValidationArgs,
) => Promise<Record<string, any> | void | undefined> | Record<string, any> | void | undefined;

export interface ResourceValidationPolicy extends Policy {
    validateResource?: ResourceValidation | ResourceValidation[];
    remediateResource?: ResourceRemediation;
}

export interface StackValidationPolicy extends Policy {
    validateStack: StackValidation;
}

export type Policies = (ResourceValidationPolicy | StackValidationPolicy)[];

export interface PolicyPackArgs {
    policies: Policies;
    enforcementLevel?: EnforcementLevel;
    description?: string;
    displayName?: string;
    readme?: string;
    provider?: string;
    tags?: string[];
    repository?: string;
}

/** Per-policy configuration: a level, or properties with an optional level. */
export type PolicyPackConfig = {
    [policy: string]: EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & { [key: string]: any });
};

/** Thrown by `notApplicable`: the policy does not apply to this resource or stack. */
export class NotApplicableError extends Error {
    readonly reason?: string;

    constructor(reason?: string) {
        super(reason ?? "Policy does not apply");
        this.name = "NotApplicableError";
        this.reason = reason;
    }
}

/** The name a pack may have, as the engine accepts it. */
const PACK_NAME = /^[a-zA-Z0-9-_.]{1,100}$/;

let served: string | undefined;

/** A set of policies, served to the engine once created. One pack per program. */
export class PolicyPack {
    constructor(name: string, args: PolicyPackArgs, initialConfig?: PolicyPackConfig) {
        const context = call("run.context") as PackContext;
        const version = context.packageVersion;
        if (!version) {
            throw new Error(`Version must be defined in the package.json file (${context.programDirectory}/package.json).`);
        }
        if (!PACK_NAME.test(name)) {
            throw new Error(
                `Invalid policy pack name "${name}". Policy pack names may only contain alphanumerics, hyphens, underscores, or periods.`,
            );
        }
        for (const policy of args.policies) {
            if (policy.name === "all") {
                throw new Error(`Invalid policy name "all". "all" is a reserved name.`);
            }
            if (policy.configSchema?.properties?.enforcementLevel !== undefined) {
                throw new Error("enforcementLevel cannot be explicitly specified in properties.");
            }
            if (policy.configSchema?.required?.includes("enforcementLevel")) {
                throw new Error(`"enforcementLevel" cannot be specified in required.`);
            }
        }
        if (served !== undefined) {
            throw new Error(`Already serving policy pack '${served}'. Only one policy pack may be defined per-process.`);
        }
        served = name;
        serve({
            name,
            version,
            enforcementLevel: args.enforcementLevel ?? "advisory",
            args,
            initialConfig,
            stackTags: new Map(Object.entries(context.stackTags ?? {})),
        });
    }
}

/** What the host tells a pack of itself and its stack. */
interface PackContext {
    /** Its package.json's version, which the engine reports beside each violation. */
    packageVersion?: string;
    programDirectory?: string;
    /** The stack's tags, from ConfigureStack. */
    stackTags?: Record<string, string>;
}

/** The type a resource class stands for, or undefined for a class without one. */
function pulumiTypeOf(resourceClass: ResourceClass): string | undefined {
    return typeof resourceClass.__pulumiType === "string" && resourceClass.__pulumiType !== "" ? resourceClass.__pulumiType : undefined;
}

/** Whether a resource of `type` is an instance of `resourceClass`. */
export function isResourceOfType(type: string, resourceClass: ResourceClass): boolean {
    const pulumiType = pulumiTypeOf(resourceClass);
    if (pulumiType !== undefined) {
        return pulumiType === type;
    }
    return resourceClass.isInstance?.({ __pulumiType: type }) === true;
}

function notOfType(resourceClass: ResourceClass): string {
    const pulumiType = pulumiTypeOf(resourceClass);
    if (pulumiType !== undefined) {
        return `Policy only applies to resources of type '${pulumiType}'`;
    }
    return resourceClass.name ? `Policy only applies to '${resourceClass.name}' resources` : "Policy only applies to resources of a specific type";
}

type Typed<F> = F & { __pulumiType?: string };

function typed<F>(resourceClass: ResourceClass, f: F): Typed<F> {
    const result = f as Typed<F>;
    const pulumiType = pulumiTypeOf(resourceClass);
    if (pulumiType !== undefined) {
        result.__pulumiType = pulumiType;
    }
    return result;
}

/** A resource validation that runs only for resources of `resourceClass`'s type. */
export function validateResourceOfType(
    resourceClass: ResourceClass,
    validate: (props: Record<string, any>, args: ResourceValidationArgs, reportViolation: ReportViolation) => Promise<void> | void,
): ResourceValidation {
    return typed(resourceClass, (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!args.isType(resourceClass)) {
            args.notApplicable(notOfType(resourceClass));
        }
        return validate(args.props, args, reportViolation);
    });
}

/** A remediation that runs only for resources of `resourceClass`'s type. */
export function remediateResourceOfType(
    resourceClass: ResourceClass,
    remediate: (props: Record<string, any>, args: ResourceValidationArgs) => ReturnType<ResourceRemediation>,
): ResourceRemediation {
    return typed(resourceClass, (args: ResourceValidationArgs) => {
        if (!args.isType(resourceClass)) {
            args.notApplicable(notOfType(resourceClass));
        }
        return remediate(args.props, args);
    });
}

/** Both a validation and a remediation for resources of `resourceClass`'s type. */
export function validateRemediateResourceOfType(
    resourceClass: ResourceClass,
    validateRemediate: (props: Record<string, any>, args: ResourceValidationArgs) => ReturnType<ResourceRemediation>,
): { validateResource: ResourceValidation; remediateResource: ResourceRemediation } {
    const remediateResource = remediateResourceOfType(resourceClass, validateRemediate);
    const validateResource = validateResourceOfType(resourceClass, async (props, args, reportViolation) => {
        const fixed = await validateRemediate(props, args);
        if (fixed) {
            reportViolation("Resource properties need remediation");
        }
    });
    return { validateResource, remediateResource };
}

/** A stack validation given only the resources of `resourceClass`'s type. */
export function validateStackResourcesOfType(
    resourceClass: ResourceClass,
    validate: (props: Record<string, any>[], args: StackValidationArgs, reportViolation: ReportViolation) => Promise<void> | void,
): StackValidation {
    return typed(resourceClass, (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const resources = args.resources.filter((resource) => resource.isType(resourceClass));
        if (resources.length === 0) {
            args.notApplicable(notOfType(resourceClass));
        }
        return validate(
            resources.map((resource) => resource.props),
            { ...args, resources },
            reportViolation,
        );
    });
}
