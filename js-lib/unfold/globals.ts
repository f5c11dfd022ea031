// The program's global environment, made deterministic: every source of time, randomness and
// scheduling is a gateway crossing (or derived from one), so replaying the record rebuilds the
// same heap. What cannot be recorded — GC observation, shared memory — is removed.

import { call, cancel, currentContext, start } from "./io.ts";

type Core = {
    encode(text: string): Uint8Array;
    decode(bytes: Uint8Array): string;
};

// Captured before the bootstrap removes `Deno`; both are pure conversions inside V8.
const core = (globalThis as unknown as { Deno: { core: Core } }).Deno.core;

// ---- time ----------------------------------------------------------------------------------

const NativeDate = Date;

/** Milliseconds since the epoch, from the host's clock; never goes backwards. */
function now(): number {
    return call("clock.now") as number;
}

// `Date` behaves as usual, except that "the current time" is a recorded crossing.
function VirtualDate(this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) {
        return new NativeDate(now()).toString();
    }
    return Reflect.construct(NativeDate, args.length === 0 ? [now()] : args, new.target);
}
Object.defineProperties(VirtualDate, {
    prototype: { value: NativeDate.prototype },
    now: { value: now, writable: true, configurable: true },
    parse: { value: NativeDate.parse, writable: true, configurable: true },
    UTC: { value: NativeDate.UTC, writable: true, configurable: true },
});
Object.defineProperty(NativeDate.prototype, "constructor", { value: VirtualDate, writable: true, configurable: true });

let timeOrigin: number | undefined;
const performance = {
    get timeOrigin(): number {
        timeOrigin ??= now();
        return timeOrigin;
    },
    now(): number {
        return now() - performance.timeOrigin;
    },
};

// ---- timers --------------------------------------------------------------------------------

interface Timer {
    ticket: number;
    repeat: boolean;
}

const timers = new Map<number, Timer>();
let nextTimerId = 1;

/** What `setTimeout` returns, as in Node.js; converts to its numeric id. */
class Timeout {
    readonly id: number;
    constructor(id: number) {
        this.id = id;
    }
    // A timer always keeps the program alive until it fires or is cleared.
    ref(): this {
        return this;
    }
    unref(): this {
        return this;
    }
    hasRef(): boolean {
        return true;
    }
    [Symbol.toPrimitive](): number {
        return this.id;
    }
}

