// The `url` built-in, written for Unfold: file URL conversions, and the WHATWG `URL` classes
// where the runtime has them.
const g = globalThis as any;

function noUrlClass(): never {
    throw new Error("url.URL: the WHATWG URL class is not provided by Unfold yet; file URLs convert with fileURLToPath/pathToFileURL");
}

function encodePath(path: string): string {
    return path.split("/").map((part) => encodeURIComponent(part)).join("/");
}

/** A file URL as a plain object with the parts programs read, when there is no `URL` class. */
function fileUrl(href: string): { href: string; protocol: string; pathname: string; toString(): string } {
    return { href, protocol: "file:", pathname: href.slice("file://".length), toString: () => href };
}

function pathToFileURL(path: string): unknown {
    const absolute = path.startsWith("/") ? path : `${g.process?.cwd?.() ?? "/"}/${path}`;
    const href = "file://" + encodePath(absolute);
    return typeof g.URL === "function" ? new g.URL(href) : fileUrl(href);
}

function fileURLToPath(url: string | { href: string }): string {
    const href = typeof url === "string" ? url : url.href;
    if (!href.startsWith("file://")) {
        throw new TypeError(`The URL must be of scheme file: ${href}`);
    }
    return decodeURIComponent(href.slice("file://".length).replace(/^[^/]*/, ""));
}

const url = {
    get URL() {
        return g.URL ?? noUrlClass;
    },
    get URLSearchParams() {
        return g.URLSearchParams ?? noUrlClass;
    },
    pathToFileURL,
    fileURLToPath,
};

export default url;
export { pathToFileURL, fileURLToPath };
