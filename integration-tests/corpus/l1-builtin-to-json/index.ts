import * as pulumi from "@pulumi/pulumi";
const value = pulumi.output({ a: [1, 2], b: pulumi.output("c") });
export const json = pulumi.jsonStringify(value);
export const pretty = pulumi.jsonStringify(value, undefined, 2);
export const parsed = pulumi.jsonParse(pulumi.output("{\"k\": [true, null]}"));
export const base64 = btoa("hello unfold");
