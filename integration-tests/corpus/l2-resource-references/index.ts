import * as pulumi from "@pulumi/pulumi";
import { Pair, Provider, Resource, resourceModule, resourcePackage } from "../shared/resources";

// As a generated SDK does: references to `test` resources and providers become instances again.
pulumi.runtime.registerResourceModule("test", "index", resourceModule);
pulumi.runtime.registerResourcePackage("test", resourcePackage);

const provider = new Provider("explicit", { region: "test-1" });
const target = new Resource("target", { value: "hello" });
const pair = new Pair("pair", { value: "p" });

// The test provider echoes its inputs, so `holder.value` comes back holding references.
const holder = new Resource("holder", { value: { target, pair } });
const held = holder.value as pulumi.Output<{ target: Resource; pair: string }>;

export const targetIsResource = held.apply((h) => h.target instanceof Resource);
export const targetValue = held.apply((h) => h.target.value);
export const targetUrn = held.apply((h) => h.target.urn);
export const sameTargetId = pulumi.all([target.id, held.apply((h) => h.target.id)]).apply(([a, b]) => a === b);
// No module is registered for `corpus:index`: the reference stays the component's URN.
export const pairReference = held.apply((h) => h.pair);
// A rehydrated resource among the stack's outputs shows as its properties, as any resource does.
export const rehydrated = held.apply((h) => h.target);

// A function's result holding a provider reference: the registered package rebuilds it.
// (In a preview the provider's ID is unknown, and so is the result.)
const echoed = pulumi.runtime.invokeOutput<{ provider: Provider }>("test:index:echo", { provider });
export const providerIsProvider = echoed.apply((r) => r.provider instanceof Provider);
export const providerUrn = echoed.apply((r) => r.provider.urn);
