// The `http` built-in, written for Unfold: an HTTP client whose requests are recorded crossings
// (./internal/http.ts), agents, and the protocol's tables. Programs cannot listen, so creating a
// server fails.
import { Agent, ClientRequest, IncomingMessage, OutgoingMessage, Server, ServerResponse, cannotListen, client } from "./internal/http.ts";

const globalAgent = new Agent({ keepAlive: true, scheduling: "lifo", timeout: 5000 });
const { request, get } = client("http:", () => http.globalAgent);

const METHODS = [
    "ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK", "M-SEARCH", "MERGE",
    "MKACTIVITY", "MKCALENDAR", "MKCOL", "MOVE", "NOTIFY", "OPTIONS", "PATCH", "POST", "PROPFIND", "PROPPATCH",
    "PURGE", "PUT", "QUERY", "REBIND", "REPORT", "SEARCH", "SOURCE", "SUBSCRIBE", "TRACE", "UNBIND", "UNLINK",
    "UNLOCK", "UNSUBSCRIBE",
];

const STATUS_CODES: Record<number, string> = {
    100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
    200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
    205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
    300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
    305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
    409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Payload Too Large",
    414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
    418: "I'm a Teapot", 421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked",
    424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
    429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
    507: "Insufficient Storage", 508: "Loop Detected", 509: "Bandwidth Limit Exceeded", 510: "Not Extended",
    511: "Network Authentication Required",
};

function createServer(): never {
    return cannotListen("http.createServer");
}

function validateHeaderName(name: string): void {
    if (typeof name !== "string" || !/^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/.test(name)) {
        throw Object.assign(new TypeError(`Header name must be a valid HTTP token ["${name}"]`), { code: "ERR_INVALID_HTTP_TOKEN" });
    }
}

function validateHeaderValue(name: string, value: unknown): void {
    if (value === undefined) {
        throw Object.assign(new TypeError(`Invalid value "${value}" for header "${name}"`), { code: "ERR_HTTP_INVALID_HEADER_VALUE" });
    }
    if (/[^\t\x20-\x7e\x80-\xff]/.test(String(value))) {
        throw Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: "ERR_INVALID_CHAR" });
    }
}

const http = {
    Agent,
    ClientRequest,
    IncomingMessage,
    OutgoingMessage,
    Server,
    ServerResponse,
    METHODS,
    STATUS_CODES,
    globalAgent,
    maxHeaderSize: 16384,
    request,
    get,
    createServer,
    validateHeaderName,
    validateHeaderValue,
    setMaxIdleHTTPParsers(): void {},
};

export default http;
export { Agent, ClientRequest, IncomingMessage, OutgoingMessage, Server, ServerResponse, METHODS, STATUS_CODES, globalAgent, request, get, createServer, validateHeaderName, validateHeaderValue };
export const maxHeaderSize = 16384;
