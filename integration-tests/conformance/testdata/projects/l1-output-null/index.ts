import * as pulumi from "@pulumi/pulumi";

export const array = [null];
