// Outputs: values that arrive later, together with the resources they came from, whether they
// are known yet (during preview many are not) and whether they are secret.

import { hasBrand } from "./rtti.ts";
import type { Resource } from "./resource.ts";

/** Raised when an Output is used as a string. */
export class OutputToStringError extends Error {
    /** @internal */
    readonly __pulumiOutputToStringError = true;

    constructor() {
        super(`Calling [toString] on an [Output<T>] is not supported.

To get the value of an Output<T> as an Output<string> consider either:
1: o.apply(v => \`prefix\${v}suffix\`)
2: pulumi.interpolate \`prefix\${v}suffix\`

See https://www.pulumi.com/docs/concepts/inputs-outputs for more details.

Or use ESLint with https://github.com/pulumi/eslint-plugin-pulumi to warn or
error lint on using Output<T> in template literals.`);
    }

    static isInstance(obj: unknown): obj is OutputToStringError {
        return hasBrand(obj, "__pulumiOutputToStringError");
    }
}

const toJSONMessage = `Calling [toJSON] on an [Output<T>] is not supported.

To get the value of an Output as a JSON value or JSON string consider either:
    1: o.apply(v => v.toJSON())
    2: o.apply(v => JSON.stringify(v))

See https://www.pulumi.com/docs/concepts/inputs-outputs for more details.`;

const futureThrowNotice = `\nThis function may throw in a future version of @pulumi/pulumi.`;

/** The state an Output resolves to. */
interface Settled {
    value: any;
    isKnown: boolean;
    isSecret: boolean;
    allResources: Set<Resource>;
}

let atRunTime = false;

/**
 * A Function's handler is running: `Output.get()` gives the values the deployment resolved, as it
 * does in Pulumi's callback functions. During a deployment it keeps throwing.
 */
export function enterRunTime(): void {
    atRunTime = true;
}

/** Whether a deployed unit is serving (see `enterRunTime`), not a deployment running. */
export function isRunTime(): boolean {
    return atRunTime;
}

class OutputImpl<T> implements OutputInstance<T> {
    /** @internal */
    readonly __pulumiOutput = true;
    /** @internal Whether the value is known; unknown values only occur during preview. */
    readonly isKnown: Promise<boolean>;
    /** @internal */
    readonly isSecret: Promise<boolean>;
    /** @internal The value; with `withUnknowns`, unknowns are kept instead of becoming `undefined`. */
    readonly promise: (withUnknowns?: boolean) => Promise<T>;
    /** @internal What it resolved to, once it has (for `get` at run time). */
    settledState: Settled | undefined;
    /** @internal Marks a failure of this Output as handled: the program went on from it. */
    declare readonly __handleFailure: () => void;
    /** @internal The resources this Output is known to depend on when it was created. */
    readonly resources: () => Set<Resource>;
    /** @internal Every resource this Output depends on, including those of nested Outputs. */
    readonly allResources: () => Promise<Set<Resource>>;

