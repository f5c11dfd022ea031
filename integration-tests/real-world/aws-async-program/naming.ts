import * as pulumi from "@pulumi/pulumi";

const prefix = `${pulumi.getProject()}-${pulumi.getStack()}`;

export const naming = {
    prefix,
    tags: { project: pulumi.getProject(), stack: pulumi.getStack(), managedBy: "pulumi" },
    resource: (name: string) => `${prefix}-${name}`,
};
