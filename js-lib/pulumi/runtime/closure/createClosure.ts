// The graph of values a function needs at run time: its code, the values it captured, and
// everything those reach (prototype chains, property descriptors, other functions), as Pulumi's
// Node.js SDK computes it, so that the emitted module behaves as the original function did.
// Modules are kept as `require("name")`; Outputs become their value, read with `.get()`.

import { node } from "./node.ts";
import { builtinModules, createRequire, findModuleFilename } from "../../../node/module.ts";
import { ResourceError } from "../../errors.ts";
import { Output } from "../../output.ts";
import type { Resource } from "../../resource.ts";
import { moduleNameFromPath } from "./package.ts";
import { isLegalMemberName } from "./utils.ts";
import * as v8 from "./v8.ts";

/** What a captured value becomes in the emitted code; exactly one member is set. */
export interface Entry {
    json?: unknown;
    expr?: string;
    regexp?: RegExp;
    function?: FunctionInfo;
    module?: string;
    object?: ObjectInfo;
    array?: Entry[];
    output?: Entry;
    promise?: Entry;
}

export interface PropertyInfo {
    hasValue: boolean;
    configurable?: boolean;
    enumerable?: boolean;
    writable?: boolean;
    get?: Entry;
    set?: Entry;
}

export interface PropertyEntry {
    info?: PropertyInfo;
    entry: Entry;
}

/** Properties, keyed by the entry of their name; `undefined` while being computed (a cycle). */
export type PropertyMap = Map<Entry, PropertyEntry | undefined>;

export interface ObjectInfo {
    env: PropertyMap;
    proto?: Entry;
}

export interface FunctionInfo extends ObjectInfo {
    code: string;
    /** Captured variables, keyed by the entry of their name. */
    capturedValues: Map<Entry, { entry: Entry }>;
    usesNonLexicalThis: boolean;
    name: string | undefined;
    paramCount: number;
}

export interface ClosureInfo {
    func: FunctionInfo;
    containsSecrets: boolean;
}

interface FunctionLocation {
    func: Function;
    file: string;
    line: number;
    column: number;
    functionString: string;
    isArrowFunction: boolean;
}

/** One step of the path from the serialized function to a value, for error messages. */
interface Frame {
    functionLocation?: FunctionLocation;
    capturedFunctionName?: string;
    capturedVariableName?: string;
    capturedModule?: { name: string; value: unknown };
}

interface Context {
    cache: Map<unknown, Entry>;
    classInstanceMemberToSuperEntry: Map<Function, Entry>;
    classStaticMemberToSuperEntry: Map<Function, Entry>;
    frames: Frame[];
    logResource: Resource | undefined;
    containsSecrets: boolean;
    serialize: (o: unknown) => boolean;
}

/**
 * A captured Output as the cloud function sees it: its value, read with `get()`. The emitted code
 * recreates it from this class's own text, so it must stay plain.
 */
class SerializedOutput<T> {
    constructor(value: T) {
        (this as any).value = value;
    }

    apply(_func: unknown): never {
        throw new Error(
            "'apply' is not allowed from inside a cloud-callback. Use 'get' to retrieve the value of this Output directly.",
        );
    }

    get(): T {
        return (this as any).value;
    }
}

/** Names that mean one thing at deployment and another where the function runs: never captured. */
const nodeModuleGlobals = new Set(["__dirname", "__filename", "require"]);

export async function createClosureInfo(
    func: Function,
    serialize: (o: unknown) => boolean,
    logResource: Resource | undefined,
): Promise<ClosureInfo> {
    const context: Context = {
        cache: new Map(),
        classInstanceMemberToSuperEntry: new Map(),
        classStaticMemberToSuperEntry: new Map(),
        frames: [],
        logResource,
        containsSecrets: false,
        serialize,
    };
    addWellKnownGlobals(context);
    const entry: Entry = {};
    context.cache.set(func, entry);
    entry.function = await analyzeFunction(func, context);
    return { func: entry.function, containsSecrets: context.containsSecrets };
}