    /** @internal */
    constructor(
        resources: Set<Resource> | Resource[] | Resource,
        promise: Promise<T>,
        isKnown: Promise<boolean>,
        isSecret: Promise<boolean>,
        allResources: Promise<Set<Resource> | Resource[] | Resource> | undefined,
    ) {
        const syncResources = copyResources(resources);
        const everyResource = (allResources ?? Promise.resolve([])).then(
            (r) => new Set([...copyResources(r), ...syncResources]),
        );
        // An Output is known only if nothing says otherwise and its value holds no unknowns.
        const known = Promise.all([isKnown, promise]).then(([k, v]) => k && !containsUnknowns(v));
        const settled = Promise.all([everyResource, promise, known, isSecret]).then(([res, value, k, secret]) =>
            liftInnerOutput(res, value, k, secret),
        );

        // Caches the settled state. Its rejection stays unhandled until the program applies or
        // recovers the Output: a failed Output the program leaves alone is reported as an
        // unhandled failure, one it goes on from is not, as under the Node.js SDK.
        const unapplied = settled.then((s) => {
            this.settledState = s;
        });
        // Not enumerable: an Output inspected (in a logged error, say) shows what the Node.js SDK's does.
        Object.defineProperty(this, "__handleFailure", { value: () => void unapplied.catch(() => undefined) });
        this.resources = () => syncResources;
        this.allResources = () => settled.then((s) => s.allResources);
        this.isKnown = settled.then((s) => s.isKnown);
        this.isSecret = settled.then((s) => s.isSecret);
        this.promise = (withUnknowns?: boolean) =>
            settled.then((s) => (!withUnknowns && containsUnknowns(s.value) ? undefined : s.value));

        // Members are own properties, not methods, so that the proxy below finds them first.
        this.toString = () => {
            return new OutputToStringError().message + futureThrowNotice;
        };
        (this as { toJSON?: () => string }).toJSON = () => toJSONMessage + futureThrowNotice;

        return new Proxy(this, {
            get: (target, prop) => {
                if (prop in target) {
                    return (target as any)[prop];
                }
                // Looking like a thenable would make `await output` hang instead of fail.
                if (prop === "then") {
                    return undefined;
                }
                // RTTI members of other SDK copies and well-known symbols must not appear to exist.
                if (typeof prop === "symbol") {
                    return undefined;
                }
                if (prop.startsWith("__") || prop === "doNotCapture" || prop === "deploymentOnlyModule") {
                    return undefined;
                }
                // Anything else is a lifted property access on the eventual value.
                return target.apply((v: any) => {
                    if (v === undefined || v === null) {
                        return undefined;
                    }
                    if (isUnknown(v)) {
                        return unknown;
                    }
                    return v[prop];
                }, true);
            },
        });
    }

    static create<T>(val: Input<T>): Output<Unwrap<T>> {
        return output(val);
    }

    static isInstance<T>(obj: unknown): obj is Output<T> {
        return hasBrand(obj, "__pulumiOutput");
    }

    get(): T {
        if (atRunTime && this.settledState !== undefined) {
            return this.settledState.value as T;
        }
        throw new Error(`Cannot call '.get' during update or preview.
To manipulate the value of this Output, use '.apply' instead.`);
    }

    // `runWithUnknowns` runs `func` even when the value is unknown; lifted property access uses it
    // to reach known parts of partially known values.
    apply<U>(func: (t: T) => Input<U>, runWithUnknowns?: boolean): Output<U> {
        this.__handleFailure();
        const applied = Promise.all([this.allResources(), this.promise(true), this.isKnown, this.isSecret]).then(
            ([res, value, isKnown, isSecret]) => applyHelper<T, U>(res, value, isKnown, isSecret, func, !!runWithUnknowns),
        );
        return new OutputImpl<U>(
            this.resources(),
            applied.then((a) => a.value),
            applied.then((a) => a.isKnown),
            applied.then((a) => a.isSecret),
            applied.then((a) => a.allResources),
        ) as unknown as Output<U>;
    }
}

function copyResources(resources: Set<Resource> | Resource[] | Resource): Set<Resource> {
    if (resources instanceof Set || Array.isArray(resources)) {
        return new Set(resources);
    }
    return new Set([resources]);
}

/** Resolves an Output nested in another's value into the outer one. */
async function liftInnerOutput(allResources: Set<Resource>, value: any, isKnown: boolean, isSecret: boolean): Promise<Settled> {
    if (!Output.isInstance(value)) {
        return { allResources, value, isKnown, isSecret };
    }
    // Awaiting every part lets a rejection of the inner Output reject the outer one too.
    const inner = value as unknown as OutputImpl<unknown>;
    const innerValue = await inner.promise(true);
    const innerIsKnown = await inner.isKnown;
    const innerIsSecret = await (inner.isSecret ?? Promise.resolve(false));
    const innerResources = await getAllResources(inner);
    return {
        allResources: new Set([...allResources, ...innerResources]),
        value: innerValue,
        isKnown: innerIsKnown,
        isSecret: isSecret || innerIsSecret,
    };
}

