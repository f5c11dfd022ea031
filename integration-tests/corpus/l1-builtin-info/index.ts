import * as pulumi from "@pulumi/pulumi";
export const stack = pulumi.getStack();
export const project = pulumi.getProject();
export const organization = pulumi.getOrganization();
