// The `process` built-in and global. Everything a program learns of its process is a crossing:
// environment variables one at a time (`env.get`), the platform (`env.platform`), the working
// directory and entry module from the run's context. Nothing here reads ambient state.

import EventEmitter from "./events.ts";
import { call } from "../unfold/io.ts";

interface RunContext {
    pwd?: string;
    programDirectory?: string;
    entryModule?: string;
}

let context: RunContext | undefined;
function runContext(): RunContext {
    context ??= call("run.context") as RunContext;
    return context;
}

let platformInfo: { platform: string; arch: string } | undefined;
function platform(): { platform: string; arch: string } {
    platformInfo ??= call("env.platform") as { platform: string; arch: string };
    return platformInfo;
}

// Reads cross once per name; writes and deletes stay inside the program, as in Node.js.
const overrides = new Map<string, string | undefined>();
const read = new Map<string, string | undefined>();

function getEnv(name: string): string | undefined {
    if (overrides.has(name)) {
        return overrides.get(name);
    }
    if (!read.has(name)) {
        const value = call("env.get", { name }) as string | null;
        read.set(name, value ?? undefined);
    }
    return read.get(name);
}

const env = new Proxy({} as Record<string, string | undefined>, {
    get(_target, name) {
        return typeof name === "string" ? getEnv(name) : undefined;
    },
    set(_target, name, value) {
        if (typeof name === "string") {
            overrides.set(name, String(value));
        }
        return true;
    },
    deleteProperty(_target, name) {
        if (typeof name === "string") {
            overrides.set(name, undefined);
        }
        return true;
    },
    has(_target, name) {
        return typeof name === "string" && getEnv(name) !== undefined;
    },
    ownKeys() {
        const keys = new Set(call("env.keys") as string[]);
        for (const [name, value] of overrides) {
            if (value === undefined) {
                keys.delete(name);
            } else {
                keys.add(name);
            }
        }
        return [...keys];
    },
    getOwnPropertyDescriptor(_target, name) {
        const value = typeof name === "string" ? getEnv(name) : undefined;
        return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
});

let cwd: string | undefined;

/** The program's working directory: `pwd` of the run, as Pulumi's Node.js runner changes to it. */
function currentDirectory(): string {
    const ctx = runContext();
    cwd ??= ctx.pwd || ctx.programDirectory || "/";
    return cwd;
}

function entryPath(): string {
    const entry = runContext().entryModule ?? "";
    return entry.startsWith("file://") ? decodeURIComponent(entry.slice("file://".length)) : entry;
}

/** Thrown by `process.exit` to stop the program where it is. */
export class ProcessExit extends Error {
    constructor(readonly code: number) {
        super(`process.exit(${code}) was called`);
        this.name = "ProcessExit";
    }
}

const NODE_VERSION = "22.12.0";

class Process extends EventEmitter {
    readonly title = "node";
    readonly version = `v${NODE_VERSION}`;
    readonly versions = { node: NODE_VERSION, unfold: "1" };
    readonly release = { name: "node" };
    readonly env = env;
    readonly execArgv: string[] = [];
    readonly execPath = "/usr/bin/node";
    readonly pid = 1;
    readonly ppid = 0;
    readonly config = { variables: {} };
    readonly features = {};
    exitCode: number | undefined = undefined;
    readonly stdout = stream("stdout", 1);
    readonly stderr = stream("stderr", 2);
    readonly stdin = { fd: 0, isTTY: false, on() { return this; } };
    private argvCache: string[] | undefined;

    get argv(): string[] {
        this.argvCache ??= [this.execPath, entryPath()];
        return this.argvCache;
    }
    set argv(value: string[]) {
        this.argvCache = value;
    }
    get platform(): string {
        return platform().platform;
    }
    get arch(): string {
        return platform().arch;
    }
    cwd(): string {
        return currentDirectory();
    }
    chdir(directory: string): void {
        const base = currentDirectory();
        cwd = directory.startsWith("/") ? directory : `${base.replace(/\/$/, "")}/${directory}`;
    }
    nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void {
        queueMicrotask(() => callback(...args));
    }
    hrtime(previous?: [number, number]): [number, number] {
        const now = performance.now();
        let seconds = Math.floor(now / 1000);
        let nanos = Math.floor((now % 1000) * 1e6);
        if (previous) {
            seconds -= previous[0];
            nanos -= previous[1];
            if (nanos < 0) {
                seconds -= 1;
                nanos += 1e9;
            }
        }
        return [seconds, nanos];
    }
    uptime(): number {
        return performance.now() / 1000;
    }
    memoryUsage(): Record<string, number> {
        return { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
    }
    cpuUsage(): { user: number; system: number } {
        return { user: 0, system: 0 };
    }
    umask(): number {
        return 0o22;
    }
    emitWarning(warning: string | Error, type?: string | { type?: string }): void {
        const name = typeof type === "string" ? type : type?.type ?? (warning instanceof Error ? warning.name : "Warning");
        const message = warning instanceof Error ? warning.message : warning;
        call("console.write", { stream: "stderr", text: `(node:${this.pid}) ${name}: ${message}\n` });
    }
    /** Ends the program: the run fails unless the code is 0, as a Node.js process exiting would. */
    exit(code?: number): never {
        const status = code ?? this.exitCode ?? 0;
        this.emit("exit", status);
        call("run.finish", status === 0
            ? { outcome: "ok" }
            : { outcome: "error", message: `Program exited with non-zero exit code: ${status}` });
        throw new ProcessExit(status);
    }
    abort(): never {
        return this.exit(134);
    }
    kill(): never {
        throw new Error("process.kill: Unfold programs cannot signal processes");
    }
    binding(name: string): never {
        throw new Error(`process.binding('${name}'): Node.js internals are not available in Unfold`);
    }
}

(Process.prototype.hrtime as unknown as { bigint(): bigint }).bigint = () =>
    BigInt(Math.floor(performance.now() * 1e6));

function stream(name: "stdout" | "stderr", fd: number) {
    return {
        fd,
        isTTY: false,
        columns: 80,
        write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
            const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk as Uint8Array);
            call("console.write", { stream: name, text });
            const done = typeof encoding === "function" ? encoding : callback;
            if (typeof done === "function") {
                queueMicrotask(() => (done as () => void)());
            }
            return true;
        },
        on() {
            return this;
        },
        once() {
            return this;
        },
        end() {},
    };
}

const process = new Process();
export default process;
export const { env: processEnv } = process;
