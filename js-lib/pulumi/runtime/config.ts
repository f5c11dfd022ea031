// The stack's configuration, as the engine passed it to the run: "<namespace>:<key>" → text.

let config: Record<string, string> = {};
let secretKeys: string[] = [];

// Older engines send keys as "<namespace>:config:<key>".
function cleanKey(key: string): string {
    const idx = key.indexOf(":");
    if (idx > 0 && key.startsWith("config:", idx + 1)) {
        return key.substring(0, idx) + ":" + key.substring(idx + 1 + "config:".length);
    }
    return key;
}

/** Replaces the whole configuration; `secrets` lists the keys whose values are secret. */
export function setAllConfig(values: Record<string, string>, secrets?: string[]): void {
    config = {};
    for (const k of Object.keys(values)) {
        config[cleanKey(k)] = values[k];
    }
    secretKeys = Array.isArray(secrets) ? [...secrets] : [];
}

/** Sets one configuration value. */
export function setConfig(k: string, v: string): void {
    config[cleanKey(k)] = v;
}

/** A copy of the whole configuration. */
export function allConfig(): Record<string, string> {
    return { ...config };
}

/** The value of the fully qualified key `k`, if set. */
export function getConfig(k: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(config, k) ? config[k] : undefined;
}

/** Whether the fully qualified key `k` holds a secret. */
export function isConfigSecret(k: string): boolean {
    return secretKeys.includes(k);
}