/**
 * Values every JavaScript environment already has are referred to, never serialized: `Object`,
 * `Array.prototype`, `Math.max`, the prototypes of generators.
 */
function addWellKnownGlobals(context: Context): void {
    const seen = new Set<unknown>();
    const add = (value: unknown, expr: string, recurse: boolean): void => {
        if (value === undefined || value === null || seen.has(value)) {
            return;
        }
        seen.add(value);
        context.cache.set(value, { expr });
        if (!recurse) {
            return;
        }
        for (const name of Object.getOwnPropertyNames(value)) {
            const desc = Object.getOwnPropertyDescriptor(value, name);
            if (typeof desc?.value === "function") {
                add(desc.value, `${expr}.${name}`, true);
            }
        }
    };
    const addGlobal = (key: string): void => {
        let value: any;
        try {
            value = (globalThis as any)[key];
        } catch {
            return;
        }
        const text = isLegalMemberName(key) ? `global.${key}` : `global["${key}"]`;
        if (value !== undefined && value !== null) {
            add(value, text, true);
            add(Object.getPrototypeOf(value), `Object.getPrototypeOf(${text})`, true);
            add(value.prototype, `${text}.prototype`, true);
        }
    };
    // First, so that these are preferred to the other paths that reach them.
    for (const key of ["Object", "Function", "Array", "Number", "String"]) {
        addGlobal(key);
    }
    for (let current: object | null = globalThis; current; current = Object.getPrototypeOf(current)) {
        for (const key of Object.getOwnPropertyNames(current)) {
            if (key !== "GLOBAL" && key !== "root" && key !== "localStorage") {
                addGlobal(key);
            }
        }
    }
    const generator = function* () {};
    add(Object.getPrototypeOf(generator), "Object.getPrototypeOf(function*(){})", false);
    add(Object.getPrototypeOf(generator.prototype), "Object.getPrototypeOf((function*(){}).prototype)", false);
    const asyncGenerator = async function* () {};
    add(Object.getPrototypeOf(asyncGenerator), "Object.getPrototypeOf(async function*(){})", false);
    add(
        Object.getPrototypeOf(asyncGenerator.prototype),
        "Object.getPrototypeOf((async function*(){}).prototype)",
        false,
    );
    add(Symbol.iterator, "Symbol.iterator", false);
}

function isBuiltIn(name: string): boolean {
    if (name === "__awaiter" || name === "__rest" || name === "crypto") {
        return false;
    }
    return Object.prototype.hasOwnProperty.call(globalThis, name) || nodeModuleGlobals.has(name);
}