async function applyHelper<T, U>(
    allResources: Set<Resource>,
    value: T,
    isKnown: boolean,
    isSecret: boolean,
    func: (t: T) => Input<U>,
    runWithUnknowns: boolean,
): Promise<Settled> {
    if (!isKnown && !runWithUnknowns) {
        // During preview the callback does not run on an unknown value; the result is unknown.
        return { allResources, value: undefined, isKnown: false, isSecret };
    }
    // Callbacks that asked to see unknowns always see the unknown value when the Output is unknown.
    const input = !isKnown && runWithUnknowns && !containsUnknowns(value) ? (unknown as T) : value;
    const transformed = await func(input);
    return liftInnerOutput(allResources, transformed, true, isSecret);
}

/** Every resource `o` depends on. */
export function getAllResources<T>(o: OutputInstance<T>): Promise<Set<Resource>> {
    const impl = o as unknown as OutputImpl<T>;
    return typeof impl.allResources === "function" ? impl.allResources() : Promise.resolve(impl.resources());
}

/**
 * Copies `val`, lifting nested Outputs and Promises into one Output for the whole. Resources and
 * primitives are kept as they are; without nested Outputs the copy is a plain value.
 */
function outputRec(val: any, seen?: Set<unknown>, circularError?: Error): any {
    if (val === null || typeof val !== "object") {
        return val;
    }
    if (hasBrand(val, "__pulumiResource") || isUnknown(val)) {
        return val;
    }
    if (val instanceof Promise) {
        return createSimpleOutput(val.then((v) => outputRec(v, seen, circularError)));
    }
    if (Output.isInstance(val)) {
        // Rebuild from the parts, so Outputs of other SDK copies behave like ours.
        const other = val as unknown as OutputImpl<unknown>;
        const rebuilt = new OutputImpl(
            other.resources(),
            other.promise(true),
            other.isKnown,
            other.isSecret,
            getAllResources(other),
        );
        return rebuilt.apply((v) => outputRec(v, seen, circularError), true);
    }
    seen = new Set(seen);
    // Created here so its stack points at the user's call.
    circularError = circularError ?? new Error("Cannot create an Output from a circular structure");
    if (seen.has(val)) {
        throw circularError;
    }
    seen.add(val);

    if (Array.isArray(val)) {
        const items = val.map((v) => outputRec(v, seen, circularError));
        if (!items.some((v) => Output.isInstance(v))) {
            return items;
        }
        const [sync, isKnown, isSecret, all] = combineDetails(items);
        return new OutputImpl(sync, Promise.all(items.map(awaitable)), isKnown, isSecret, all);
    }

    const entries: [string, any][] = Object.keys(val).map((k) => [k, outputRec(val[k], seen, circularError)]);
    if (!entries.some(([, v]) => Output.isInstance(v))) {
        return Object.fromEntries(entries);
    }
    const [sync, isKnown, isSecret, all] = combineDetails(entries.map(([, v]) => v));
    const promisedObject = (async () => {
        const result: Record<string, unknown> = {};
        for (const [k, v] of entries) {
            result[k] = await awaitable(v);
        }
        return result;
    })();
    return new OutputImpl(sync, promisedObject, isKnown, isSecret, all);
}

function awaitable(v: any): any {
    return Output.isInstance(v) ? (v as unknown as OutputImpl<unknown>).promise(true) : v;
}

