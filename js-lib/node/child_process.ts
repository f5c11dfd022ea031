// The `child_process` built-in, written for Unfold. The synchronous functions (`execFileSync`,
// `execSync`, `spawnSync`) run a process through the `process.run` crossing: the program waits
// for it, and what it printed and how it ended are recorded, so a replay gets the same result
// without starting anything. The streaming ones (`spawn`, `exec`, `execFile`, `fork`) are not
// provided: each fails with an error that names the synchronous function to use instead.
// A deployed Function cannot start processes at all; only a program at deploy time can.
import { Buffer } from "./buffer.ts";
import EventEmitter from "./events.ts";
import process from "./process.ts";
import { call } from "../unfold/io.ts";

/** What a process printed: bytes (a Buffer), or text when an `encoding` is given. */
type Output = Uint8Array | string;
type Answer = { ok: RawResult } | { error: { code: string; message: string } };

interface RawResult {
    status: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
    timedOut: boolean;
}

interface SyncOptions {
    cwd?: string | { pathname: string };
    input?: string | Uint8Array;
    env?: Record<string, string | undefined>;
    encoding?: string;
    timeout?: number;
    stdio?: unknown;
    shell?: boolean | string;
}

interface SpawnSyncResult {
    pid: number;
    output: [null, Output, Output];
    stdout: Output;
    stderr: Output;
    status: number | null;
    signal: string | null;
    error?: Error;
}

function notProvided(what: string, instead: string): never {
    throw Object.assign(
        new Error(`child_process.${what} is not provided under Unfold: use child_process.${instead}, which runs the process to its end and is recorded`),
        { code: "ERR_UNFOLD_NO_STREAMING_PROCESSES" },
    );
}

function cwdOf(options: SyncOptions): string {
    const given = options.cwd;
    // A file: URL names a directory by its path.
    const cwd = given === undefined ? process.cwd() : typeof given === "string" ? given : decodeURIComponent(given.pathname);
    return cwd.startsWith("/") ? cwd : `${process.cwd().replace(/\/$/, "")}/${cwd}`;
}

function inputOf(input: SyncOptions["input"]): string | undefined {
    if (input === undefined) {
        return undefined;
    }
    return Buffer.from(typeof input === "string" ? Buffer.from(input, "utf8") : input).toString("base64");
}

function envOf(env: SyncOptions["env"]): Record<string, string> | undefined {
    if (env === undefined) {
        return undefined;
    }
    return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined).map(([k, v]) => [k, String(v)]));
}

/** Runs `file` with `args` to its end. */
function runProcess(file: string, args: readonly string[], options: SyncOptions): SpawnSyncResult {
    if (options.shell) {
        const shell = typeof options.shell === "string" ? options.shell : "/bin/sh";
        [file, args] = [shell, ["-c", [file, ...args].join(" ")]];
    }
    let answer: Answer;
    try {
        answer = call("process.run", {
            file,
            args: args.map(String),
            cwd: cwdOf(options),
            env: envOf(options.env) ?? null,
            input: inputOf(options.input) ?? null,
            timeoutMs: options.timeout ?? null,
        }) as Answer;
    } catch (error) {
        if (String((error as Error)?.message).includes("'process.run'")) {
            throw Object.assign(new Error(`child_process: a deployed Function cannot start processes (it tried to run '${file}'); run it at deploy time instead`), {
                code: "ERR_UNFOLD_NO_PROCESSES",
            });
        }
        throw error;
    }
    const encoding = options.encoding === "buffer" ? undefined : options.encoding;
    const decode = (base64: string) => {
        const bytes = Buffer.from(base64, "base64");
        return encoding ? bytes.toString(encoding ) : bytes;
    };
    if ("error" in answer) {
        const error = Object.assign(new Error(answer.error.message), {
            code: answer.error.code,
            errno: answer.error.code === "ENOENT" ? -2 : -13,
            syscall: `spawnSync ${file}`,
            path: file,
            spawnargs: [...args],
        });
        const empty = decode("");
        return { pid: 0, output: [null, empty, empty], stdout: empty, stderr: empty, status: null, signal: null, error };
    }
    const { status, signal, timedOut } = answer.ok;
    const stdout = decode(answer.ok.stdout);
    const stderr = decode(answer.ok.stderr);
    const result: SpawnSyncResult = { pid: 0, output: [null, stdout, stderr], stdout, stderr, status, signal };
    if (timedOut) {
        result.error = Object.assign(new Error(`spawnSync ${file} ETIMEDOUT`), { code: "ETIMEDOUT", errno: -110, syscall: `spawnSync ${file}`, path: file, spawnargs: [...args] });
    }
    return result;
}

/** Node.js's sync functions print the child's stderr to the parent's unless `stdio` says otherwise. */
function passStderr(result: SpawnSyncResult, options: SyncOptions): void {
    if (options.stdio === undefined && result.stderr.length > 0) {
        process.stderr.write(text(result.stderr));
    }
}

function text(output: Output): string {
    return typeof output === "string" ? output : Buffer.from(output).toString("utf8");
}

/** Throws as Node.js's `execFileSync` and `execSync` do when the process could not run or failed. */
function checked(result: SpawnSyncResult, command: string): Output {
    if (result.error !== undefined) {
        throw Object.assign(result.error, { status: result.status, signal: result.signal, output: result.output, stdout: result.stdout, stderr: result.stderr });
    }
    if (result.status !== 0) {
        const stderr = text(result.stderr);
        const error = new Error(`Command failed: ${command}${stderr ? `\n${stderr}` : ""}`);
        throw Object.assign(error, { status: result.status, signal: result.signal, output: result.output, stdout: result.stdout, stderr: result.stderr, pid: 0 });
    }
    return result.stdout;
}

function splitArgs(args: unknown, options: unknown): [string[], SyncOptions] {
    if (Array.isArray(args)) {
        return [args.map(String), (options ?? {}) as SyncOptions];
    }
    return [[], (args ?? {}) as SyncOptions];
}

export function spawnSync(file: string, args?: readonly string[] | SyncOptions, options?: SyncOptions): SpawnSyncResult {
    const [argv, opts] = splitArgs(args, options);
    return runProcess(file, argv, opts);
}

export function execFileSync(file: string, args?: readonly string[] | SyncOptions, options?: SyncOptions): Output {
    const [argv, opts] = splitArgs(args, options);
    const result = runProcess(file, argv, opts);
    passStderr(result, opts);
    return checked(result, [file, ...argv].join(" "));
}

export function execSync(command: string, options: SyncOptions = {}): Output {
    const result = runProcess(command, [], { ...options, shell: options.shell ?? true });
    passStderr(result, options);
    return checked(result, command);
}

export class ChildProcess extends EventEmitter {}

export const spawn = (): never => notProvided("spawn", "spawnSync");
export const exec = (): never => notProvided("exec", "execSync");
export const execFile = (): never => notProvided("execFile", "execFileSync");
export const fork = (): never => notProvided("fork", "spawnSync");

const child_process = { ChildProcess, spawn, spawnSync, exec, execSync, execFile, execFileSync, fork };
export default child_process;
