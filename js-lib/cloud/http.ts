// HTTP requests and responses as handlers see them.

/** An HTTP request routed to a handler. */
export interface Request {
    readonly method: string;
    /** The path below the API's URL, e.g. `/messages/7`. */
    readonly path: string;
    /** Path parameters matched by the route: `{id}` in `/messages/{id}` → `params.id`. */
    readonly params: Readonly<Record<string, string>>;
    readonly query: Readonly<Record<string, string>>;
    /** Header names are lower case. */
    readonly headers: Readonly<Record<string, string>>;
    /** The body as text ("" when there is none). */
    readonly body: string;
    /** The body parsed as JSON; throws a `SyntaxError` if it is not JSON. */
    json<T = any>(): T;
}

/** What a handler returns: `body` that is not a string is sent as JSON. */
export interface Response {
    /** Defaults to 200, or 204 when there is no body. */
    status?: number;
    headers?: Record<string, string>;
    body?: unknown;
}

export type Handler = (request: Request) => Response | Promise<Response>;

/** The request as the runtime sends it. */
export interface WireRequest {
    method: string;
    path: string;
    params: Record<string, string>;
    query: Record<string, string>;
    headers: Record<string, string>;
    body: string;
}

/** The response as the runtime expects it. */
export interface WireResponse {
    status: number;
    headers: Record<string, string>;
    body: string;
}

/** A request the program makes itself: to a Function it holds (`Function.invoke`), or in a test. */
export interface OutgoingRequest {
    /** Default `POST`. */
    method?: string;
    /** Default `/`. */
    path?: string;
    /** Header names are sent in lower case. */
    headers?: Record<string, string>;
    query?: Record<string, string>;
    /** Sent as JSON (with its content type) unless it is a string. */
    body?: unknown;
}

/** A response as the caller gets it. */
export interface Reply {
    readonly status: number;
    /** Header names in lower case. */
    readonly headers: Readonly<Record<string, string>>;
    /** The body as text. */
    readonly body: string;
    /** The body parsed as JSON; throws a `SyntaxError` if it is not JSON. */
    json<T = any>(): T;
}

/** `outgoing` as the runtime sends it, with the route's `params`. */
export function toWireRequest(outgoing: OutgoingRequest, params: Record<string, string> = {}): WireRequest {
    const { headers, body } = wireMessage(outgoing.headers, outgoing.body);
    const method = (outgoing.method ?? "POST").toUpperCase();
    return { method, path: outgoing.path ?? "/", params: { ...params }, query: { ...outgoing.query }, headers, body };
}

export function toReply(wire: WireResponse): Reply {
    return Object.freeze({
        status: wire.status,
        headers: Object.freeze({ ...wire.headers }),
        body: wire.body,
        json<T>(): T {
            return JSON.parse(wire.body) as T;
        },
    });
}

/**
 * Headers with their names in lower case, and `content` as the body's text: as is when it is a
 * string (typed `textType` if given and the headers do not say), else as JSON (typed so).
 */
function wireMessage(given: Record<string, string> | undefined, content: unknown, textType?: string): { headers: Record<string, string>; body: string } {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(given ?? {})) {
        headers[name.toLowerCase()] = String(value);
    }
    if (typeof content === "string") {
        if (textType !== undefined) {
            headers["content-type"] ??= textType;
        }
        return { headers, body: content };
    }
    if (content === undefined) {
        return { headers, body: "" };
    }
    headers["content-type"] ??= "application/json";
    return { headers, body: JSON.stringify(content) ?? "null" };
}

export function toRequest(wire: WireRequest): Request {
    return Object.freeze({
        method: wire.method,
        path: wire.path,
        params: Object.freeze({ ...wire.params }),
        query: Object.freeze({ ...wire.query }),
        headers: Object.freeze({ ...wire.headers }),
        body: wire.body,
        json<T>(): T {
            return JSON.parse(wire.body) as T;
        },
    });
}

export function toWireResponse(response: Response | undefined | null): WireResponse {
    if (response === null || typeof response !== "object") {
        throw new TypeError(`a handler must return an object like { status, headers, body }, not ${response}`);
    }
    const { headers, body } = wireMessage(response.headers, response.body, "text/plain; charset=utf-8");
    const status = response.status ?? (response.body === undefined ? 204 : 200);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
        throw new RangeError(`a handler returned status ${status}; use 100–599`);
    }
    return { status, headers, body };
}