async function analyzeFunction(func: Function, context: Context): Promise<FunctionInfo> {
    const { file, line, column } = v8.functionLocation(func);
    let functionString = func.toString();
    const frame: Frame = {
        functionLocation: { func, file, line, column, functionString, isArrowFunction: false },
    };
    context.frames.push(frame);
    const result = await analyze();
    context.frames.pop();
    return result;

    async function analyze(): Promise<FunctionInfo> {
        const funcEntry = context.cache.get(func)!;
        const capturedValues = new Map<Entry, { entry: Entry }>();
        // Whose scopes hold the captured variables: a bound function has none of its own.
        let scopesOf = func;

        // A bound function's text is "[native code]": serialize its target, rebound to the
        // captured `this` and arguments.
        if (functionString.includes("[native code]")) {
            let bound: ReturnType<typeof v8.boundFunction> | undefined;
            try {
                bound = v8.boundFunction(func);
            } catch {
                bound = undefined;
            }
            if (bound !== undefined) {
                scopesOf = bound.target;
                const argNames = bound.boundArgs.map((_, i) => `__pulumi_bound_arg_${i}`);
                const argsText = argNames.length > 0 ? `, ${argNames.join(", ")}` : "";
                functionString =
                    `function (...args) {\n` +
                    `  return (\n${bound.target.toString()}\n  ).bind(__pulumi_bound_this${argsText})(...args);\n` +
                    `}`;
                capturedValues.set(await entryFor("__pulumi_bound_this", context), {
                    entry: await entryFor(bound.boundThis, context),
                });
                for (const [i, arg] of bound.boundArgs.entries()) {
                    capturedValues.set(await entryFor(argNames[i], context), { entry: await entryFor(arg, context) });
                }
            }
        }

        const parsed = v8.parseFunctionText(functionString);
        if ("error" in parsed) {
            throwSerializationError(func, context, parsed.error);
        }
        frame.functionLocation!.isArrowFunction = parsed.isArrowFunction;
        // The bound `this` and arguments were captured above.
        const isCapture = (name: string) => !isBuiltIn(name) && !name.startsWith("__pulumi_bound_");
        const required = parsed.required.filter(isCapture);
        const optional = parsed.optional.filter(isCapture);
        if (required.length + optional.length > 0) {
            let scopes: v8.Scope[];
            try {
                scopes = v8.capturedScopes(scopesOf);
            } catch (err) {
                throwSerializationError(func, context, (err as Error).message);
            }
            await captureVariables(scopes, required, true);
            await captureVariables(scopes, optional, false);
        }

        const withName = parsed.funcExprWithName ?? parsed.funcExprWithoutName;
        const info: FunctionInfo = {
            code: parsed.funcExprWithoutName,
            capturedValues,
            env: new Map(),
            usesNonLexicalThis: parsed.usesNonLexicalThis,
            name: parsed.functionDeclarationName ?? undefined,
            paramCount: func.length,
        };

        // A function whose prototype is not Function.prototype (a derived class, or one given a
        // prototype explicitly) keeps it.
        const proto = Object.getPrototypeOf(func);
        if (proto !== Function.prototype && !isAsyncFunction(func) && !isDerivedNoCaptureConstructor(func)) {
            const protoEntry = await entryFor(proto, context);
            info.proto = protoEntry;
            if (functionString.startsWith("class ")) {
                // A derived class: its constructor and members refer to the base through `super`.
                mapMembersToSuper(func, protoEntry);
                info.code = rewriteSuper(withName, false);
            }
        }

        for (const descriptor of ownPropertyDescriptors(func)) {
            if (descriptor.key === "length" || descriptor.key === "name") {
                continue;
            }
            const value = ownPropertyValue(func, descriptor);
            if (descriptor.key === "prototype" && isDefaultFunctionPrototype(func, value)) {
                continue;
            }
            const keyEntry = await entryFor(descriptor.key, context);
            const valueEntry = await entryFor(value, context);
            info.env.set(keyEntry, { info: await propertyInfo(descriptor, context), entry: valueEntry });
        }

        const superEntry =
            context.classInstanceMemberToSuperEntry.get(func) ?? context.classStaticMemberToSuperEntry.get(func);
        if (superEntry !== undefined) {
            capturedValues.set(await entryFor("__super", context), { entry: superEntry });
            info.code = rewriteSuper(withName, context.classStaticMemberToSuperEntry.has(func));
        }

        // A named function calls itself through its name: bind the name to the serialized function.
        if (info.name !== undefined) {
            capturedValues.set(await entryFor(info.name, context), { entry: funcEntry });
        }
        return info;

        async function captureVariables(scopes: v8.Scope[], names: string[], throwOnFailure: boolean) {
            for (const name of names) {
                const { found, value } = v8.lookupCapturedVariable(scopes, name);
                if (!found) {
                    if (throwOnFailure) {
                        throwSerializationError(func, context, `Unexpected missing variable in closure environment: ${name}`);
                    }
                    continue;
                }
                const moduleName = findNormalizedModuleName(value);
                const depth = context.frames.length;
                if (moduleName !== undefined) {
                    context.frames.push({ capturedModule: { name: moduleName, value } });
                } else if (value instanceof Function) {
                    // A function captured under another name is an indirect reference: say which.
                    if (name !== value.name) {
                        context.frames.push({ capturedFunctionName: name });
                    }
                } else {
                    context.frames.push({ capturedVariableName: name });
                }
                capturedValues.set(await entryFor(name, context), { entry: await entryFor(value, context) });
                context.frames.length = depth;
            }
        }
    }

    function mapMembersToSuper(cls: Function, protoEntry: Entry): void {
        context.classInstanceMemberToSuperEntry.set(cls, protoEntry);
        for (const descriptor of ownPropertyDescriptors(cls)) {
            if (descriptor.key !== "length" && descriptor.key !== "name" && descriptor.key !== "prototype") {
                const member = ownPropertyValue(cls, descriptor);
                if (member instanceof Function) {
                    context.classStaticMemberToSuperEntry.set(member, protoEntry);
                }
            }
        }
        for (const descriptor of ownPropertyDescriptors(cls.prototype)) {
            const member = ownPropertyValue(cls.prototype, descriptor);
            if (member instanceof Function) {
                context.classInstanceMemberToSuperEntry.set(member, protoEntry);
            }
        }
    }
}

