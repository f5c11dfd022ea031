// The `zlib` built-in, written for Unfold: gzip, zlib and raw deflate computed by the host (flate2,
// a pure function, no crossing), in Node.js's sync, callback and stream forms, and `crc32`. The
// streams compress what was written to them when they end. Brotli is not provided.
import { Buffer } from "./buffer.ts";
import { op_node_crc32, op_node_zlib } from "./internal/ops.ts";
import { Transform } from "./stream.ts";

type Input = string | ArrayBuffer | ArrayBufferView;
interface Options {
    level?: number;
    [option: string]: unknown;
}
type Callback = (error: Error | null, result?: any) => void;

const errnos: Record<string, number> = { Z_DATA_ERROR: -3, Z_BUF_ERROR: -5 };

function bytes(input: Input): Uint8Array {
    if (typeof input === "string") return Buffer.from(input, "utf8");
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw Object.assign(
        new TypeError('The "buffer" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer.'),
        { code: "ERR_INVALID_ARG_TYPE" },
    );
}

/** Runs `method` on the host; a failure carries zlib's `code` and `errno`, as in Node.js. */
function run(method: string, input: Input, options: Options = {}): any {
    const level = typeof options.level === "number" ? options.level : -1;
    try {
        return Buffer.from(op_node_zlib(method, bytes(input), level));
    } catch (error) {
        const text = String((error as Error).message ?? error);
        const match = /^(Z_[A-Z_]+): (.*)$/.exec(text);
        if (!match) throw error;
        throw Object.assign(new Error(match[2]), { code: match[1], errno: errnos[match[1]] });
    }
}

function syncForm(method: string) {
    return (input: Input, options?: Options) => run(method, input, options);
}

function callbackForm(method: string) {
    return (input: Input, options: Options | Callback, callback?: Callback) => {
        const done = (typeof options === "function" ? options : callback) as Callback;
        const opts = typeof options === "object" && options !== null ? options : {};
        let result: unknown;
        try {
            result = run(method, input, opts);
        } catch (error) {
            queueMicrotask(() => done(error as Error));
            return;
        }
        queueMicrotask(() => done(null, result));
    };
}

/** A zlib stream: gathers what is written and emits the whole result when it ends. */
class Zlib extends Transform {
    bytesWritten = 0;
    private readonly chunks: Uint8Array[] = [];
    constructor(
        private readonly method: string,
        private readonly options: Options = {},
    ) {
        super();
    }
    _transform(chunk: any, encoding: string, callback: (err?: Error | null) => void): void {
        const data = typeof chunk === "string" ? Buffer.from(chunk, encoding as any) : bytes(chunk);
        this.chunks.push(data);
        this.bytesWritten += data.length;
        callback();
    }
    _flush(callback: (err?: Error | null, data?: unknown) => void): void {
        let result: Uint8Array;
        try {
            result = run(this.method, Buffer.concat(this.chunks), this.options);
        } catch (error) {
            callback(error as Error);
            return;
        }
        callback(null, result.length > 0 ? result : undefined);
    }
    flush(_kind?: unknown, callback?: () => void): void {
        const done = typeof _kind === "function" ? (_kind as () => void) : callback;
        if (done) queueMicrotask(done);
    }
    params(_level: number, _strategy: number, callback?: () => void): void {
        if (callback) queueMicrotask(callback);
    }
    reset(): void {
        this.chunks.length = 0;
    }
    close(callback?: () => void): void {
        if (callback) this.once("close", callback);
        this.destroy();
    }
}

function streamClass(method: string) {
    return class extends Zlib {
        constructor(options?: Options) {
            super(method, options);
        }
    };
}

const Gzip = streamClass("gzip");
const Gunzip = streamClass("gunzip");
const Deflate = streamClass("deflate");
const Inflate = streamClass("inflate");
const DeflateRaw = streamClass("deflateRaw");
const InflateRaw = streamClass("inflateRaw");
const Unzip = streamClass("unzip");

function brotli(name: string) {
    return () => {
        throw Object.assign(new Error(`zlib.${name}: Unfold does not provide Brotli compression`), {
            code: "ERR_UNFOLD_UNSUPPORTED",
        });
    };
}

/** CRC-32 of `data`, continuing from `value` (Node.js 20.15 and later). */
function crc32(data: string | ArrayBufferView, value = 0): number {
    return op_node_crc32(bytes(data), value >>> 0) >>> 0;
}

