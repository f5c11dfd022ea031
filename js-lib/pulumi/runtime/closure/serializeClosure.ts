// `serializeFunction`: a function and everything it captured, as the text of a Node.js module
// that exports it. The text has the shape Pulumi's Node.js SDK emits: each function is wrapped so
// that its captured variables are in scope through `with`, and every object is rebuilt with its
// prototype and property descriptors.

import type { Resource } from "../../resource.ts";
import { createClosureInfo, type ClosureInfo, type Entry, type FunctionInfo, type ObjectInfo, type PropertyInfo } from "./createClosure.ts";
import { isLegalMemberName } from "./utils.ts";

export interface SerializeFunctionArgs {
    /** The name of the export of the module (`handler` by default). */
    exportName?: string;
    /** Whether a value may be captured; one that may not becomes `undefined`. */
    serialize?: (o: any) => boolean;
    /** The function is a factory: the module exports what calling it returns. */
    isFactoryFunction?: boolean;
    /** The resource that error messages are reported on. */
    logResource?: Resource;
    /** Whether capturing a secret Output is allowed. */
    allowSecrets?: boolean;
}

export interface SerializedFunction {
    /** The text of a Node.js module that exports the function as `exportName`. */
    text: string;
    exportName: string;
    /** Whether a secret Output's value was captured (and so is in `text`). */
    containsSecrets: boolean;
}

export async function serializeFunction(func: Function, args: SerializeFunctionArgs = {}): Promise<SerializedFunction> {
    const exportName = args.exportName || "handler";
    const serialize = args.serialize || (() => true);
    const isFactoryFunction = args.isFactoryFunction === undefined ? false : args.isFactoryFunction;
    const closure = await createClosureInfo(func, serialize, args.logResource);
    if (!args.allowSecrets && closure.containsSecrets) {
        throw new Error("Secret outputs cannot be captured by a closure.");
    }
    return serializeJavaScriptText(closure, exportName, isFactoryFunction);
}

/** @deprecated Use `serializeFunction`. */
export async function serializeFunctionAsync(func: Function, serialize?: (o: any) => boolean): Promise<string> {
    const closure = await createClosureInfo(func, serialize || (() => true), undefined);
    if (closure.containsSecrets) {
        throw new Error("Secret outputs cannot be captured by a closure.");
    }
    return serializeJavaScriptText(closure, "handler", false).text;
}

/** Identifiers a module cannot rebind: a captured module of that name is imported under another. */
const RESERVED_IDENTIFIERS = new Set(["exports"]);

