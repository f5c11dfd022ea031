// Renders values for people the way Node's `util.inspect` and `util.format` do, closely enough
// that console output and error reports of programs read as they do under Node.

export interface InspectOptions {
    /** How many levels of nesting to expand before abbreviating as `[Object]`. */
    depth?: number;
    /** Whether to show non-enumerable properties (such as an array's `length`). */
    showHidden?: boolean;
}

const breakLength = 80;
const maxArrayLength = 100;

interface Walk {
    depth: number;
    showHidden: boolean;
    /** Objects on the current path, to detect cycles. */
    path: object[];
    /** Reference numbers of objects that a cycle points back to. */
    refs: Map<object, number>;
}

export function inspect(value: unknown, options: InspectOptions = {}): string {
    const walk: Walk = {
        depth: options.depth ?? 2,
        showHidden: options.showHidden ?? false,
        path: [],
        refs: new Map(),
    };
    return formatValue(value, 0, walk);
}

/** Formats its arguments as `console.log` does, applying printf-like specifiers. */
export function format(...args: unknown[]): string {
    const first = args[0];
    let rest = 0;
    let out = "";
    if (typeof first === "string") {
        rest = 1;
        let last = 0;
        for (let i = 0; i < first.length - 1; i++) {
            if (first[i] !== "%") {
                continue;
            }
            const spec = first[i + 1];
            if (spec === "%") {
                out += first.slice(last, i) + "%";
                last = i + 2;
                i++;
                continue;
            }
            if (rest >= args.length || !"sdifjoOc".includes(spec)) {
                continue;
            }
            out += first.slice(last, i) + formatSpecifier(spec, args[rest++]);
            last = i + 2;
            i++;
        }
        out += first.slice(last);
    }
    for (let i = rest; i < args.length; i++) {
        const arg = args[i];
        const text = typeof arg === "string" ? arg : inspect(arg);
        out += out === "" && i === 0 ? text : ` ${text}`;
    }
    return out;
}

function formatSpecifier(spec: string, arg: unknown): string {
    switch (spec) {
        case "s":
            if (typeof arg === "bigint") {
                return `${arg}n`;
            }
            if (typeof arg === "number") {
                return formatNumber(arg);
            }
            if (typeof arg === "object" && arg !== null) {
                return inspect(arg, { depth: 0 });
            }
            return String(arg);
        case "d":
            if (typeof arg === "bigint") {
                return `${arg}n`;
            }
            return typeof arg === "symbol" ? "NaN" : formatNumber(Number(arg));
        case "i":
            if (typeof arg === "bigint") {
                return `${arg}n`;
            }
            return typeof arg === "symbol" ? "NaN" : formatNumber(parseInt(String(arg), 10));
        case "f":
            return typeof arg === "symbol" ? "NaN" : formatNumber(parseFloat(String(arg)));
        case "j":
            try {
                return JSON.stringify(arg) ?? "undefined";
            } catch {
                return "[Circular]";
            }
        case "o":
            return inspect(arg, { showHidden: true, depth: 4 });
        case "O":
            return inspect(arg);
        default:
            // %c carries CSS, which has no meaning in a terminal.
            return "";
    }
}

function formatNumber(n: number): string {
    return Object.is(n, -0) ? "-0" : String(n);
}

