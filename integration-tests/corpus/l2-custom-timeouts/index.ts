import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
new Resource("res", { value: "t" }, { customTimeouts: { create: "1m", update: "2m30s", delete: "45s" } });
