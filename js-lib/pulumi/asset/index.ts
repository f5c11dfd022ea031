export * from "./asset.ts";
export * from "./archive.ts";
