import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const region = config.get("region") ?? "us-central1";
const gcpConfig = new pulumi.Config("gcp");
const project = gcpConfig.require("project");

const bucket = new gcp.storage.Bucket("function-source", {
    location: "US",
    uniformBucketLevelAccess: true,
    forceDestroy: true,
});

const archive = new gcp.storage.BucketObject("function-zip", {
    bucket: bucket.name,
    source: new pulumi.asset.AssetArchive({ ".": new pulumi.asset.FileArchive("./function") }),
});

const fn = new gcp.cloudfunctions.Function("greeter", {
    region,
    runtime: "nodejs20",
    entryPoint: "greet",
    sourceArchiveBucket: bucket.name,
    sourceArchiveObject: archive.name,
    triggerHttp: true,
    availableMemoryMb: 256,
    environmentVariables: { PROJECT: project },
});

new gcp.cloudfunctions.FunctionIamMember("invoker", {
    project: fn.project,
    region: fn.region,
    cloudFunction: fn.name,
    role: "roles/cloudfunctions.invoker",
    member: "allUsers",
});

export const url = fn.httpsTriggerUrl;
export const sourceBucket = bucket.url;
