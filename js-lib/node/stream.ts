// The `stream` built-in, written for Unfold: Node.js's stream classes in a compact form. Readables
// buffer what is pushed until someone consumes it (a 'data' listener, `resume`, `pipe`, `read` or
// async iteration), writables run their writes one after another and finish after the last one.
// High-water marks are kept as numbers but never push back: programs move little data.
import EventEmitter from "./events.ts";

type Callback = (err?: Error | null) => void;

function tick(fn: () => void): void {
    queueMicrotask(fn);
}

class Stream extends EventEmitter {
    pipe<T>(destination: T, options: { end?: boolean } = {}): T {
        const source = this as unknown as Readable;
        source.on("data", (chunk: unknown) => (destination as Writable).write(chunk));
        if (options.end !== false) source.on("end", () => (destination as Writable).end());
        (destination as unknown as EventEmitter).emit?.("pipe", source);
        source.resume?.();
        return destination;
    }
}

interface ReadableOptions {
    read?: (this: Readable, size?: number) => void;
    destroy?: (this: Readable, error: Error | null, callback: Callback) => void;
    objectMode?: boolean;
    readableObjectMode?: boolean;
    highWaterMark?: number;
    encoding?: string;
}

class Readable extends Stream {
    readable = true;
    readableEnded = false;
    readableFlowing: boolean | null = null;
    readableObjectMode: boolean;
    readableHighWaterMark: number;
    destroyed = false;
    readableEncoding: string | null = null;
    private queue: unknown[] = [];
    private pushedEnd = false;
    private scheduled = false;
    private reading = false;

    constructor(options: ReadableOptions = {}) {
        super();
        this.readableObjectMode = !!(options.objectMode ?? options.readableObjectMode);
        this.readableHighWaterMark = options.highWaterMark ?? (this.readableObjectMode ? 16 : 16384);
        if (options.read) (this as any)._read = options.read;
        if (options.destroy) (this as any)._destroy = options.destroy;
        if (options.encoding) this.setEncoding(options.encoding);
    }

    get readableLength(): number {
        return this.queue.length;
    }

    _read(_size?: number): void {}

    _destroy(error: Error | null, callback: Callback): void {
        callback(error);
    }

    push(chunk: unknown, encoding?: string): boolean {
        if (chunk === null) {
            this.pushedEnd = true;
        } else if (!this.pushedEnd) {
            this.queue.push(this.decode(chunk, encoding));
        }
        this.reading = false;
        this.schedule();
        return !this.pushedEnd;
    }

    unshift(chunk: unknown): void {
        this.queue.unshift(this.decode(chunk));
        this.schedule();
    }

    private decode(chunk: unknown, encoding?: string): unknown {
        if (this.readableObjectMode) return chunk;
        const B = (globalThis as any).Buffer;
        if (typeof chunk === "string") {
            return this.readableEncoding ? chunk : B.from(chunk, encoding ?? "utf8");
        }
        if (this.readableEncoding && chunk instanceof Uint8Array) {
            return B.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(this.readableEncoding);
        }
        return chunk;
    }

    on(event: string | symbol, listener: (...args: any[]) => void): this {
        super.on(event, listener);
        if (event === "data" && this.readableFlowing !== false) this.resume();
        if (event === "readable") this.schedule();
        return this;
    }

    addListener(event: string | symbol, listener: (...args: any[]) => void): this {
        return this.on(event, listener);
    }

    resume(): this {
        this.readableFlowing = true;
        this.schedule();
        return this;
    }

    pause(): this {
        this.readableFlowing = false;
        return this;
    }

    isPaused(): boolean {
        return this.readableFlowing === false;
    }

    setEncoding(encoding: string): this {
        this.readableEncoding = encoding;
        return this;
    }

    /** What is buffered (all of it: there is no high-water mark to respect), or null. */
    read(_size?: number): any {
        if (this.queue.length === 0) {
            this.requestMore();
            this.schedule();
            return null;
        }
        const chunks = this.queue.splice(0);
        this.schedule();
        if (this.readableObjectMode) return chunks[0];
        if (typeof chunks[0] === "string") return chunks.join("");
        return (globalThis as any).Buffer.concat(chunks);
    }

    private requestMore(): void {
        if (!this.pushedEnd && !this.reading && !this.destroyed) {
            this.reading = true;
            this._read(this.readableHighWaterMark);
        }
    }

    private schedule(): void {
        if (this.scheduled) return;
        this.scheduled = true;
        tick(() => {
            this.scheduled = false;
            this.flow();
        });
    }

    private flow(): void {
        if (this.destroyed) return;
        if (this.listenerCount("readable") > 0 && (this.queue.length > 0 || this.pushedEnd) && !this.readableEnded) {
            this.emit("readable");
        }
        while (this.readableFlowing && this.queue.length > 0) {
            this.emit("data", this.queue.shift());
        }
        if (this.pushedEnd && this.queue.length === 0) {
            if (!this.readableEnded && (this.readableFlowing || this.listenerCount("readable") > 0)) {
                this.readableEnded = true;
                this.readable = false;
                this.emit("end");
                if ((this as any).autoDestroy !== false) this.closeSoon();
            }
        } else if (this.readableFlowing) {
            this.requestMore();
        }
    }