function serializeJavaScriptText(outer: ClosureInfo, exportName: string, isFactoryFunction: boolean): SerializedFunction {
    const entryToVar = new Map<Entry, string>();
    const varNames = new Set<string>();
    const functionToVar = new Map<FunctionInfo, string>();
    const importedIdentifiers = new Map<string, { as: string; reserved: boolean; identifier: string }>();
    let environmentText = "";
    let functionText = "";

    const outerName = emitFunction(outer.func);
    if (environmentText) {
        environmentText = "\n" + environmentText;
    }
    const exportText = `exports.${exportName} = ${outerName}${isFactoryFunction ? "()" : ""};`;
    const text = isFactoryFunction
        ? environmentText + functionText + "\n" + exportText
        : exportText + "\n" + environmentText + functionText;
    return { text, exportName, containsSecrets: outer.containsSecrets };

    function emitFunction(info: FunctionInfo): string {
        let name = functionToVar.get(info);
        if (name === undefined) {
            name = info.name ? createVarName(info.name, false) : createVarName("f", true);
            functionToVar.set(info, name);
            emitFunctionWorker(info, name);
        }
        return name;
    }

    function emitFunctionWorker(info: FunctionInfo, varName: string): void {
        const captured = envObject(info.capturedValues);
        const thisCapture = captured.this;
        const argumentsCapture = captured.arguments;
        captured.this = undefined;
        captured.arguments = undefined;
        const parameters = [...Array(info.paramCount)].map((_, i) => `__${i}`).join(", ");

        // Captured modules are required once, at the top of the module.
        for (const [keyEntry, { entry }] of info.capturedValues) {
            if (entry.module === undefined) {
                continue;
            }
            const key = keyEntry.json as string;
            let imported = importedIdentifiers.get(key);
            if (imported === undefined) {
                const reserved = RESERVED_IDENTIFIERS.has(key);
                imported = { identifier: key, reserved, as: reserved ? `__pulumi_closure_import_${key}` : key };
                importedIdentifiers.set(key, imported);
                functionText += `const ${imported.as} = require("${entry.module}");\n`;
            }
            if (imported.reserved) {
                captured[imported.identifier] = imported.as;
            } else {
                delete captured[key];
            }
        }

        functionText +=
            "\n" +
            "function " + varName + "(" + parameters + ") {\n" +
            "  return (function() {\n" +
            "    with(" + envObjectToString(captured) + ") {\n\n" +
            "return " + info.code + ";\n\n" +
            "    }\n" +
            "  }).apply(" + thisCapture + ", " + argumentsCapture + ").apply(this, arguments);\n" +
            "}\n";

        emitComplexObjectProperties(varName, varName, info);
        if (info.proto !== undefined) {
            const protoVar = entryToString(info.proto, `${varName}_proto`);
            environmentText += `Object.setPrototypeOf(${varName}, ${protoVar});\n`;
        }
    }

    function envObject(env: Map<Entry, { entry: Entry }>): Record<string, string | undefined> {
        const result: Record<string, string | undefined> = {};
        for (const [keyEntry, { entry }] of env) {
            if (typeof keyEntry.json !== "string") {
                throw new Error("PropertyMap key was not a string.");
            }
            result[keyEntry.json] = entryToString(entry, keyEntry.json);
        }
        return result;
    }

    function entryToString(entry: Entry, varName: string): string {
        const existing = entryToVar.get(entry);
        if (existing !== undefined) {
            return existing;
        }
        return isObjOrArrayOrRegExp(entry) ? complexEntryToString(entry, varName) : simpleEntryToString(entry, varName);
    }

    function simpleEntryToString(entry: Entry, varName: string): string {
        if (Object.prototype.hasOwnProperty.call(entry, "json")) {
            return JSON.stringify(entry.json) ?? "undefined";
        } else if (entry.function !== undefined) {
            return emitFunction(entry.function);
        } else if (entry.module !== undefined) {
            return `require("${entry.module}")`;
        } else if (entry.output !== undefined) {
            return entryToString(entry.output, varName);
        } else if (entry.expr) {
            return entry.expr;
        } else if (entry.promise !== undefined) {
            return `Promise.resolve(${entryToString(entry.promise, varName)})`;
        }
        throw new Error("Malformed: " + JSON.stringify(entry));
    }

    function complexEntryToString(entry: Entry, varName: string): string {
        const envVar = createVarName(varName, false);
        entryToVar.set(entry, envVar);
        if (entry.object) {
            emitObject(envVar, entry.object, varName);
        } else if (entry.array) {
            emitArray(envVar, entry.array, varName);
        } else if (entry.regexp) {
            const { source, flags } = entry.regexp;
            environmentText += `var ${envVar} = new RegExp(${JSON.stringify(source)}, ${JSON.stringify(flags)});\n`;
        }
        return envVar;
    }

    function createVarName(baseName: string, addIndexAtEnd: boolean): string {
        const legal = baseName.replace(/[^0-9a-zA-Z_]/g, "").replace(/^_*/g, "");
        let index = 0;
        let name = addIndexAtEnd ? "__" + legal + index : "__" + legal;
        while (varNames.has(name)) {
            name = addIndexAtEnd ? "__" + legal + index : "__" + index + "_" + legal;
            index++;
        }
        varNames.add(name);
        return name;
    }

    function emitObject(envVar: string, obj: ObjectInfo, varName: string): void {
        const complex =
            obj.proto !== undefined ||
            [...obj.env.values()].some((v) => v !== undefined && (!isSimplePropertyInfo(v.info) || deepContainsObjOrArrayOrRegExp(v.entry)));
        if (complex) {
            if (obj.proto !== undefined) {
                const protoVar = entryToString(obj.proto, `${varName}_proto`);
                environmentText += `var ${envVar} = Object.create(${protoVar});\n`;
            } else {
                environmentText += `var ${envVar} = {};\n`;
            }
            emitComplexObjectProperties(envVar, varName, obj);
            return;
        }
        const props: string[] = [];
        for (const [keyEntry, value] of obj.env) {
            if (value === undefined) {
                continue;
            }
            const keyName = typeof keyEntry.json === "string" ? keyEntry.json : "sym";
            const propName = entryToString(keyEntry, keyName);
            const propVal = simpleEntryToString(value.entry, keyName);
            if (typeof keyEntry.json === "string" && isLegalMemberName(keyEntry.json)) {
                props.push(`${keyEntry.json}: ${propVal}`);
            } else {
                props.push(`[${propName}]: ${propVal}`);
            }
        }
        environmentText += `var ${envVar} = {${props.join(", ")}};\n`;
    }

    function emitComplexObjectProperties(envVar: string, varName: string, obj: ObjectInfo): void {
        for (const [keyEntry, value] of obj.env) {
            if (value === undefined) {
                continue;
            }
            const subName = typeof keyEntry.json === "string" ? keyEntry.json : "sym";
            const keyString = entryToString(keyEntry, varName + "_" + subName);
            const valString = entryToString(value.entry, varName + "_" + subName);
            if (isSimplePropertyInfo(value.info)) {
                if (typeof keyEntry.json === "string" && isLegalMemberName(keyEntry.json)) {
                    environmentText += `${envVar}.${keyEntry.json} = ${valString};\n`;
                } else {
                    environmentText += `${envVar}[${keyString}] = ${valString};\n`;
                }
            } else {
                emitDefineProperty(value.info!, valString, keyString);
            }
        }

        function emitDefineProperty(desc: PropertyInfo, value: string, propName: string): void {
            const copy: Record<string, string | boolean | undefined> = {};
            if (desc.configurable) {
                copy.configurable = desc.configurable;
            }
            if (desc.enumerable) {
                copy.enumerable = desc.enumerable;
            }
            if (desc.writable) {
                copy.writable = desc.writable;
            }
            if (desc.get) {
                copy.get = entryToString(desc.get, `${varName}_get`);
            }
            if (desc.set) {
                copy.set = entryToString(desc.set, `${varName}_set`);
            }
            if (desc.hasValue) {
                copy.value = value;
            }
            environmentText += `Object.defineProperty(${envVar}, ${propName}, ${envObjectToString(copy)});\n`;
        }
    }

    function emitArray(envVar: string, arr: Entry[], varName: string): void {
        if (arr.some(deepContainsObjOrArrayOrRegExp) || isSparse(arr) || hasNonNumericIndices(arr)) {
            environmentText += `var ${envVar} = [];\n`;
            for (const key of Object.getOwnPropertyNames(arr)) {
                if (key !== "length") {
                    const value = entryToString((arr as any)[key], `${varName}_${key}`);
                    environmentText += `${envVar}${isNumeric(key) ? `[${key}]` : `.${key}`} = ${value};\n`;
                }
            }
        } else {
            const items = arr.map((entry, i) => simpleEntryToString(entry, `${varName}_${i}`));
            environmentText += `var ${envVar} = [${items.join(", ")}];\n`;
        }
    }
}

