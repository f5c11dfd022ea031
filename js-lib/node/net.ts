// The `net` built-in, written for Unfold: address checks, and sockets that exist to be subclassed
// or handed to HTTP clients. Programs open no connections of their own and cannot listen.
import EventEmitter from "./events.ts";
import { Duplex } from "./stream.ts";
import { cannotListen } from "./internal/http.ts";

function noSockets(what: string): never {
    throw Object.assign(
        new Error(`${what}: programs under Unfold cannot open sockets; make HTTP requests with the http or https built-ins`),
        { code: "ERR_UNFOLD_NO_SOCKETS" },
    );
}

const IPV4_PART = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const IPV4 = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);
const IPV6_GROUP = "[0-9a-fA-F]{1,4}";
const IPV6 = new RegExp(
    "^(?:" +
        [
            `(?:${IPV6_GROUP}:){7}(?:${IPV6_GROUP}|:)`,
            `(?:${IPV6_GROUP}:){6}(?:${IPV4_PART}(?:\\.${IPV4_PART}){3}|:${IPV6_GROUP}|:)`,
            `(?:${IPV6_GROUP}:){5}(?::${IPV4_PART}(?:\\.${IPV4_PART}){3}|(?::${IPV6_GROUP}){1,2}|:)`,
            `(?:${IPV6_GROUP}:){4}(?:(?::${IPV6_GROUP}){0,1}:${IPV4_PART}(?:\\.${IPV4_PART}){3}|(?::${IPV6_GROUP}){1,3}|:)`,
            `(?:${IPV6_GROUP}:){3}(?:(?::${IPV6_GROUP}){0,2}:${IPV4_PART}(?:\\.${IPV4_PART}){3}|(?::${IPV6_GROUP}){1,4}|:)`,
            `(?:${IPV6_GROUP}:){2}(?:(?::${IPV6_GROUP}){0,3}:${IPV4_PART}(?:\\.${IPV4_PART}){3}|(?::${IPV6_GROUP}){1,5}|:)`,
            `(?:${IPV6_GROUP}:){1}(?:(?::${IPV6_GROUP}){0,4}:${IPV4_PART}(?:\\.${IPV4_PART}){3}|(?::${IPV6_GROUP}){1,6}|:)`,
            `(?::(?:(?::${IPV6_GROUP}){0,5}:${IPV4_PART}(?:\\.${IPV4_PART}){3}|(?::${IPV6_GROUP}){1,7}|:))`,
        ].join("|") +
        ")(?:%[0-9a-zA-Z-.:]{1,})?$",
);

function isIPv4(input: string): boolean {
    return IPV4.test(String(input));
}

function isIPv6(input: string): boolean {
    return IPV6.test(String(input));
}

function isIP(input: string): number {
    return isIPv4(input) ? 4 : isIPv6(input) ? 6 : 0;
}

class Socket extends Duplex {
    connecting = false;
    pending = true;
    remoteAddress: string | undefined = undefined;
    remotePort: number | undefined = undefined;
    constructor(options: Record<string, unknown> = {}) {
        super(options);
    }
    connect(): never {
        return noSockets("net.Socket.connect");
    }
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
    address(): Record<string, unknown> {
        return {};
    }
    ref(): this {
        return this;
    }
    unref(): this {
        return this;
    }
}

class Server extends EventEmitter {
    constructor(..._args: unknown[]) {
        super();
        cannotListen("net.Server");
    }
}

function createServer(): never {
    return cannotListen("net.createServer");
}

function connect(): never {
    return noSockets("net.connect");
}

const net = {
    Socket,
    Stream: Socket,
    Server,
    createServer,
    connect,
    createConnection: connect,
    isIP,
    isIPv4,
    isIPv6,
    getDefaultAutoSelectFamily: () => true,
    setDefaultAutoSelectFamily(): void {},
};

export default net;
export { Socket, Socket as Stream, Server, createServer, connect, connect as createConnection, isIP, isIPv4, isIPv6 };
