import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
if (step === 1) {
    new Resource("retained", { value: "outlives the stack" }, { retainOnDelete: true });
}
