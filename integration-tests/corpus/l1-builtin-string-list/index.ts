import * as pulumi from "@pulumi/pulumi";
const parts = pulumi.output(["a", "b", "c"]);
export const joined = parts.apply(p => p.join("-"));
export const interpolated = pulumi.interpolate`${parts[0]}/${parts[2]}`;
export const concatenated = pulumi.concat("x", parts[1], 1);
export const lengths = pulumi.all([parts, pulumi.output("four")]).apply(([p, s]) => p.length + s.length);
export const minMax = parts.apply(p => [Math.min(...p.map(x => x.charCodeAt(0))), Math.max(...p.map(x => x.charCodeAt(0)))]);
