// The IO gateway: the program's only way out of the isolate (docs/host-io.md).
//
// Every crossing is named and carries JSON. Synchronous crossings return at once; asynchronous
// ones return a ticket whose completion arrives in a batch from `op_io_next`. One pump drains
// those batches and settles promises in batch order, so the order in which async work completes
// is exactly the order the host delivered it — which is what makes a run replayable.

/** A JSON value as it crosses the gateway (no `undefined`). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Completion = [ticket: number, ok: boolean, value: unknown];

interface GatewayOps {
    op_io_call(name: string, args: Json, context: number): unknown;
    op_io_call_json(name: string, args: string, context: number): unknown;
    op_io_start(name: string, args: Json, context: number): number;
    op_io_start_json(name: string, args: string, context: number): number;
    op_io_next(): Promise<Completion[]>;
}

/** An inbound call from the engine, such as a transform callback. */
export interface InboundCallback {
    readonly id: number | string;
    readonly token: string;
    /** The request message, base64-encoded protobuf. */
    readonly request: string;
}

/** Answers an inbound callback with the base64-encoded protobuf response. */
export type CallbackHandler = (callback: InboundCallback) => Promise<string>;

/** A failed asynchronous crossing; `code` is the gRPC status name, or "Error" for host errors. */
export class GatewayError extends Error {
    readonly code: string;
    /** The failure text without the status prefix that `message` carries. */
    readonly details: string;

    constructor(code: string, details: string) {
        const status = grpcStatusNumbers[code];
        super(status === undefined ? details : `${status} ${screamingSnake(code)}: ${details}`);
        this.code = code;
        this.details = details;
    }
}

// Messages of failed RPCs read as gRPC clients format them ("14 UNAVAILABLE: …"), because the
// Node.js SDK embeds such messages in the errors users see. Host errors keep their own text.
const grpcStatusNumbers: Record<string, number> = {
    OK: 0,
    Cancelled: 1,
    Unknown: 2,
    InvalidArgument: 3,
    DeadlineExceeded: 4,
    NotFound: 5,
    AlreadyExists: 6,
    PermissionDenied: 7,
    ResourceExhausted: 8,
    FailedPrecondition: 9,
    Aborted: 10,
    OutOfRange: 11,
    Unimplemented: 12,
    Internal: 13,
    Unavailable: 14,
    DataLoss: 15,
    Unauthenticated: 16,
};

