import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
// Nothing in its inputs changes, but its trigger does: replaced in step 2.
const triggered = new Resource("triggered", { value: "same" }, { replacementTrigger: `release-${step}` });
// Replaced whenever `triggered` is.
const follower = new Resource("follower", { value: "same" }, { replaceWith: [triggered] });
// Same trigger both steps: stays.
const steady = new Resource("steady", { value: "same" }, { replacementTrigger: { release: 1 } });
export const ids = pulumi.all([triggered.id, follower.id, steady.id]);
