// CommonJS as Node.js runs it, and the `module` built-in. `require` is synchronous: the host
// resolves and reads the module through the program's one module loader (which records every
// module it loads), and the source runs inside Node's function wrapper, compiled as a script named
// by the module's URL so stack traces point at the file. Cycles see partial exports, as in Node.

import { evalContext, op_import_sync, op_require_resolve, op_require_source } from "./internal/ops.ts";
import type { RequireSource } from "./internal/ops.ts";

const LIB = "unfold://lib/";
const BUILTINS = LIB + "node/";
const annotated = Symbol("unfold.annotated");

/** A loaded CommonJS module, as Node.js's `module` object. */
export class Module {
    id: string;
    filename: string;
    path: string;
    exports: any = {};
    loaded = false;
    children: Module[] = [];
    paths: string[];
    parent: Module | null | undefined;
    require: NodeRequire;
    /** The module's URL, which the host resolves against. */
    readonly url: string;

    constructor(url: string, filename: string, dirname: string, parent?: Module) {
        this.url = url;
        this.id = filename;
        this.filename = filename;
        this.path = dirname;
        this.parent = parent;
        this.paths = nodeModulePaths(dirname);
        this.require = makeRequire(this);
        parent?.children.push(this);
    }

    static builtinModules: string[] = [];
    static createRequire = createRequire;
    static Module = Module;
}

export interface NodeRequire {
    (id: string): any;
    resolve(id: string): string;
    cache: Record<string, Module>;
    main: Module | undefined;
}

/** Loaded modules by filename, as `require.cache`: deleting an entry makes the next require reload it. */
const cache: Record<string, Module> = Object.create(null);

function nodeModulePaths(dir: string): string[] {
    if (!dir.startsWith("/")) {
        return [];
    }
    const paths: string[] = [];
    const parts = dir.split("/").filter(Boolean);
    for (let i = parts.length; i >= 0; i--) {
        if (parts[i - 1] === "node_modules") {
            continue;
        }
        paths.push("/" + [...parts.slice(0, i), "node_modules"].join("/"));
    }
    return paths;
}

function resolve(specifier: string, referrer: string): { url: string; filename: string } {
    if (typeof specifier !== "string" || specifier === "") {
        throw new TypeError(`The "id" argument must be a non-empty string. Received ${String(specifier)}`);
    }
    const resolution = op_require_resolve(specifier, referrer);
    if ("error" in resolution) {
        const err = new Error(resolution.error) as Error & { code: string; requireStack?: string[] };
        err.code = resolution.code;
        throw err;
    }
    return resolution;
}

function makeRequire(module: Module): NodeRequire {
    const require = ((id: string) => requireFrom(module, id)) as NodeRequire;
    require.resolve = (id: string) => {
        const { url, filename } = resolve(id, module.url);
        // Built-ins resolve to their own names, as in Node.js.
        return url.startsWith(BUILTINS) && !url.startsWith(BUILTINS + "vendor/") ? builtinName(url) : filename;
    };
    require.cache = cache;
    require.main = undefined;
    return require;
}

function builtinName(url: string): string {
    return url.slice(BUILTINS.length).replace(/\.ts$/, "");
}

function requireFrom(parent: Module, id: string): any {
    const { url } = resolve(id, parent.url);
    return load(url, parent);
}

/** `module.exports` of the CommonJS module at `url`, loading it on first use. */
export function loadCommonJs(url: string, parent?: Module): any {
    return load(url, parent);
}

// What `require` returned for ES modules, and the filename of each CommonJS URL seen, so a repeated
// require costs no crossing into the host.
const esModules = new Map<string, unknown>();
const filenames = new Map<string, string>();

function load(url: string, parent?: Module): any {
    if (esModules.has(url)) {
        return esModules.get(url);
    }
    const known = filenames.get(url);
    if (known !== undefined && cache[known] !== undefined) {
        return cache[known].exports;
    }
    const source = op_require_source(url);
    if (source.format === "module") {
        const namespace = op_import_sync(url);
        // Built-ins are ES modules whose default export is what `require` returns in Node.js.
        const value = url.startsWith(BUILTINS) && "default" in namespace
            ? namespace.default
            : "module.exports" in namespace ? namespace["module.exports"] : namespace;
        esModules.set(url, value);
        return value;
    }
    filenames.set(url, source.filename);
    const cached = cache[source.filename];
    if (cached !== undefined) {
        return cached.exports;
    }
    const module = new Module(url, source.filename, source.dirname, parent);
    cache[source.filename] = module;
    try {
        if (source.format === "json") {
            try {
                module.exports = JSON.parse(source.code!);
            } catch (err) {
                throw new SyntaxError(`${source.filename}: ${(err as Error).message}`);
            }
        } else {
            // All on the first line, so line numbers in stack traces stay the file's own.
            const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source.code}\n})`;
            const [fn, error] = evalContext(wrapped, url);
            if (error) {
                throw error.thrown;
            }
            (fn as Function).call(module.exports, module.exports, module.require, module, source.filename, source.dirname);
        }
    } catch (err) {
        delete cache[source.filename];
        throw annotate(err, source);
    }
    module.loaded = true;
    return module.exports;
}

// A program that uses a package Unfold cannot run learns which package, which module and what is
// missing — never just "X is not defined".
function annotate(err: unknown, source: RequireSource): unknown {
    if (!(err instanceof Error) || (err as any)[annotated]) {
        return err;
    }
    const where = `${source.package ? `package '${source.package}', ` : ""}module ${source.filename}`;
    if (err instanceof ReferenceError) {
        const name = /^(\S+) is not defined/.exec(err.message)?.[1];
        if (name !== undefined) {
            err.message = `${where}: uses the global '${name}', which Unfold does not provide (${err.message})`;
        } else {
            err.message = `${where}: ${err.message}`;
        }
        (err as any)[annotated] = true;
    } else if ((err as any).code === "ERR_UNFOLD_MISSING_BUILTIN") {
        (err as any)[annotated] = true;
    }
    return err;
}

/** The filename of the loaded CommonJS module whose `module.exports` is `exports`. */
export function findModuleFilename(exports: unknown): string | undefined {
    for (const filename of Object.keys(cache)) {
        if (cache[filename]?.exports === exports) {
            return filename;
        }
    }
    return undefined;
}

/** `module.createRequire`: a `require` that resolves from `filename` (a path or file URL). */
export function createRequire(filename: string | { href: string }): NodeRequire {
    const name = typeof filename === "string" ? filename : filename.href;
    const url = name.startsWith("file:") || name.startsWith(LIB) ? name : "file://" + encodeURI(name);
    const dirname = url.startsWith("file:") ? decodeURI(url.slice("file://".length).replace(/\/[^/]*$/, "")) : url;
    return new Module(url, name, dirname).require;
}

export const builtinModules: string[] = [
    "assert", "buffer", "crypto", "events", "fs", "fs/promises", "module", "os", "path", "process",
    "stream", "timers", "tty", "url", "util",
];
Module.builtinModules = builtinModules;

export function isBuiltin(name: string): boolean {
    return builtinModules.includes(name.replace(/^node:/, ""));
}

export default Module;
