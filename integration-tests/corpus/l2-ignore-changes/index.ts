import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const res = new Resource("res", { value: `v${step}`, other: `o${step}` }, { ignoreChanges: ["value"] });
export const value = res.value;
