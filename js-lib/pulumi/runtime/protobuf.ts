// The protobuf binary wire format, as far as the engine's callback messages need it: varints,
// doubles and length-delimited fields, plus the UTF-8 and base64 codecs that carry them.

export const wireVarint = 0;
export const wireFixed64 = 1;
export const wireLengthDelimited = 2;
export const wireFixed32 = 5;

/** One field as read from the wire. */
export interface WireField {
    field: number;
    wire: number;
    /** The varint (as a number), or the raw bytes of fixed and length-delimited fields. */
    value: number | Uint8Array;
}

/** Splits a message into its fields, in wire order. */
export function readFields(bytes: Uint8Array): WireField[] {
    const fields: WireField[] = [];
    let pos = 0;
    const varint = (): number => {
        let result = 0;
        let scale = 1;
        for (;;) {
            if (pos >= bytes.length) {
                throw new Error("truncated protobuf varint");
            }
            const b = bytes[pos++];
            result += (b & 0x7f) * scale;
            if ((b & 0x80) === 0) {
                return result;
            }
            scale *= 128;
        }
    };
    const take = (n: number): Uint8Array => {
        if (pos + n > bytes.length) {
            throw new Error("truncated protobuf field");
        }
        const slice = bytes.subarray(pos, pos + n);
        pos += n;
        return slice;
    };
    while (pos < bytes.length) {
        const key = varint();
        const field = Math.floor(key / 8);
        const wire = key % 8;
        switch (wire) {
            case wireVarint:
                fields.push({ field, wire, value: varint() });
                break;
            case wireFixed64:
                fields.push({ field, wire, value: take(8) });
                break;
            case wireLengthDelimited:
                fields.push({ field, wire, value: take(varint()) });
                break;
            case wireFixed32:
                fields.push({ field, wire, value: take(4) });
                break;
            default:
                throw new Error(`unsupported protobuf wire type ${wire}`);
        }
    }
    return fields;
}

/** Reads a little-endian IEEE 754 double. */
export function readDouble(bytes: Uint8Array): number {
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
}

/** Builds a message field by field. */
export class ProtoWriter {
    private readonly out: number[] = [];

    private varint(n: number): void {
        let v = n;
        while (v >= 0x80) {
            this.out.push((v % 128) | 0x80);
            v = Math.floor(v / 128);
        }
        this.out.push(v);
    }

    private key(field: number, wire: number): void {
        this.varint(field * 8 + wire);
    }

    uint(field: number, n: number): this {
        this.key(field, wireVarint);
        this.varint(n);
        return this;
    }

    bool(field: number, b: boolean): this {
        return this.uint(field, b ? 1 : 0);
    }

    double(field: number, d: number): this {
        this.key(field, wireFixed64);
        const buf = new Uint8Array(8);
        new DataView(buf.buffer).setFloat64(0, d, true);
        this.out.push(...buf);
        return this;
    }

    bytes(field: number, bytes: Uint8Array): this {
        this.key(field, wireLengthDelimited);
        this.varint(bytes.length);
        for (const b of bytes) {
            this.out.push(b);
        }
        return this;
    }

    string(field: number, s: string): this {
        return this.bytes(field, encodeUtf8(s));
    }

    finish(): Uint8Array {
        return Uint8Array.from(this.out);
    }
}

export function encodeUtf8(s: string): Uint8Array {
    const out: number[] = [];
    for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (c < 0x80) {
            out.push(c);
        } else if (c < 0x800) {
            out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
        } else {
            out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
        }
    }
    return Uint8Array.from(out);
}

export function decodeUtf8(bytes: Uint8Array): string {
    let s = "";
    for (let i = 0; i < bytes.length; ) {
        const b = bytes[i];
        let c: number;
        if (b < 0x80) {
            c = b;
            i += 1;
        } else if (b < 0xe0) {
            c = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
            i += 2;
        } else if (b < 0xf0) {
            c = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
            i += 3;
        } else {
            c = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
            i += 4;
        }
        s += String.fromCodePoint(c);
    }
    return s;
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function encodeBase64(bytes: Uint8Array): string {
    let s = "";
    for (let i = 0; i < bytes.length; i += 3) {
        const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
        s += base64Alphabet[(n >> 18) & 63] + base64Alphabet[(n >> 12) & 63];
        s += i + 1 < bytes.length ? base64Alphabet[(n >> 6) & 63] : "=";
        s += i + 2 < bytes.length ? base64Alphabet[n & 63] : "=";
    }
    return s;
}

export function decodeBase64(text: string): Uint8Array {
    const clean = text.replace(/[\s=]/g, "").replace(/-/g, "+").replace(/_/g, "/");
    const out: number[] = [];
    let buffer = 0;
    let bits = 0;
    for (const ch of clean) {
        const v = base64Alphabet.indexOf(ch);
        if (v < 0) {
            throw new Error(`invalid base64 character '${ch}'`);
        }
        buffer = (buffer << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push((buffer >> bits) & 0xff);
        }
    }
    return Uint8Array.from(out);
}
