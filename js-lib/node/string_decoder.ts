// The `string_decoder` built-in, written for Unfold: decodes a stream of bytes into strings
// without splitting a character whose bytes arrive in different chunks.
import { Buffer } from "./buffer.ts";

const encodings: Record<string, string> = {
    utf8: "utf8",
    "utf-8": "utf8",
    ucs2: "utf16le",
    "ucs-2": "utf16le",
    utf16le: "utf16le",
    "utf-16le": "utf16le",
    latin1: "latin1",
    binary: "latin1",
    base64: "base64",
    base64url: "base64url",
    hex: "hex",
    ascii: "ascii",
};

function normalize(encoding: string | undefined): string {
    if (encoding === undefined || encoding === null || encoding === "") return "utf8";
    const found = encodings[String(encoding).toLowerCase()];
    if (!found) {
        throw Object.assign(new TypeError(`Unknown encoding: ${encoding}`), { code: "ERR_UNKNOWN_ENCODING" });
    }
    return found;
}

/** How many bytes at the end of `bytes` begin a UTF-8 character that is not complete yet. */
function incompleteUtf8(bytes: Uint8Array): number {
    for (let back = 1; back <= Math.min(3, bytes.length); back++) {
        const byte = bytes[bytes.length - back];
        if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
        const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
        return needed > back ? back : 0;
    }
    return 0;
}

class StringDecoder {
    readonly encoding: string;
    private pending: Uint8Array = new Uint8Array(0);

    constructor(encoding?: string) {
        this.encoding = normalize(encoding);
    }

    write(chunk: string | Uint8Array): string {
        if (typeof chunk === "string") return chunk;
        const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const keep = this.incomplete(bytes);
        this.pending = Buffer.from(bytes.subarray(bytes.length - keep));
        return (bytes.subarray(0, bytes.length - keep) as any).toString(this.encoding);
    }

    end(chunk?: string | Uint8Array): string {
        const text = chunk === undefined ? "" : this.write(chunk);
        const rest = this.pending;
        this.pending = new Uint8Array(0);
        if (rest.length === 0) return text;
        // An unfinished UTF-8 character ends as one replacement character, as in Node.js.
        if (this.encoding === "utf8") return `${text}\ufffd`;
        return text + (Buffer.from(rest) as any).toString(this.encoding);
    }

    private incomplete(bytes: Uint8Array): number {
        switch (this.encoding) {
            case "utf8":
                return incompleteUtf8(bytes);
            case "utf16le": {
                if (bytes.length % 2 === 1) return 1;
                if (bytes.length >= 2) {
                    const last = bytes[bytes.length - 2] | (bytes[bytes.length - 1] << 8);
                    if (last >= 0xd800 && last <= 0xdbff) return 2;
                }
                return 0;
            }
            case "base64":
            case "base64url":
                return bytes.length % 3;
            default:
                return 0;
        }
    }
}

export default { StringDecoder };
export { StringDecoder };
