// The HTTP client behind the `http` and `https` built-ins. A request is one `http.request` crossing
// made when the request ends, carrying the whole body; the host answers with the whole response,
// which `IncomingMessage` then streams. TLS is the host's; the `ca` option is honoured. Being a crossing, every request is recorded with its answer
// and replays without the network. Programs cannot listen: servers fail when created.
import { Buffer } from "../buffer.ts";
import EventEmitter from "../events.ts";
import { Readable, Writable } from "../stream.ts";
import { cancel, start } from "../../unfold/io.ts";

type Headers = Record<string, string | string[] | number | undefined>;
type ResponseListener = (response: IncomingMessage) => void;

export interface RequestOptions {
    protocol?: string;
    host?: string;
    hostname?: string;
    port?: number | string;
    defaultPort?: number;
    path?: string;
    method?: string;
    headers?: Headers | string[];
    auth?: string;
    agent?: Agent | boolean;
    timeout?: number;
    signal?: { aborted: boolean; addEventListener(type: string, listener: () => void): void };
    [option: string]: unknown;
}

interface Answer {
    ok?: { status: number; statusText: string; headers: [string, string][]; body: string };
    error?: { code: string; message: string };
}

function nodeError(message: string, code: string, extra: Record<string, unknown> = {}): Error {
    return Object.assign(new Error(message), { code, ...extra });
}

/** Fails for what a program cannot do: accept connections. */
export function cannotListen(what: string): never {
    throw nodeError(
        `${what}: programs under Unfold cannot listen for connections; they run without direct access to the machine`,
        "ERR_UNFOLD_NO_LISTEN",
    );
}

/** Keeps the options of Node.js's agents; the host opens one connection per request. */
export class Agent extends EventEmitter {
    defaultPort = 80;
    protocol = "http:";
    options: Record<string, unknown>;
    keepAlive: boolean;
    keepAliveMsecs: number;
    maxSockets: number;
    maxFreeSockets: number;
    maxTotalSockets: number;
    sockets: Record<string, unknown[]> = Object.create(null);
    freeSockets: Record<string, unknown[]> = Object.create(null);
    requests: Record<string, unknown[]> = Object.create(null);

    constructor(options: Record<string, any> = {}) {
        super();
        this.options = { path: null, ...options };
        this.keepAlive = options.keepAlive ?? false;
        this.keepAliveMsecs = options.keepAliveMsecs ?? 1000;
        this.maxSockets = options.maxSockets ?? Infinity;
        this.maxFreeSockets = options.maxFreeSockets ?? 256;
        this.maxTotalSockets = options.maxTotalSockets ?? Infinity;
    }

    getName(options: RequestOptions = {}): string {
        return `${options.host ?? options.hostname ?? "localhost"}:${options.port ?? ""}:${options.localAddress ?? ""}`;
    }

    createConnection(): never {
        throw nodeError("Agent.createConnection: Unfold's host makes the connections itself", "ERR_UNFOLD_NO_SOCKETS");
    }

    keepSocketAlive(): boolean {
        return this.keepAlive;
    }

    reuseSocket(): void {}

    destroy(): void {}
}

/** The parts of an `http:` or `https:` URL a request needs. */
function urlOptions(input: string | { href: string }): RequestOptions {
    const href = typeof input === "string" ? input : input.href;
    const match = /^([a-z][a-z0-9+.-]*:)\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^#]*)/i.exec(href);
    if (!match) throw nodeError(`Invalid URL: ${href}`, "ERR_INVALID_URL");
    const [, protocol, auth, host, port, rest] = match;
    const path = rest.startsWith("/") ? rest : `/${rest}`;
    return {
        protocol: protocol.toLowerCase(),
        hostname: host.startsWith("[") ? host.slice(1, -1) : host,
        port: port ? Number(port) : undefined,
        path,
        auth: auth ? decodeURIComponent(auth) : undefined,
    };
}

