import { Resource } from "../shared/resources";
// Names and property keys that collide with language keywords.
const names = ["class", "function", "return", "this", "null", "default"];
export const values = names.map(n => new Resource(n, { value: n, "new": "kw", "delete": true }).value);
