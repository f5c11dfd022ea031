import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const name = config.get("name") ?? "world";

export const greeting = `Hello, ${name}!`;
export const stack = pulumi.getStack();
export const shout = pulumi.output(greeting).apply(g => g.toUpperCase());
