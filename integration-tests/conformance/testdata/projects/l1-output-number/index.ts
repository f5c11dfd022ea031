import * as pulumi from "@pulumi/pulumi";

export const zero = 0;
export const one = 1;
export const e = 2.718;
export const minInt32 = -2147483648;
export const max = 1.7976931348623157e+308;
export const min = 5e-324;
