import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
export const aString = config.require("aString");
export const aNumber = config.requireNumber("aNumber");
export const aBool = config.requireBoolean("aBool");
