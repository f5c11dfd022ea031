import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const owner = new Resource("owner", { value: "o" });
new Resource("owned", { value: "d" }, { deletedWith: owner });
