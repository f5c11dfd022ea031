// The `crypto` built-in, written for Unfold: hashes and HMACs computed by the host (a pure
// function, no crossing), random bytes from the program's seeded generator (`crypto.getRandomValues`,
// whose seed is recorded).
import { Buffer } from "./buffer.ts";
import { op_node_hash } from "./internal/ops.ts";

type Data = string | Uint8Array | ArrayBufferView;

function bytes(data: Data, encoding?: string): Uint8Array {
    if (typeof data === "string") {
        return Buffer.from(data, (encoding ?? "utf8") as any);
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

class Hash {
    private chunks: Uint8Array[] = [];
    private done = false;
    constructor(private readonly algorithm: string, private readonly key?: Uint8Array) {
        // Fail at creation, as Node.js does, for an unknown algorithm.
        op_node_hash(algorithm, new Uint8Array(0), key);
    }
    update(data: Data, encoding?: string): this {
        if (this.done) {
            throw new Error("Digest already called");
        }
        this.chunks.push(bytes(data, encoding));
        return this;
    }
    digest(encoding?: string): any {
        if (this.done) {
            throw new Error("Digest already called");
        }
        this.done = true;
        const all = Buffer.concat(this.chunks);
        const result = Buffer.from(op_node_hash(this.algorithm, all, this.key));
        return encoding === undefined || encoding === "buffer" ? result : result.toString(encoding as any);
    }
    copy(): Hash {
        const copy = new Hash(this.algorithm, this.key);
        copy.chunks = [...this.chunks];
        return copy;
    }
}

function createHash(algorithm: string): Hash {
    return new Hash(algorithm);
}

function createHmac(algorithm: string, key: Data): Hash {
    return new Hash(algorithm, bytes(key));
}

function hash(algorithm: string, data: Data, encoding = "hex"): any {
    return createHash(algorithm).update(data).digest(encoding);
}

const webcrypto = (globalThis as any).crypto as { getRandomValues<T extends ArrayBufferView>(a: T): T; randomUUID(): string };

function randomFillSync<T extends ArrayBufferView>(buffer: T): T {
    const view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    for (let offset = 0; offset < view.length; offset += 65536) {
        webcrypto.getRandomValues(view.subarray(offset, offset + 65536));
    }
    return buffer;
}

function randomBytes(size: number, callback?: (err: Error | null, buf: any) => void): any {
    const buffer = randomFillSync(Buffer.alloc(size));
    if (callback) {
        queueMicrotask(() => callback(null, buffer));
        return undefined;
    }
    return buffer;
}

function randomInt(min: number, max?: number, callback?: (err: Error | null, n: number) => void): any {
    if (max === undefined || typeof max === "function") {
        callback = max as any;
        max = min;
        min = 0;
    }
    const range = max - min;
    const [word] = webcrypto.getRandomValues(new Uint32Array(1));
    const n = min + (word % range);
    if (callback) {
        queueMicrotask(() => callback!(null, n));
        return undefined;
    }
    return n;
}

function timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean {
    const x = bytes(a);
    const y = bytes(b);
    if (x.length !== y.length) {
        throw new RangeError("Input buffers must have the same byte length");
    }
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
    return diff === 0;
}

function getHashes(): string[] {
    return ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"];
}

function unsupported(name: string) {
    return () => {
        throw new Error(`crypto.${name} is not provided by Unfold (hashes, HMACs and random bytes are)`);
    };
}

const crypto = {
    createHash,
    createHmac,
    hash,
    randomBytes,
    randomFillSync,
    randomInt,
    randomUUID: () => webcrypto.randomUUID(),
    getRandomValues: <T extends ArrayBufferView>(a: T) => webcrypto.getRandomValues(a),
    timingSafeEqual,
    getHashes,
    webcrypto,
    createCipheriv: unsupported("createCipheriv"),
    createDecipheriv: unsupported("createDecipheriv"),
    createSign: unsupported("createSign"),
    createVerify: unsupported("createVerify"),
    generateKeyPairSync: unsupported("generateKeyPairSync"),
    pbkdf2Sync: unsupported("pbkdf2Sync"),
    scryptSync: unsupported("scryptSync"),
};

export default crypto;
export { createHash, createHmac, hash, randomBytes, randomFillSync, randomInt, timingSafeEqual, getHashes, webcrypto };
export const randomUUID = crypto.randomUUID;
export const getRandomValues = crypto.getRandomValues;