function quote(s: string): string {
    const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes("`") ? "`" : "'";
    const escaped = s.replace(/[\\\n\t\r\b\f\v]|[\x00-\x1f\x7f]/g, (c) => {
        switch (c) {
            case "\\":
                return "\\\\";
            case "\n":
                return "\\n";
            case "\t":
                return "\\t";
            case "\r":
                return "\\r";
            case "\b":
                return "\\b";
            case "\f":
                return "\\f";
            case "\v":
                return "\\v";
            default:
                return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
        }
    });
    return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function formatKey(key: string | symbol): string {
    if (typeof key === "symbol") {
        return `[${key.toString()}]`;
    }
    return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

function formatValue(value: unknown, level: number, walk: Walk): string {
    switch (typeof value) {
        case "string":
            return quote(value);
        case "number":
            return formatNumber(value);
        case "bigint":
            return `${value}n`;
        case "boolean":
            return String(value);
        case "undefined":
            return "undefined";
        case "symbol":
            return value.toString();
        case "function":
            return formatObject(value, level, walk);
        default:
            return value === null ? "null" : formatObject(value as object, level, walk);
    }
}

function formatObject(obj: object, level: number, walk: Walk): string {
    if (walk.path.includes(obj)) {
        let ref = walk.refs.get(obj);
        if (ref === undefined) {
            ref = walk.refs.size + 1;
            walk.refs.set(obj, ref);
        }
        return `[Circular *${ref}]`;
    }
    walk.path.push(obj);
    try {
        const body = formatBody(obj, level, walk);
        const ref = walk.refs.get(obj);
        return ref === undefined ? body : `<ref *${ref}> ${body}`;
    } finally {
        walk.path.pop();
    }
}

function constructorName(obj: object): string | undefined {
    const proto = Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null;
    if (proto === null) {
        return undefined;
    }
    const name = proto.constructor?.name;
    return typeof name === "string" && name !== "" ? name : "Object";
}

function formatBody(obj: object, level: number, walk: Walk): string {
    const name = constructorName(obj);
    if (typeof obj === "function") {
        const fn = obj as { name?: string };
        const fnText = Function.prototype.toString.call(obj);
        const kind = fnText.startsWith("class") ? "class" : name === "AsyncFunction" || name === "GeneratorFunction" || name === "AsyncGeneratorFunction" ? name : "Function";
        // As Node.js: `[Function: name]`, `[Function (anonymous)]`, `[class Name]`.
        const label = kind === "class" ? `[class ${fn.name || "(anonymous)"}]` : fn.name ? `[${kind}: ${fn.name}]` : `[${kind} (anonymous)]`;
        const keys = ownKeys(obj, walk);
        return keys.length === 0 ? label : wrap(`${label} {`, entries(obj, keys, level, walk), "}", level);
    }
    if (obj instanceof Error) {
        return formatError(obj, level, walk);
    }
    if (obj instanceof Date) {
        return isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
    }
    if (obj instanceof RegExp) {
        return obj.toString();
    }
    if (obj instanceof String || obj instanceof Number || obj instanceof Boolean) {
        return `[${name}: ${formatValue(obj.valueOf(), level, walk)}]`;
    }
    // Empty containers print in full at any depth, as Node.js prints them.
    if (Array.isArray(obj) && obj.length === 0 && ownKeys(obj, walk).every((key) => key === "length")) {
        return "[]";
    }
    if (isPlain(obj, name) && ownKeys(obj, walk).length === 0) {
        return name === undefined ? "[Object: null prototype] {}" : name === "Object" ? "{}" : `${name} {}`;
    }
    if (level > walk.depth) {
        return `[${Array.isArray(obj) ? "Array" : (name ?? "Object: null prototype")}]`;
    }
    if (obj instanceof Promise) {
        return formatPromise(obj, level, walk);
    }
    if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
        const list = obj as ArrayLike<unknown>;
        const items = arrayItems(list, level, walk);
        const extra = entries(obj, ownKeys(obj, walk).filter((k) => !isIndex(k)), level, walk);
        const prefix = Array.isArray(obj) ? (name === "Array" ? "" : `${name}(${list.length}) `) : `${name}(${list.length}) `;
        return wrap(`${prefix}[`, [...items, ...extra], "]", level);
    }
    if (obj instanceof Map) {
        const items: string[] = [];
        for (const [k, v] of obj) {
            items.push(`${formatValue(k, level + 1, walk)} => ${formatValue(v, level + 1, walk)}`);
        }
        return wrap(`Map(${obj.size}) {`, [...items, ...entries(obj, ownKeys(obj, walk), level, walk)], "}", level);
    }
    if (obj instanceof Set) {
        const items: string[] = [];
        for (const v of obj) {
            items.push(formatValue(v, level + 1, walk));
        }
        return wrap(`Set(${obj.size}) {`, [...items, ...entries(obj, ownKeys(obj, walk), level, walk)], "}", level);
    }
    const prefix = name === undefined ? "[Object: null prototype] " : name === "Object" ? "" : `${name} `;
    return wrap(`${prefix}{`, entries(obj, ownKeys(obj, walk), level, walk), "}", level);
}

/** Not a built-in with its own notation (arrays, maps, dates, errors, promises…). */
function isPlain(obj: object, name: string | undefined): boolean {
    return !(
        Array.isArray(obj) ||
        ArrayBuffer.isView(obj) ||
        obj instanceof Map ||
        obj instanceof Set ||
        obj instanceof Promise ||
        obj instanceof Error ||
        obj instanceof Date ||
        obj instanceof RegExp
    ) && name !== "Function";
}

type PromiseDetails = (promise: Promise<unknown>) => [number, unknown?];

// deno_core reads a promise's state; captured before the bootstrap removes `Deno`.
const promiseDetails = (globalThis as unknown as { Deno?: { core?: { getPromiseDetails?: PromiseDetails } } }).Deno?.core
    ?.getPromiseDetails;

function formatPromise(promise: Promise<unknown>, level: number, walk: Walk): string {
    const [state, result] = promiseDetails?.(promise) ?? [0];
    const shown = state === 0 ? "<pending>" : state === 1 ? formatValue(result, level + 1, walk) : `<rejected> ${formatValue(result, level + 1, walk)}`;
    return wrap("Promise {", [shown, ...entries(promise, ownKeys(promise, walk), level, walk)], "}", level);
}

/**
 * Node.js names an error by its class when the stack's first line does not:
 * a `ResourceError` whose name is "Error" shows as `ResourceError: …`.
 */
function improveStack(stack: string, err: Error): string {
    const className = constructorName(err);
    const name = err.name;
    if (className === undefined || !name.endsWith("Error") || !stack.startsWith(name) || className === name) {
        return stack;
    }
    const after = stack[name.length];
    if (after !== undefined && after !== ":" && after !== "\n") {
        return stack;
    }
    return className.includes(name) ? className + stack.slice(name.length) : `${className} [${name}]${stack.slice(name.length)}`;
}

function formatError(err: Error, level: number, walk: Walk): string {
    const base = err.stack ? improveStack(err.stack, err) : `[${Error.prototype.toString.call(err)}]`;
    const keys = ownKeys(err, walk).filter((k) => k !== "stack" && k !== "message");
    if (keys.length === 0 || level > walk.depth) {
        return base;
    }
    return wrap(`${base} {`, entries(err, keys, level, walk), "}", level);
}

function isIndex(key: string | symbol): boolean {
    return typeof key === "string" && /^(0|[1-9]\d*)$/.test(key);
}

function ownKeys(obj: object, walk: Walk): (string | symbol)[] {
    const keys: (string | symbol)[] = walk.showHidden ? Object.getOwnPropertyNames(obj) : Object.keys(obj);
    for (const sym of Object.getOwnPropertySymbols(obj)) {
        if (walk.showHidden || Object.prototype.propertyIsEnumerable.call(obj, sym)) {
            keys.push(sym);
        }
    }
    return keys;
}

function arrayItems(list: ArrayLike<unknown>, level: number, walk: Walk): string[] {
    const items: string[] = [];
    const shown = Math.min(list.length, maxArrayLength);
    let holes = 0;
    for (let i = 0; i < shown; i++) {
        if (!(i in list)) {
            holes++;
            continue;
        }
        if (holes > 0) {
            items.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
            holes = 0;
        }
        items.push(formatValue(list[i], level + 1, walk));
    }
    if (holes > 0) {
        items.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
    }
    if (list.length > shown) {
        const more = list.length - shown;
        items.push(`... ${more} more item${more > 1 ? "s" : ""}`);
    }
    return items;
}

function entries(obj: object, keys: (string | symbol)[], level: number, walk: Walk): string[] {
    const out: string[] = [];
    for (const key of keys) {
        const desc = Object.getOwnPropertyDescriptor(obj, key);
        if (desc === undefined) {
            continue;
        }
        const label = desc.enumerable ? formatKey(key) : `[${formatKey(key)}]`;
        if (desc.get !== undefined || desc.set !== undefined) {
            const kind = desc.get && desc.set ? "Getter/Setter" : desc.get ? "Getter" : "Setter";
            out.push(`${label}: [${kind}]`);
        } else {
            out.push(`${label}: ${formatValue(desc.value, level + 1, walk)}`);
        }
    }
    return out;
}

// Short collections stay on one line; longer ones put each entry on its own line. Nested
// collections are laid out as if at the left margin and indented by their parent.
function wrap(open: string, items: string[], close: string, level: number): string {
    if (items.length === 0) {
        return `${open}${close}`;
    }
    const oneLine = `${open} ${items.join(", ")} ${close}`;
    const width = items.reduce((sum, item) => sum + item.length, 0) + items.length + level * 2 + open.length;
    if (width <= breakLength && !items.some((item) => item.includes("\n"))) {
        return oneLine;
    }
    const inner = items.map((item) => "  " + item.replace(/\n/g, "\n  ")).join(",\n");
    return `${open}\n${inner}\n${close}`;
}
