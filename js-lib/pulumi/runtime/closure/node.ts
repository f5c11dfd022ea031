// The Node.js built-ins closure serialization uses, through `require` (js-lib's own built-in
// modules are typed for programs, not for this library), with the little of them it needs.

import { createRequire } from "../../../node/module.ts";

interface Stats {
    isDirectory(): boolean;
}

export interface Fs {
    readFileSync(path: string, encoding: "utf8"): string;
    existsSync(path: string): boolean;
    statSync(path: string): Stats;
    realpathSync(path: string): string;
}

export interface Path {
    join(...parts: string[]): string;
    relative(from: string, to: string): string;
    normalize(path: string): string;
    dirname(path: string): string;
    basename(path: string): string;
}

// Loaded on first use: a program that never serializes a function loads none of them.
let loaded: { fs: Fs; path: Path; process: { cwd(): string } } | undefined;

export function node(): { fs: Fs; path: Path; process: { cwd(): string } } {
    if (loaded === undefined) {
        const require = createRequire("/");
        loaded = { fs: require("fs"), path: require("path"), process: require("process") };
    }
    return loaded;
}
