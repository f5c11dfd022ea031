// Resources: the things a program declares. Constructing one registers it with the engine; its
// URN, ID and output properties are Outputs that settle when the engine answers.

import { ResourceError } from "./errors.ts";
import * as log from "./log/index.ts";
import { interpolate, makeOutput, output, partsOf, type Input, type Inputs, type Output } from "./output.ts";
import { hasBrand } from "./rtti.ts";
import { registerErrorHook, registerResourceHook } from "./runtime/hooks.ts";
import { getResource, readResource, registerResource, registerResourceOutputs } from "./runtime/resource.ts";
import { unknownValue } from "./runtime/rpc.ts";
import { getProject, getStack } from "./runtime/settings.ts";
import { getStackResource } from "./runtime/state.ts";

export type ID = string;
export type URN = string;

/**
 * The URN a resource of `type` named `name` under `parent` would have. Children of the root stack
 * get no parent type in their URN.
 */
export function createUrn(
    name: Input<string>,
    type: Input<string>,
    parent?: Resource | Input<URN>,
    project?: string,
    stack?: string,
): Output<string> {
    let parentPrefix: Output<string>;
    if (parent) {
        const parentUrn = Resource.isInstance(parent) ? parent.urn : output(parent);
        parentPrefix = parentUrn.apply((parentUrnString) => {
            const prefix = parentUrnString.substring(0, parentUrnString.lastIndexOf("::")) + "$";
            if (prefix.endsWith("::pulumi:pulumi:Stack$")) {
                return `urn:pulumi:${stack || getStack()}::${project || getProject()}::`;
            }
            return prefix;
        });
    } else {
        parentPrefix = output(`urn:pulumi:${stack || getStack()}::${project || getProject()}::`);
    }
    return interpolate`${parentPrefix}${type}::${name}`;
}

// A child whose name starts with its parent's name keeps that relationship under the parent's alias.
function inheritedChildAlias(childName: string, parentName: string, parentAlias: Input<string>, childType: string): Output<string> {
    let aliasName: Output<string> = output(childName);
    if (childName.startsWith(parentName)) {
        aliasName = output(parentAlias).apply((parentAliasUrn: string) => {
            const parentAliasName = parentAliasUrn.substring(parentAliasUrn.lastIndexOf("::") + 2);
            return parentAliasName + childName.substring(parentName.length);
        });
    }
    return createUrn(aliasName, childType, parentAlias);
}

function urnTypeAndName(urn: URN): { name: string; type: string } {
    const parts = urn.split("::");
    const typeParts = parts[2].split("$");
    return { name: parts[3], type: typeParts[typeParts.length - 1] };
}

/**
 * Every URN a child may previously have had: its own aliases and those implied by its parent's
 * aliases. Used with engines that cannot compute aliases from specs.
 */
export function allAliases(
    childAliases: Input<URN | Alias>[],
    childName: string,
    childType: string,
    parent: Resource,
    parentName: string,
): Output<URN>[] {
    const aliases: Output<URN>[] = [];
    for (const childAlias of childAliases) {
        aliases.push(collapseAliasToUrn(childAlias, childName, childType, parent));
    }
    for (const parentAlias of parent.__aliases || []) {
        aliases.push(inheritedChildAlias(childName, parentName, parentAlias, childType));
        for (const childAlias of childAliases) {
            const inherited = collapseAliasToUrn(childAlias, childName, childType, parent).apply((childAliasURN) => {
                const { name, type } = urnTypeAndName(childAliasURN);
                return inheritedChildAlias(name, parentName, parentAlias, type);
            });
            aliases.push(inherited);
        }
    }
    return aliases;
}

function collapseAliasToUrn(alias: Input<Alias | string>, defaultName: string, defaultType: string, defaultParent: Resource | undefined): Output<URN> {
    return output(alias).apply((a: any) => {
        if (typeof a === "string") {
            return output(a);
        }
        const has = (k: string) => Object.prototype.hasOwnProperty.call(a, k);
        const name = has("name") ? a.name : defaultName;
        const type = has("type") ? a.type : defaultType;
        const parent = has("parent") ? a.parent : defaultParent;
        const project = has("project") ? a.project : getProject();
        const stack = has("stack") ? a.stack : getStack();
        if (name === undefined) {
            throw new Error("No valid 'name' passed in for alias.");
        }
        if (type === undefined) {
            throw new Error("No valid 'type' passed in for alias.");
        }
        return createUrn(name, type, parent, project, stack);
    });
}

