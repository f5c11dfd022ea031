// What a handler closes over, by variable name, in terms a reviewer reads: a preview of a Function
// whose configuration or resource output changed shows that variable's old and new value. Read
// through V8's inspector as closure serialization reads it; secrets are shown as secret.

import { Output } from "../pulumi/output.ts";
import { Resource } from "../pulumi/resource.ts";
import { FUNCTION_TYPE } from "./names.ts";
import { capturedScopes, lookupCapturedVariable, parseFunctionText } from "../pulumi/runtime/closure/v8.ts";

/** The parts of an Output's implementation this module reads. */
interface Settling {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(): Promise<unknown>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Longer strings are shown by their start and length. */
const MAX_TEXT = 200;
/** Plain data is shown this deep; deeper values by their kind. */
const MAX_DEPTH = 3;
/** What a secret is shown as. */
const SECRET = "[secret]";

/** The variables `handler` captures from the program, each described. */
export async function capturedValues(handler: Function): Promise<Record<string, Json>> {
    const parsed = parseFunctionText(handler.toString());
    if ("error" in parsed) {
        return {};
    }
    let scopes;
    try {
        scopes = capturedScopes(handler);
    } catch {
        return {};
    }
    const names = [...new Set([...parsed.required, ...parsed.optional])].sort();
    const captured: Record<string, Json> = {};
    for (const name of names) {
        const found = lookupCapturedVariable(scopes, name);
        if (found.found) {
            captured[name] = await describe(found.value, 0);
        }
    }
    return captured;
}

async function describe(value: unknown, depth: number): Promise<Json> {
    try {
        return await describeValue(value, depth);
    } catch {
        return "[unreadable]";
    }
}

async function describeValue(value: unknown, depth: number): Promise<Json> {
    switch (typeof value) {
        case "undefined":
            return "undefined";
        case "boolean":
            return value;
        case "number":
            return Number.isFinite(value) ? value : String(value);
        case "bigint":
            return `${value}n`;
        case "string":
            return value.length <= MAX_TEXT ? value : `${value.slice(0, MAX_TEXT)}… (${value.length} characters)`;
        case "symbol":
            return value.toString();
        case "function":
            return `function ${value.name || "(anonymous)"}`;
    }
    if (value === null) {
        return null;
    }
    if (Output.isInstance(value)) {
        const output = value as unknown as Settling;
        if (await output.isSecret) {
            return SECRET;
        }
        return (await output.isKnown) ? describe(await output.promise(), depth) : "[unknown]";
    }
    if (Resource.isInstance(value) && (value as Resource).__pulumiType === FUNCTION_TYPE) {
        // A Function is registered once the capture that describes it is done: its URN would never
        // come in time. Its name is what identifies it in the stack.
        return `Function ${(value as unknown as { functionName: string }).functionName}`;
    }
    if (Resource.isInstance(value)) {
        return `resource ${await ((value as Resource).urn as unknown as Settling).promise()}`;
    }
    const className = (value as object).constructor?.name;
    if (depth >= MAX_DEPTH) {
        return Array.isArray(value) ? `[array of ${value.length}]` : `[object ${className ?? "Object"}]`;
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map((item) => describe(item, depth + 1)));
    }
    if (className !== undefined && className !== "Object") {
        return `[object ${className}]`;
    }
    const described: Record<string, Json> = {};
    for (const key of Object.keys(value as object).sort()) {
        described[key] = await describe((value as Record<string, unknown>)[key], depth + 1);
    }
    return described;
}

/**
 * `captures` with every string that holds one of the Function's secret values replaced: a handler
 * may capture a secret as a plain string it took out of an Output.
 */
export function withoutSecrets(captures: Record<string, unknown>, secrets: unknown[]): Record<string, unknown> {
    const texts: string[] = [];
    const collect = (value: unknown): void => {
        if (typeof value === "string") {
            texts.push(value);
        } else if (value !== null && typeof value === "object") {
            Object.values(value).forEach(collect);
        }
    };
    secrets.forEach(collect);
    const hide = (value: unknown): unknown => {
        if (typeof value === "string") {
            return texts.some((secret) => secret.length > 0 && value.includes(secret)) ? SECRET : value;
        }
        if (Array.isArray(value)) {
            return value.map(hide);
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, hide(item)]));
        }
        return value;
    };
    return hide(captures) as Record<string, unknown>;
}