function isSimplePropertyInfo(info: PropertyInfo | undefined): boolean {
    if (!info) {
        return true;
    }
    return info.enumerable === true && info.writable === true && info.configurable === true && !info.get && !info.set;
}

function isSparse(arr: unknown[]): boolean {
    return arr.length !== Object.getOwnPropertyNames(arr).length - 1;
}

function hasNonNumericIndices(arr: unknown[]): boolean {
    return Object.keys(arr).some((k) => k !== "length" && !isNumeric(k));
}

function isNumeric(n: string): boolean {
    return !isNaN(parseFloat(n)) && isFinite(+n);
}

function isObjOrArrayOrRegExp(entry: Entry): boolean {
    return entry.object !== undefined || entry.array !== undefined || entry.regexp !== undefined;
}

function deepContainsObjOrArrayOrRegExp(entry: Entry): boolean {
    return (
        isObjOrArrayOrRegExp(entry) ||
        (entry.output !== undefined && deepContainsObjOrArrayOrRegExp(entry.output)) ||
        (entry.promise !== undefined && deepContainsObjOrArrayOrRegExp(entry.promise))
    );
}

/** An object literal whose values are code (variable names, expressions), not JSON. */
function envObjectToString(env: Record<string, string | boolean | undefined>): string {
    return `{ ${Object.keys(env)
        .map((k) => `${k}: ${env[k]}`)
        .join(", ")} }`;
}
