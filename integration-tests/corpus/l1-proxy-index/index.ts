import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";
const res = new Resource("res", { value: { list: ["zero", "one"], map: { key: "value" } } });
const value = res.value as pulumi.Output<{ list: string[]; map: { key: string } }>;
// Lifted property access on outputs.
export const item = value.list[1];
export const key = value.map.key;
export const whole = res.value;
