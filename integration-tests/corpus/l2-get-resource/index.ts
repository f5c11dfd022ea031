import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";

// A resource constructed with `urn` reads the state of one this deployment has registered,
// instead of registering again. Its URN is only known once the original is registered.
const original = new Resource("original", { value: "hello" });
const secretive = new Resource("secretive", { value: pulumi.secret("shh") });

const view = original.urn.apply((urn) => new Resource("view", {}, { urn }));
const secretView = secretive.urn.apply((urn) => new Resource("secret-view", {}, { urn }));

export const viewValue = view.apply((v) => v.value);
export const viewUrn = view.apply((v) => v.urn);
export const sameId = pulumi.all([original.id, view.apply((v) => v.id)]).apply(([a, b]) => a === b);
export const secretValue = secretView.apply((v) => v.value);
