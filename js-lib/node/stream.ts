// The `stream` built-in, written for Unfold: the basic classes, enough for packages that subclass
// them or pass data through in memory. Backpressure and object-mode subtleties are not modelled.
import EventEmitter from "./events.ts";

class Stream extends EventEmitter {
    pipe<T extends Writable>(destination: T): T {
        this.on("data", (chunk: unknown) => destination.write(chunk));
        this.on("end", () => destination.end());
        return destination;
    }
}

class Readable extends Stream {
    readable = true;
    private ended = false;
    constructor(options: { read?: () => void } = {}) {
        super();
        if (options.read) (this as any)._read = options.read;
    }
    _read(): void {}
    push(chunk: unknown): boolean {
        if (chunk === null) {
            if (!this.ended) {
                this.ended = true;
                queueMicrotask(() => this.emit("end"));
            }
            return false;
        }
        queueMicrotask(() => this.emit("data", chunk));
        return true;
    }
    resume(): this {
        return this;
    }
    pause(): this {
        return this;
    }
    setEncoding(): this {
        return this;
    }
    destroy(err?: Error): this {
        if (err) queueMicrotask(() => this.emit("error", err));
        queueMicrotask(() => this.emit("close"));
        return this;
    }
    static from(iterable: Iterable<unknown>): Readable {
        const readable = new Readable();
        for (const chunk of iterable) readable.push(chunk);
        readable.push(null);
        return readable;
    }
}

class Writable extends Stream {
    writable = true;
    constructor(options: { write?: (chunk: unknown, encoding: string, callback: (err?: Error) => void) => void } = {}) {
        super();
        if (options.write) (this as any)._write = options.write;
    }
    _write(_chunk: unknown, _encoding: string, callback: (err?: Error) => void): void {
        callback();
    }
    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
        const done = (typeof encoding === "function" ? encoding : callback) as ((err?: Error) => void) | undefined;
        this._write(chunk, typeof encoding === "string" ? encoding : "utf8", (err?: Error) => {
            if (err) this.emit("error", err);
            done?.(err);
        });
        return true;
    }
    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
        if (chunk !== undefined && typeof chunk !== "function") this.write(chunk, encoding);
        const done = [chunk, encoding, callback].find((f) => typeof f === "function") as (() => void) | undefined;
        queueMicrotask(() => {
            this.emit("finish");
            done?.();
        });
        return this;
    }
    destroy(): this {
        return this;
    }
}

class Duplex extends Readable {
    writable = true;
    write = Writable.prototype.write;
    _write = Writable.prototype._write;
    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
        return Writable.prototype.end.call(this as any, chunk, encoding, callback) as unknown as this;
    }
}

class Transform extends Duplex {
    constructor(options: { transform?: (chunk: unknown, encoding: string, callback: (err?: Error | null, data?: unknown) => void) => void } = {}) {
        super();
        if (options.transform) (this as any)._transform = options.transform;
    }
    _transform(chunk: unknown, _encoding: string, callback: (err?: Error | null, data?: unknown) => void): void {
        callback(null, chunk);
    }
    _write(chunk: unknown, encoding: string, callback: (err?: Error) => void): void {
        this._transform(chunk, encoding, (err, data) => {
            if (data !== undefined && data !== null) this.push(data);
            callback(err ?? undefined);
        });
    }
    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
        super.end(chunk, encoding, callback);
        this.push(null);
        return this;
    }
}

class PassThrough extends Transform {}

const stream = Object.assign(Stream, { Stream, Readable, Writable, Duplex, Transform, PassThrough });

export default stream;
export { Stream, Readable, Writable, Duplex, Transform, PassThrough };
