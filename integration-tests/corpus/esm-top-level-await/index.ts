// An ES module project (package.json: "type": "module"): top-level await works, and a CommonJS
// TypeScript module is imported by name.
import { Resource } from "../shared/resources";

const value = await Promise.resolve("awaited at the top level");
const res = new Resource("res", { value });
export const awaited = value;
export const resourceValue = res.value;
