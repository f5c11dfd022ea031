import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
// A transform rewrites every test resource's inputs before registration.
const tagged = new Resource("tagged", { value: "original" }, {
    transforms: [async (args) => ({ props: { ...args.props, value: "transformed" }, opts: args.opts })],
});
export const value = tagged.value;
