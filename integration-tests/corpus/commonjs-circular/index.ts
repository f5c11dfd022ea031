// A CommonJS project (tsconfig.json: "module": "commonjs", "esModuleInterop": true) whose entry
// module is imported back, while it is still loading, by a module it imports.
import fs = require("fs");
import greet from "./legacy";
import { Resource } from "../shared/resources";
import { label, seenDuringLoad } from "./naming";

export const prefix = "app";
// What `naming.ts` saw of this module's exports while this module was still loading.
export const seenWhileLoading = seenDuringLoad;
// Read through the cycle once both modules have loaded.
export const name = label("bucket");
export const greeting = greet("world");
export const hasTsconfig = fs.existsSync("tsconfig.json");
exports.assigned = "through exports";

const res = new Resource(name, { value: prefix });
export const value = res.value;
