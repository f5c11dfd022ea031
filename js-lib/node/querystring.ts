// The `querystring` built-in, written for Unfold after Node.js's legacy query-string module:
// `parse` and `stringify` with their separators and options, `escape` and `unescape`.
import { Buffer } from "./buffer.ts";

type Primitive = string | number | bigint | boolean;
type Input = Record<string, Primitive | readonly Primitive[] | null | undefined>;
interface StringifyOptions {
    encodeURIComponent?: (text: string) => string;
}
interface ParseOptions {
    maxKeys?: number;
    decodeURIComponent?: (text: string) => string;
}

function escape(text: unknown): string {
    return encodeURIComponent(typeof text === "string" ? text : String(text));
}

/** Percent-decodes `text` as bytes; malformed escapes stay as they are, as in Node.js. */
function unescapeBuffer(text: string, decodeSpaces = false): any {
    const bytes: number[] = [];
    const source = Buffer.from(text, "utf8");
    for (let i = 0; i < source.length; i++) {
        const byte = source[i];
        if (byte === 0x2b /* + */ && decodeSpaces) {
            bytes.push(0x20);
        } else if (byte === 0x25 /* % */ && i + 2 < source.length + 0 && isHex(source[i + 1]) && isHex(source[i + 2])) {
            bytes.push(parseInt(String.fromCharCode(source[i + 1], source[i + 2]), 16));
            i += 2;
        } else {
            bytes.push(byte);
        }
    }
    return Buffer.from(bytes);
}

function isHex(byte: number | undefined): boolean {
    return byte !== undefined && /[0-9a-fA-F]/.test(String.fromCharCode(byte));
}

function unescape(text: string, decodeSpaces?: boolean): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return unescapeBuffer(text, decodeSpaces).toString();
    }
}

function stringifyPrimitive(value: unknown): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" && isFinite(value)) return `${value}`;
    if (typeof value === "bigint") return `${value}`;
    if (typeof value === "boolean") return value ? "true" : "false";
    return "";
}

function stringify(object: Input | null | undefined, sep = "&", eq = "=", options: StringifyOptions = {}): string {
    if (object === null || typeof object !== "object") return "";
    const encode = options.encodeURIComponent ?? escape;
    const fields: string[] = [];
    for (const key of Object.keys(object)) {
        const value = object[key];
        const prefix = encode(stringifyPrimitive(key)) + eq;
        if (Array.isArray(value)) {
            for (const item of value) fields.push(prefix + encode(stringifyPrimitive(item)));
        } else {
            fields.push(prefix + encode(stringifyPrimitive(value)));
        }
    }
    return fields.join(sep || "&");
}

function parse(query: unknown, sep = "&", eq = "=", options: ParseOptions = {}): Record<string, string | string[]> {
    const result: Record<string, string | string[]> = Object.create(null);
    if (typeof query !== "string" || query.length === 0) return result;
    const separator = sep || "&";
    const equals = eq || "=";
    const maxKeys = typeof options.maxKeys === "number" ? options.maxKeys : 1000;
    const custom = options.decodeURIComponent;
    const decode = (text: string) => {
        const spaced = text.replace(/\+/g, " ");
        if (custom && custom !== unescape) {
            try {
                return custom(spaced);
            } catch {
                return unescape(spaced, true);
            }
        }
        return unescape(spaced, true);
    };
    let pieces = query.split(separator);
    if (maxKeys > 0) pieces = pieces.slice(0, maxKeys);
    for (const piece of pieces) {
        if (piece.length === 0) continue;
        const at = piece.indexOf(equals);
        const key = decode(at >= 0 ? piece.slice(0, at) : piece);
        const value = at >= 0 ? decode(piece.slice(at + equals.length)) : "";
        const existing = result[key];
        if (existing === undefined) {
            result[key] = value;
        } else if (Array.isArray(existing)) {
            existing.push(value);
        } else {
            result[key] = [existing, value];
        }
    }
    return result;
}

const querystring = { parse, stringify, escape, unescape, unescapeBuffer, decode: parse, encode: stringify };

export default querystring;
export { parse, stringify, escape, unescape, unescapeBuffer, parse as decode, stringify as encode };
