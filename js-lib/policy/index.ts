// @pulumi/policy: policy packs for runtime: unfold, with the names and behaviour of Pulumi's
// policy SDK. A pack's program creates one PolicyPack; the host serves it to the engine as an
// Analyzer plugin and hands each of the engine's calls to `server.ts`.

export * from "./policy.ts";
export { Secret, UnknownValueError, unknownCheckingProxy } from "./properties.ts";
