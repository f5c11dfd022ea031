// What closure serialization learns from V8 (runtime/src/closure): where a function was defined,
// the values its scopes hold, what a bound function wraps, and the analysis of a function's text.
// The ops are captured when the bootstrap loads, before it removes `Deno` from the global scope.

/** The analysis of a function's text (runtime/src/closure/parse.rs). */
export interface ParsedFunction {
    funcExprWithoutName: string;
    funcExprWithName: string | null;
    functionDeclarationName: string | null;
    isArrowFunction: boolean;
    required: string[];
    optional: string[];
    usesNonLexicalThis: boolean;
}

interface ClosureOps {
    op_closure_internals(): void;
    op_closure_location(fn: Function): { file: string; line: number; column: number };
    op_closure_parse(text: string): ParsedFunction | { error: string };
    op_closure_rewrite_super(code: string, isStatic: boolean): string;
}

const ops = (globalThis as unknown as { Deno: { core: { ops: ClosureOps } } }).Deno.core.ops;

/** Where the host's inspector finds the function to read. */
const PROBE = Symbol.for("unfold.closure.probe");

/** One entry of a function's `[[Scopes]]`, innermost first. */
export interface Scope {
    type: string;
    name?: string;
    object: Record<string, unknown>;
}

/** The internal properties V8's inspector reports for `fn`. */
function internalsOf(fn: Function): Record<string, unknown> {
    const probe = { fn, internal: Object.create(null) as Record<string, unknown> };
    Object.defineProperty(globalThis, PROBE, { value: probe, configurable: true, enumerable: false });
    try {
        ops.op_closure_internals();
    } finally {
        delete (globalThis as Record<symbol, unknown>)[PROBE];
    }
    return probe.internal;
}

export function functionLocation(fn: Function): { file: string; line: number; column: number } {
    return ops.op_closure_location(fn);
}

export function parseFunctionText(text: string): ParsedFunction | { error: string } {
    return ops.op_closure_parse(text);
}

/**
 * `code` (a function expression) with `super(...)`, `super.m(...)` and `super.x` rewritten to use
 * `__super`, the captured base class, as a class member is emitted as a plain function.
 */
export function rewriteSuperReferences(code: string, isStatic: boolean): string {
    return ops.op_closure_rewrite_super(code, isStatic);
}

/** The scopes `fn` closes over, innermost first. */
export function capturedScopes(fn: Function): Scope[] {
    const scopes = internalsOf(fn)["[[Scopes]]"] as ArrayLike<Scope> | undefined;
    if (scopes === undefined) {
        throw new Error("Could not find [[Scopes]] property");
    }
    const result: Scope[] = [];
    for (let i = 0; i < scopes.length; i++) {
        result.push(scopes[i]);
    }
    return result;
}

/** The value of `name` in `scopes`: the innermost scope that declares it wins. */
export function lookupCapturedVariable(scopes: Scope[], name: string): { found: boolean; value?: unknown } {
    for (const scope of scopes) {
        if (scope?.object && name in scope.object) {
            return { found: true, value: scope.object[name] };
        }
    }
    return { found: false };
}

/** What a function made by `Function.prototype.bind` wraps. */
export function boundFunction(fn: Function): { target: Function; boundThis: unknown; boundArgs: unknown[] } {
    const internal = internalsOf(fn);
    const target = internal["[[TargetFunction]]"];
    if (typeof target !== "function") {
        throw new Error("function is not a bound function");
    }
    const args = internal["[[BoundArgs]]"] as ArrayLike<unknown> | undefined;
    return { target, boundThis: internal["[[BoundThis]]"], boundArgs: args ? Array.from(args) : [] };
}
