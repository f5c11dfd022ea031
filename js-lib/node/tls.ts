// The `tls` built-in, written for Unfold: its constants and classes, for packages that read them
// when they load. The host makes the TLS connections of `https` requests; programs open none.
import net from "./net.ts";
import { cannotListen } from "./internal/http.ts";

class TLSSocket extends net.Socket {
    encrypted = true;
    authorized = false;
    getPeerCertificate(): Record<string, unknown> {
        return {};
    }
    getProtocol(): string | null {
        return null;
    }
}

class SecureContext {
    context: Record<string, unknown> = {};
    constructor(readonly options: Record<string, unknown> = {}) {}
}

function createSecureContext(options: Record<string, unknown> = {}): SecureContext {
    return new SecureContext(options);
}

function connect(): never {
    throw Object.assign(
        new Error("tls.connect: programs under Unfold cannot open sockets; make HTTPS requests with the https built-in"),
        { code: "ERR_UNFOLD_NO_SOCKETS" },
    );
}

function createServer(): never {
    return cannotListen("tls.createServer");
}

class Server extends net.Server {}

function checkServerIdentity(): undefined {
    return undefined;
}

const CIPHERS = [
    "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384",
];

const tls = {
    TLSSocket,
    SecureContext,
    Server,
    createSecureContext,
    connect,
    createServer,
    checkServerIdentity,
    getCiphers: () => CIPHERS.map((cipher) => cipher.toLowerCase()),
    rootCertificates: Object.freeze([] as string[]),
    DEFAULT_CIPHERS: CIPHERS.join(":"),
    DEFAULT_ECDH_CURVE: "auto",
    DEFAULT_MIN_VERSION: "TLSv1.2",
    DEFAULT_MAX_VERSION: "TLSv1.3",
    CLIENT_RENEG_LIMIT: 3,
    CLIENT_RENEG_WINDOW: 600,
};

export default tls;
export { TLSSocket, SecureContext, Server, createSecureContext, connect, createServer, checkServerIdentity };
export const { getCiphers, rootCertificates, DEFAULT_CIPHERS, DEFAULT_ECDH_CURVE, DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION } = tls;
