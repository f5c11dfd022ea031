// Semantic versions, as far as choosing among registered resource modules needs them.

export interface Version {
    major: number;
    minor: number;
    patch: number;
    prerelease: string[];
}

/** Parses "1.2.3", "v1.2.3-alpha.1+build"; throws on anything else, as semver does. */
export function parseVersion(text: string): Version {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
    if (m === null) {
        throw new TypeError(`Invalid Version: ${text}`);
    }
    return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ? m[4].split(".") : [] };
}

/** Orders versions by semver precedence: negative, zero or positive. */
export function compareVersions(a: Version, b: Version): number {
    const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
    if (core !== 0) {
        return Math.sign(core);
    }
    // A prerelease sorts before its release.
    if (a.prerelease.length === 0 || b.prerelease.length === 0) {
        return Math.sign(b.prerelease.length - a.prerelease.length);
    }
    for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
        const x = a.prerelease[i];
        const y = b.prerelease[i];
        if (x === undefined || y === undefined) {
            return x === undefined ? -1 : 1;
        }
        const xn = /^\d+$/.test(x);
        const yn = /^\d+$/.test(y);
        if (xn && yn && Number(x) !== Number(y)) {
            return Math.sign(Number(x) - Number(y));
        }
        if (xn !== yn) {
            return xn ? -1 : 1;
        }
        if (x !== y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}
