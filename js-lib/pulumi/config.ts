// Configuration: typed, validated access to the stack's settings (`pulumi config set`).

import { RunError } from "./errors.ts";
import { getProject } from "./metadata.ts";
import { makeOutput, type Output } from "./output.ts";
import { getConfig } from "./runtime/config.ts";

function makeSecret<T>(value: T): Output<T> {
    return makeOutput<T>([], Promise.resolve(value), Promise.resolve(true), Promise.resolve(true), Promise.resolve([]));
}

/** Constraints on a string configuration value. */
export interface StringConfigOptions<K extends string = string> {
    allowedValues?: K[];
    minLength?: number;
    maxLength?: number;
    pattern?: string | RegExp;
}

/** Constraints on a numeric configuration value. */
export interface NumberConfigOptions {
    min?: number;
    max?: number;
}

/** The configuration values of one namespace, by default the project's. */
export class Config {
    /** The namespace; keys are looked up as "<name>:<key>". */
    readonly name: string;

    constructor(name?: string) {
        if (name === undefined) {
            name = getProject();
        }
        if (name.endsWith(":config")) {
            name = name.replace(/:config$/, "");
        }
        this.name = name;
    }

    private getImpl<K extends string = string>(key: string, opts?: StringConfigOptions<K>): K | undefined {
        const fullKey = this.fullKey(key);
        const v = getConfig(fullKey);
        if (v === undefined) {
            return undefined;
        }
        if (opts) {
            if (opts.allowedValues !== undefined && opts.allowedValues.indexOf(v as K) === -1) {
                throw new ConfigEnumError(fullKey, v, opts.allowedValues);
            } else if (opts.minLength !== undefined && v.length < opts.minLength) {
                throw new ConfigRangeError(fullKey, v, opts.minLength, undefined);
            } else if (opts.maxLength !== undefined && v.length > opts.maxLength) {
                throw new ConfigRangeError(fullKey, v, undefined, opts.maxLength);
            } else if (opts.pattern !== undefined) {
                const pattern = typeof opts.pattern === "string" ? new RegExp(opts.pattern) : opts.pattern;
                if (!pattern.test(v)) {
                    throw new ConfigPatternError(fullKey, v, pattern);
                }
            }
        }
        return v as K;
    }

    /** The value of `key`, or undefined. */
    get<K extends string = string>(key: string, opts?: StringConfigOptions<K>): K | undefined {
        return this.getImpl(key, opts);
    }

    /** The value of `key` as a secret, or undefined. */
    getSecret<K extends string = string>(key: string, opts?: StringConfigOptions<K>): Output<K> | undefined {
        const v = this.getImpl(key, opts);
        return v === undefined ? undefined : makeSecret(v);
    }

    private getBooleanImpl(key: string): boolean | undefined {
        const v = this.getImpl(key);
        if (v === undefined) {
            return undefined;
        } else if (v === "true") {
            return true;
        } else if (v === "false") {
            return false;
        }
        throw new ConfigTypeError(this.fullKey(key), v, "boolean");
    }

    /** The value of `key` as a boolean ("true" or "false"), or undefined. */
    getBoolean(key: string): boolean | undefined {
        return this.getBooleanImpl(key);
    }

    getSecretBoolean(key: string): Output<boolean> | undefined {
        const v = this.getBooleanImpl(key);
        return v === undefined ? undefined : makeSecret(v);
    }

    private getNumberImpl(key: string, opts?: NumberConfigOptions): number | undefined {
        const v = this.getImpl(key);
        if (v === undefined) {
            return undefined;
        }
        const f = parseFloat(v);
        if (isNaN(f)) {
            throw new ConfigTypeError(this.fullKey(key), v, "number");
        }
        if (opts) {
            if (opts.min !== undefined && f < opts.min) {
                throw new ConfigRangeError(this.fullKey(key), f, opts.min, undefined);
            } else if (opts.max !== undefined && f > opts.max) {
                throw new ConfigRangeError(this.fullKey(key), f, undefined, opts.max);
            }
        }
        return f;
    }

    /** The value of `key` as a number, or undefined. */
    getNumber(key: string, opts?: NumberConfigOptions): number | undefined {
        return this.getNumberImpl(key, opts);
    }

    getSecretNumber(key: string, opts?: NumberConfigOptions): Output<number> | undefined {
        const v = this.getNumberImpl(key, opts);
        return v === undefined ? undefined : makeSecret(v);
    }

