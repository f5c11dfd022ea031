import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const provider = new Provider("explicit", { region: "test-1" });
const res = new Resource("res", { value: "v" }, { provider });
export const value = res.value;
