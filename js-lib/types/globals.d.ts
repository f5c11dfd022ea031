// The globals a program running under Unfold can use, for editors and `tsc`:
// ECMAScript itself (lib es2022) plus these, all backed by recorded crossings.

interface Console {
    log(...data: unknown[]): void;
    info(...data: unknown[]): void;
    debug(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
    trace(...data: unknown[]): void;
    dir(item?: unknown, options?: unknown): void;
    table(data: unknown, columns?: string[]): void;
    assert(condition?: boolean, ...data: unknown[]): void;
    group(...label: unknown[]): void;
    groupCollapsed(...label: unknown[]): void;
    groupEnd(): void;
    count(label?: string): void;
    countReset(label?: string): void;
    time(label?: string): void;
    timeEnd(label?: string): void;
    timeLog(label?: string, ...data: unknown[]): void;
}
declare var console: Console;

/** What `setTimeout` and friends return, as in Node.js. */
interface Timeout {
    ref(): this;
    unref(): this;
    hasRef(): boolean;
    [Symbol.toPrimitive](): number;
}
declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): Timeout;
declare function setInterval<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): Timeout;
declare function setImmediate<A extends unknown[]>(callback: (...args: A) => void, ...args: A): Timeout;
declare function clearTimeout(timeout: Timeout | number | undefined): void;
declare function clearInterval(timeout: Timeout | number | undefined): void;
declare function clearImmediate(timeout: Timeout | number | undefined): void;
declare function queueMicrotask(callback: () => void): void;

declare var performance: { readonly timeOrigin: number; now(): number };

declare var crypto: {
    getRandomValues<T extends ArrayBufferView | null>(array: T): T;
    randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
};

declare class TextEncoder {
    readonly encoding: "utf-8";
    encode(input?: string): Uint8Array;
}
declare class TextDecoder {
    readonly encoding: "utf-8";
    constructor(label?: string);
    decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare function btoa(data: string): string;
declare function atob(data: string): string;

declare class DOMException extends Error {
    constructor(message?: string, name?: string);
}
