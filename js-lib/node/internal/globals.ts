// Node.js's globals for programs and the packages they use: `global`, `process` and `Buffer`.
// The latter two load their built-ins on first use, so a program that never touches them never
// loads them. Importing this module also captures the host ops the built-ins need (./ops.ts).
import { loadCommonJs } from "../module.ts";

const BUILTIN = "unfold://lib/node/";

function lazyGlobal(name: string, load: () => unknown): void {
    Object.defineProperty(globalThis, name, {
        configurable: true,
        enumerable: false,
        get() {
            const value = load();
            Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
            return value;
        },
        set(value) {
            Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
        },
    });
}

/** Installs the Node.js globals. Runs before any program code. */
export function installNodeGlobals(): void {
    Object.defineProperty(globalThis, "global", { value: globalThis, writable: true, configurable: true, enumerable: false });
    lazyGlobal("process", () => loadCommonJs(`${BUILTIN}process.ts`));
    lazyGlobal("Buffer", () => loadCommonJs(`${BUILTIN}buffer.ts`).Buffer);
}