/** `super` calls and member accesses rewritten to go through the captured `__super`. */
function rewriteSuper(code: string, isStatic: boolean): string {
    return v8.rewriteSuperReferences(code, isStatic);
}

function isAsyncFunction(func: Function): boolean {
    const name = func.constructor?.name;
    return name === "AsyncFunction" || name === "AsyncGeneratorFunction";
}

function hasTrueBooleanMember(obj: unknown, member: string): boolean {
    if (obj === undefined || obj === null || (typeof obj !== "object" && typeof obj !== "function")) {
        return false;
    }
    try {
        return (obj as any)[member] === true;
    } catch {
        return false;
    }
}

/** A constructor deriving from one marked `doNotCapture`: its `super()` could not be emitted. */
function isDerivedNoCaptureConstructor(func: Function): boolean {
    for (let current: any = func; current; current = Object.getPrototypeOf(current)) {
        if (hasTrueBooleanMember(current, "doNotCapture")) {
            return true;
        }
    }
    return false;
}

function isDefaultFunctionPrototype(func: Function, prototype: any): boolean {
    if (prototype && prototype.constructor === func) {
        const descriptors = ownPropertyDescriptors(prototype);
        return descriptors.length === 1 && descriptors[0].key === "constructor";
    }
    return false;
}

interface Descriptor extends PropertyDescriptor {
    key: string | symbol;
}

function ownPropertyDescriptors(obj: object): Descriptor[] {
    const result: Descriptor[] = [];
    for (const key of [...Object.getOwnPropertyNames(obj), ...Object.getOwnPropertySymbols(obj)]) {
        if (key === "__proto__") {
            continue;
        }
        const descriptor = Object.getOwnPropertyDescriptor(obj, key)!;
        result.push({ ...descriptor, key });
    }
    return result;
}

function ownPropertyValue(obj: any, descriptor: Descriptor): unknown {
    return descriptor.get || descriptor.set ? undefined : obj[descriptor.key];
}

async function propertyInfo(descriptor: PropertyDescriptor, context: Context): Promise<PropertyInfo> {
    const info: PropertyInfo = {
        hasValue: descriptor.value !== undefined,
        configurable: descriptor.configurable,
        enumerable: descriptor.enumerable,
        writable: descriptor.writable,
    };
    if (descriptor.get) {
        info.get = await entryFor(descriptor.get, context);
    }
    if (descriptor.set) {
        info.set = await entryFor(descriptor.set, context);
    }
    return info;
}