/** `request(url, options, callback)` in any of the forms Node.js accepts. */
function requestArguments(args: unknown[]): [RequestOptions, ResponseListener | undefined] {
    let [first, second, third] = args;
    let options: RequestOptions;
    if (typeof first === "string" || (first && typeof (first as { href?: unknown }).href === "string" && !(first as RequestOptions).hostname)) {
        options = urlOptions(first as string);
        if (typeof second === "function") {
            third = second;
        } else if (second) {
            options = { ...options, ...(second as RequestOptions) };
        }
        return [options, third as ResponseListener | undefined];
    }
    if (typeof first === "function") return [{}, first as ResponseListener];
    return [{ ...((first as RequestOptions) ?? {}) }, second as ResponseListener | undefined];
}

/** A request being written; it is sent, whole, when it ends. */
export class ClientRequest extends Writable {
    method: string;
    path: string;
    host: string;
    protocol: string;
    agent: Agent | undefined;
    aborted = false;
    reusedSocket = false;
    maxHeadersCount: number | null = null;
    socket: unknown = null;
    private readonly url: string;
    private readonly headerMap = new Map<string, [string, string | string[]]>();
    private readonly chunks: Uint8Array[] = [];
    private timeoutMs: number | undefined;
    /** PEM certificates trusted instead of the default roots (`ca`, here or on the agent). */
    private readonly ca: string[] | undefined;
    private ticket: number | null = null;
    private sent = false;

    constructor(options: RequestOptions, defaultProtocol: string, defaultAgent: Agent, onResponse?: ResponseListener) {
        super();
        const agent = options.agent === false ? undefined : options.agent === undefined || options.agent === true ? defaultAgent : options.agent;
        this.agent = agent;
        this.protocol = options.protocol ?? agent?.protocol ?? defaultProtocol;
        if (this.protocol !== "http:" && this.protocol !== "https:") {
            throw nodeError(`Protocol "${this.protocol}" not supported. Expected "${defaultProtocol}"`, "ERR_INVALID_PROTOCOL");
        }
        this.method = (options.method ?? "GET").toUpperCase();
        this.host = options.hostname ?? (options.host ? String(options.host).replace(/:\d+$/, "") : "localhost");
        this.path = options.path ?? "/";
        if (/[\u0000-\u0020]/.test(this.path)) {
            throw nodeError("Request path contains unescaped characters", "ERR_UNESCAPED_CHARACTERS");
        }
        const port = options.port ?? options.defaultPort ?? agent?.defaultPort ?? (this.protocol === "https:" ? 443 : 80);
        const host = this.host.includes(":") ? `[${this.host}]` : this.host;
        this.url = `${this.protocol}//${host}:${port}${this.path}`;
        const headers = options.headers;
        if (Array.isArray(headers)) {
            for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
        } else if (headers) {
            for (const [name, value] of Object.entries(headers)) {
                if (value !== undefined) this.setHeader(name, value);
            }
        }
        if (options.auth && !this.hasHeader("authorization")) {
            this.setHeader("Authorization", `Basic ${Buffer.from(options.auth).toString("base64")}`);
        }
        if (options.timeout !== undefined) this.timeoutMs = options.timeout;
        const ca = options.ca ?? agent?.options.ca;
        if (ca !== undefined && ca !== null) {
            this.ca = (Array.isArray(ca) ? ca : [ca]).map((one) => (typeof one === "string" ? one : Buffer.from(one as Uint8Array).toString("utf8")));
        }
        if (onResponse) this.once("response", onResponse);
        options.signal?.addEventListener("abort", () => this.destroy(nodeError("The operation was aborted", "ABORT_ERR", { name: "AbortError" })));
        // Node.js hands the request its socket on the next tick; listeners set options on it.
        queueMicrotask(() => {
            if (this.destroyed) return;
            this.socket = new RequestSocket();
            this.emit("socket", this.socket);
        });
    }

