// The `https` built-in, written for Unfold: the `http` client (./internal/http.ts) with `https:`
// as its default protocol. TLS is the host's: it trusts Mozilla's roots, as Node.js does, or the
// certificates of the `ca` option; client certificates are not sent.
import { Agent as HttpAgent, Server as HttpServer, cannotListen, client } from "./internal/http.ts";

class Agent extends HttpAgent {
    constructor(options: Record<string, any> = {}) {
        super(options);
        this.defaultPort = 443;
        this.protocol = "https:";
    }
}

class Server extends HttpServer {}

const globalAgent = new Agent({ keepAlive: true, scheduling: "lifo", timeout: 5000 });
const { request, get } = client("https:", () => https.globalAgent);

function createServer(): never {
    return cannotListen("https.createServer");
}

const https = { Agent, Server, globalAgent, request, get, createServer };

export default https;
export { Agent, Server, globalAgent, request, get, createServer };