function trimmedFunctionCode(func: Function): string {
    let lines = func.toString().split(/\r?\n/);
    if (lines.length > 5) {
        lines = [...lines.slice(0, 5), "..."];
    }
    return "Function code:\n" + lines.map((l) => "  " + l + "\n").join("");
}

/** The entry for `value`, computing (and caching) it on first sight. */
async function entryFor(value: unknown, context: Context): Promise<Entry> {
    // Before the cache: Map keys cannot tell 0 from -0, and these have no JSON form.
    if (typeof value === "number") {
        if (Object.is(value, -0)) {
            return { expr: "-0" };
        }
        if (Number.isNaN(value)) {
            return { expr: "NaN" };
        }
        if (value === Infinity) {
            return { expr: "Infinity" };
        }
        if (value === -Infinity) {
            return { expr: "-Infinity" };
        }
        return { json: value };
    }
    const cached = context.cache.get(value);
    if (cached !== undefined) {
        return cached;
    }
    let obj: any = value;
    if (obj instanceof Function && hasTrueBooleanMember(obj, "doNotCapture")) {
        // Deployment-time only: the function throws, explaining why, if called at run time.
        const message =
            `Function '${obj.name || "anonymous"}' cannot be called at runtime. ` +
            `It can only be used at deployment time.\n\n${trimmedFunctionCode(obj)}`;
        obj = () => {
            throw new Error(message);
        };
    }
    if (obj instanceof Function && typeof (obj as any).captureReplacement === "function") {
        const replacement = (obj as any).captureReplacement();
        if (!(replacement instanceof Function)) {
            throw new Error("captureReplacement must return a function");
        }
        obj = replacement;
    }
    // Placed before recursing, so a cycle finds it.
    const entry: Entry = {};
    context.cache.set(obj, entry);
    await fill(entry, obj, context);
    return entry;
}

async function fill(entry: Entry, obj: any, context: Context): Promise<void> {
    if (
        !context.serialize(obj) ||
        hasTrueBooleanMember(obj, "doNotCapture") ||
        (obj instanceof Function && isDerivedNoCaptureConstructor(obj))
    ) {
        entry.json = undefined;
        return;
    }
    const type = typeof obj;
    if (obj === undefined || obj === null || type === "boolean" || type === "string") {
        entry.json = obj;
        return;
    }
    if (type === "bigint") {
        entry.expr = `${obj}n`;
        return;
    }
    if (type === "symbol") {
        const key = Symbol.keyFor(obj);
        if (key === undefined) {
            throwSerializationError(undefined, context, `the symbol ${String(obj)} is not a registered symbol (Symbol.for) and cannot be recreated.`);
        }
        entry.expr = `Symbol.for(${JSON.stringify(key)})`;
        return;
    }
    if (obj instanceof RegExp) {
        entry.regexp = obj;
        return;
    }
    // Outputs are proxies: ask before anything else looks at their members.
    if (Output.isInstance(obj)) {
        if (await (obj as any).isSecret) {
            context.containsSecrets = true;
        }
        entry.output = await outputEntry(obj, context);
        return;
    }
    const moduleName = findNormalizedModuleName(obj);
    if (moduleName !== undefined) {
        await captureModule(entry, obj, moduleName, context);
    } else if (obj instanceof Function) {
        entry.function = await analyzeFunction(obj, context);
    } else if (obj instanceof Promise) {
        entry.promise = await entryFor(await obj, context);
    } else if (Array.isArray(obj)) {
        // Own names, so that sparse arrays stay sparse.
        const array: Entry[] = [];
        entry.array = array;
        for (const descriptor of ownPropertyDescriptors(obj)) {
            if (typeof descriptor.key === "string" && descriptor.key !== "length") {
                (array as any)[descriptor.key] = await entryFor(ownPropertyValue(obj, descriptor), context);
            }
        }
    } else if (Object.prototype.toString.call(obj) === "[object Arguments]") {
        const array: Entry[] = [];
        entry.array = array;
        for (const element of obj) {
            array.push(await entryFor(element, context));
        }
    } else {
        await serializeObject(entry, obj, context);
    }
}