    setHeader(name: string, value: string | number | readonly string[]): this {
        if (this.sent) throw nodeError("Cannot set headers after they are sent to the client", "ERR_HTTP_HEADERS_SENT");
        if (!/^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/.test(name)) {
            throw nodeError(`Header name must be a valid HTTP token ["${name}"]`, "ERR_INVALID_HTTP_TOKEN");
        }
        this.headerMap.set(name.toLowerCase(), [name, Array.isArray(value) ? value.map(String) : String(value)]);
        return this;
    }

    getHeader(name: string): string | string[] | undefined {
        return this.headerMap.get(name.toLowerCase())?.[1];
    }

    getHeaders(): Record<string, string | string[]> {
        const headers: Record<string, string | string[]> = Object.create(null);
        for (const [key, [, value]] of this.headerMap) headers[key] = value;
        return headers;
    }

    getHeaderNames(): string[] {
        return [...this.headerMap.keys()];
    }

    getRawHeaderNames(): string[] {
        return [...this.headerMap.values()].map(([name]) => name);
    }

    hasHeader(name: string): boolean {
        return this.headerMap.has(name.toLowerCase());
    }

    removeHeader(name: string): void {
        this.headerMap.delete(name.toLowerCase());
    }

    get headersSent(): boolean {
        return this.sent;
    }

    flushHeaders(): void {}

    setNoDelay(): void {}

    setSocketKeepAlive(): void {}

    setTimeout(ms: number, callback?: () => void): this {
        this.timeoutMs = ms;
        if (callback) this.once("timeout", callback);
        return this;
    }

    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
        const done = (typeof encoding === "function" ? encoding : callback) as ((err?: Error | null) => void) | undefined;
        if (this.writableEnded) {
            const error = nodeError("write after end", "ERR_STREAM_WRITE_AFTER_END");
            queueMicrotask(() => {
                done?.(error);
                this.emit("error", error);
            });
            return false;
        }
        if (chunk !== undefined && chunk !== null) {
            this.chunks.push(typeof chunk === "string" ? Buffer.from(chunk, (typeof encoding === "string" ? encoding : "utf8") as any) : (chunk as Uint8Array));
        }
        if (done) queueMicrotask(() => done(null));
        return true;
    }

    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
        if (typeof chunk === "function") {
            callback = chunk;
            chunk = undefined;
        } else if (typeof encoding === "function") {
            callback = encoding;
            encoding = undefined;
        }
        if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
        if (this.writableEnded) return this;
        this.writableEnded = true;
        if (typeof callback === "function") this.once("finish", callback as () => void);
        queueMicrotask(() => this.send());
        return this;
    }

    abort(): void {
        if (this.aborted) return;
        this.aborted = true;
        queueMicrotask(() => this.emit("abort"));
        this.destroy();
    }

    destroy(error?: Error | null): this {
        if (this.destroyed) return this;
        this.destroyed = true;
        if (this.ticket !== null) {
            cancel(this.ticket);
            this.ticket = null;
        }
        queueMicrotask(() => {
            if (error) this.emit("error", error);
            this.emit("close");
        });
        return this;
    }

    private send(): void {
        if (this.destroyed || this.sent) return;
        this.sent = true;
        const headers: [string, string][] = [];
        for (const [name, value] of this.headerMap.values()) {
            for (const one of Array.isArray(value) ? value : [value]) headers.push([name, one]);
        }
        const body = Buffer.concat(this.chunks);
        const args: Record<string, unknown> = { method: this.method, url: this.url, headers };
        if (body.length > 0) args.body = body.toString("base64");
        if (this.timeoutMs) args.timeoutMs = this.timeoutMs;
        if (this.ca && this.protocol === "https:") args.ca = this.ca;
        const started = start("http.request", args as any);
        this.ticket = started.ticket;
        this.writableFinished = true;
        this.emit("finish");
        started.done.then(
            (answer) => this.answered(answer as Answer),
            (error) => this.fail(error as Error),
        );
    }

    private answered(answer: Answer): void {
        this.ticket = null;
        if (this.destroyed) return;
        if (answer.error) {
            const { code, message } = answer.error;
            if (code === "ETIMEDOUT" && this.listenerCount("timeout") > 0) this.emit("timeout");
            const [, syscall, , address, port] = /^(connect|getaddrinfo) (\w+) ([^:]*|\[.*\]):?(\d*)$/.exec(message) ?? [];
            const extra: Record<string, unknown> = syscall ? { syscall, hostname: this.host } : {};
            if (syscall === "connect") Object.assign(extra, { address, port: Number(port) });
            this.fail(nodeError(message, code, extra));
            return;
        }
        const response = new IncomingMessage(answer.ok!, this);
        this.emit("response", response);
        response.once("end", () => queueMicrotask(() => this.emit("close")));
    }

    private fail(error: Error): void {
        if (this.destroyed) return;
        this.destroyed = true;
        this.emit("error", error);
        this.emit("close");
    }
}