function combineDetails(values: any[]): [Set<Resource>, Promise<boolean>, Promise<boolean>, Promise<Set<Resource>>] {
    const sync = new Set<Resource>();
    const outputs: OutputImpl<unknown>[] = [];
    for (const v of values) {
        if (Output.isInstance(v)) {
            const o = v as unknown as OutputImpl<unknown>;
            outputs.push(o);
            for (const r of o.resources()) {
                sync.add(r);
            }
        }
    }
    const all = Promise.all(outputs.map((o) => o.allResources())).then((sets) => {
        const result = new Set<Resource>();
        for (const s of sets) {
            for (const r of s) {
                result.add(r);
            }
        }
        return result;
    });
    const isKnown = Promise.all(outputs.map((o) => o.isKnown)).then((ks) => ks.every((k) => k));
    const isSecretAny = Promise.all(outputs.map((o) => isSecret(o as unknown as Output<unknown>))).then((ss) =>
        ss.some((s) => s),
    );
    return [sync, isKnown, isSecretAny, all];
}

function createSimpleOutput(val: any): OutputImpl<any> {
    return new OutputImpl(
        new Set(),
        val instanceof Promise ? val : Promise.resolve(val),
        Promise.resolve(true),
        Promise.resolve(false),
        Promise.resolve(new Set()),
    );
}

/** Turns any input into an Output, lifting Outputs and Promises nested in arrays and objects. */
export function output<T>(val: Input<T>): Output<Unwrap<T>>;
export function output<T>(val: Input<T> | undefined): Output<Unwrap<T | undefined>>;
export function output<T>(val: Input<T | undefined>): Output<Unwrap<T | undefined>> {
    const o = outputRec(val);
    return (Output.isInstance(o) ? o : createSimpleOutput(o)) as any;
}

/** Like {@link output}, but the result is secret. */
export function secret<T>(val: Input<T>): Output<Unwrap<T>>;
export function secret<T>(val: Input<T> | undefined): Output<Unwrap<T | undefined>>;
export function secret<T>(val: Input<T | undefined>): Output<Unwrap<T | undefined>> {
    const o = output(val) as unknown as OutputImpl<Unwrap<T | undefined>>;
    return new OutputImpl(o.resources(), o.promise(true), o.isKnown, Promise.resolve(true), o.allResources()) as any;
}

/** The same Output, no longer secret. */
export function unsecret<T>(val: Output<T>): Output<T> {
    const o = val as unknown as OutputImpl<T>;
    return new OutputImpl(o.resources(), o.promise(true), o.isKnown, Promise.resolve(false), o.allResources()) as any;
}

/** Whether the Output is secret. */
export function isSecret<T>(val: Output<T>): Promise<boolean> {
    const o = val as unknown as OutputImpl<T>;
    // A proxy of an old SDK's Output lifts `isSecret` into an Output instead of having it.
    return Output.isInstance(o.isSecret) ? Promise.resolve(false) : o.isSecret;
}

/**
 * Combines inputs into one Output: a tuple or array of inputs becomes an Output of the array of
 * their values, a record of inputs an Output of the record.
 */
export function all<T>(val: Record<string, Input<T>>): Output<Record<string, Unwrap<T>>>;
export function all<T1, T2, T3, T4, T5, T6, T7, T8>(
    values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>, Input<T6>, Input<T7>, Input<T8>],
): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>, Unwrap<T6>, Unwrap<T7>, Unwrap<T8>]>;
export function all<T1, T2, T3, T4, T5, T6, T7>(
    values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>, Input<T6>, Input<T7>],
): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>, Unwrap<T6>, Unwrap<T7>]>;
export function all<T1, T2, T3, T4, T5, T6>(
    values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>, Input<T6>],
): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>, Unwrap<T6>]>;
export function all<T1, T2, T3, T4, T5>(
    values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>],
): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>]>;
export function all<T1, T2, T3, T4>(
    values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>],
): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>]>;
export function all<T1, T2, T3>(values: [Input<T1>, Input<T2>, Input<T3>]): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>]>;
export function all<T1, T2>(values: [Input<T1>, Input<T2>]): Output<[Unwrap<T1>, Unwrap<T2>]>;
export function all<T>(ds: Input<T>[]): Output<Unwrap<T>[]>;
export function all(val: any): Output<any> {
    // `output` already does this; `all` exists for its tuple-preserving signatures.
    return output(val);
}

