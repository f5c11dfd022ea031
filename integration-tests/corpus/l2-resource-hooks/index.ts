import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";
// Hooks are registered by name and bound to a resource by name; a plain function becomes a hook
// named after the resource.
const announce = new pulumi.ResourceHook("announce", (args) => console.log(`created ${args.name}`), { onDryRun: true });
const retryOnce = new pulumi.ErrorHook("retryOnce", (args) => args.errors.length < 2);
const hooked = new Resource("hooked", { value: "v" }, {
    hooks: {
        beforeCreate: [announce],
        afterCreate: [(args) => console.log(`after ${args.urn}`)],
        onError: [retryOnce],
    },
});
export const value = hooked.value;
