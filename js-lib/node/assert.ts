// The `assert` built-in, written for Unfold on util's structural equality.
import util, { deepEqual } from "./util.ts";

export class AssertionError extends Error {
    readonly code = "ERR_ASSERTION";
    readonly actual: unknown;
    readonly expected: unknown;
    readonly operator: string;
    readonly generatedMessage: boolean;
    constructor(options: { message?: string | Error; actual?: unknown; expected?: unknown; operator?: string }) {
        const generated = options.message === undefined;
        super(generated
            ? `${util.inspect(options.actual)} ${options.operator} ${util.inspect(options.expected)}`
            : String(options.message instanceof Error ? options.message.message : options.message));
        this.name = "AssertionError";
        this.actual = options.actual;
        this.expected = options.expected;
        this.operator = options.operator ?? "";
        this.generatedMessage = generated;
    }
}

function check(pass: boolean, actual: unknown, expected: unknown, operator: string, message?: string | Error): void {
    if (!pass) {
        if (message instanceof Error) {
            throw message;
        }
        throw new AssertionError({ message, actual, expected, operator });
    }
}

function ok(value: unknown, message?: string | Error): void {
    if (!value) {
        if (message instanceof Error) {
            throw message;
        }
        throw new AssertionError({
            message: message ?? "The expression evaluated to a falsy value",
            actual: value,
            expected: true,
            operator: "==",
        });
    }
}

function matches(err: unknown, expected: unknown): boolean {
    if (expected === undefined) return true;
    if (typeof expected === "function") {
        if ((expected as Function).prototype !== undefined && err instanceof (expected as Function)) return true;
        if (Error.isPrototypeOf(expected as Function)) return false;
        return (expected as (e: unknown) => boolean)(err) === true;
    }
    if (expected instanceof RegExp) return expected.test(String(err));
    if (typeof expected === "object" && expected !== null) {
        return Object.entries(expected).every(([k, v]) =>
            v instanceof RegExp ? v.test(String((err as any)?.[k])) : deepEqual((err as any)?.[k], v, true));
    }
    return false;
}

const assert = Object.assign(
    (value: unknown, message?: string | Error) => ok(value, message),
    {
        ok,
        AssertionError,
        fail(message: string | Error = "Failed"): never {
            if (message instanceof Error) throw message;
            throw new AssertionError({ message, operator: "fail" });
        },
        equal: (a: unknown, b: unknown, m?: string | Error) => check(a == b || (a !== a && b !== b), a, b, "==", m),
        notEqual: (a: unknown, b: unknown, m?: string | Error) => check(a != b, a, b, "!=", m),
        strictEqual: (a: unknown, b: unknown, m?: string | Error) => check(Object.is(a, b), a, b, "strictEqual", m),
        notStrictEqual: (a: unknown, b: unknown, m?: string | Error) => check(!Object.is(a, b), a, b, "notStrictEqual", m),
        deepEqual: (a: unknown, b: unknown, m?: string | Error) => check(deepEqual(a, b, false), a, b, "deepEqual", m),
        notDeepEqual: (a: unknown, b: unknown, m?: string | Error) => check(!deepEqual(a, b, false), a, b, "notDeepEqual", m),
        deepStrictEqual: (a: unknown, b: unknown, m?: string | Error) => check(deepEqual(a, b, true), a, b, "deepStrictEqual", m),
        notDeepStrictEqual: (a: unknown, b: unknown, m?: string | Error) =>
            check(!deepEqual(a, b, true), a, b, "notDeepStrictEqual", m),
        throws(fn: () => unknown, expected?: unknown, message?: string | Error): void {
            try {
                fn();
            } catch (err) {
                check(matches(err, expected), err, expected, "throws", message);
                return;
            }
            throw new AssertionError({ message: message ?? "Missing expected exception.", operator: "throws" });
        },
        doesNotThrow(fn: () => unknown, message?: string | Error): void {
            try {
                fn();
            } catch (err) {
                throw new AssertionError({ message: message ?? `Got unwanted exception: ${err}`, actual: err, operator: "doesNotThrow" });
            }
        },
        async rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: unknown, message?: string | Error) {
            try {
                await (typeof promise === "function" ? promise() : promise);
            } catch (err) {
                check(matches(err, expected), err, expected, "rejects", message);
                return;
            }
            throw new AssertionError({ message: message ?? "Missing expected rejection.", operator: "rejects" });
        },
        async doesNotReject(promise: Promise<unknown> | (() => Promise<unknown>), message?: string | Error) {
            try {
                await (typeof promise === "function" ? promise() : promise);
            } catch (err) {
                throw new AssertionError({ message: message ?? `Got unwanted rejection: ${err}`, actual: err, operator: "doesNotReject" });
            }
        },
        match: (s: string, re: RegExp, m?: string | Error) => check(re.test(s), s, re, "match", m),
        doesNotMatch: (s: string, re: RegExp, m?: string | Error) => check(!re.test(s), s, re, "doesNotMatch", m),
        ifError(value: unknown): void {
            if (value !== null && value !== undefined) throw value;
        },
    },
);
(assert as any).strict = assert;

export default assert;
export const { equal, notEqual, strictEqual, notStrictEqual, deepEqual: deepEqualAssert, deepStrictEqual, throws, fail } = assert;
export { ok };