/** The base of all resources. */
/** Where in the program's source something happened: a `file://` URI, line and column (from 1). */
export interface SourcePosition {
    uri: string;
    line: number;
    column: number;
}

/** V8's limit on captured stack frames (not in the ES library types). */
const errorWithLimit = Error as unknown as { stackTraceLimit: number };

/** A frame's file as a `file://` URI: modules load from file URLs; paths are converted as Node's `pathToFileURL` does. */
function fileUri(file: string): string {
    if (file.startsWith("file://")) {
        return file;
    }
    return "file://" + encodeURI(file).replace(/\?/g, "%3F").replace(/#/g, "%23");
}

export abstract class Resource {
    /** @internal */
    readonly __pulumiResource = true;
    /** @internal */
    readonly __pulumiType: string;
    /** The stable logical URN of the resource. */
    declare readonly urn: Output<URN>;
    /** @internal */
    __name?: string;
    /** @internal */
    __parentResource?: Resource;
    /** @internal Resources whose parent this is. */
    __childResources?: Set<Resource>;
    /** @internal Aliases as URNs, inherited by children. */
    __aliases?: Input<URN>[];
    /** @internal Providers by package, inherited by children. */
    __providers: Record<string, ProviderResource>;
    /** @internal */
    __protect?: boolean;
    /** @internal The provider used for this resource's own package. */
    __prov?: ProviderResource;
    /** @internal */
    __version?: string;
    /** @internal */
    __pluginDownloadURL?: string;
    /** @internal Legacy transformations, applied to this resource and its children. */
    __transformations?: ResourceTransformation[];
    /** @internal Whether this is a component implemented by a provider. */
    __remote?: boolean;

    static isInstance(obj: unknown): obj is Resource {
        return hasBrand(obj, "__pulumiResource");
    }

    /**
     * Registers a resource of type `t` named `name`. `custom` resources are managed by a provider;
     * others are components that group their children.
     */
    constructor(
        t: string,
        name: string,
        custom: boolean,
        props: Inputs = {},
        opts: ResourceOptions = {},
        remote = false,
        dependency = false,
        packageRef?: Promise<string | undefined>,
    ) {
        this.__pulumiType = t;
        if (dependency) {
            this.__providers = {};
            return;
        }
        if (opts.parent && !Resource.isInstance(opts.parent)) {
            throw new Error(`Resource parent is not a valid Resource: ${opts.parent}`);
        }
        if (!t) {
            throw new ResourceError("Missing resource type argument", opts.parent);
        }
        if (!name) {
            throw new ResourceError("Missing resource name argument (for URN creation)", opts.parent);
        }

        const parent = opts.parent || getStackResource();
        this.__transformations = [...(opts.transformations || []), ...(parent?.__transformations || [])];
        for (const transformation of this.__transformations) {
            const tres = transformation({ resource: this, type: t, name, props, opts });
            if (tres) {
                if (tres.opts.parent !== opts.parent) {
                    throw new Error("Transformations cannot currently be used to change the `parent` of a resource.");
                }
                props = tres.props;
                opts = tres.opts;
            }
        }

        this.__name = name;
        // Assigned here rather than initialised, so own properties come in the Node.js SDK's order.
        this.__providers = {};
        // Filled in below; the caller's object stays untouched.
        opts = { ...opts };
        if (parent) {
            this.__parentResource = parent;
            parent.__childResources = parent.__childResources || new Set();
            parent.__childResources.add(this);
            if (opts.protect === undefined) {
                opts.protect = parent.__protect;
            }
            this.__providers = parent.__providers;
        }
        this.__providers = {
            ...this.__providers,
            ...convertToProvidersMap((opts as ComponentResourceOptions).providers),
            ...convertToProvidersMap(opts.provider ? [opts.provider] : {}),
        };

        const pkg = pkgFromType(t);
        if ((custom || remote) && opts.provider === undefined) {
            const parentProvider = parent?.getProvider(t);
            if (pkg && pkg in this.__providers) {
                opts.provider = this.__providers[pkg];
            } else if (parentProvider) {
                opts.provider = parentProvider;
            }
        }
        // A provider for another package is only passed on to children.
        if ((custom || remote) && opts.provider && pkg && pkg === opts.provider.getPackage()) {
            this.__prov = opts.provider;
        }

        this.__protect = opts.protect;
        this.__version = opts.version;
        this.__pluginDownloadURL = opts.pluginDownloadURL;
        this.__aliases = (opts.aliases || []).map((alias) => collapseAliasToUrn(alias, name, t, parent));

        // Where the program constructed this resource, as Pulumi's Node.js SDK finds it: the
        // stack below this constructor, less the frames of the resource class hierarchy
        // (Resource > Custom/Component resource > the concrete class), so that
        // `new aws.s3.Bucket(...)` is placed at the user's line.
        const stackTrace = Resource.stackTrace(4);
        const sourcePosition = stackTrace.length < 1 ? undefined : stackTrace[0];

        if (opts.urn) {
            // A resource that already exists in this deployment: its state comes from the engine.
            getResource(this, parent, props, custom, opts.urn);
        } else if (opts.id) {
            if (!custom) {
                throw new ResourceError("Cannot read an existing resource unless it has a custom provider", opts.parent);
            }
            readResource(this, parent, t, name, props, opts, packageRef, sourcePosition, stackTrace);
        } else {
            registerResource(this, parent, t, name, custom, remote, (urn) => new DependencyResource(urn), props, opts, packageRef, sourcePosition, stackTrace);
        }
    }

    /** The frames of the current stack with a file, line and column; others are `{}`. */
    static callsites(): { file?: string; line?: number; column?: number }[] {
        const stackTraceLimit = errorWithLimit.stackTraceLimit;
        try {
            errorWithLimit.stackTraceLimit = Number.POSITIVE_INFINITY;
            const stack = new Error().stack ?? "";
            return stack
                .split("\n")
                .slice(1)
                .map((frame) => {
                    const { file, line, column } = Resource.framePositionRegExp.exec(frame)?.groups || {};
                    // Unfold's own library is not the program's source, as `node:` modules are not under Node.
                    if (!file || !line || !column || file.startsWith("unfold:") || file.startsWith("node:")) {
                        return {};
                    }
                    const lineNum = parseInt(line, 10);
                    const colNum = parseInt(column, 10);
                    if (Number.isNaN(lineNum) || Number.isNaN(colNum)) {
                        return {};
                    }
                    return { file, line: lineNum, column: colNum };
                });
        } finally {
            errorWithLimit.stackTraceLimit = stackTraceLimit;
        }
    }

    /** The source positions of the stack, less the innermost `skip + 1` frames. */
    static stackTrace(skip: number): (SourcePosition | undefined)[] {
        let stack = Resource.callsites();
        if (stack.length < skip + 1) {
            return [];
        }
        stack = stack.slice(skip + 1);
        return stack.map(({ file, line, column }) => {
            if (!file || !line || !column) {
                return undefined;
            }
            return { uri: fileUri(file), line, column };
        });
    }

    /**
     * A stack frame's position: `at name (file:line:column)`, or `at file:line:column` for
     * code at a module's top level.
     */
    static framePositionRegExp = /^\s*at (?:.* \()?(?<file>[^()\s]+):(?<line>[0-9]+):(?<column>[0-9]+)\)?$/;

    /** The provider this resource would use for `moduleMember` ("pkg:module:member"). */
    getProvider(moduleMember: string): ProviderResource | undefined {
        const pkg = pkgFromType(moduleMember);
        return pkg === undefined ? undefined : this.__providers[pkg];
    }
}

function convertToProvidersMap(
    providers: Record<string, ProviderResource> | ProviderResource[] | undefined,
): Record<string, ProviderResource> {
    if (!providers) {
        return {};
    }
    if (!Array.isArray(providers)) {
        return providers;
    }
    const result: Record<string, ProviderResource> = {};
    for (const provider of providers) {
        result[provider.getPackage()] = provider;
    }
    return result;
}

/**
 * Stands for "no parent" in an {@link Alias}: `{ parent: rootStackResource }` names a resource that
 * used to have no parent. It is `undefined`; what matters is that the alias has the property.
 */
export const rootStackResource: Resource = undefined as unknown as Resource;

/** A previous identity of a resource; omitted fields default to the resource's current ones. */
export interface Alias {
    name?: Input<string>;
    type?: Input<string>;
    parent?: Resource | Input<URN>;
    stack?: Input<string>;
    project?: Input<string>;
}

/** Options that control how a resource is managed. */
export interface ResourceOptions {
    /** The ID of an existing resource to read instead of manage. */
    id?: Input<ID>;
    /** The parent of this resource; defaults to the stack. */
    parent?: Resource;
    /** Additional resources this one depends on. */
    dependsOn?: Input<Input<Resource>[]> | Input<Resource>;
    /** When true, the engine refuses to delete the resource. */
    protect?: boolean;
    /** Properties whose changes are ignored when diffing. */
    ignoreChanges?: string[];
    /** Properties whose changes force a replacement. */
    replaceOnChanges?: string[];
    /** Properties whose changes the CLI leaves out of diffs it displays. */
    hideDiffs?: string[];
    /** The exact provider plugin version to use. */
    version?: string;
    /** Previous identities of this resource. */
    aliases?: Input<URN | Alias>[];
    /** The provider to manage this resource with. */
    provider?: ProviderResource;
    /** How long operations on the resource may take. */
    customTimeouts?: CustomTimeouts;
    /** Legacy transformations, run in the program before registration. */
    transformations?: ResourceTransformation[];
    /** Transforms, run by the engine on this resource and its children. */
    transforms?: ResourceTransform[];
    /** Where to download the provider plugin from. */
    pluginDownloadURL?: string;
    /** When true, deleting the resource from the program only removes it from the state. */
    retainOnDelete?: boolean;
    /** Skip deleting this resource when that resource is deleted too. */
    deletedWith?: Resource;
    /** Replace this resource whenever one of these resources is replaced. */
    replaceWith?: Resource[];
    /** A value the engine compares with the last one recorded; a change replaces the resource. */
    replacementTrigger?: Input<any>;
    /** The URN of a resource already registered in this deployment, whose state to read from the engine. */
    urn?: URN;
    /** Hooks the engine runs around this resource's operations, and when one of them fails. */
    hooks?: ResourceHookBinding;
    /**
     * For a provider: environment variables it sees under other names. `{ MY_VAR: "PROVIDER_VAR" }`
     * sets PROVIDER_VAR, for the provider, to MY_VAR's value when MY_VAR is set.
     */
    envVarMappings?: Record<string, string>;
}

/** Durations such as "5m" or "1h30m". */
export interface CustomTimeouts {
    create?: string;
    update?: string;
    delete?: string;
    read?: string;
}

/** A legacy transformation: rewrites a resource's properties and options before registration. */
export type ResourceTransformation = (args: ResourceTransformationArgs) => ResourceTransformationResult | undefined;

/** A transform the engine calls with each resource before registering it. */
export type ResourceTransform = (
    args: ResourceTransformArgs,
) => Promise<ResourceTransformResult | undefined> | ResourceTransformResult | undefined;

export interface ResourceTransformArgs {
    custom: boolean;
    type: string;
    name: string;
    props: Inputs;
    opts: ResourceOptions;
}

export interface ResourceTransformResult {
    props: Inputs;
    opts: ResourceOptions;
}

// ---- Resource hooks ----

/** Options of a {@link ResourceHook}. */
export interface ResourceHookOptions {
    /** Run the hook during previews too. Defaults to false. */
    onDryRun?: boolean;
    /** Report the hook's errors as warnings instead of failing the operation. */
    ignoreErrors?: boolean;
}

/** What a resource hook is told of the resource; which inputs and outputs are set depends on the hook. */
export interface ResourceHookArgs {
    urn: URN;
    id: ID;
    name: string;
    type: string;
    newInputs?: Record<string, any>;
    oldInputs?: Record<string, any>;
    newOutputs?: Record<string, any>;
    oldOutputs?: Record<string, any>;
}

export type ResourceHookFunction = (args: ResourceHookArgs) => void | Promise<void>;

/** A named function the engine calls before or after a resource's create, update or delete. */
export class ResourceHook {
    /** @internal */
    readonly __pulumiResourceHook = true;
    /** @internal Settles once the engine knows the hook. */
    readonly __registered: Promise<void>;

    name: string;
    callback: ResourceHookFunction;
    opts?: ResourceHookOptions;

    constructor(name: string, callback: ResourceHookFunction, opts?: ResourceHookOptions) {
        this.name = name;
        this.callback = callback;
        this.opts = opts;
        this.__registered = registerResourceHook(this);
    }

    static isInstance(obj: any): obj is ResourceHook {
        return hasBrand(obj, "__pulumiResourceHook");
    }
}

/** What an error hook is told of the failed operation. */
export interface ErrorHookArgs {
    urn: URN;
    id: ID;
    name: string;
    type: string;
    newInputs?: Record<string, any>;
    oldInputs?: Record<string, any>;
    oldOutputs?: Record<string, any>;
    /** `create`, `update` or `delete`. */
    failedOperation: string;
    /** The errors so far, newest first. */
    errors: string[];
}

/** Answers whether to retry the failed operation. */
export type ErrorHookFunction = (args: ErrorHookArgs) => boolean | Promise<boolean>;

/** A named function the engine calls when an operation on a resource fails. */
export class ErrorHook {
    /** @internal */
    readonly __pulumiErrorHook = true;
    /** @internal Settles once the engine knows the hook. */
    readonly __registered: Promise<void>;

    name: string;
    callback: ErrorHookFunction;

    constructor(name: string, callback: ErrorHookFunction) {
        this.name = name;
        this.callback = callback;
        this.__registered = registerErrorHook(this);
    }

    static isInstance(obj: any): obj is ErrorHook {
        return hasBrand(obj, "__pulumiErrorHook");
    }
}

/** The hooks bound to a resource. A plain function is registered as a hook of its own. */
export interface ResourceHookBinding {
    beforeCreate?: Array<ResourceHookFunction | ResourceHook>;
    afterCreate?: Array<ResourceHookFunction | ResourceHook>;
    beforeUpdate?: Array<ResourceHookFunction | ResourceHook>;
    afterUpdate?: Array<ResourceHookFunction | ResourceHook>;
    beforeDelete?: Array<ResourceHook>;
    afterDelete?: Array<ResourceHook>;
    onError?: Array<ErrorHook>;
}

export interface ResourceTransformationArgs {
    resource: Resource;
    type: string;
    name: string;
    props: Inputs;
    opts: ResourceOptions;
}

export interface ResourceTransformationResult {
    props: Inputs;
    opts: ResourceOptions;
}

/** Options for custom resources. */
export interface CustomResourceOptions extends ResourceOptions {
    /** Delete the old resource before creating its replacement. */
    deleteBeforeReplace?: boolean;
    /** Output properties to treat as secrets. */
    additionalSecretOutputs?: string[];
    /** Adopt the existing resource with this ID. */
    import?: ID;
}

/** Options for component resources. */
export interface ComponentResourceOptions extends ResourceOptions {
    /** Providers for the children of this component, by package. */
    providers?: Record<string, ProviderResource> | ProviderResource[];
}

/** A resource managed by a provider; it has an ID. */
export abstract class CustomResource extends Resource {
    /** @internal */
    readonly __pulumiCustomResource = true;
    /** The provider-assigned ID; unknown during preview until the resource exists. */
    declare readonly id: Output<ID>;

    static override isInstance(obj: unknown): obj is CustomResource {
        return hasBrand(obj, "__pulumiCustomResource");
    }

    constructor(
        t: string,
        name: string,
        props?: Inputs,
        opts: CustomResourceOptions = {},
        dependency = false,
        packageRef?: Promise<string | undefined>,
    ) {
        if ((opts as ComponentResourceOptions).providers) {
            throw new ResourceError(
                "Do not supply 'providers' option to a CustomResource. Did you mean 'provider' instead?",
                opts.parent,
            );
        }
        super(t, name, true, props, opts, false, dependency, packageRef);
    }
}

/** A provider configured by the program, for resources that name it in `provider`. */
export abstract class ProviderResource extends CustomResource {
    private readonly pkg: string;
    /** @internal "<urn>::<id>", once known. */
    __registrationId?: string;

    /** The reference the engine expects for `provider`: "<urn>::<id>". */
    static async register(provider: ProviderResource | undefined): Promise<string | undefined> {
        if (provider === undefined) {
            return undefined;
        }
        if (!provider.__registrationId) {
            const providerURN = await partsOf(provider.urn).promise();
            const providerID = (await partsOf(provider.id).promise()) || unknownValue;
            provider.__registrationId = `${providerURN}::${providerID}`;
        }
        return provider.__registrationId;
    }

    constructor(
        pkg: string,
        name: string,
        props?: Inputs,
        opts: ResourceOptions = {},
        dependency = false,
        packageRef?: Promise<string | undefined>,
    ) {
        super(`pulumi:providers:${pkg}`, name, props, opts, dependency, packageRef);
        this.pkg = pkg;
    }

    /** The package this provider serves. */
    getPackage(): string {
        return this.pkg;
    }
}

/** A resource that groups other resources, its children. */
export class ComponentResource<TData = any> extends Resource {
    /** @internal */
    readonly __pulumiComponentResource = true;
    /** @internal Settles when the component has initialized. */
    declare __data: Promise<TData>;
    /** @internal */
    private __registered = false;

    static override isInstance(obj: unknown): obj is ComponentResource {
        return hasBrand(obj, "__pulumiComponentResource");
    }

    constructor(
        type: string,
        name: string,
        args: Inputs = {},
        opts: ComponentResourceOptions = {},
        remote = false,
        packageRef?: Promise<string | undefined>,
    ) {
        super(type, name, false, args, opts, remote, false, packageRef);
        this.__remote = remote;
        // A remote component registers its own outputs; one read by URN has them already.
        this.__registered = remote || !!opts?.urn;
        this.__data = remote || opts?.urn ? Promise.resolve({} as TData) : this.initializeAndRegisterOutputs(args, opts, name, type);
    }

    /** @internal */
    private async initializeAndRegisterOutputs(args: Inputs, opts: ComponentResourceOptions, name: string, type: string): Promise<TData> {
        const data = await this.initialize(args, opts, name, type);
        this.registerOutputs();
        return data;
    }

    /**
     * Override to create the children asynchronously; the result is available through
     * {@link getData}. Outputs are registered when it completes, unless `registerOutputs` was called.
     */
    protected async initialize(_args: Inputs, _opts?: ComponentResourceOptions, _name?: string, _type?: string): Promise<TData> {
        return undefined as TData;
    }

    /** The result of {@link initialize}. */
    protected getData(): Promise<TData> {
        return this.__data;
    }

    /** Registers the component's outputs with the engine; only the first call counts. */
    protected registerOutputs(outputs?: Inputs | Promise<Inputs> | Output<Inputs>): void {
        if (this.__registered) {
            return;
        }
        this.__registered = true;
        registerResourceOutputs(this, outputs || {});
    }
}

/** Combines two option bags: arrays concatenate, other values from `opts2` win. */
export function mergeOptions(opts1: CustomResourceOptions | undefined, opts2: CustomResourceOptions | undefined): CustomResourceOptions;
export function mergeOptions(opts1: ComponentResourceOptions | undefined, opts2: ComponentResourceOptions | undefined): ComponentResourceOptions;
export function mergeOptions(opts1: ResourceOptions | undefined, opts2: ResourceOptions | undefined): ResourceOptions;
export function mergeOptions(opts1: ResourceOptions | undefined, opts2: ResourceOptions | undefined): ResourceOptions {
    const dest: any = { ...opts1 };
    const source: any = { ...opts2 };
    expandProviders(dest);
    expandProviders(source);
    for (const key of Object.keys(source)) {
        // dependsOn always becomes an array so it can be extended later.
        dest[key] = merge(dest[key], source[key], key === "dependsOn");
    }
    normalizeProviders(dest);
    return dest;
}

/** @internal Turns a `providers` map into an array, warning about mismatched keys. */
export function expandProviders(options: ComponentResourceOptions): void {
    if (options.providers && !Array.isArray(options.providers)) {
        for (const k of Object.keys(options.providers)) {
            const v = options.providers[k];
            if (k !== v.getPackage()) {
                log.warn(`provider resource map where key ${k} doesn't match provider ${v.getPackage()}`);
            }
        }
        options.providers = Object.values(options.providers);
    }
}

function normalizeProviders(opts: ComponentResourceOptions): void {
    const providers = opts.providers as ProviderResource[] | undefined;
    if (providers) {
        if (providers.length === 0) {
            opts.providers = undefined;
        } else {
            const map: Record<string, ProviderResource> = {};
            for (const res of providers) {
                map[res.getPackage()] = res;
            }
            opts.providers = map;
        }
    }
}

function isPromiseOrOutput(val: unknown): boolean {
    return val instanceof Promise || hasBrand(val, "__pulumiOutput");
}

/** @internal */
export function merge(dest: any, source: any, alwaysCreateArray: boolean): any {
    if (isPromiseOrOutput(dest)) {
        return output(dest).apply((d) => merge(d, source, alwaysCreateArray));
    }
    if (isPromiseOrOutput(source)) {
        return output(source).apply((s) => merge(dest, s, alwaysCreateArray));
    }
    if (alwaysCreateArray || Array.isArray(dest) || Array.isArray(source)) {
        const result: any[] = [];
        addToArray(result, dest);
        addToArray(result, source);
        return result;
    }
    return source;
}

function addToArray(resultArray: any[], value: any): void {
    if (Array.isArray(value)) {
        resultArray.push(...value);
    } else if (value !== undefined && value !== null) {
        resultArray.push(value);
    }
}

function knownOutput(res: Resource, value: string): Output<string> {
    return makeOutput(res, Promise.resolve(value), Promise.resolve(true), Promise.resolve(false), Promise.resolve([]));
}

/** A resource known only by its URN, standing for it in dependency lists. */
export class DependencyResource extends CustomResource {
    constructor(urn: URN) {
        super("", "", {}, {}, true);
        (this as { urn: Output<URN> }).urn = knownOutput(this, urn);
    }
}

/** A provider known only by its reference "<urn>::<id>". */
export class DependencyProviderResource extends ProviderResource {
    constructor(ref: string) {
        const [urn, id] = parseResourceReference(ref);
        const type = urn.split("::")[2].split("$").pop()!;
        const typeParts = type.split(":");
        super(typeParts.length > 2 ? typeParts[2] : "", "", {}, {}, true);
        (this as { urn: Output<URN> }).urn = knownOutput(this, urn);
        (this as { id: Output<ID> }).id = knownOutput(this, id);
    }
}

/** @internal Splits a provider reference into URN and ID. */
export function parseResourceReference(ref: string): [string, string] {
    const lastSep = ref.lastIndexOf("::");
    if (lastSep === -1) {
        throw new Error(`expected '::' in provider reference ${ref}`);
    }
    return [ref.slice(0, lastSep), ref.slice(lastSep + 2)];
}

/** @internal The package of a "pkg:module:member" token. */
export function pkgFromType(type: string): string | undefined {
    const parts = type.split(":");
    return parts.length === 3 ? parts[0] : undefined;
}

/** The type token of a resource. */
export function resourceType(res: Resource): string {
    return res.__pulumiType;
}

/** The name a resource was registered with. */
export function resourceName(res: Resource): string {
    if (res.__name === undefined) {
        throw new ResourceError("Resource name is not available, this resource instance must have been constructed by an old SDK", res);
    }
    return res.__name;
}

// Resources exist only at deployment: a serialized function that reaches one of these classes (or
// the component methods) gets `undefined` in its place, as under the Node.js SDK.
for (const cls of [Resource, CustomResource, ComponentResource]) {
    (cls as unknown as { doNotCapture: boolean }).doNotCapture = true;
}
for (const method of ["registerOutputs", "initialize", "initializeAndRegisterOutputs"]) {
    ((ComponentResource.prototype as any)[method] as { doNotCapture: boolean }).doNotCapture = true;
}
