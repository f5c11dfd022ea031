import * as pulumi from "@pulumi/pulumi";
// The stack the stack-reference case reads.
export const plain = "from the other stack";
export const number = 42;
export const secret = pulumi.secret("shh");
