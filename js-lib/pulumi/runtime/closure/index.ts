// Closure serialization: a function and what it captured, as the text of a Node.js module.

export { computeCodePaths } from "./codePaths.ts";
export type { CodePathOptions } from "./codePaths.ts";
export { serializeFunction, serializeFunctionAsync } from "./serializeClosure.ts";
export type { SerializedFunction, SerializeFunctionArgs } from "./serializeClosure.ts";