/** Every own property of `obj`, and its prototype when that is not Object.prototype. */
async function serializeObject(entry: Entry, obj: any, context: Context): Promise<void> {
    const object: ObjectInfo = entry.object ?? { env: new Map() };
    entry.object = object;
    for (const descriptor of ownPropertyDescriptors(obj)) {
        const keyEntry = await entryFor(descriptor.key, context);
        // A property being computed further up (a self-reference): already handled there.
        if (object.env.has(keyEntry) && object.env.get(keyEntry) === undefined) {
            continue;
        }
        object.env.set(keyEntry, undefined);
        const info = await propertyInfo(descriptor, context);
        const valueEntry = await entryFor(ownPropertyValue(obj, descriptor), context);
        object.env.set(keyEntry, { info, entry: valueEntry });
    }
    if (object.proto === undefined) {
        const proto = Object.getPrototypeOf(obj);
        if (proto !== Object.prototype) {
            object.proto = await entryFor(proto, context);
        }
    }
}

/** An Output becomes a SerializedOutput holding the Entry of its value. */
async function outputEntry(output: any, context: Context): Promise<Entry> {
    const valueEntry = await entryFor(await output.promise(), context);
    const holder: Entry = {};
    context.cache.set({}, holder);
    holder.object = {
        env: new Map([[await entryFor("value", context), { entry: valueEntry }]]),
        proto: await entryFor(SerializedOutput.prototype, context),
    };
    return holder;
}

async function captureModule(entry: Entry, obj: unknown, name: string, context: Context): Promise<void> {
    const parts = name.split("/");
    // pnpm keeps packages at node_modules/.pnpm/<pkg>@<version>/node_modules/<pkg>: the name
    // follows the last node_modules there, the first one elsewhere.
    const index = parts.includes(".pnpm") ? parts.lastIndexOf("node_modules") : parts.indexOf("node_modules");
    const inNodeModules = index >= 0;
    const isLocal = name.startsWith(".") && !inNodeModules;
    if (hasTrueBooleanMember(obj, "deploymentOnlyModule") || isLocal) {
        // The program's own modules (and deployment-only ones) cannot be required where the
        // function runs: their values are serialized instead.
        await serializeObject(entry, obj, context);
    } else {
        entry.module = inNodeModules ? moduleNameFromPath(parts.slice(index + 1).join("/")) : name;
    }
}

let builtinModulesByValue: Map<unknown, string> | undefined;

function builtins(): Map<unknown, string> {
    if (builtinModulesByValue === undefined) {
        builtinModulesByValue = new Map();
        const require = createRequire("/");
        for (const name of builtinModules) {
            try {
                builtinModulesByValue.set(require(name), name);
            } catch {
                // A built-in that cannot load cannot have been captured either.
            }
        }
    }
    return builtinModulesByValue;
}

function isModuleNamespace(obj: unknown): obj is { default: unknown } {
    return (
        obj !== null &&
        typeof obj === "object" &&
        (obj as any)[Symbol.toStringTag] === "Module" &&
        Object.getPrototypeOf(obj) === null &&
        "default" in (obj as object)
    );
}

/** TypeScript's `__importStar` wrapper: `default` is the module, every other property one of its exports. */
function isImportStarResult(obj: any): boolean {
    if (obj == null || typeof obj !== "object" || !("default" in obj)) {
        return false;
    }
    if (Object.getPrototypeOf(obj) !== Object.prototype || obj.default == null) {
        return false;
    }
    let reExports = false;
    for (const key of Object.getOwnPropertyNames(obj)) {
        if (key === "default" || key === "__esModule") {
            continue;
        }
        if (!(key in obj.default)) {
            return false;
        }
        reExports = true;
    }
    return reExports;
}

