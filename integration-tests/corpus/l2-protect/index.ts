import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
// step 1 creates a protected resource; step 2 drops it from the program, which must fail.
if (step === 1) {
    new Resource("guarded", { value: "keep me" }, { protect: true });
}
new Resource("free", { value: step });
