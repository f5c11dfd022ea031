// A policy pack's answers to the engine's Analyzer calls. The host receives the gRPC calls and
// hands each over as an inbound `plugin` event `{id, method, request}` in proto3 JSON; the answer
// goes back through `plugin.reply`. What each answer holds follows Pulumi's policy SDK, so the
// engine shows the same violations, remediations and errors for a pack whichever runtime ran it.

import { servePlugin } from "../unfold/serve.ts";
import {
    NotApplicableError,
    isResourceOfType,
    type EnforcementLevel,
    type Policies,
    type PolicyPackArgs,
    type PolicyPackConfig,
    type PolicyResource,
    type PolicyResourceOptions,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "./policy.ts";
import { Secret, UnknownValueError, deserializeProperties, serializeProperties, unknownCheckingProxy } from "./properties.ts";

/** What `new PolicyPack` hands over to be served. */
export interface PackDefinition {
    name: string;
    version: string;
    enforcementLevel: EnforcementLevel;
    args: PolicyPackArgs;
    initialConfig?: PolicyPackConfig;
    stackTags: ReadonlyMap<string, string>;
}

type Json = any;

// Enforcement levels as the protocol names them.
const levelNames: Record<EnforcementLevel, string> = {
    advisory: "ADVISORY",
    mandatory: "MANDATORY",
    disabled: "DISABLED",
    remediate: "REMEDIATE",
};
const severityNames: Record<string, string> = {
    low: "POLICY_SEVERITY_LOW",
    medium: "POLICY_SEVERITY_MEDIUM",
    high: "POLICY_SEVERITY_HIGH",
    critical: "POLICY_SEVERITY_CRITICAL",
};

function levelName(level: string): string {
    const name = levelNames[level as EnforcementLevel];
    if (name === undefined) {
        throw new Error(`Unknown enforcement level type '${level}'`);
    }
    return name;
}

/** The level a Configure message names; proto3 JSON leaves out the default (advisory). */
function levelFromName(name: unknown): EnforcementLevel {
    if (name === undefined) {
        return "advisory";
    }
    const level = (Object.keys(levelNames) as EnforcementLevel[]).find((l) => levelNames[l] === name);
    if (level === undefined) {
        throw new Error(`Unknown enforcement level ${name}.`);
    }
    return level;
}

/** Starts answering the engine's calls for `pack`. */
export function serve(pack: PackDefinition): void {
    const server = new PackServer(pack);
    servePlugin((method, request) => server.answer(method, request));
}

type Config = Record<string, Record<string, any>>;

class PackServer {
    /** The configuration the engine sent last, by policy. */
    private config: Config = {};
    private readonly pack: PackDefinition;

    constructor(pack: PackDefinition) {
        this.pack = pack;
    }

    private get stackTags(): ReadonlyMap<string, string> {
        return this.pack.stackTags;
    }

    answer(method: string, request: Json): Promise<Json> {
        switch (method) {
            case "GetAnalyzerInfo":
                return Promise.resolve(this.analyzerInfo());
            case "Configure":
                this.configure(request);
                return Promise.resolve({});
            case "Analyze":
                return this.analyze(request);
            case "AnalyzeStack":
                return this.analyzeStack(request);
            case "Remediate":
                return this.remediate(request);
            default:
                return Promise.reject(new Error(`a policy pack does not answer ${method}`));
        }
    }

    private get policies(): Policies {
        return this.pack.args.policies;
    }

    private label(): string {
        return `'${this.pack.name}@v${this.pack.version}'`;
    }

    private levelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }): EnforcementLevel {
        return this.config[policy.name]?.enforcementLevel || policy.enforcementLevel || this.pack.enforcementLevel;
    }

    private configOf(policy: { name: string }): () => any {
        return () => {
            const { enforcementLevel: _level, ...properties } = this.config[policy.name] ?? {};
            return properties;
        };
    }

    // ---- GetAnalyzerInfo, Configure ----

    private analyzerInfo(): Json {
        const { args } = this.pack;
        const info: Json = {
            name: this.pack.name,
            version: this.pack.version,
            supportsConfig: true,
            policies: this.policies.map((policy) => this.policyInfo(policy)),
        };
        for (const key of ["displayName", "description", "readme", "provider", "tags", "repository"] as const) {
            if (args[key]) {
                info[key] = args[key];
            }
        }
        if (this.pack.initialConfig !== undefined) {
            info.initialConfig = initialConfig(this.pack.initialConfig);
        }
        return info;
    }

    private policyInfo(policy: ResourceValidationPolicy | StackValidationPolicy): Json {
        const info: Json = {
            name: policy.name,
            description: policy.description,
            enforcementLevel: levelName(policy.enforcementLevel || this.pack.enforcementLevel),
        };
        if (isResourcePolicy(policy)) {
            info.policyType = "POLICY_TYPE_RESOURCE";
        } else if (typeof (policy as StackValidationPolicy).validateStack === "function") {
            info.policyType = "POLICY_TYPE_STACK";
        }
        if (policy.configSchema) {
            info.configSchema = { properties: policy.configSchema.properties };
            if (policy.configSchema.required) {
                info.configSchema.required = policy.configSchema.required;
            }
        }
        if (policy.severity) {
            info.severity = severityNames[policy.severity] ?? "POLICY_SEVERITY_UNSPECIFIED";
        }
        if (policy.framework) {
            info.framework = Object.fromEntries(Object.entries(policy.framework).filter(([, v]) => v));
        }
        for (const key of ["displayName", "tags", "remediationSteps", "url"] as const) {
            if (policy[key]) {
                info[key] = policy[key];
            }
        }
        return info;
    }

    private configure(request: Json): void {
        const config: Config = {};
        for (const [name, policyConfig] of Object.entries((request.policyConfig ?? {}) as Record<string, Json>)) {
            config[name] = { ...(policyConfig.properties ?? {}), enforcementLevel: levelFromName(policyConfig.enforcementLevel) };
        }
        this.config = config;
    }

    // ---- Analyze ----

    private async analyze(request: Json): Promise<Json> {
        const diagnostics: Json[] = [];
        const notApplicable: Json[] = [];
        for (const policy of this.policies) {
            const level = this.levelOf(policy);
            if (level === "disabled" || !isResourcePolicy(policy)) {
                continue;
            }
            if (policy.validateResource === undefined) {
                notApplicable.push({ policyName: policy.name, reason: "Policy does not implement validateResource" });
                continue;
            }
            const reported = level === "remediate" ? "mandatory" : level;
            const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            const onlyType = (policy.validateResource as { __pulumiType?: string }).__pulumiType;
            if (onlyType && request.type !== onlyType) {
                notApplicable.push({ policyName: policy.name, reason: `Policy only applies to resources of type '${onlyType}'` });
                continue;
            }
            for (const validate of validations) {
                const args = {
                    ...this.resourceArgs(request, readProperties(request.properties)),
                    stackTags: this.stackTags,
                    getConfig: this.configOf(policy),
                    notApplicable: notApplicableFn,
                };
                await this.validating(policy, diagnostics, notApplicable, () =>
                    validate(args, (message?: string, urn?: string) => diagnostics.push(this.violation(policy, reported, message, urn))),
                );
            }
        }
        return analyzeResponse(diagnostics, notApplicable);
    }

    // ---- AnalyzeStack ----

    private async analyzeStack(request: Json): Promise<Json> {
        const requested: Json[] = request.resources ?? [];
        const diagnostics: Json[] = [];
        const notApplicable: Json[] = [];
        for (const policy of this.policies) {
            const level = this.levelOf(policy);
            const validateStack = (policy as StackValidationPolicy).validateStack;
            if (level === "disabled" || typeof validateStack !== "function") {
                continue;
            }
            const reported = level === "remediate" ? "mandatory" : level;
            const onlyType = (validateStack as { __pulumiType?: string }).__pulumiType;
            if (onlyType && !requested.some((resource) => resource.type === onlyType)) {
                notApplicable.push({ policyName: policy.name, reason: `Policy only applies to resources of type '${onlyType}'` });
                continue;
            }
            const resources = this.stackResources(requested);
            await this.validating(policy, diagnostics, notApplicable, () =>
                validateStack(
                    { resources, stackTags: this.stackTags, getConfig: this.configOf(policy), notApplicable: notApplicableFn },
                    (message?: string, urn?: string) => diagnostics.push(this.violation(policy, reported, message, urn)),
                ),
            );
        }
        return analyzeResponse(diagnostics, notApplicable);
    }

    /**
     * Runs one validation. A value unknown in a preview, or a policy that does not apply, is
     * reported as the policy SDK reports it; any other error fails the engine's call.
     */
    private async validating(
        policy: { name: string; description: string; severity?: string },
        diagnostics: Json[],
        notApplicable: Json[],
        validate: () => Promise<void> | void,
    ): Promise<void> {
        try {
            await validate();
        } catch (err) {
            if (err instanceof UnknownValueError) {
                diagnostics.push(this.cannotRunInPreview(policy, `can't run policy '${policy.name}' from policy pack ${this.label()} during preview: ${err.message}`));
            } else if (err instanceof NotApplicableError) {
                notApplicable.push(notApplicableEntry(policy.name, err));
            } else {
                throw withStack(`Error validating resource with policy '${policy.name}' from policy pack ${this.label()}`, err);
            }
        }
    }

    /** The stack's resources, linked to their parents and dependencies by URN. */
    private stackResources(requested: Json[]): PolicyResource[] {
        const resources: PolicyResource[] = requested.map((resource) => ({
            ...this.resourceArgs(resource, readProperties(resource.properties)),
            dependencies: [],
            propertyDependencies: {},
        }));
        const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
        const linked = (urns: string[] | undefined) =>
            (urns ?? []).map((urn) => byUrn.get(urn)).filter((resource): resource is PolicyResource => resource !== undefined);
        requested.forEach((resource, index) => {
            const policyResource = resources[index];
            const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
            if (parent !== undefined) {
                policyResource.parent = parent;
            }
            policyResource.dependencies = linked(resource.dependencies);
            for (const [key, deps] of Object.entries((resource.propertyDependencies ?? {}) as Record<string, Json>)) {
                policyResource.propertyDependencies[key] = linked(deps.urns);
            }
        });
        return resources;
    }

    // ---- Remediate ----

    private async remediate(request: Json): Promise<Json> {
        const remediations: Json[] = [];
        const notApplicable: Json[] = [];
        const original = deserializeProperties(request.properties, true);
        // A property that was secret stays secret in what a remediation returns, even when the
        // remediation rebuilt the object (reading a secret gives its plain value).
        const secretKeys = Object.keys(original).filter((key) => original[key] instanceof Secret);
        let props = unknownCheckingProxy(original);
        const base = { ...this.resourceArgs(request, props), stackTags: this.stackTags };
        for (const policy of this.policies) {
            if (this.levelOf(policy) !== "remediate" || !isResourcePolicy(policy)) {
                continue;
            }
            if (policy.remediateResource === undefined) {
                notApplicable.push({ policyName: policy.name, reason: "Policy does not implement remediateResource" });
                continue;
            }
            const onlyType = (policy.remediateResource as { __pulumiType?: string }).__pulumiType;
            if (onlyType && request.type !== onlyType) {
                notApplicable.push({ policyName: policy.name, reason: `Policy only applies to resources of type '${onlyType}'` });
                continue;
            }
            let result: Record<string, any> | void | undefined;
            let diagnostic: string | undefined;
            try {
                result = await policy.remediateResource({ ...base, props, getConfig: this.configOf(policy), notApplicable: notApplicableFn });
            } catch (err) {
                if (err instanceof UnknownValueError) {
                    diagnostic = `can't run remediation '${policy.name}' from policy pack ${this.label()} during preview: ${err.message}`;
                } else if (err instanceof NotApplicableError) {
                    notApplicable.push(notApplicableEntry(policy.name, err));
                    continue;
                } else {
                    throw withStack(`Error remediating resource with remediation '${policy.name}' from policy pack ${this.label()}`, err);
                }
            }
            if (result) {
                props = result;
            }
            if (result || diagnostic) {
                const remediation: Json = {
                    policyName: policy.name,
                    policyPackName: this.pack.name,
                    policyPackVersion: this.pack.version,
                    description: policy.description,
                };
                if (result) {
                    remediation.properties = await serializeProperties(keepSecret(result, secretKeys));
                }
                if (diagnostic) {
                    remediation.diagnostic = diagnostic;
                }
                remediations.push(remediation);
            }
        }
        const response: Json = { remediations };
        if (notApplicable.length > 0) {
            response.notApplicable = notApplicable;
        }
        return response;
    }

    // ---- What policies are given, and what they report ----

    /** What every policy sees of a resource; `props` are its properties as policies read them. */
    private resourceArgs(resource: Json, props: Record<string, any>) {
        const type: string = resource.type ?? "";
        const args = {
            type,
            props,
            urn: resource.urn ?? "",
            name: resource.name ?? "",
            opts: resourceOptions(resource.options),
            isType: (resourceClass: Parameters<typeof isResourceOfType>[1]) => isResourceOfType(type, resourceClass),
            asType(resourceClass: Parameters<typeof isResourceOfType>[1]) {
                return isResourceOfType(type, resourceClass) ? this.props : undefined;
            },
        } as Json;
        if (resource.provider) {
            args.provider = {
                type: resource.provider.type ?? "",
                props: readProperties(resource.provider.properties),
                urn: resource.provider.urn ?? "",
                name: resource.provider.name ?? "",
            };
        }
        return args;
    }

    private violation(policy: { name: string; description: string; severity?: string }, level: EnforcementLevel, message?: string, urn?: string): Json {
        const diagnostic: Json = {
            policyName: policy.name,
            policyPackName: this.pack.name,
            policyPackVersion: this.pack.version,
            description: policy.description,
            message: policy.description + (message ? `\n${message}` : ""),
            enforcementLevel: levelName(level),
        };
        if (urn) {
            diagnostic.urn = urn;
        }
        if (policy.severity) {
            diagnostic.severity = severityNames[policy.severity] ?? "POLICY_SEVERITY_UNSPECIFIED";
        }
        return diagnostic;
    }

    private cannotRunInPreview(policy: { name: string; description: string; severity?: string }, message: string): Json {
        const diagnostic = this.violation(policy, "advisory");
        diagnostic.message = message;
        return diagnostic;
    }
}