    private closeSoon(): void {
        const writable = (this as any).writable === true;
        if (!writable) tick(() => this.emit("close"));
    }

    unpipe(): this {
        this.removeAllListeners("data");
        return this;
    }

    destroy(error?: Error | null): this {
        if (this.destroyed) return this;
        this.destroyed = true;
        this._destroy(error ?? null, (err) => {
            tick(() => {
                if (err) this.emit("error", err);
                this.emit("close");
            });
        });
        return this;
    }

    async *[Symbol.asyncIterator](): AsyncGenerator<any> {
        const pending: unknown[] = [];
        let done = false;
        let failure: unknown = null;
        let wake: (() => void) | null = null;
        const poke = () => {
            wake?.();
            wake = null;
        };
        this.on("data", (chunk: unknown) => {
            pending.push(chunk);
            poke();
        });
        this.on("end", () => {
            done = true;
            poke();
        });
        this.on("error", (error: unknown) => {
            failure = error;
            poke();
        });
        this.on("close", () => {
            done = true;
            poke();
        });
        while (true) {
            if (failure) throw failure;
            if (pending.length > 0) {
                yield pending.shift();
                continue;
            }
            if (done) return;
            await new Promise<void>((resolve) => (wake = resolve));
        }
    }

    static from(iterable: Iterable<unknown> | AsyncIterable<unknown>, options: ReadableOptions = {}): Readable {
        const readable = new Readable({ objectMode: true, ...options });
        if (typeof iterable === "string" || iterable instanceof Uint8Array) {
            readable.push(iterable);
            readable.push(null);
            return readable;
        }
        (async () => {
            try {
                for await (const chunk of iterable as AsyncIterable<unknown>) readable.push(chunk);
                readable.push(null);
            } catch (error) {
                readable.destroy(error as Error);
            }
        })();
        return readable;
    }
}

interface WritableOptions {
    write?: (this: Writable, chunk: any, encoding: string, callback: Callback) => void;
    final?: (this: Writable, callback: Callback) => void;
    destroy?: (this: Writable, error: Error | null, callback: Callback) => void;
    objectMode?: boolean;
    writableObjectMode?: boolean;
    decodeStrings?: boolean;
    highWaterMark?: number;
}

/** The writing half, shared by Writable and Duplex (which extends Readable). */
const writing = {
    write(this: any, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
        const done = (typeof encoding === "function" ? encoding : callback) as Callback | undefined;
        const enc = typeof encoding === "string" ? encoding : "utf8";
        if (this.writableEnded) {
            const error = Object.assign(new Error("write after end"), { code: "ERR_STREAM_WRITE_AFTER_END" });
            tick(() => {
                done?.(error);
                this.emit("error", error);
            });
            return false;
        }
        const B = (globalThis as any).Buffer;
        const data = typeof chunk === "string" && !this.writableObjectMode && this.decodeStrings !== false ? B.from(chunk, enc) : chunk;
        this.writes = (this.writes ?? Promise.resolve()).then(
            () =>
                new Promise<void>((resolve) => {
                    this._write(data, typeof data === "string" ? enc : "buffer", (err?: Error | null) => {
                        if (err) {
                            this.emit("error", err);
                        }
                        done?.(err ?? null);
                        resolve();
                    });
                }),
        );
        return true;
    },
    end(this: any, chunk?: unknown, encoding?: unknown, callback?: unknown): any {
        if (chunk !== undefined && chunk !== null && typeof chunk !== "function") this.write(chunk, encoding);
        const done = [chunk, encoding, callback].find((f) => typeof f === "function") as (() => void) | undefined;
        if (this.writableEnded) {
            if (done) tick(done);
            return this;
        }
        this.writableEnded = true;
        (this.writes ?? Promise.resolve()).then(() => {
            this._final((err?: Error | null) => {
                if (err) {
                    this.emit("error", err);
                    return;
                }
                this.writableFinished = true;
                this.emit("finish");
                done?.();
                if (!(this instanceof Readable)) tick(() => this.emit("close"));
            });
        });
        return this;
    },
    _write(this: any, _chunk: unknown, _encoding: string, callback: Callback): void {
        callback();
    },
    _final(this: any, callback: Callback): void {
        callback();
    },
    cork(): void {},
    uncork(): void {},
    setDefaultEncoding(this: any): any {
        return this;
    },
};

function initWritable(stream: any, options: WritableOptions): void {
    stream.writable = true;
    stream.writableEnded = false;
    stream.writableFinished = false;
    stream.writableObjectMode = !!(options.objectMode ?? options.writableObjectMode);
    stream.writableHighWaterMark = options.highWaterMark ?? 16384;
    stream.writableLength = 0;
    stream.decodeStrings = options.decodeStrings;
    if (options.write) stream._write = options.write;
    if (options.final) stream._final = options.final;
}

