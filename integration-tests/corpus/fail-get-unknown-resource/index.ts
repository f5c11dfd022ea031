import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";

// No resource of this deployment has this URN: the engine cannot give its state.
const ghost = new Resource("ghost", {}, {
    urn: `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::test:index:Resource::ghost`,
});
export const value = ghost.value;