/** `props` with the values at `secretKeys` wrapped as secrets. */
function keepSecret(props: Record<string, any>, secretKeys: string[]): Record<string, any> {
    const result = { ...props };
    for (const key of secretKeys) {
        if (key in result && !(result[key] instanceof Secret)) {
            result[key] = new Secret(result[key]);
        }
    }
    return result;
}

/** Wire properties as a validation reads them: plain values, unknowns refused when read. */
function readProperties(properties: Record<string, any> | undefined): Record<string, any> {
    return unknownCheckingProxy(deserializeProperties(properties));
}

function isResourcePolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is ResourceValidationPolicy {
    const { validateResource, remediateResource } = policy as ResourceValidationPolicy;
    if (typeof validateResource === "function") {
        return true;
    }
    if (Array.isArray(validateResource)) {
        return validateResource.every((v) => typeof v === "function");
    }
    return typeof remediateResource === "function";
}

function notApplicableFn(reason?: string): never {
    throw new NotApplicableError(reason);
}

function notApplicableEntry(policyName: string, err: NotApplicableError): Json {
    return err.reason === undefined ? { policyName } : { policyName, reason: err.reason };
}

function analyzeResponse(diagnostics: Json[], notApplicable: Json[]): Json {
    const response: Json = { diagnostics };
    if (notApplicable.length > 0) {
        response.notApplicable = notApplicable;
    }
    return response;
}

