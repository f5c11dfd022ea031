// The messages of a resource transform callback (pulumirpc.TransformRequest, TransformResponse
// and TransformResourceOptions in resource.proto), with google.protobuf.Struct for properties.

import type { Json } from "../../unfold/io.ts";
import { decodeUtf8, ProtoWriter, readDouble, readFields, type WireField } from "./protobuf.ts";

export interface AliasSpecMessage {
    name: string;
    type: string;
    stack: string;
    project: string;
    parentUrn: string;
    noParent: boolean;
}

/** pulumirpc.Alias: either a URN or a spec. */
export interface AliasMessage {
    urn?: string;
    spec?: AliasSpecMessage;
}

export interface CustomTimeoutsMessage {
    create: string;
    update: string;
    delete: string;
    read: string;
}

/**
 * pulumirpc.TransformResourceOptions; `undefined` marks optional fields that are not set. Hooks,
 * plugin checksums, hidden diffs, replaceWith and replacement triggers are not modelled: a
 * transform that returns options drops them.
 */
export interface TransformResourceOptionsMessage {
    dependsOn: string[];
    protect?: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    version: string;
    aliases: AliasMessage[];
    provider: string;
    customTimeouts?: CustomTimeoutsMessage;
    pluginDownloadUrl: string;
    retainOnDelete?: boolean;
    deletedWith: string;
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs: string[];
    providers: Record<string, string>;
    import: string;
}

/** pulumirpc.TransformRequest; the raw bytes of properties and options are kept to echo them. */
export interface TransformRequestMessage {
    type: string;
    name: string;
    custom: boolean;
    parent: string;
    properties?: Record<string, Json>;
    propertiesBytes?: Uint8Array;
    options?: TransformResourceOptionsMessage;
    optionsBytes?: Uint8Array;
}

const text = (f: WireField) => decodeUtf8(f.value as Uint8Array);
const bytesOf = (f: WireField) => f.value as Uint8Array;

export function decodeTransformRequest(bytes: Uint8Array): TransformRequestMessage {
    const req: TransformRequestMessage = { type: "", name: "", custom: false, parent: "" };
    for (const f of readFields(bytes)) {
        switch (f.field) {
            case 1:
                req.type = text(f);
                break;
            case 2:
                req.name = text(f);
                break;
            case 3:
                req.custom = f.value !== 0;
                break;
            case 4:
                req.parent = text(f);
                break;
            case 5:
                req.propertiesBytes = bytesOf(f);
                req.properties = decodeStruct(bytesOf(f));
                break;
            case 6:
                req.optionsBytes = bytesOf(f);
                req.options = decodeOptions(bytesOf(f));
                break;
        }
    }
    return req;
}

/** Resource options with every field at its protobuf default. */
export function emptyOptions(): TransformResourceOptionsMessage {
    return {
        dependsOn: [],
        ignoreChanges: [],
        replaceOnChanges: [],
        version: "",
        aliases: [],
        provider: "",
        pluginDownloadUrl: "",
        deletedWith: "",
        additionalSecretOutputs: [],
        providers: {},
        import: "",
    };
}

function decodeOptions(bytes: Uint8Array): TransformResourceOptionsMessage {
    const o = emptyOptions();
    for (const f of readFields(bytes)) {
        switch (f.field) {
            case 1:
                o.dependsOn.push(text(f));
                break;
            case 2:
                o.protect = f.value !== 0;
                break;
            case 3:
                o.ignoreChanges.push(text(f));
                break;
            case 4:
                o.replaceOnChanges.push(text(f));
                break;
            case 5:
                o.version = text(f);
                break;
            case 6:
                o.aliases.push(decodeAlias(bytesOf(f)));
                break;
            case 7:
                o.provider = text(f);
                break;
            case 8:
                o.customTimeouts = decodeCustomTimeouts(bytesOf(f));
                break;
            case 9:
                o.pluginDownloadUrl = text(f);
                break;
            case 10:
                o.retainOnDelete = f.value !== 0;
                break;
            case 11:
                o.deletedWith = text(f);
                break;
            case 12:
                o.deleteBeforeReplace = f.value !== 0;
                break;
            case 13:
                o.additionalSecretOutputs.push(text(f));
                break;
            case 14: {
                const [key, value] = decodeStringMapEntry(bytesOf(f));
                o.providers[key] = value;
                break;
            }
            case 17:
                o.import = text(f);
                break;
        }
    }
    return o;
}

function decodeStringMapEntry(bytes: Uint8Array): [string, string] {
    let key = "";
    let value = "";
    for (const f of readFields(bytes)) {
        if (f.field === 1) {
            key = text(f);
        } else if (f.field === 2) {
            value = text(f);
        }
    }
    return [key, value];
}

function decodeAlias(bytes: Uint8Array): AliasMessage {
    const alias: AliasMessage = {};
    for (const f of readFields(bytes)) {
        if (f.field === 1) {
            alias.urn = text(f);
        } else if (f.field === 2) {
            const spec: AliasSpecMessage = { name: "", type: "", stack: "", project: "", parentUrn: "", noParent: false };
            for (const s of readFields(bytesOf(f))) {
                switch (s.field) {
                    case 1:
                        spec.name = text(s);
                        break;
                    case 2:
                        spec.type = text(s);
                        break;
                    case 3:
                        spec.stack = text(s);
                        break;
                    case 4:
                        spec.project = text(s);
                        break;
                    case 5:
                        spec.parentUrn = text(s);
                        break;
                    case 6:
                        spec.noParent = s.value !== 0;
                        break;
                }
            }
            alias.spec = spec;
        }
    }
    return alias;
}

