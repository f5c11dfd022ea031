import * as pulumi from "@pulumi/pulumi";
const hidden = pulumi.secret("s3cr3t");
export const secretValue = hidden;
export const derived = hidden.apply(v => v.toUpperCase());
export const revealed = pulumi.unsecret(hidden);
export const flags = pulumi.all([pulumi.isSecret(hidden), pulumi.isSecret(pulumi.unsecret(hidden))]);
