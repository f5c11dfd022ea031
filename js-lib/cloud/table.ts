// Table: a key-value table of JSON values. At run time (inside a Function's handler) its methods
// reach the table through crossings; the table's identity is the resolved output of its
// registration, which the Function's bundle holds settled.

import { CustomResource, type CustomResourceOptions } from "../pulumi/resource.ts";
import { type Output, partsOf } from "../pulumi/output.ts";
import { call, type Json } from "../unfold/io.ts";
import { cloudContext } from "./context.ts";
import { checkName } from "./names.ts";

/** One page of a query or scan; pass `cursor` back to get the next page. */
export interface Page<T> {
    items: { key: string; value: T }[];
    /** Absent on the last page. */
    cursor?: string;
}

export interface PageOptions {
    /** At most this many items (1–1000, default 1000). */
    limit?: number;
    /** The `cursor` of the previous page. */
    cursor?: string;
}

/** Every Table of the program by name, for whole-app tests to read (`@unfold/test`). */
const tables = new Map<string, Table<unknown>>();

/** The program's Table `name`, if it has one. */
export function tableNamed(name: string): Table<unknown> | undefined {
    return tables.get(name);
}

/** A table of JSON values of type `T` by string key. */
export class Table<T = unknown> extends CustomResource {
    /** The table's database on the local target. */
    declare readonly path: Output<string>;

    constructor(name: string, opts: CustomResourceOptions = {}) {
        checkName("Table", name);
        const context = cloudContext();
        super("unfold:index:Table", name, { name, stateDir: context.stateDir, path: undefined }, { version: context.version, ...opts });
        tables.set(name, this as Table<unknown>);
    }

    /** The value stored under `key`, or `undefined`. */
    async get(key: string): Promise<T | undefined> {
        const value = call("table.get", { table: await this.identity(), key: checkKey(key) });
        return value === null ? undefined : (value as T);
    }

    /** Stores `value` (anything JSON can represent, except null) under `key`. */
    async put(key: string, value: T): Promise<void> {
        if (value === undefined || value === null) {
            throw new TypeError(`cannot store ${value} under '${key}': delete the key instead`);
        }
        const json = JSON.parse(JSON.stringify(value)) as Json;
        call("table.put", { table: await this.identity(), key: checkKey(key), value: json });
    }

    /** Removes `key`; whether it was there. */
    async delete(key: string): Promise<boolean> {
        return call("table.delete", { table: await this.identity(), key: checkKey(key) }) as boolean;
    }

    /** The items whose key starts with `prefix`, in key order, a page at a time. */
    async query(prefix: string, options: PageOptions = {}): Promise<Page<T>> {
        const page = call("table.query", { table: await this.identity(), prefix, ...pageArgs(options) });
        return page as unknown as Page<T>;
    }

    /** Every item, in key order, a page at a time. */
    async scan(options: PageOptions = {}): Promise<Page<T>> {
        return this.query("", options);
    }

    private identity(): Promise<string> {
        return partsOf(this.id).promise();
    }
}

function checkKey(key: string): string {
    if (typeof key !== "string" || key.length === 0) {
        throw new TypeError(`table keys are non-empty strings, not ${JSON.stringify(key)}`);
    }
    return key;
}

function pageArgs(options: PageOptions): { [key: string]: Json } {
    const args: { [key: string]: Json } = {};
    if (options.limit !== undefined) {
        args.limit = options.limit;
    }
    if (options.cursor !== undefined) {
        args.cursor = options.cursor;
    }
    return args;
}