/**
 * The value of properties the engine has not computed yet. Callbacks only see it when they asked
 * to run on unknown values.
 */
class Unknown {
    /** @internal */
    readonly __pulumiUnknown = true;

    static isInstance(obj: unknown): obj is Unknown {
        return hasBrand(obj, "__pulumiUnknown");
    }
}

/** The unknown value. */
export const unknown: Unknown = new Unknown();

/** Whether `val` is the unknown value. */
export function isUnknown(val: unknown): boolean {
    return Unknown.isInstance(val);
}

/** Whether `value` is or contains unknown values. */
export function containsUnknowns(value: unknown): boolean {
    const seen = new Set<unknown>();
    const visit = (v: unknown): boolean => {
        if (v === null || typeof v !== "object") {
            return false;
        }
        if (isUnknown(v)) {
            return true;
        }
        if (seen.has(v)) {
            return false;
        }
        seen.add(v);
        const record = v as Record<string, unknown>;
        return Array.isArray(v) ? v.some(visit) : Object.keys(record).some((k) => visit(record[k]));
    };
    return visit(value);
}

/** Concatenates the string forms of the inputs. */
export function concat(...params: Input<any>[]): Output<string> {
    return output(params).apply((array) => array.join(""));
}

/** A template tag that interpolates inputs into a string: pulumi.interpolate`http://${host}`. */
export function interpolate(literals: TemplateStringsArray, ...placeholders: Input<any>[]): Output<string> {
    return output(placeholders).apply((values) => {
        let result = "";
        for (let i = 0; i < values.length; i++) {
            result += literals[i];
            result += values[i];
        }
        return result + literals[literals.length - 1];
    });
}

/** `JSON.stringify` of the input's value. */
export function jsonStringify(
    obj: Input<any>,
    replacer?: (this: any, key: string, value: any) => any | (number | string)[],
    space?: string | number,
): Output<string> {
    return output(obj).apply((o) => JSON.stringify(o, replacer, space));
}

/** `JSON.parse` of the input's value. */
export function jsonParse(text: Input<string>, reviver?: (this: any, key: string, value: any) => any): Output<any> {
    return output(text).apply((t) => JSON.parse(t, reviver));
}

/**
 * An Output with `o`'s value or, if `o` failed, the value `func` makes of the error. A recovered
 * failure no longer counts as unhandled.
 */
export function recover<T>(o: Output<T>, func: (err: any) => Input<T>): Output<T> {
    const source = o as unknown as OutputImpl<T>;
    source.__handleFailure?.();
    const handled = <V>(p: Promise<V>): Promise<V> => {
        p.catch(() => undefined);
        return p;
    };
    const data: Promise<Settled> = (async () => {
        try {
            const [value, isKnown, secret, allResources] = await Promise.all([
                handled(source.promise(true)),
                handled(source.isKnown),
                handled(source.isSecret),
                handled(source.allResources()),
            ]);
            return { value, isKnown, isSecret: secret, allResources };
        } catch (err) {
            const inner = output(func(err)) as unknown as OutputImpl<T>;
            const [value, isKnown, secret, allResources] = await Promise.all([
                inner.promise(true),
                inner.isKnown,
                inner.isSecret,
                inner.allResources(),
            ]);
            return { value, isKnown, isSecret: secret, allResources };
        }
    })();
    return new OutputImpl<T>(
        new Set(),
        data.then((d) => d.value),
        data.then((d) => d.isKnown),
        data.then((d) => d.isSecret),
        data.then((d) => d.allResources),
    ) as unknown as Output<T>;
}

// ---- Types ----

/** A value, a Promise of it, or an Output of it. */
export type Input<T> = T | Promise<T> | OutputInstance<T>;
/** A record of inputs, as resources take them. */
export type Inputs = Record<string, Input<any>>;