// A timer is a `timer.sleep` crossing; clearing it cancels the crossing, so a cleared timer never
// keeps the program alive.
function schedule(callback: unknown, delay: unknown, args: unknown[], repeat: boolean): Timeout {
    if (typeof callback !== "function") {
        throw new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`);
    }
    const id = nextTimerId++;
    const ms = Math.max(0, Number(delay) || 0);
    const arm = () => {
        const sleep = start("timer.sleep", { ms });
        timers.set(id, { ticket: sleep.ticket, repeat });
        sleep.done.then(() => {
            if (!timers.has(id)) {
                return;
            }
            if (repeat) {
                arm();
            } else {
                timers.delete(id);
            }
            (callback as (...a: unknown[]) => void)(...args);
        });
    };
    arm();
    return new Timeout(id);
}

function clear(handle: unknown): void {
    const id = handle instanceof Timeout ? handle.id : Number(handle);
    const timer = timers.get(id);
    if (timer !== undefined) {
        timers.delete(id);
        cancel(timer.ticket);
    }
}

// ---- randomness ----------------------------------------------------------------------------

// sfc32, seeded with 128 bits from the `random.seed` crossing on first use — one generator per
// context (`withContext`). A Function runs each invocation in its own context, so each draws from a
// fresh seed: its instances, all restored from one record, never repeat one another's numbers,
// and an invocation's draws depend on nothing but its own record, however many others its
// instance serves meanwhile. Outside any invocation there is the one generator of context 0.
const generators = new Map<number, Uint32Array>();

/** Drops the generator of a context that has ended (an invocation that answered). */
export function forgetRandom(context: number): void {
    generators.delete(context);
}

function generator(): Uint32Array {
    const context = currentContext();
    let state = generators.get(context);
    if (state === undefined) {
        const seed = String(call("random.seed"));
        state = new Uint32Array(4);
        for (let i = 0; i < 4; i++) {
            state[i] = parseInt(seed.slice(i * 8, i * 8 + 8), 16) >>> 0;
        }
        for (let i = 0; i < 12; i++) {
            step(state);
        }
        generators.set(context, state);
    }
    return state;
}

function step(s: Uint32Array): number {
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
}

function nextUint32(): number {
    return step(generator());
}

function random(): number {
    // 53 random bits, as V8's Math.random provides.
    return ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
}

function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array) {
        throw new TypeError("crypto.getRandomValues requires an integer typed array");
    }
    if (array.byteLength > 65536) {
        throw new RangeError(`crypto.getRandomValues: ${array.byteLength} bytes exceeds the 65536-byte limit`);
    }
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i += 4) {
        let word = nextUint32();
        for (let j = i; j < Math.min(i + 4, bytes.length); j++) {
            bytes[j] = word & 0xff;
            word >>>= 8;
        }
    }
    return array;
}

function randomUUID(): string {
    const b = getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- text and base64 -----------------------------------------------------------------------

class TextEncoder {
    readonly encoding = "utf-8";
    encode(input = ""): Uint8Array {
        return core.encode(String(input));
    }
}

class TextDecoder {
    readonly encoding = "utf-8";
    constructor(label = "utf-8") {
        if (!/^utf-?8$/i.test(label)) {
            throw new RangeError(`TextDecoder: only utf-8 is supported, not '${label}'`);
        }
    }
    decode(input?: ArrayBufferView | ArrayBuffer): string {
        if (input === undefined) {
            return "";
        }
        const bytes = input instanceof ArrayBuffer
            ? new Uint8Array(input)
            : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
        return core.decode(bytes);
    }
}

function btoa(data: unknown): string {
    const text = String(data);
    let binary = "";
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0xff) {
            throw new DOMException("btoa: the string contains characters outside of the Latin1 range", "InvalidCharacterError");
        }
        binary += String.fromCharCode(code);
    }
    return base64Encode(binary);
}

function atob(data: unknown): string {
    const text = String(data).replace(/[\t\n\f\r ]/g, "");
    if (text.length % 4 === 1 || /[^A-Za-z0-9+/=]/.test(text) || /=[^=]/.test(text)) {
        throw new DOMException("atob: the string to be decoded is not correctly encoded", "InvalidCharacterError");
    }
    return base64Decode(text);
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function base64Encode(binary: string): string {
    let out = "";
    for (let i = 0; i < binary.length; i += 3) {
        const [a, b, c] = [binary.charCodeAt(i), binary.charCodeAt(i + 1), binary.charCodeAt(i + 2)];
        const n = (a << 16) | ((b || 0) << 8) | (c || 0);
        out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
        out += i + 1 < binary.length ? ALPHABET[(n >> 6) & 63] : "=";
        out += i + 2 < binary.length ? ALPHABET[n & 63] : "=";
    }
    return out;
}

function base64Decode(text: string): string {
    const clean = text.replace(/=+$/, "");
    let out = "";
    let buffer = 0;
    let bits = 0;
    for (const char of clean) {
        buffer = (buffer << 6) | ALPHABET.indexOf(char);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += String.fromCharCode((buffer >> bits) & 0xff);
        }
    }
    return out;
}

class DOMException extends Error {
    constructor(message = "", name = "Error") {
        super(message);
        this.name = name;
    }
}

// ---- installation --------------------------------------------------------------------------

/** Replaces the ambient globals with their recorded equivalents. Runs before any program code. */
export function installGlobals(): void {
    const g = globalThis as Record<string, unknown>;
    // Observable garbage collection and shared memory cannot be replayed.
    for (const name of ["WeakRef", "FinalizationRegistry", "SharedArrayBuffer", "Atomics"]) {
        delete g[name];
    }
    Math.random = random;
    const globals: Record<string, unknown> = {
        Date: VirtualDate,
        performance,
        setTimeout: (callback: unknown, delay?: unknown, ...args: unknown[]) => schedule(callback, delay, args, false),
        setInterval: (callback: unknown, delay?: unknown, ...args: unknown[]) => schedule(callback, delay, args, true),
        setImmediate: (callback: unknown, ...args: unknown[]) => schedule(callback, 0, args, false),
        clearTimeout: clear,
        clearInterval: clear,
        clearImmediate: clear,
        crypto: { getRandomValues, randomUUID },
        TextEncoder,
        TextDecoder,
        btoa,
        atob,
        DOMException,
    };
    for (const [name, value] of Object.entries(globals)) {
        Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
    }
}