/**
 * The name a module value is required by: a built-in's own name, or the path of a loaded CommonJS
 * module relative to the working directory (`./node_modules/pkg/index.js`). `import * as m` gives
 * a module namespace whose `default` is what `require` returns.
 */
function findNormalizedModuleName(obj: unknown): string | undefined {
    if (obj === null || (typeof obj !== "object" && typeof obj !== "function")) {
        return undefined;
    }
    const target = isModuleNamespace(obj) || isImportStarResult(obj) ? (obj as any).default : obj;
    const builtin = builtins().get(target);
    if (builtin !== undefined) {
        return builtin;
    }
    const filename = findModuleFilename(target);
    if (filename !== undefined) {
        return "./" + node().path.relative(node().process.cwd(), filename);
    }
    return undefined;
}

function functionName(loc: FunctionLocation): string {
    if (loc.isArrowFunction) {
        let text = loc.functionString;
        const semicolon = text.indexOf(";");
        if (semicolon >= 0) {
            text = text.slice(0, semicolon + 1) + " ...";
        }
        text = text.replace(/\s\s+/g, " ");
        if (text.length > 40) {
            text = text.substring(0, 40 - " ...".length) + " ...";
        }
        return text;
    }
    return loc.func.name || "<anonymous>";
}

function describeLocation(loc: FunctionLocation): string {
    let name = `'${functionName(loc)}'`;
    if (loc.file) {
        name += `: ${node().path.basename(loc.file)}(${loc.line + 1},${loc.column})`;
    }
    return (loc.isArrowFunction ? "" : "function ") + name;
}

/** Fails with the path from the serialized function to what could not be serialized. */
function throwSerializationError(func: Function | undefined, context: Context, info: string): never {
    const frames = context.frames;
    let message = `Error serializing ${describeLocation(frames[0].functionLocation!)}\n\n`;
    let i = 0;
    for (; i < frames.length; i++) {
        const frame = frames[i];
        message += "  ".repeat(i);
        if (frame.functionLocation) {
            const location = describeLocation(frame.functionLocation);
            const nextIsFunction = i < frames.length - 1 && frames[i + 1].functionLocation !== undefined;
            if (nextIsFunction) {
                message += i === 0 ? `${location}: referenced\n` : `${location}: which referenced\n`;
            } else if (i === frames.length - 1) {
                message += `${location}: which could not be serialized because\n`;
            } else if (i === 0) {
                message += `${location}: captured\n`;
            } else {
                message += `${location}: which captured\n`;
            }
        } else if (frame.capturedFunctionName) {
            message += `'${frame.capturedFunctionName}', a function defined at\n`;
        } else if (frame.capturedModule) {
            message +=
                i === frames.length - 1
                    ? `module '${frame.capturedModule.name}'\n`
                    : `module '${frame.capturedModule.name}' which indirectly referenced\n`;
        } else if (frame.capturedVariableName) {
            message += `variable '${frame.capturedVariableName}' which indirectly referenced\n`;
        }
    }
    message += "  ".repeat(i) + info + "\n\n";
    if (func !== undefined) {
        message += trimmedFunctionCode(func);
    }
    const moduleIndex = frames.findIndex((f) => f.capturedModule !== undefined);
    if (moduleIndex >= 0) {
        const module = frames[moduleIndex].capturedModule!;
        message += "\n";
        if (hasTrueBooleanMember(module.value, "deploymentOnlyModule")) {
            message += `Module '${module.name}' is a 'deployment only' module. In general these cannot be captured inside a 'run time' function.`;
        } else {
            const location = describeLocation(frames[moduleIndex - 1].functionLocation!);
            message += `Capturing modules can sometimes cause problems.
Consider using import('${module.name}') or require('${module.name}') inside ${location}`;
        }
    }
    // The path above says what went wrong; the serializer's own stack would only add noise.
    throw new ResourceError(message, context.logResource, true);
}