class Writable extends Stream {
    declare writable: boolean;
    declare writableEnded: boolean;
    declare writableFinished: boolean;
    declare writableObjectMode: boolean;
    destroyed = false;
    constructor(options: WritableOptions = {}) {
        super();
        initWritable(this, options);
        if (options.destroy) (this as any)._destroy = options.destroy;
    }
    _destroy(error: Error | null, callback: Callback): void {
        callback(error);
    }
    destroy(error?: Error | null): this {
        if (this.destroyed) return this;
        this.destroyed = true;
        this._destroy(error ?? null, (err) =>
            tick(() => {
                if (err) this.emit("error", err);
                this.emit("close");
            }),
        );
        return this;
    }
}
interface Writable {
    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean;
    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this;
    _write(chunk: any, encoding: string, callback: Callback): void;
    _final(callback: Callback): void;
    cork(): void;
    uncork(): void;
    setDefaultEncoding(encoding: string): this;
}
Object.assign(Writable.prototype, writing);

class Duplex extends Readable {
    declare writable: boolean;
    declare writableEnded: boolean;
    declare writableFinished: boolean;
    constructor(options: ReadableOptions & WritableOptions & { allowHalfOpen?: boolean } = {}) {
        super(options);
        initWritable(this, options);
    }
}
interface Duplex {
    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean;
    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this;
    _write(chunk: any, encoding: string, callback: Callback): void;
    _final(callback: Callback): void;
    cork(): void;
    uncork(): void;
    setDefaultEncoding(encoding: string): this;
}
Object.assign(Duplex.prototype, writing);

type TransformCallback = (err?: Error | null, data?: unknown) => void;

class Transform extends Duplex {
    constructor(
        options: ReadableOptions &
            WritableOptions & {
                transform?: (this: Transform, chunk: any, encoding: string, callback: TransformCallback) => void;
                flush?: (this: Transform, callback: TransformCallback) => void;
            } = {},
    ) {
        super(options);
        if (options.transform) (this as any)._transform = options.transform;
        if (options.flush) (this as any)._flush = options.flush;
    }
    _transform(chunk: unknown, _encoding: string, callback: TransformCallback): void {
        callback(null, chunk);
    }
    _flush(callback: TransformCallback): void {
        callback();
    }
    _write(chunk: unknown, encoding: string, callback: Callback): void {
        this._transform(chunk, encoding, (err, data) => {
            if (data !== undefined && data !== null) this.push(data);
            callback(err ?? null);
        });
    }
    _final(callback: Callback): void {
        this._flush((err, data) => {
            if (data !== undefined && data !== null) this.push(data);
            if (!err) this.push(null);
            callback(err ?? null);
        });
    }
}

class PassThrough extends Transform {}

/** Calls `callback` once `stream` has ended, finished or failed. */
function finished(stream: any, options: unknown, callback?: (err?: Error | null) => void): () => void {
    const done = (typeof options === "function" ? options : callback) as (err?: Error | null) => void;
    let called = false;
    const once = (err?: Error | null) => {
        if (!called) {
            called = true;
            done(err ?? undefined);
        }
    };
    const onEnd = () => once();
    const onError = (err: Error) => once(err);
    stream.on("end", onEnd);
    stream.on("finish", onEnd);
    stream.on("error", onError);
    stream.on("close", onEnd);
    return () => {
        stream.removeListener("end", onEnd);
        stream.removeListener("finish", onEnd);
        stream.removeListener("error", onError);
        stream.removeListener("close", onEnd);
    };
}

/** Pipes each stream into the next; the callback gets the first error, or none once the last finishes. */
function pipeline(...streams: any[]): any {
    const callback = typeof streams[streams.length - 1] === "function" ? streams.pop() : undefined;
    if (Array.isArray(streams[0])) streams = streams[0];
    let failed = false;
    for (const stream of streams) {
        stream.on?.("error", (err: Error) => {
            if (failed) return;
            failed = true;
            for (const other of streams) other.destroy?.();
            callback?.(err);
        });
    }
    for (let i = 0; i < streams.length - 1; i++) streams[i].pipe(streams[i + 1]);
    const last = streams[streams.length - 1];
    finished(last, (err) => {
        if (!failed) callback?.(err);
    });
    return last;
}

const promises = {
    finished: (stream: any) => new Promise<void>((resolve, reject) => finished(stream, (err) => (err ? reject(err) : resolve()))),
    pipeline: (...streams: any[]) =>
        new Promise<void>((resolve, reject) => pipeline(...streams, (err?: Error | null) => (err ? reject(err) : resolve()))),
};

function isReadable(stream: any): boolean {
    return stream instanceof Readable && !stream.readableEnded && !stream.destroyed;
}

const stream = Object.assign(Stream, {
    Stream,
    Readable,
    Writable,
    Duplex,
    Transform,
    PassThrough,
    finished,
    pipeline,
    promises,
    isReadable,
});

export default stream;
export { Stream, Readable, Writable, Duplex, Transform, PassThrough, finished, pipeline, promises, isReadable };
