// The host ops behind the Node.js built-ins that are not IO crossings (language-host/src/
// node_runtime.rs). Captured when the bootstrap loads, before it removes `Deno` from the global
// scope; built-ins loaded later take them from here.

export type Resolution = { url: string; filename: string } | { error: string; code: string };

export interface RequireSource {
    format: "commonjs" | "module" | "json";
    code: string | null;
    filename: string;
    dirname: string;
    package: string | null;
}

interface Core {
    ops: {
        op_require_resolve(specifier: string, referrer: string): Resolution;
        op_require_source(url: string): RequireSource;
        op_import_sync(specifier: string): Record<string, unknown>;
        op_node_hash(algorithm: string, data: Uint8Array, key?: Uint8Array): Uint8Array;
        op_node_zlib(method: string, data: Uint8Array, level: number): Uint8Array;
        op_node_crc32(data: Uint8Array, initial: number): number;
    };
    evalContext(source: string, specifier: string): [unknown, { thrown: unknown } | null];
}

const core = (globalThis as unknown as { Deno: { core: Core } }).Deno.core;

export const { op_require_resolve, op_require_source, op_import_sync, op_node_hash, op_node_zlib, op_node_crc32 } = core.ops;
export const evalContext: Core["evalContext"] = core.evalContext.bind(core);
