import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const res = new Resource("res", { value: "known" });
// In preview the id is unknown, so this callback does not run and the output is unknown.
let ran = false;
export const derived = res.id.apply(id => { ran = true; return `id:${id}`; });
export const known = res.value.apply(v => v + "!");
export const chained = new Resource("chained", { value: res.id }).value;
