// The `fs` built-in, written for Unfold: reads only, each an `fs.*` crossing (recorded, so a
// replay sees the same files). Relative paths resolve against `process.cwd()`. Writing is not
// possible: a program's effects on the world are its resources.
import { Buffer } from "./buffer.ts";
import { call } from "../unfold/io.ts";
import process from "./process.ts";

type PathLike = string | URL | Uint8Array;
type Answer<T> = { ok: T } | { error: { code: string; message: string } };

interface RawStat {
    kind: "file" | "directory" | "symlink" | "other";
    size: number;
    mode: number;
    mtimeMs: number;
    ctimeMs: number;
    atimeMs: number;
}

function toPath(path: PathLike): string {
    let text: string;
    if (typeof path === "string") {
        text = path;
    } else if (path instanceof Uint8Array) {
        text = new TextDecoder().decode(path);
    } else if (typeof (path as URL)?.href === "string") {
        const href = (path as URL).href;
        if (!href.startsWith("file://")) {
            throw new TypeError(`The URL must be of scheme file: ${href}`);
        }
        text = decodeURIComponent(href.slice("file://".length));
    } else {
        throw new TypeError(`The "path" argument must be of type string, Buffer or URL. Received ${typeof path}`);
    }
    if (text.startsWith("/")) {
        return text;
    }
    return `${process.cwd().replace(/\/$/, "")}/${text}`;
}

function cross<T>(name: string, path: PathLike): T {
    const answer = call(name, { path: toPath(path) }) as Answer<T>;
    if ("error" in answer) {
        const err = new Error(answer.error.message) as Error & { code: string; path: string; syscall: string; errno: number };
        err.code = answer.error.code;
        err.path = toPath(path);
        err.errno = answer.error.code === "ENOENT" ? -2 : -5;
        throw err;
    }
    return answer.ok;
}

export class Stats {
    readonly size: number;
    readonly mode: number;
    readonly mtimeMs: number;
    readonly ctimeMs: number;
    readonly atimeMs: number;
    readonly birthtimeMs: number;
    readonly mtime: Date;
    readonly ctime: Date;
    readonly atime: Date;
    readonly birthtime: Date;
    constructor(private readonly kind: RawStat["kind"], raw: RawStat) {
        this.size = raw.size;
        this.mode = raw.mode;
        this.mtimeMs = raw.mtimeMs;
        this.ctimeMs = raw.ctimeMs;
        this.atimeMs = raw.atimeMs;
        this.birthtimeMs = raw.ctimeMs;
        this.mtime = new Date(raw.mtimeMs);
        this.ctime = new Date(raw.ctimeMs);
        this.atime = new Date(raw.atimeMs);
        this.birthtime = new Date(raw.ctimeMs);
    }
    isFile(): boolean {
        return this.kind === "file";
    }
    isDirectory(): boolean {
        return this.kind === "directory";
    }
    isSymbolicLink(): boolean {
        return this.kind === "symlink";
    }
    isFIFO(): boolean {
        return false;
    }
    isSocket(): boolean {
        return false;
    }
    isBlockDevice(): boolean {
        return false;
    }
    isCharacterDevice(): boolean {
        return false;
    }
}

export class Dirent {
    constructor(readonly name: string, private readonly kind: RawStat["kind"], readonly parentPath: string) {}
    get path(): string {
        return this.parentPath;
    }
    isFile(): boolean {
        return this.kind === "file";
    }
    isDirectory(): boolean {
        return this.kind === "directory";
    }
    isSymbolicLink(): boolean {
        return this.kind === "symlink";
    }
}

function encodingOf(options: unknown): string | undefined {
    if (typeof options === "string") return options;
    return (options as { encoding?: string } | undefined)?.encoding ?? undefined;
}

export function readFileSync(path: PathLike, options?: string | { encoding?: string | null; flag?: string }): any {
    const data = Buffer.from(cross<string>("fs.readFile", path), "base64");
    const encoding = encodingOf(options);
    return encoding ? data.toString(encoding as any) : data;
}

