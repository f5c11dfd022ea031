import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
new Resource("res", { value: "v" }, { pluginDownloadURL: "https://example.com/plugins", version: "2.0.0" });
