import * as pulumi from "@pulumi/pulumi";
import { First } from "./first";
import { Second } from "./second";

// first & second are simple mutually dependent components
const [secondUntainted, resolveSecondUntainted] = pulumi.deferredOutput<boolean>();
const first = new First("first", {input: secondUntainted});
const second = new Second("second", {input: first.untainted});
resolveSecondUntainted(second.untainted);
// another & many are also mutually dependent components, but many tests that the mutual dependency works through
// `range`.
const [loopingOverMany, resolveLoopingOverMany] = pulumi.deferredOutput<Array<any>>();
const another = new First("another", {input: loopingOverMany.apply(loopingOverMany => loopingOverMany.join("")).apply(join => join == "xyz")});
const many: Second[] = [];
for (let range = 0; range < 2; range++) {
    many.push(new Second(`many-${range}`, {input: another.untainted}));
}
resolveLoopingOverMany(pulumi.output(many.map(v => (_arg0_ ? "a" : "b"))));