    private getObjectImpl<T>(key: string): T | undefined {
        const v = this.getImpl(key);
        if (v === undefined) {
            return undefined;
        }
        try {
            return JSON.parse(v);
        } catch {
            throw new ConfigTypeError(this.fullKey(key), v, "JSON object");
        }
    }

    /** The value of `key` parsed as JSON, or undefined. */
    getObject<T>(key: string): T | undefined {
        return this.getObjectImpl<T>(key);
    }

    getSecretObject<T>(key: string): Output<T> | undefined {
        const v = this.getObjectImpl<T>(key);
        return v === undefined ? undefined : makeSecret<T>(v);
    }

    private requireImpl<K extends string = string>(key: string, secret: boolean, opts?: StringConfigOptions<K>): K {
        const v = this.getImpl(key, opts);
        if (v === undefined) {
            throw new ConfigMissingError(this.fullKey(key), secret);
        }
        return v;
    }

    /** The value of `key`; fails the run if it is not set. */
    require<K extends string = string>(key: string, opts?: StringConfigOptions<K>): K {
        return this.requireImpl(key, false, opts);
    }

    requireSecret<K extends string = string>(key: string, opts?: StringConfigOptions<K>): Output<K> {
        return makeSecret(this.requireImpl(key, true, opts));
    }

    private requireBooleanImpl(key: string, secret: boolean): boolean {
        const v = this.getBooleanImpl(key);
        if (v === undefined) {
            throw new ConfigMissingError(this.fullKey(key), secret);
        }
        return v;
    }

    requireBoolean(key: string): boolean {
        return this.requireBooleanImpl(key, false);
    }

    requireSecretBoolean(key: string): Output<boolean> {
        return makeSecret(this.requireBooleanImpl(key, true));
    }

    private requireNumberImpl(key: string, secret: boolean, opts?: NumberConfigOptions): number {
        const v = this.getNumberImpl(key, opts);
        if (v === undefined) {
            throw new ConfigMissingError(this.fullKey(key), secret);
        }
        return v;
    }

    requireNumber(key: string, opts?: NumberConfigOptions): number {
        return this.requireNumberImpl(key, false, opts);
    }

    requireSecretNumber(key: string, opts?: NumberConfigOptions): Output<number> {
        return makeSecret(this.requireNumberImpl(key, true, opts));
    }

    private requireObjectImpl<T>(key: string, secret: boolean): T {
        const v = this.getObjectImpl<T>(key);
        if (v === undefined) {
            throw new ConfigMissingError(this.fullKey(key), secret);
        }
        return v;
    }

    requireObject<T>(key: string): T {
        return this.requireObjectImpl<T>(key, false);
    }

    requireSecretObject<T>(key: string): Output<T> {
        return makeSecret(this.requireObjectImpl<T>(key, true));
    }

    private fullKey(key: string): string {
        return `${this.name}:${key}`;
    }
}

class ConfigTypeError extends RunError {
    constructor(key: string, v: unknown, expectedType: string) {
        super(`Configuration '${key}' value '${v}' is not a valid ${expectedType}`);
    }
}

class ConfigEnumError extends RunError {
    constructor(key: string, v: unknown, values: unknown[]) {
        super(`Configuration '${key}' value '${v}' is not a legal enum value (${JSON.stringify(values)})`);
    }
}

class ConfigRangeError extends RunError {
    constructor(key: string, v: string | number, min: number | undefined, max: number | undefined) {
        let range: string;
        if (max === undefined) {
            range = `min ${min}`;
        } else if (min === undefined) {
            range = `max ${max}`;
        } else {
            range = `${min}-${max}`;
        }
        if (typeof v === "string") {
            range += " chars";
        }
        super(`Configuration '${key}' value '${v}' is outside of the legal range (${range}, inclusive)`);
    }
}

class ConfigPatternError extends RunError {
    constructor(key: string, v: string, regexp: RegExp) {
        super(`Configuration '${key}' value '${v}' does not match the regular expression ${regexp.toString()}`);
    }
}

class ConfigMissingError extends RunError {
    readonly key: string;
    readonly secret: boolean;

    constructor(key: string, secret: boolean) {
        super(
            `Missing required configuration variable '${key}'\n` +
                `\tplease set a value using the command \`pulumi config set${secret ? " --secret " : " "}${key} <value>\``,
        );
        this.key = key;
        this.secret = secret;
    }
}
