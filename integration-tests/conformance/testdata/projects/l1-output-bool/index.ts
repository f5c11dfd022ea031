import * as pulumi from "@pulumi/pulumi";

export const output_true = true;
export const output_false = false;
