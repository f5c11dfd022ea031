// @pulumi/pulumi/runtime: the machinery under the SDK that provider SDKs build on.

export { computeCodePaths, serializeFunction, serializeFunctionAsync } from "./closure/index.ts";
export type { CodePathOptions, SerializedFunction, SerializeFunctionArgs } from "./closure/index.ts";
export { allConfig, getConfig, isConfigSecret, setAllConfig, setConfig } from "./config.ts";
export { call, callSingle, invoke, invokeOutput, invokeSingle, invokeSingleOutput } from "./invoke.ts";
export { existsResource, getResource, mapAliasesForRequest, registerResourceOutputs } from "./resource.ts";
export {
    deserializeProperties,
    deserializeProperty,
    getResourceModule,
    getResourcePackage,
    isRpcSecret,
    registerResourceModule,
    registerResourcePackage,
    serializeProperties,
    serializeProperty,
    serializeResourceProperties,
    specialArchiveSig,
    specialAssetSig,
    specialOutputValueSig,
    specialResourceSig,
    specialSecretSig,
    specialSigKey,
    unknownValue,
    unwrapRpcSecret,
} from "./rpc.ts";
export type { SerializationOptions } from "./rpc.ts";
export {
    getOrganization,
    getProject,
    getRootDirectory,
    getStack,
    isDryRun,
    isQueryMode,
    registerPackage,
    supportsParameterization,
} from "./settings.ts";
export type { RegisterPackageArgs } from "./settings.ts";
export {
    getStackResource,
    registerResourceTransform,
    registerStackTransform,
    registerStackTransformation,
    rootPulumiStackTypeName,
    runInPulumiStack,
} from "./stack.ts";
export type { ResourceModule, ResourcePackage } from "./state.ts";