/** The plain type of an input: Promises and Outputs removed, deeply. */
export type Unwrap<T> =
    T extends Promise<infer U1> ? UnwrapSimple<U1> : T extends OutputInstance<infer U2> ? UnwrapSimple<U2> : UnwrapSimple<T>;

type primitive = Function | string | number | boolean | undefined | null;

export type UnwrapSimple<T> = T extends primitive
    ? T
    : T extends Resource
      ? T
      : T extends [any, ...any[]]
        ? UnwrappedObject<T>
        : T extends Array<infer U>
          ? UnwrappedArray<U>
          : T extends object
            ? UnwrappedObject<T>
            : never;

export type UnwrappedArray<T> = Array<Unwrap<T>>;
export type UnwrappedObject<T> = { [P in keyof T]: Unwrap<T[P]> };

/** The methods of an Output. */
export interface OutputInstance<T> {
    /**
     * Transforms the value once it is known. During preview, when the value is unknown, `func` does
     * not run and the result is unknown. Outputs and Promises that `func` returns are flattened.
     */
    apply<U>(func: (t: T) => Promise<U>): Output<U>;
    apply<U>(func: (t: T) => OutputInstance<U>): Output<U>;
    apply<U>(func: (t: T) => U): Output<U>;
    /** Not available while deploying: the value is only reachable through `apply`. */
    get(): T;
}

export interface OutputConstructor {
    create<T>(val: Input<T>): Output<Unwrap<T>>;
    create<T>(val: Input<T> | undefined): Output<Unwrap<T | undefined>>;
    isInstance<T>(obj: any): obj is Output<T>;
}

/** A value that arrives later, with lifted access to the properties of that value. */
export type Output<T> = OutputInstance<T> & Lifted<T>;

// The value and the type share one name, as in the Node.js SDK.
// eslint-disable-next-line @typescript-eslint/naming-convention
export const Output: OutputConstructor = OutputImpl as unknown as OutputConstructor;

/** The non-function properties of `T`, each as an Output. */
export type Lifted<T> = T extends string
    ? LiftedObject<String, NonFunctionPropertyNames<String>>
    : T extends Array<infer U>
      ? LiftedArray<U>
      : T extends object
        ? LiftedObject<T, NonFunctionPropertyNames<T>>
        : {};

type NonFunctionPropertyNames<T> = { [K in keyof T]: T[K] extends Function ? never : K }[keyof T];

export type LiftedObject<T, K extends keyof T> = {
    [P in K]: IsStrictlyAny<T[P]> extends true
        ? Output<any>
        : T[P] extends OutputInstance<infer T1>
          ? Output<T1>
          : T[P] extends Promise<infer T2>
            ? Output<T2>
            : Output<T[P]>;
};

type IsStrictlyAny<T> = (T extends never ? true : false) extends false ? false : true;

export type LiftedArray<T> = {
    readonly length: Output<number>;
    readonly [n: number]: Output<T>;
};

/** @internal Creates Outputs from their parts; the runtime uses it for resource properties. */
export function makeOutput<T>(
    resources: Set<Resource> | Resource[] | Resource,
    promise: Promise<T>,
    isKnown: Promise<boolean>,
    isSecret: Promise<boolean>,
    allResources: Promise<Set<Resource> | Resource[] | Resource> | undefined,
): Output<T> {
    return new OutputImpl<T>(resources, promise, isKnown, isSecret, allResources) as unknown as Output<T>;
}

/** @internal The parts of an Output that the runtime reads. */
export interface OutputParts<T> {
    readonly isKnown: Promise<boolean>;
    readonly isSecret: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<T>;
    resources(): Set<Resource>;
    allResources(): Promise<Set<Resource>>;
}

/** @internal */
export function partsOf<T>(o: OutputInstance<T>): OutputParts<T> {
    return o as unknown as OutputParts<T>;
}
