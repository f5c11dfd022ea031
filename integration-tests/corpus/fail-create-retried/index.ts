import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";
// An error hook asks for two more tries of a create that keeps failing; the third failure stands.
const retryTwice = new pulumi.ErrorHook("retryTwice", (args) => {
    console.log(`${args.failedOperation} of ${args.name} failed ${args.errors.length} time(s): ${args.errors[0]}`);
    return args.errors.length < 3;
});
new Resource("flaky", { value: "v", failCreate: "not today" }, { hooks: { onError: [retryTwice] } });