function screamingSnake(code: string): string {
    return code.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

interface AsyncContextOps {
    getAsyncContext(): unknown;
    setAsyncContext(context: unknown): void;
}

// Captured once, before the bootstrap removes `Deno` from the global scope.
const core = (globalThis as unknown as { Deno: { core: { ops: GatewayOps } & AsyncContextOps } }).Deno.core;
const { op_io_call, op_io_call_json, op_io_start, op_io_start_json, op_io_next } = core.ops;
const { getAsyncContext, setAsyncContext } = core;

/** The context the running code belongs to (see `withContext`); 0 outside any. */
export function currentContext(): number {
    const context = getAsyncContext();
    return typeof context === "number" ? context : 0;
}

/**
 * Runs `body` in `context`, a positive number the host tags each of its crossings with — and each
 * crossing of every promise continuation it schedules, which V8 carries the context into. A
 * function runtime tells the invocations an instance serves apart this way (`io::observer`).
 */
export function withContext<T>(context: number, body: () => T): T {
    const previous = getAsyncContext();
    setAsyncContext(context);
    try {
        return body();
    } finally {
        setAsyncContext(previous);
    }
}

interface Waiter {
    resolve(value: unknown): void;
    reject(reason: unknown): void;
}

const outstanding = new Map<number, Waiter>();
const callbackHandlers = new Map<string, CallbackHandler>();
const listeners = new Map<string, (event: Record<string, unknown>) => void>();
// Tickets cancelled after their completion may already have been queued.
const cancelled = new Set<number>();
let pumping = false;

/** Performs a synchronous crossing. */
export function call(name: string, args: Json = {}): unknown {
    const context = currentContext();
    try {
        return op_io_call(name, args, context);
    } catch (error) {
        if (!tooDeepToConvert(error)) {
            throw error;
        }
        return op_io_call_json(name, JSON.stringify(args), context);
    }
}

/**
 * Whether an op refused its arguments because they nest deeper than V8 values are converted
 * (128 levels); such arguments cross as JSON text instead. The refusal comes before the op does
 * anything, so trying again is safe.
 */
function tooDeepToConvert(error: unknown): boolean {
    return error instanceof TypeError && error.message.includes("recursion limit exceeded");
}

/** Starts an asynchronous crossing; the promise settles when the host completes it. */
export function request(name: string, args: Json = {}): Promise<unknown> {
    return start(name, args).done;
}

/**
 * Settles once nothing the program started is in flight any more: every other crossing has been
 * delivered and the microtasks that followed started no new one (see `io::delivery`).
 */
export function quiet(): Promise<void> {
    return request("io.quiet") as Promise<void>;
}

/** A started crossing: its ticket (to cancel it) and its completion. */
export interface Started {
    readonly ticket: number;
    readonly done: Promise<unknown>;
}

/** Starts an asynchronous crossing that may be cancelled before it completes. */
export function start(name: string, args: Json = {}): Started {
    const context = currentContext();
    let ticket: number;
    try {
        ticket = op_io_start(name, args, context);
    } catch (error) {
        if (!tooDeepToConvert(error)) {
            throw error;
        }
        ticket = op_io_start_json(name, JSON.stringify(args), context);
    }
    const done = new Promise<unknown>((resolve, reject) => {
        outstanding.set(ticket, { resolve, reject });
    });
    ensurePumping();
    return { ticket, done };
}

/**
 * Cancels a started crossing: the host stops it and its promise never settles. Cancelling one
 * that already completed does nothing.
 */
export function cancel(ticket: number): void {
    if (outstanding.delete(ticket)) {
        cancelled.add(ticket);
        call("io.cancel", { ticket });
    }
}

/** Routes inbound callbacks carrying `token` to `handler`. */
export function onCallback(token: string, handler: CallbackHandler): void {
    callbackHandlers.set(token, handler);
}

/** Stops routing callbacks carrying `token`. */
export function offCallback(token: string): void {
    callbackHandlers.delete(token);
}

/**
 * Delivers inbound events named `event` (other than callbacks) to `handler`, and keeps the pump
 * waiting for them — the program stays alive — until the returned function is called.
 */
export function listen(event: string, handler: (event: Record<string, unknown>) => void): () => void {
    if (event === "callback" || listeners.has(event)) {
        throw new Error(`IO gateway already has a listener for '${event}'`);
    }
    listeners.set(event, handler);
    ensurePumping();
    return () => {
        listeners.delete(event);
    };
}

function ensurePumping(): void {
    if (!pumping) {
        // The pump belongs to no invocation, whichever started it.
        withContext(0, () => void pump());
    }
}

// The pump runs only while a crossing is outstanding or a listener waits for events: an idle
// loop with an unsettled top-level promise then ends the run instead of waiting forever.
async function pump(): Promise<void> {
    pumping = true;
    try {
        while (outstanding.size > 0 || listeners.size > 0) {
            const batch = await op_io_next();
            for (const [ticket, ok, value] of batch) {
                if (ticket === 0) {
                    dispatchInbound(value as { event: string } & InboundCallback);
                } else {
                    settle(ticket, ok, value);
                }
            }
        }
    } catch (err) {
        // The gateway itself failed: nothing outstanding can complete any more.
        for (const waiter of outstanding.values()) {
            waiter.reject(err);
        }
        outstanding.clear();
    } finally {
        pumping = false;
    }
}

function settle(ticket: number, ok: boolean, value: unknown): void {
    const waiter = outstanding.get(ticket);
    if (waiter === undefined && cancelled.delete(ticket)) {
        return;
    }
    if (waiter === undefined) {
        throw new Error(`IO gateway completed unknown ticket ${ticket}`);
    }
    outstanding.delete(ticket);
    if (ok) {
        waiter.resolve(value);
    } else {
        const failure = value as { message?: string; code?: string };
        waiter.reject(new GatewayError(failure.code ?? "Error", failure.message ?? ""));
    }
}

function dispatchInbound(event: { event: string } & InboundCallback): void {
    if (event.event !== "callback") {
        const listener = listeners.get(event.event);
        if (listener === undefined) {
            throw new Error(`IO gateway delivered unknown inbound event '${event.event}'`);
        }
        listener(event as unknown as Record<string, unknown>);
        return;
    }
    const handler = callbackHandlers.get(event.token);
    if (handler === undefined) {
        // The Callbacks service answers unknown tokens this way.
        call("callback.reply", { id: event.id, error: `callback not found: ${event.token}` });
        return;
    }
    handler(event).then(
        (response) => call("callback.reply", { id: event.id, response }),
        (err: unknown) => call("callback.reply", { id: event.id, error: errorText(err) }),
    );
}

function errorText(err: unknown): string {
    if (err instanceof Error) {
        return err.message;
    }
    return JSON.stringify(err) ?? String(err);
}
