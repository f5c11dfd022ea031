import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const first = new Resource("first", { value: 1 });
const second = new Resource("second", { value: 2 }, { dependsOn: first });
const third = new Resource("third", { value: 3 }, { dependsOn: [first, second] });
// An input that is another resource's output is a property dependency.
const fourth = new Resource("fourth", { value: third.value, other: first.id });
export const last = fourth.value;
