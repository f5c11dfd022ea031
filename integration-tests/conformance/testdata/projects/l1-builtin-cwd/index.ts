import * as pulumi from "@pulumi/pulumi";

export const cwdOutput = process.cwd();