function decodeCustomTimeouts(bytes: Uint8Array): CustomTimeoutsMessage {
    const t: CustomTimeoutsMessage = { create: "", update: "", delete: "", read: "" };
    const names = ["", "create", "update", "delete", "read"] as const;
    for (const f of readFields(bytes)) {
        const name = names[f.field];
        if (name) {
            t[name] = text(f);
        }
    }
    return t;
}

/** pulumirpc.TransformResponse: properties and options, each as a message or as raw bytes. */
export interface TransformResponseMessage {
    properties?: Record<string, Json> | Uint8Array;
    options?: TransformResourceOptionsMessage | Uint8Array;
}

export function encodeTransformResponse(resp: TransformResponseMessage): Uint8Array {
    const w = new ProtoWriter();
    if (resp.properties !== undefined) {
        w.bytes(1, resp.properties instanceof Uint8Array ? resp.properties : encodeStruct(resp.properties));
    }
    if (resp.options !== undefined) {
        w.bytes(2, resp.options instanceof Uint8Array ? resp.options : encodeOptions(resp.options));
    }
    return w.finish();
}

function encodeOptions(o: TransformResourceOptionsMessage): Uint8Array {
    const w = new ProtoWriter();
    o.dependsOn.forEach((d) => w.string(1, d));
    if (o.protect !== undefined) {
        w.bool(2, o.protect);
    }
    o.ignoreChanges.forEach((s) => w.string(3, s));
    o.replaceOnChanges.forEach((s) => w.string(4, s));
    if (o.version) {
        w.string(5, o.version);
    }
    o.aliases.forEach((a) => w.bytes(6, encodeAlias(a)));
    if (o.provider) {
        w.string(7, o.provider);
    }
    if (o.customTimeouts) {
        const t = new ProtoWriter();
        (["create", "update", "delete", "read"] as const).forEach((name, i) => {
            if (o.customTimeouts![name]) {
                t.string(i + 1, o.customTimeouts![name]);
            }
        });
        w.bytes(8, t.finish());
    }
    if (o.pluginDownloadUrl) {
        w.string(9, o.pluginDownloadUrl);
    }
    if (o.retainOnDelete !== undefined) {
        w.bool(10, o.retainOnDelete);
    }
    if (o.deletedWith) {
        w.string(11, o.deletedWith);
    }
    if (o.deleteBeforeReplace !== undefined) {
        w.bool(12, o.deleteBeforeReplace);
    }
    o.additionalSecretOutputs.forEach((s) => w.string(13, s));
    for (const [key, value] of Object.entries(o.providers)) {
        w.bytes(14, new ProtoWriter().string(1, key).string(2, value).finish());
    }
    if (o.import) {
        w.string(17, o.import);
    }
    return w.finish();
}

function encodeAlias(a: AliasMessage): Uint8Array {
    const w = new ProtoWriter();
    if (a.urn !== undefined) {
        return w.string(1, a.urn).finish();
    }
    const s = a.spec!;
    const spec = new ProtoWriter();
    if (s.name) spec.string(1, s.name);
    if (s.type) spec.string(2, s.type);
    if (s.stack) spec.string(3, s.stack);
    if (s.project) spec.string(4, s.project);
    // parentUrn and noParent form a oneof: setting either one is meaningful.
    if (s.noParent) {
        spec.bool(6, true);
    } else if (s.parentUrn) {
        spec.string(5, s.parentUrn);
    }
    return w.bytes(2, spec.finish()).finish();
}

// ---- google.protobuf.Struct ----

export function decodeStruct(bytes: Uint8Array): Record<string, Json> {
    const result: Record<string, Json> = {};
    for (const f of readFields(bytes)) {
        if (f.field !== 1) {
            continue;
        }
        let key = "";
        let value: Json = null;
        for (const e of readFields(bytesOf(f))) {
            if (e.field === 1) {
                key = text(e);
            } else if (e.field === 2) {
                value = decodeValue(bytesOf(e));
            }
        }
        result[key] = value;
    }
    return result;
}

function decodeValue(bytes: Uint8Array): Json {
    let value: Json = null;
    for (const f of readFields(bytes)) {
        switch (f.field) {
            case 1:
                value = null;
                break;
            case 2:
                value = readDouble(bytesOf(f));
                break;
            case 3:
                value = text(f);
                break;
            case 4:
                value = f.value !== 0;
                break;
            case 5:
                value = decodeStruct(bytesOf(f));
                break;
            case 6:
                value = readFields(bytesOf(f))
                    .filter((item) => item.field === 1)
                    .map((item) => decodeValue(bytesOf(item)));
                break;
        }
    }
    return value;
}

export function encodeStruct(obj: Record<string, Json>): Uint8Array {
    const w = new ProtoWriter();
    for (const [key, value] of Object.entries(obj)) {
        w.bytes(1, new ProtoWriter().string(1, key).bytes(2, encodeValue(value)).finish());
    }
    return w.finish();
}

function encodeValue(value: Json): Uint8Array {
    const w = new ProtoWriter();
    if (value === null) {
        w.uint(1, 0);
    } else if (typeof value === "number") {
        w.double(2, value);
    } else if (typeof value === "string") {
        w.string(3, value);
    } else if (typeof value === "boolean") {
        w.bool(4, value);
    } else if (Array.isArray(value)) {
        const list = new ProtoWriter();
        value.forEach((item) => list.bytes(1, encodeValue(item)));
        w.bytes(6, list.finish());
    } else {
        w.bytes(5, encodeStruct(value));
    }
    return w.finish();
}
