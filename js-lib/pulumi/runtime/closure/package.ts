// The name a file inside node_modules is required by, as the serialized code must require it:
// the package's own name when the file is its entry point, `pkg/sub/path` otherwise.

import { node } from "./node.ts";

/** `relative` is the path after `node_modules/`: `pkg/lib/index.js` or `@scope/pkg/index.js`. */
export function moduleNameFromPath(relative: string): string {
    const parts = relative.split("/");
    const nameLength = parts[0]?.startsWith("@") ? 2 : 1;
    const name = parts.slice(0, nameLength).join("/");
    const rest = parts.slice(nameLength).join("/");
    if (rest === "") {
        return name;
    }
    const root = node().path.join(node().process.cwd(), "node_modules", name);
    if (entryPointsOf(root).includes(node().path.normalize(rest))) {
        return name;
    }
    return `${name}/${rest.replace(/\.js$/, "")}`;
}

/** The files `require("pkg")` may resolve to, relative to the package root. */
function entryPointsOf(root: string): string[] {
    let main = "index.js";
    let exported: string | undefined;
    try {
        const pkg = JSON.parse(node().fs.readFileSync(node().path.join(root, "package.json"), "utf8"));
        if (typeof pkg.main === "string") {
            main = pkg.main;
        }
        const dot = typeof pkg.exports === "string" ? pkg.exports : pkg.exports?.["."];
        exported = typeof dot === "string" ? dot : dot?.require ?? dot?.node ?? dot?.default;
    } catch {
        // No readable package.json: Node.js looks for index.js.
    }
    const candidates = [main, exported].filter((c): c is string => typeof c === "string");
    const result: string[] = [];
    for (const candidate of candidates) {
        const normalized = node().path.normalize(candidate);
        result.push(normalized, normalized + ".js", node().path.join(normalized, "index.js"));
    }
    return result;
}
