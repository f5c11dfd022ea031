import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
export const anObject = config.requireObject<{ name: string; sizes: number[] }>("anObject");
export const aList = config.requireObject<string[]>("aList");
