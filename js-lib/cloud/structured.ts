// The values a service call carries, as JSON: plain data plus what structured clone also keeps —
// Dates, Maps, Sets, typed arrays, BigInts, undefined, non-finite numbers, Errors — and services
// and Functions, which cross by reference: the unit they reach gets a proxy of the same service, or
// the same Function to invoke. Anything else (a function, a class instance, a symbol, a cycle) is
// refused with the path of the value, before the call leaves the caller.

/** The key that marks an encoded value that JSON has no form for. */
const TAG = "@unfold/value";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A deployed unit a value stands for. */
export interface Unit {
    kind: "service" | "function";
    name: string;
}

/** How units cross: `encode` asks which unit a value stands for, `decode` for the value of a unit. */
export interface References {
    unitOf(value: object): Unit | undefined;
    byUnit(unit: Unit): unknown;
}

const TYPED_ARRAYS = {
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

const WHAT_CROSSES = "pass plain data, Dates, Maps, Sets, typed arrays, Errors, services or Functions (a closure that must run elsewhere is a Function)";

/** `value` as JSON; `path` names it in errors (e.g. `orders.place(args[1])`). */
export function encode(value: unknown, path: string, units: References): Json {
    return encodeAt(value, path, units, new Set());
}

function encodeAt(value: unknown, path: string, units: References, open: Set<object>): Json {
    switch (typeof value) {
        case "string":
        case "boolean":
            return value;
        case "number":
            return Number.isFinite(value) && !Object.is(value, -0) ? value : { [TAG]: "number", text: String(Object.is(value, -0) ? "-0" : value) };
        case "undefined":
            return { [TAG]: "undefined" };
        case "bigint":
            return { [TAG]: "bigint", text: value.toString() };
        case "symbol":
            throw new TypeError(`${path} is a symbol, which cannot cross to a service: ${WHAT_CROSSES}`);
        case "function": {
            const unit = units.unitOf(value);
            if (unit !== undefined) {
                return { [TAG]: unit.kind, name: unit.name };
            }
            throw new TypeError(`${path} is a function (${value.name || "anonymous"}), which cannot cross to a service: ${WHAT_CROSSES}`);
        }
    }
    if (value === null) {
        return null;
    }
    const object = value as object;
    const unit = units.unitOf(object);
    if (unit !== undefined) {
        return { [TAG]: unit.kind, name: unit.name };
    }
    if (open.has(object)) {
        throw new TypeError(`${path} refers back to a value that holds it: cycles cannot cross to a service`);
    }
    open.add(object);
    try {
        return encodeObject(object, path, units, open);
    } finally {
        open.delete(object);
    }
}

function encodeObject(object: object, path: string, units: References, open: Set<object>): Json {
    const inner = (item: unknown, at: string) => encodeAt(item, at, units, open);
    if (Array.isArray(object)) {
        return Array.from(object, (item, index) => inner(item, `${path}[${index}]`));
    }
    if (object instanceof Date) {
        return { [TAG]: "date", text: Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString() };
    }
    if (object instanceof Map) {
        return { [TAG]: "map", entries: [...object].map(([key, item], index) => [inner(key, `${path}.keys()[${index}]`), inner(item, `${path}.get(${describeKey(key)})`)]) };
    }
    if (object instanceof Set) {
        return { [TAG]: "set", items: [...object].map((item, index) => inner(item, `${path}.values()[${index}]`)) };
    }
    if (object instanceof Error) {
        return { [TAG]: "error", name: object.name, message: object.message };
    }
    if (object instanceof ArrayBuffer) {
        return { [TAG]: "bytes", type: "ArrayBuffer", items: Array.from(new Uint8Array(object)) };
    }
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
        const type = object.constructor.name as TypedArrayName;
        const items = Array.from(object as unknown as ArrayLike<number | bigint>, (item) => (typeof item === "bigint" ? item.toString() : item));
        return { [TAG]: "bytes", type, items };
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
        const kind = (object as { constructor?: { name?: string } }).constructor?.name || "a class";
        throw new TypeError(`${path} is an instance of ${kind}, which cannot cross to a service: ${WHAT_CROSSES}`);
    }
    const encoded: { [key: string]: Json } = {};
    for (const key of Object.keys(object)) {
        encoded[key] = inner((object as Record<string, unknown>)[key], `${path}.${key}`);
    }
    // A plain object that happens to use the tag's key is wrapped, so it decodes as itself.
    return TAG in encoded ? { [TAG]: "object", entries: encoded } : encoded;
}

function describeKey(key: unknown): string {
    return typeof key === "string" ? JSON.stringify(key) : String(key);
}

/** The value `encode` gave `json` for. */
export function decode(json: unknown, units: References): unknown {
    if (Array.isArray(json)) {
        return json.map((item) => decode(item, units));
    }
    if (json === null || typeof json !== "object") {
        return json;
    }
    const object = json as Record<string, unknown>;
    if (!(TAG in object)) {
        return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, decode(item, units)]));
    }
    const text = String(object.text);
    switch (object[TAG]) {
        case "undefined":
            return undefined;
        case "number":
            return Number(text);
        case "bigint":
            return BigInt(text);
        case "date":
            return new Date(text === "Invalid Date" ? NaN : text);
        case "map":
            return new Map((object.entries as [unknown, unknown][]).map(([key, item]) => [decode(key, units), decode(item, units)]));
        case "set":
            return new Set((object.items as unknown[]).map((item) => decode(item, units)));
        case "error": {
            const error = new Error(String(object.message));
            error.name = String(object.name);
            return error;
        }
        case "bytes": {
            const items = object.items as (number | string)[];
            if (object.type === "ArrayBuffer") {
                return new Uint8Array(items as number[]).buffer;
            }
            const type = TYPED_ARRAYS[object.type as TypedArrayName];
            if (type === undefined) {
                throw new TypeError(`a service call carried an unknown typed array '${String(object.type)}'`);
            }
            const big = type === BigInt64Array || type === BigUint64Array;
            return new (type as new (items: unknown[]) => unknown)(items.map((item) => (big ? BigInt(item) : item)));
        }
        case "service":
        case "function":
            return units.byUnit({ kind: object[TAG], name: String(object.name) });
        case "object":
            return Object.fromEntries(Object.entries(object.entries as Record<string, unknown>).map(([key, item]) => [key, decode(item, units)]));
        default:
            throw new TypeError(`a service call carried an unknown kind of value '${String(object[TAG])}'`);
    }
}
