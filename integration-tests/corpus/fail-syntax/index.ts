import * as pulumi from "@pulumi/pulumi";

export const x: number = ;
