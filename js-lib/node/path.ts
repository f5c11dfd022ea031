// The `path` built-in: the npm package `path-browserify` 1.0.1 (MIT), Node.js's POSIX path module
// for other runtimes, vendored in ./vendor/path-browserify. `resolve` uses `process.cwd()`.
import posix from "./vendor/path-browserify/index.js";

const path = posix as any;
path.posix = path;
path.win32 = new Proxy({}, {
    get(_target, name) {
        throw new Error(`path.win32.${String(name)}: Unfold provides POSIX paths only`);
    },
});

export default path;
export const { sep, delimiter, basename, dirname, extname, format, isAbsolute, join, normalize, parse, relative, resolve, toNamespacedPath } = path;
export const posixPath = path;
