import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const parent = new Resource("parent", { value: "p" });
const child = new Resource("child", { value: "c" }, { parent });
const grandchild = new Resource("grandchild", { value: "g" }, { parent: child });
export const urns = [parent.urn, child.urn, grandchild.urn];
