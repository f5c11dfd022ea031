import * as pulumi from "@pulumi/pulumi";
const value = pulumi.output({ b: 2, a: 1, c: pulumi.output(3) });
export const keys = value.apply(v => Object.keys(v));
export const values = value.apply(v => Object.values(v));
export const entries = value.apply(v => Object.entries(v).sort());
export const merged = pulumi.all([value, pulumi.output({ d: 4 })]).apply(([first, second]) => ({ ...first, ...second }));
export const fromEntries = value.apply(v => Object.fromEntries(Object.entries(v).map(([k, n]) => [k.toUpperCase(), n * 10])));
