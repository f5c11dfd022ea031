import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
const other = new pulumi.StackReference(config.require("other"));
export const plain = other.getOutput("plain");
export const required = other.requireOutput("number");
export const secretFromOther = other.getOutput("secret");
export const missing = other.getOutput("doesNotExist");
