import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const imported = new Resource("imported", { value: "adopted" }, { import: "existing-id" });
export const id = imported.id;
