import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
new Resource("pinned", { value: "v" }, { version: "1.2.3" });
new Resource("unpinned", { value: "u" });
