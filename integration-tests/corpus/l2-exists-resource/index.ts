import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";

// Asks the provider whether resources exist, without reading them into the stack.
// In a preview the new resource's ID is not known, and neither is the answer.
const res = new Resource("res", { value: "here" });
export const found = pulumi.runtime.existsResource("test:index:Resource", res.id);
export const missing = pulumi.runtime.existsResource("test:index:Resource", "no-such-id");
