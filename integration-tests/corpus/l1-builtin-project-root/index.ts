import * as pulumi from "@pulumi/pulumi";
// Relative to the project root so the value does not depend on where the corpus lives.
export const rootName = pulumi.runtime.getRootDirectory().split("/").pop();
