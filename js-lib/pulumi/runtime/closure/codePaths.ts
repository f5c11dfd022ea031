// `computeCodePaths`: the packages a serialized function may require where it runs — the
// program's `dependencies` and everything they depend on — as archive entries
// (`node_modules/<name>` → the package's folder), as Pulumi's Node.js SDK computes them.

import { node } from "./node.ts";
import { FileArchive, type Archive } from "../../asset/archive.ts";
import { FileAsset, type Asset } from "../../asset/asset.ts";
import { ResourceError } from "../../errors.ts";
import * as log from "../../log/index.ts";
import type { Resource } from "../../resource.ts";

export interface CodePathOptions {
    /** Local files or folders to include. */
    extraIncludePaths?: string[];
    /** Packages to include beyond the program's dependencies. */
    extraIncludePackages?: string[];
    /** Packages to leave out, with what only they depend on. */
    extraExcludePackages?: string[];
    /** The resource that errors are reported on. */
    logResource?: Resource;
}

export async function computeCodePaths(
    optionsOrExtraIncludePaths?: CodePathOptions | string[],
    extraIncludePackages?: string[],
    extraExcludePackages?: string[],
): Promise<Map<string, Asset | Archive>> {
    let options: CodePathOptions;
    if (Array.isArray(optionsOrExtraIncludePaths)) {
        log.warn(
            "'function computeCodePaths(string[])' is deprecated. Use the [computeCodePaths] overload that takes a [CodePathOptions] instead.",
        );
        options = { extraIncludePaths: optionsOrExtraIncludePaths, extraIncludePackages, extraExcludePackages };
    } else {
        options = optionsOrExtraIncludePaths || {};
    }
    const packagePaths = foldersForPackages(
        new Set(options.extraIncludePackages || []),
        new Set(options.extraExcludePackages || []),
        options.logResource,
    );
    for (const extra of options.extraIncludePaths || []) {
        const normalized = node().path.normalize(extra);
        packagePaths.set(normalized, normalized);
    }
    const codePaths = new Map<string, Asset | Archive>();
    const sources = new Set(packagePaths.values());
    for (const [archivePath, sourcePath] of packagePaths) {
        if (isSubsumedByHigherPath(sourcePath, sources)) {
            continue;
        }
        const stats = node().fs.statSync(sourcePath)!;
        codePaths.set(archivePath, stats.isDirectory() ? new FileArchive(sourcePath) : new FileAsset(sourcePath));
    }
    return codePaths;
}

function isSubsumedByHigherPath(candidate: string, all: Set<string>): boolean {
    for (const other of all) {
        if (candidate.length > other.length && candidate.startsWith(other)) {
            return candidate.charAt(other.length) === "/";
        }
    }
    return false;
}

function searchUp(dir: string, file: string): string | null {
    for (let current = dir; ; current = node().path.dirname(current)) {
        if (node().fs.existsSync(node().path.join(current, file))) {
            return current;
        }
        if (current === node().path.dirname(current)) {
            return null;
        }
    }
}

function readPackageJson(file: string, logResource: Resource | undefined): any {
    let text: string;
    try {
        text = node().fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new ResourceError(`Error reading file '${file}' when computing package dependencies. ${err}`, logResource);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new ResourceError(`Error parsing file '${file}' when computing package dependencies. ${err}`, logResource);
    }
}

/** The folder `name` resolves to from `fromDir`, as Node.js looks it up through node_modules. */
function findPackage(name: string, fromDir: string): string | undefined {
    for (let dir = fromDir; ; dir = node().path.dirname(dir)) {
        if (node().path.basename(dir) !== "node_modules") {
            const candidate = node().path.join(dir, "node_modules", name);
            if (node().fs.existsSync(node().path.join(candidate, "package.json"))) {
                return candidate;
            }
        }
        if (dir === node().path.dirname(dir)) {
            return undefined;
        }
    }
}

/**
 * Archive path → folder on disk, for the program's `dependencies` (never its devDependencies) and
 * theirs, leaving out Pulumi's own packages and those the caller excludes. Paths are relative to
 * the working directory; a package reached through a symlink is archived where it is linked.
 */
function foldersForPackages(
    included: Set<string>,
    excluded: Set<string>,
    logResource: Resource | undefined,
): Map<string, string> {
    const cwd = node().process.cwd();
    const workingDir = searchUp(cwd, "package.json");
    if (workingDir === null) {
        throw new ResourceError("Failed to find package.json.", logResource);
    }
    const referenced = new Set(included);
    const packageJson = readPackageJson(node().path.join(workingDir, "package.json"), logResource);
    for (const name of Object.keys(packageJson.dependencies || {})) {
        referenced.add(name);
    }
    const result = new Map<string, string>();
    const seen = new Set<string>();
    const visit = (name: string, fromDir: string, direct: boolean): void => {
        if (excluded.has(name) || (direct && name.startsWith("@pulumi"))) {
            return;
        }
        const folder = findPackage(name, fromDir);
        if (folder === undefined || seen.has(folder)) {
            return;
        }
        seen.add(folder);
        const pkg = readPackageJson(node().path.join(folder, "package.json"), logResource);
        // Pulumi plugin packages are deployment-time only.
        if (direct && pkg.pulumi) {
            return;
        }
        const archivePath = node().path.relative(cwd, folder);
        const realPath = node().path.relative(cwd, node().fs.realpathSync(folder));
        const parts = archivePath.split("/");
        result.set(parts.includes(".pnpm") ? `node_modules/${name}` : archivePath, realPath);
        for (const dependency of Object.keys(pkg.dependencies || {})) {
            visit(dependency, node().fs.realpathSync(folder), false);
        }
    };
    for (const name of referenced) {
        visit(name, workingDir, true);
    }
    return result;
}
