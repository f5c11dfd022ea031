import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";
const res = new Resource("res", { value: "v" });
throw new pulumi.ResourceError("this resource is misconfigured", res);
