import { Pair } from "../shared/resources";
const pair = new Pair("pair", { value: "hello" });
export const joined = pair.joined;
export const leftUrn = pair.left.urn;
