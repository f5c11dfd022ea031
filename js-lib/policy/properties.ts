// Resource properties as policies see them. The engine sends them in the wire form of Pulumi's
// property values: secrets and assets as signature objects, unknowns (in a preview) as sentinel
// strings. Policies get plain values; reading an unknown one throws UnknownValueError, which the
// pack reports as "can't run policy … during preview" instead of judging a value nobody knows yet.

import { deserializeProperty, serializeProperty, specialArchiveSig, specialAssetSig, specialSecretSig, specialSigKey } from "../pulumi/runtime/rpc.ts";
import { Asset } from "../pulumi/asset/asset.ts";
import { Archive } from "../pulumi/asset/archive.ts";
import { Output } from "../pulumi/output.ts";

/** A secret value in a remediation's properties: it stays secret when written back. */
export class Secret {
    value: any;

    constructor(value: any) {
        this.value = value;
    }
}

/** Thrown when a policy reads a value that is not known yet (during a preview). */
export class UnknownValueError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UnknownValueError";
    }
}

/** A value that is unknown during a preview, by the kind the engine's sentinel names. */
class Unknown {
    readonly kind: string;

    constructor(kind: string) {
        this.kind = kind;
    }
}

// The engine's sentinels for unknown values, and what each stands for.
const unknownKinds: Record<string, string> = {
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9": "string",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7": "boolean",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421": "number",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2": "Array",
    "030794c1-ac77-496b-92df-f27374a8bd58": "asset",
    "e48ece36-62e2-4504-bad9-02848725956a": "archive",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff": "Object",
};

/**
 * Plain values from wire properties. Secrets become their values, or `Secret`s when
 * `keepSecrets` (remediations write them back); unknowns become markers that
 * `unknownCheckingProxy` refuses to hand out.
 */
export function deserializeProperties(props: Record<string, any> | undefined, keepSecrets = false): Record<string, any> {
    return deserialize(props ?? {}, keepSecrets) as Record<string, any>;
}

function deserialize(value: any, keepSecrets: boolean): any {
    if (typeof value === "string") {
        const kind = unknownKinds[value];
        return kind === undefined ? value : new Unknown(kind);
    }
    if (Array.isArray(value)) {
        return value.map((item) => deserialize(item, keepSecrets));
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const sig = value[specialSigKey];
    if (sig === specialSecretSig) {
        const inner = deserialize(value.value, keepSecrets);
        return keepSecrets ? new Secret(inner) : inner;
    }
    if (sig === specialAssetSig || sig === specialArchiveSig) {
        return deserializeProperty(value);
    }
    if (sig !== undefined) {
        throw new Error(`Unrecognized signature '${sig}' when unmarshaling resource property`);
    }
    const result: Record<string, any> = {};
    for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) {
            result[key] = deserialize(item, keepSecrets);
        }
    }
    return result;
}

/**
 * `value` behind a proxy that throws UnknownValueError when an unknown property is read, naming
 * its path. A `Secret` reads as its value.
 */
export function unknownCheckingProxy(value: any, path = ""): any {
    if (value instanceof Secret) {
        return unknownCheckingProxy(value.value, path);
    }
    if (value === null || typeof value !== "object" || value instanceof Unknown || Asset.isInstance(value) || Archive.isInstance(value)) {
        return value;
    }
    return new Proxy(value, {
        get(target, property, receiver) {
            const item = Reflect.get(target, property, receiver);
            if (typeof property === "symbol") {
                return item;
            }
            const itemPath = Array.isArray(target) ? `${path}[${property}]` : `${path}.${property}`;
            if (item instanceof Unknown) {
                throw new UnknownValueError(`${item.kind} value at ${itemPath} can't be known during preview`);
            }
            return unknownCheckingProxy(item, itemPath);
        },
    });
}

/** Wire properties from a remediation's result: secrets wrapped again, `undefined` left out. */
export async function serializeProperties(props: Record<string, any>): Promise<Record<string, any>> {
    return (await serialize(props)) as Record<string, any>;
}

async function serialize(value: any): Promise<any> {
    value = await value;
    if (value instanceof Secret) {
        return { [specialSigKey]: specialSecretSig, value: await serialize(value.value) };
    }
    if (Output.isInstance(value)) {
        throw new Error("Serializing output values not supported from within a policy pack");
    }
    if (value instanceof Unknown) {
        throw new UnknownValueError(`${value.kind} value can't be known during preview`);
    }
    if (Asset.isInstance(value) || Archive.isInstance(value)) {
        return serializeProperty("remediation", value, new Set());
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map(async (item) => (item === undefined ? null : serialize(item))));
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const result: Record<string, any> = {};
    for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) {
            result[key] = await serialize(item);
        }
    }
    return result;
}
