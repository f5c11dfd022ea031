import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
export const password = config.requireSecret("password");
export const isSecret = pulumi.isSecret(password);
export const length = password.apply(p => p.length);