/** Headers that Node.js keeps only the first of when a response repeats them. */
const singleValued = new Set([
    "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host", "if-modified-since",
    "if-unmodified-since", "last-modified", "location", "max-forwards", "proxy-authorization", "referer", "retry-after",
    "server", "user-agent",
]);

/** A response: its status and headers, and its body as a readable stream. */
export class IncomingMessage extends Readable {
    statusCode: number;
    statusMessage: string;
    headers: Record<string, string | string[]> = Object.create(null);
    headersDistinct: Record<string, string[]> = Object.create(null);
    rawHeaders: string[] = [];
    trailers: Record<string, string> = Object.create(null);
    rawTrailers: string[] = [];
    httpVersion = "1.1";
    httpVersionMajor = 1;
    httpVersionMinor = 1;
    complete = false;
    aborted = false;
    url = "";
    method: string | null = null;
    socket: unknown;
    req: ClientRequest;

    constructor(answer: NonNullable<Answer["ok"]>, request: ClientRequest) {
        super();
        this.req = request;
        this.socket = request.socket;
        this.statusCode = answer.status;
        this.statusMessage = answer.statusText;
        for (const [name, value] of answer.headers) {
            this.rawHeaders.push(name, value);
            const key = name.toLowerCase();
            (this.headersDistinct[key] ??= []).push(value);
            const existing = this.headers[key];
            if (existing === undefined) {
                this.headers[key] = key === "set-cookie" ? [value] : value;
            } else if (key === "set-cookie") {
                (existing as string[]).push(value);
            } else if (!singleValued.has(key)) {
                this.headers[key] = `${existing}, ${value}`;
            }
        }
        const body = Buffer.from(answer.body, "base64");
        if (body.length > 0) this.push(body);
        this.push(null);
        this.once("end", () => (this.complete = true));
    }

    get connection(): unknown {
        return this.socket;
    }

    setTimeout(_ms: number, callback?: () => void): this {
        if (callback) this.once("timeout", callback);
        return this;
    }
}

/** What a request's 'socket' listeners see: socket options are the host's to choose. */
class RequestSocket extends EventEmitter {
    connecting = false;
    readonly remoteAddress = undefined;
    setKeepAlive(): this {
        return this;
    }
    setNoDelay(): this {
        return this;
    }
    setTimeout(_ms: number, callback?: () => void): this {
        if (callback) this.once("timeout", callback);
        return this;
    }
    ref(): this {
        return this;
    }
    unref(): this {
        return this;
    }
    destroy(): this {
        return this;
    }
}

/** `request` and `get` of a client whose default protocol and agent are given. */
export function client(protocol: string, agent: () => Agent) {
    function request(...args: unknown[]): ClientRequest {
        const [options, onResponse] = requestArguments(args);
        return new ClientRequest(options, protocol, agent(), onResponse);
    }
    function get(...args: unknown[]): ClientRequest {
        const request_ = request(...args);
        request_.end();
        return request_;
    }
    return { request, get };
}

/** Servers exist to be subclassed; creating one fails, as programs cannot listen. */
export class Server extends EventEmitter {
    constructor(..._args: unknown[]) {
        super();
        cannotListen("http.Server");
    }
}

/** Outgoing messages a server would write; present so packages can extend them. */
export class ServerResponse extends Writable {}

export { Writable as OutgoingMessage };
