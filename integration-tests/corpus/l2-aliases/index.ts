import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
// step 2 renames and reparents the resources; aliases keep them the same resources.
const parent = new Resource("parent", { value: "p" });
if (step === 1) {
    new Resource("old-name", { value: "renamed" });
    new Resource("moved", { value: "reparented" });
    new Resource("typed", { value: "url alias" });
} else {
    new Resource("new-name", { value: "renamed" }, { aliases: [{ name: "old-name" }] });
    new Resource("moved", { value: "reparented" }, { parent, aliases: [{ parent: pulumi.rootStackResource }] });
    new Resource("typed-renamed", { value: "url alias" }, {
        aliases: [pulumi.interpolate`urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::test:index:Resource::typed`],
    });
}
