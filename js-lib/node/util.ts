// The `util` built-in, written for Unfold: `inspect` and `format` are the ones the console uses,
// so values print as under Node.js.
import { format, inspect as inspectValue } from "../unfold/inspect.ts";

const customInspect = Symbol.for("nodejs.util.inspect.custom");
const customPromisify = Symbol.for("nodejs.util.promisify.custom");

function inspect(value: unknown, options?: Record<string, unknown> | boolean): string {
    return inspectValue(value, typeof options === "object" && options !== null ? options : {});
}
inspect.custom = customInspect;
inspect.defaultOptions = {};

function inherits(ctor: Function, superCtor: Function): void {
    if (superCtor === undefined || superCtor === null) {
        throw new TypeError('The "superCtor" argument must be of type function');
    }
    Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

function promisify(original: Function): Function {
    if (typeof original !== "function") {
        throw new TypeError('The "original" argument must be of type function');
    }
    const custom = (original as any)[customPromisify];
    if (typeof custom === "function") {
        return custom;
    }
    function promisified(this: unknown, ...args: unknown[]): Promise<unknown> {
        return new Promise((resolve, reject) => {
            original.call(this, ...args, (err: unknown, ...values: unknown[]) => {
                if (err) {
                    reject(err);
                } else {
                    resolve(values.length > 1 ? values : values[0]);
                }
            });
        });
    }
    Object.setPrototypeOf(promisified, Object.getPrototypeOf(original));
    return Object.defineProperties(promisified, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = customPromisify;

function callbackify(original: (...args: any[]) => Promise<unknown>): Function {
    return function (this: unknown, ...args: unknown[]) {
        const callback = args.pop() as (err: unknown, value?: unknown) => void;
        original.apply(this, args).then(
            (value) => queueMicrotask(() => callback(null, value)),
            (err) => queueMicrotask(() => callback(err ?? new Error("Promise was rejected with a falsy value"))),
        );
    };
}

const warned = new Set<string>();
function deprecate<T extends Function>(fn: T, message: string, code?: string): T {
    const key = code ?? message;
    return function (this: unknown, ...args: unknown[]) {
        if (!warned.has(key)) {
            warned.add(key);
            (globalThis as any).process?.emitWarning?.(message, "DeprecationWarning");
        }
        return fn.apply(this, args);
    } as unknown as T;
}

function debuglog(_section: string): ((...args: unknown[]) => void) & { enabled: boolean } {
    const log = (() => {}) as ((...args: unknown[]) => void) & { enabled: boolean };
    log.enabled = false;
    return log;
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
    return deepEqual(a, b, true);
}

/** Structural equality as assert.deepStrictEqual (strict) or deepEqual (loose) sees it. */
export function deepEqual(a: any, b: any, strict: boolean, seen = new Map<object, object>()): boolean {
    if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) {
        return true;
    }
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
        return false;
    }
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
        return false;
    }
    if (seen.get(a) === b) {
        return true;
    }
    seen.set(a, b);
    if (a instanceof Date && b instanceof Date) {
        return a.getTime() === b.getTime();
    }
    if (a instanceof RegExp && b instanceof RegExp) {
        return String(a) === String(b);
    }
    if (Array.isArray(a) !== Array.isArray(b)) {
        return false;
    }
    if (a instanceof Map && b instanceof Map) {
        if (a.size !== b.size) return false;
        for (const [k, v] of a) {
            if (!b.has(k) || !deepEqual(v, b.get(k), strict, seen)) return false;
        }
        return true;
    }
    if (a instanceof Set && b instanceof Set) {
        if (a.size !== b.size) return false;
        for (const v of a) {
            if (!b.has(v)) return false;
        }
        return true;
    }
    if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
        const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        return x.length === y.length && x.every((byte, i) => byte === y[i]);
    }
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.length !== keysB.length) {
        return false;
    }
    return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key], strict, seen));
}

const tag = (value: unknown) => Object.prototype.toString.call(value).slice(8, -1);
const types = {
    isPromise: (v: unknown) => v instanceof Promise,
    isDate: (v: unknown) => v instanceof Date,
    isRegExp: (v: unknown) => v instanceof RegExp,
    isMap: (v: unknown) => v instanceof Map,
    isSet: (v: unknown) => v instanceof Set,
    isNativeError: (v: unknown) => v instanceof Error,
    isTypedArray: (v: unknown) => ArrayBuffer.isView(v) && !(v instanceof DataView),
    isUint8Array: (v: unknown) => v instanceof Uint8Array,
    isArrayBuffer: (v: unknown) => v instanceof ArrayBuffer,
    isAnyArrayBuffer: (v: unknown) => v instanceof ArrayBuffer,
    isArrayBufferView: (v: unknown) => ArrayBuffer.isView(v),
    isDataView: (v: unknown) => v instanceof DataView,
    isAsyncFunction: (v: unknown) => tag(v) === "AsyncFunction",
    isGeneratorFunction: (v: unknown) => tag(v) === "GeneratorFunction" || tag(v) === "AsyncGeneratorFunction",
    isGeneratorObject: (v: unknown) => tag(v) === "Generator",
    isBoxedPrimitive: (v: unknown) =>
        v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol,
    isProxy: (_v: unknown) => false,
    isWeakMap: (v: unknown) => v instanceof WeakMap,
    isWeakSet: (v: unknown) => v instanceof WeakSet,
};

const util = {
    format,
    formatWithOptions: (_options: unknown, ...args: unknown[]) => format(...args),
    inspect,
    inherits,
    promisify,
    callbackify,
    deprecate,
    debuglog,
    debug: debuglog,
    isDeepStrictEqual,
    types,
    TextEncoder: (globalThis as any).TextEncoder,
    TextDecoder: (globalThis as any).TextDecoder,
    isArray: Array.isArray,
    isBoolean: (v: unknown) => typeof v === "boolean",
    isNull: (v: unknown) => v === null,
    isNullOrUndefined: (v: unknown) => v === null || v === undefined,
    isNumber: (v: unknown) => typeof v === "number",
    isString: (v: unknown) => typeof v === "string",
    isSymbol: (v: unknown) => typeof v === "symbol",
    isUndefined: (v: unknown) => v === undefined,
    isRegExp: types.isRegExp,
    isObject: (v: unknown) => v !== null && typeof v === "object",
    isDate: types.isDate,
    isError: types.isNativeError,
    isFunction: (v: unknown) => typeof v === "function",
    isPrimitive: (v: unknown) => v === null || (typeof v !== "object" && typeof v !== "function"),
    isBuffer: (v: unknown) => (globalThis as any).Buffer?.isBuffer(v) ?? false,
};

export default util;
export { format, inspect, inherits, promisify, callbackify, deprecate, debuglog, isDeepStrictEqual, types };