export function statSync(path: PathLike, options?: { throwIfNoEntry?: boolean }): Stats | undefined {
    try {
        const raw = cross<RawStat>("fs.stat", path);
        return new Stats(raw.kind, raw);
    } catch (err) {
        if (options?.throwIfNoEntry === false && (err as { code?: string }).code === "ENOENT") {
            return undefined;
        }
        throw err;
    }
}

export function lstatSync(path: PathLike): Stats {
    const raw = cross<RawStat>("fs.lstat", path);
    return new Stats(raw.kind, raw);
}

export function existsSync(path: PathLike): boolean {
    try {
        return statSync(path, { throwIfNoEntry: false }) !== undefined;
    } catch {
        return false;
    }
}

export function accessSync(path: PathLike, _mode?: number): void {
    statSync(path);
}

export function readdirSync(path: PathLike, options?: string | { withFileTypes?: boolean; encoding?: string }): any[] {
    const entries = cross<{ name: string; kind: RawStat["kind"] }[]>("fs.readDir", path);
    if (typeof options === "object" && options?.withFileTypes) {
        return entries.map((entry) => new Dirent(entry.name, entry.kind, toPath(path)));
    }
    return entries.map((entry) => entry.name);
}

export function realpathSync(path: PathLike): string {
    return cross<string>("fs.realpath", path);
}
realpathSync.native = realpathSync;

function readOnly(name: string) {
    return (..._args: unknown[]): never => {
        throw new Error(
            `fs.${name}: Unfold programs cannot change files. Read inputs with fs.readFileSync; ` +
                "create what the program needs as resources (for example an asset or archive)",
        );
    };
}

// Callback forms: the work is the same crossing; the callback runs on a later microtask.
function callbackified<A extends unknown[]>(fn: (...args: A) => unknown) {
    return (...args: unknown[]) => {
        const callback = args.pop();
        if (typeof callback !== "function") {
            throw new TypeError('The "cb" argument must be of type function');
        }
        let result: unknown;
        try {
            result = fn(...(args as A));
        } catch (err) {
            queueMicrotask(() => callback(err));
            return;
        }
        queueMicrotask(() => callback(null, result));
    };
}

function promised<A extends unknown[], R>(fn: (...args: A) => R) {
    return (...args: A): Promise<R> => {
        try {
            return Promise.resolve(fn(...args));
        } catch (err) {
            return Promise.reject(err);
        }
    };
}

export const promises = {
    readFile: promised(readFileSync),
    stat: promised(statSync),
    lstat: promised(lstatSync),
    readdir: promised(readdirSync),
    realpath: promised(realpathSync),
    access: promised(accessSync),
    writeFile: readOnly("promises.writeFile"),
    mkdir: readOnly("promises.mkdir"),
    rm: readOnly("promises.rm"),
    unlink: readOnly("promises.unlink"),
};

export const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 };

const fs = {
    readFileSync,
    statSync,
    lstatSync,
    existsSync,
    accessSync,
    readdirSync,
    realpathSync,
    readFile: callbackified(readFileSync),
    stat: callbackified(statSync),
    lstat: callbackified(lstatSync),
    readdir: callbackified(readdirSync),
    realpath: callbackified(realpathSync),
    access: callbackified(accessSync),
    exists: (path: PathLike, callback: (exists: boolean) => void) => queueMicrotask(() => callback(existsSync(path))),
    writeFileSync: readOnly("writeFileSync"),
    writeFile: readOnly("writeFile"),
    appendFileSync: readOnly("appendFileSync"),
    mkdirSync: readOnly("mkdirSync"),
    mkdir: readOnly("mkdir"),
    rmSync: readOnly("rmSync"),
    unlinkSync: readOnly("unlinkSync"),
    renameSync: readOnly("renameSync"),
    copyFileSync: readOnly("copyFileSync"),
    createWriteStream: readOnly("createWriteStream"),
    promises,
    constants,
    Stats,
    Dirent,
};

export default fs;
