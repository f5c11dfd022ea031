// The `console` programs see. Every line goes out through the `console.write` crossing; the host
// passes stdout and stderr on to the engine, which shows them as info and error lines.

import { call } from "./io.ts";
import { format, inspect } from "./inspect.ts";

type Stream = "stdout" | "stderr";

let groupIndent = "";
const counters = new Map<string, number>();

function write(stream: Stream, text: string): void {
    const indented = groupIndent === "" ? text : groupIndent + text.replace(/\n/g, `\n${groupIndent}`);
    call("console.write", { stream, text: `${indented}\n` });
}

function table(data: unknown, columns?: string[]): void {
    if (data === null || typeof data !== "object") {
        write("stdout", format(data));
        return;
    }
    const rows = data instanceof Map ? [...data.entries()] : Object.entries(data);
    const indexHeader = data instanceof Map ? "(iteration index)" : "(index)";
    const keys: string[] = columns ? [...columns] : [];
    let hasValues = false;
    for (const [, row] of rows) {
        if (row !== null && typeof row === "object") {
            if (!columns) {
                for (const key of Object.keys(row)) {
                    if (!keys.includes(key)) {
                        keys.push(key);
                    }
                }
            }
        } else {
            hasValues = true;
        }
    }
    const header = [indexHeader, ...keys, ...(hasValues ? ["Values"] : [])];
    const body = rows.map(([index, row]) => {
        const isRecord = row !== null && typeof row === "object";
        const record = row as Record<string, unknown>;
        const cells = keys.map((key) => (isRecord && key in record ? inspect(record[key], { depth: 0 }) : ""));
        return [String(index), ...cells, ...(hasValues ? [isRecord ? "" : inspect(row)] : [])];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)) + 2);
    const line = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w)).join(m) + r;
    const cellsLine = (cells: string[]) => "│" + cells.map((c, i) => ` ${c.padEnd(widths[i] - 1)}`).join("│") + "│";
    write(
        "stdout",
        [line("┌", "┬", "┐"), cellsLine(header), line("├", "┼", "┤"), ...body.map(cellsLine), line("└", "┴", "┘")].join(
            "\n",
        ),
    );
}

/** A console whose output crosses the IO gateway. */
export const gatewayConsole = {
    log: (...args: unknown[]) => write("stdout", format(...args)),
    info: (...args: unknown[]) => write("stdout", format(...args)),
    debug: (...args: unknown[]) => write("stdout", format(...args)),
    warn: (...args: unknown[]) => write("stderr", format(...args)),
    error: (...args: unknown[]) => write("stderr", format(...args)),
    trace: (...args: unknown[]) => {
        const stack = (new Error().stack ?? "").split("\n").slice(2).join("\n");
        write("stderr", `Trace${args.length > 0 ? `: ${format(...args)}` : ""}\n${stack}`);
    },
    dir: (value: unknown, options?: { depth?: number; showHidden?: boolean }) =>
        write("stdout", inspect(value, options)),
    table,
    assert: (condition: unknown, ...args: unknown[]) => {
        if (!condition) {
            write("stderr", args.length > 0 ? `Assertion failed: ${format(...args)}` : "Assertion failed");
        }
    },
    group: (...args: unknown[]) => {
        if (args.length > 0) {
            write("stdout", format(...args));
        }
        groupIndent += "  ";
    },
    groupEnd: () => {
        groupIndent = groupIndent.slice(2);
    },
    count: (label = "default") => {
        const n = (counters.get(label) ?? 0) + 1;
        counters.set(label, n);
        write("stdout", `${label}: ${n}`);
    },
    countReset: (label = "default") => {
        counters.delete(label);
    },
};

/** Makes `globalThis.console` the gateway console. */
export function installConsole(): void {
    const console = { ...gatewayConsole, groupCollapsed: gatewayConsole.group };
    Object.defineProperty(globalThis, "console", { value: console, writable: true, configurable: true });
}
