// @pulumi/pulumi: the core SDK, with the names and behaviour of Pulumi's Node.js SDK.

export * from "./config.ts";
export * from "./errors.ts";
export * from "./invoke.ts";
export * from "./metadata.ts";
export {
    all,
    concat,
    containsUnknowns,
    getAllResources,
    interpolate,
    isSecret,
    isUnknown,
    jsonParse,
    jsonStringify,
    output,
    Output,
    OutputToStringError,
    recover,
    secret,
    unknown,
    unsecret,
} from "./output.ts";
export type {
    Input,
    Inputs,
    Lifted,
    LiftedArray,
    LiftedObject,
    OutputConstructor,
    OutputInstance,
    Unwrap,
    UnwrappedArray,
    UnwrappedObject,
    UnwrapSimple,
} from "./output.ts";
export * from "./resource.ts";
export * from "./stackReference.ts";
export * from "./stash.ts";

import * as asset from "./asset/index.ts";
import * as log from "./log/index.ts";
import * as runtime from "./runtime/index.ts";
export { asset, log, runtime };

/** @internal The SDK works at deployment only: a serialized function that captures it says so. */
export const deploymentOnlyModule = true;
