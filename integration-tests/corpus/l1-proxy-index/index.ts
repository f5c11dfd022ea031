import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";
const res = new Resource("res", { value: { list: ["zero", "one"], map: { key: "value" } } });
// Lifted property access on outputs.
export const item = res.value.list[1];
export const key = res.value.map.key;
export const whole = res.value;
