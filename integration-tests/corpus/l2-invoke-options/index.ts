import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider } from "../shared/resources";
const provider = new Provider("explicit");
const dep = new Resource("dep", { value: "d" });
// Invokes with and without options: an explicit provider, dependencies, and secret arguments.
export const plain = pulumi.runtime.invoke("test:index:echo", { value: "plain" }).then(r => r.value);
export const viaProvider = pulumi.runtime.invoke("test:index:echo", { value: "provided" }, { provider }).then(r => r.value);
export const dependent = pulumi.runtime.invokeOutput<{ value: string }>("test:index:echo", { value: dep.value }, { dependsOn: [dep] }).apply(r => r.value);
export const secret = pulumi.runtime.invokeOutput<{ value: string }>("test:index:echo", { value: pulumi.secret("hidden") }).apply(r => r.value);
