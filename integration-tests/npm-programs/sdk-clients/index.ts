import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";
import { Minipass } from "minipass";
import { LRUCache } from "lru-cache";
import { globSync } from "glob";
import * as zlib from "zlib";
import * as querystring from "querystring";
import { StringDecoder } from "string_decoder";
import * as diagnostics from "diagnostics_channel";
import * as http from "http";
import * as https from "https";
import * as http2 from "http2";
import * as net from "net";
import * as util from "util";

// The AWS SDK v3: a client and a command, constructed but never sent.
const client = new S3Client({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIAUNFOLDEXAMPLE", secretAccessKey: "not-a-secret" },
    maxAttempts: 2,
});
const command = new ListBucketsCommand({ MaxBuckets: 5 });
export const s3Region = client.config.region();
export const s3MaxAttempts = client.config.maxAttempts();
export const s3Command = [command.constructor.name, JSON.stringify(command.input)];
export const s3Credentials = client.config.credentials().then((c) => c.accessKeyId);

// minipass (with string_decoder behind its encoding) and lru-cache.
const pass = new Minipass({ encoding: "utf8" });
pass.write(Buffer.from([0x68, 0xe2, 0x82]));
pass.end(Buffer.from([0xac, 0x21]));
export const minipassText = pass.concat();

const cache = new LRUCache<string, number>({ max: 2 });
cache.set("a", 1);
cache.set("b", 2);
cache.get("a");
cache.set("c", 3);
export const lruKeys = [...cache.keys()];

// glob loads (with path-scurry); walking needs the WHATWG URL class, which the runtime lacks.
export const globLoaded = typeof globSync;

// zlib: round trips, Node.js-made input, errors, checksums and the stream form.
const text = "unfold ".repeat(50);
export const gzipRoundTrip = zlib.gunzipSync(zlib.gzipSync(text)).toString() === text;
export const deflateRoundTrip = zlib.inflateSync(zlib.deflateSync(Buffer.from(text), { level: 9 })).toString() === text;
export const rawRoundTrip = zlib.inflateRawSync(zlib.deflateRawSync(text)).toString() === text;
export const unzipBoth = [zlib.unzipSync(zlib.gzipSync("g")).toString(), zlib.unzipSync(zlib.deflateSync("d")).toString()];
export const inflatedFromNode = zlib.inflateSync(Buffer.from("eJzLTUxJVUiqVPDLT0nVyypWqMrJTAIASW4HFQ==", "base64")).toString();
export const gzipShrinks = zlib.gzipSync(text).length < text.length;
export const crc32 = (zlib as any).crc32("hello");
export const gunzipError = (() => {
    try {
        zlib.gunzipSync(Buffer.from("not gzip at all"));
        return "no error";
    } catch (error: any) {
        return [error.code, error.errno, error.message];
    }
})();
export const gzipCallback = util.promisify(zlib.gzip)("callback").then((zipped) => zlib.gunzipSync(zipped).toString());
export const gzipStream = new Promise<string>((resolve, reject) => {
    const gunzip = zlib.createGunzip();
    const chunks: Buffer[] = [];
    gunzip.on("data", (chunk: Buffer) => chunks.push(chunk));
    gunzip.on("end", () => resolve(Buffer.concat(chunks).toString()));
    gunzip.on("error", reject);
    const gzip = zlib.createGzip();
    gzip.pipe(gunzip);
    gzip.write("streamed ");
    gzip.end("through");
});
export const zlibConstants = [zlib.constants.Z_BEST_COMPRESSION, zlib.constants.Z_DATA_ERROR, zlib.constants.Z_SYNC_FLUSH];

// querystring and string_decoder.
export const parsed = JSON.stringify(querystring.parse("a=1&b=two+words&a=3&c=%E2%82%AC&d&e=%zz"));
export const stringified = querystring.stringify({ a: [1, 2], b: "x y&z", c: true, d: "" });
export const escaped = querystring.escape("a b&c/d");
const decoder = new StringDecoder("utf8");
const euro = Buffer.from("€uro");
export const decoded = [decoder.write(euro.subarray(0, 1)), decoder.write(euro.subarray(1, 2)), decoder.write(euro.subarray(2)), decoder.end()];
export const decodedBase64 = (() => {
    const base64 = new StringDecoder("base64");
    return base64.write(Buffer.from("ab")) + "|" + base64.write(Buffer.from("c")) + "|" + base64.end(Buffer.from("d"));
})();

// diagnostics_channel.
const channel = diagnostics.channel("unfold:test");
const heard: unknown[] = [];
const before = channel.hasSubscribers;
const listener = (message: unknown) => heard.push(message);
diagnostics.subscribe("unfold:test", listener);
channel.publish({ n: 1 });
diagnostics.unsubscribe("unfold:test", listener);
channel.publish({ n: 2 });
export const diagnosticsHeard = [before, JSON.stringify(heard), channel.hasSubscribers];

// The network modules load and offer their classes without connecting anywhere.
const agent = new https.Agent({ keepAlive: true, maxSockets: 50 });
export const network = [
    typeof http.request,
    agent instanceof http.Agent,
    agent.maxSockets,
    https.globalAgent instanceof https.Agent,
    http.STATUS_CODES[404],
    http.METHODS.includes("PATCH"),
    http2.constants.HTTP2_HEADER_PATH,
    net.isIP("127.0.0.1"),
    net.isIP("::1"),
    net.isIP("localhost"),
];