function withStack(message: string, err: unknown): Error {
    return new Error(`${message}:\n${err instanceof Error ? err.stack : String(err)}`);
}

function resourceOptions(options: Json): PolicyResourceOptions {
    if (options === undefined) {
        throw new Error("A more recent version of the Pulumi CLI is required. To upgrade, see https://www.pulumi.com/docs/get-started/install/");
    }
    const timeouts = options.customTimeouts ?? {};
    const opts: PolicyResourceOptions = {
        protect: options.protect ?? false,
        ignoreChanges: options.ignoreChanges ?? [],
        aliases: options.aliases ?? [],
        customTimeouts: {
            createSeconds: timeouts.create ?? 0,
            updateSeconds: timeouts.update ?? 0,
            deleteSeconds: timeouts.delete ?? 0,
        },
        additionalSecretOutputs: options.additionalSecretOutputs ?? [],
    };
    if (options.deleteBeforeReplaceDefined) {
        opts.deleteBeforeReplace = options.deleteBeforeReplace ?? false;
    }
    if (options.parent) {
        opts.parent = options.parent;
    }
    return opts;
}

/** The pack's initial configuration as the protocol carries it. */
function initialConfig(config: PolicyPackConfig): Json {
    const result: Json = {};
    for (const [name, value] of Object.entries(config)) {
        if (typeof value === "string") {
            result[name] = { enforcementLevel: levelName(value) };
            continue;
        }
        const { enforcementLevel, ...properties } = value;
        if (enforcementLevel === undefined && Object.keys(properties).length === 0) {
            continue;
        }
        const entry: Json = {};
        if (enforcementLevel !== undefined) {
            entry.enforcementLevel = levelName(enforcementLevel);
        }
        if (Object.keys(properties).length > 0) {
            entry.properties = properties;
        }
        result[name] = entry;
    }
    return result;
}
