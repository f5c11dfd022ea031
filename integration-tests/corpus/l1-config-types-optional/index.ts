import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
export const missingString = config.get("missing") ?? "default";
export const missingNumber = config.getNumber("missingNumber") ?? 7;
export const missingBool = config.getBoolean("missingBool") ?? true;
export const missingObject = config.getObject("missingObject") ?? { fallback: true };
export const otherNamespace = new pulumi.Config("other").get("key");