const constants = Object.freeze({
    Z_NO_FLUSH: 0,
    Z_PARTIAL_FLUSH: 1,
    Z_SYNC_FLUSH: 2,
    Z_FULL_FLUSH: 3,
    Z_FINISH: 4,
    Z_BLOCK: 5,
    Z_OK: 0,
    Z_STREAM_END: 1,
    Z_NEED_DICT: 2,
    Z_ERRNO: -1,
    Z_STREAM_ERROR: -2,
    Z_DATA_ERROR: -3,
    Z_MEM_ERROR: -4,
    Z_BUF_ERROR: -5,
    Z_VERSION_ERROR: -6,
    Z_NO_COMPRESSION: 0,
    Z_BEST_SPEED: 1,
    Z_BEST_COMPRESSION: 9,
    Z_DEFAULT_COMPRESSION: -1,
    Z_FILTERED: 1,
    Z_HUFFMAN_ONLY: 2,
    Z_RLE: 3,
    Z_FIXED: 4,
    Z_DEFAULT_STRATEGY: 0,
    ZLIB_VERNUM: 4865,
    DEFLATE: 1,
    INFLATE: 2,
    GZIP: 3,
    GUNZIP: 4,
    DEFLATERAW: 5,
    INFLATERAW: 6,
    UNZIP: 7,
    BROTLI_DECODE: 8,
    BROTLI_ENCODE: 9,
    Z_MIN_WINDOWBITS: 8,
    Z_MAX_WINDOWBITS: 15,
    Z_DEFAULT_WINDOWBITS: 15,
    Z_MIN_CHUNK: 64,
    Z_MAX_CHUNK: Infinity,
    Z_DEFAULT_CHUNK: 16384,
    Z_MIN_MEMLEVEL: 1,
    Z_MAX_MEMLEVEL: 9,
    Z_DEFAULT_MEMLEVEL: 8,
    Z_MIN_LEVEL: -1,
    Z_MAX_LEVEL: 9,
    Z_DEFAULT_LEVEL: -1,
    BROTLI_OPERATION_PROCESS: 0,
    BROTLI_OPERATION_FLUSH: 1,
    BROTLI_OPERATION_FINISH: 2,
    BROTLI_OPERATION_EMIT_METADATA: 3,
    BROTLI_PARAM_MODE: 0,
    BROTLI_MODE_GENERIC: 0,
    BROTLI_MODE_TEXT: 1,
    BROTLI_MODE_FONT: 2,
    BROTLI_DEFAULT_MODE: 0,
    BROTLI_PARAM_QUALITY: 1,
    BROTLI_MIN_QUALITY: 0,
    BROTLI_MAX_QUALITY: 11,
    BROTLI_DEFAULT_QUALITY: 11,
    BROTLI_PARAM_LGWIN: 2,
    BROTLI_MIN_WINDOW_BITS: 10,
    BROTLI_MAX_WINDOW_BITS: 24,
    BROTLI_DEFAULT_WINDOW: 22,
    BROTLI_PARAM_LGBLOCK: 3,
    BROTLI_PARAM_SIZE_HINT: 5,
});

const codeNames: Record<string | number, string | number> = {};
for (const name of ["Z_OK", "Z_STREAM_END", "Z_NEED_DICT", "Z_ERRNO", "Z_STREAM_ERROR", "Z_DATA_ERROR", "Z_MEM_ERROR", "Z_BUF_ERROR", "Z_VERSION_ERROR"]) {
    const value = (constants as Record<string, number>)[name];
    codeNames[name] = value;
    codeNames[value] = name;
}

const zlib = {
    constants,
    codes: Object.freeze(codeNames),
    crc32,
    gzip: callbackForm("gzip"),
    gzipSync: syncForm("gzip"),
    gunzip: callbackForm("gunzip"),
    gunzipSync: syncForm("gunzip"),
    deflate: callbackForm("deflate"),
    deflateSync: syncForm("deflate"),
    inflate: callbackForm("inflate"),
    inflateSync: syncForm("inflate"),
    deflateRaw: callbackForm("deflateRaw"),
    deflateRawSync: syncForm("deflateRaw"),
    inflateRaw: callbackForm("inflateRaw"),
    inflateRawSync: syncForm("inflateRaw"),
    unzip: callbackForm("unzip"),
    unzipSync: syncForm("unzip"),
    Gzip,
    Gunzip,
    Deflate,
    Inflate,
    DeflateRaw,
    InflateRaw,
    Unzip,
    createGzip: (options?: Options) => new Gzip(options),
    createGunzip: (options?: Options) => new Gunzip(options),
    createDeflate: (options?: Options) => new Deflate(options),
    createInflate: (options?: Options) => new Inflate(options),
    createDeflateRaw: (options?: Options) => new DeflateRaw(options),
    createInflateRaw: (options?: Options) => new InflateRaw(options),
    createUnzip: (options?: Options) => new Unzip(options),
    brotliCompress: brotli("brotliCompress"),
    brotliCompressSync: brotli("brotliCompressSync"),
    brotliDecompress: brotli("brotliDecompress"),
    brotliDecompressSync: brotli("brotliDecompressSync"),
    createBrotliCompress: brotli("createBrotliCompress"),
    createBrotliDecompress: brotli("createBrotliDecompress"),
    ...constants,
};

export default zlib;
export const {
    gzip,
    gzipSync,
    gunzip,
    gunzipSync,
    deflate,
    deflateSync,
    inflate,
    inflateSync,
    deflateRaw,
    deflateRawSync,
    inflateRaw,
    inflateRawSync,
    unzip,
    unzipSync,
    createGzip,
    createGunzip,
    createDeflate,
    createInflate,
    createDeflateRaw,
    createInflateRaw,
    createUnzip,
    brotliCompress,
    brotliCompressSync,
    brotliDecompress,
    brotliDecompressSync,
    createBrotliCompress,
    createBrotliDecompress,
    codes,
} = zlib;
export { constants, crc32, Gzip, Gunzip, Deflate, Inflate, DeflateRaw, InflateRaw, Unzip };
