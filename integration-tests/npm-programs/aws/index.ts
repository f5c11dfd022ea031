import * as path from "path";
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const identity = aws.getCallerIdentityOutput({});

const bucket = new aws.s3.BucketV2("assets", {
    tags: { app: "unfold", owner: identity.accountId },
});

const role = new aws.iam.Role("handler-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" } }],
    }),
});

const policy = new aws.iam.RolePolicy("handler-policy", {
    role: role.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Action: ["s3:GetObject"], Effect: "Allow", Resource: pulumi.interpolate`${bucket.arn}/*` }],
    }),
});

const codeDir = path.join(__dirname, "handler");
const fn = new aws.lambda.Function("handler", {
    role: role.arn,
    runtime: aws.lambda.Runtime.NodeJS20dX,
    handler: "index.handler",
    code: new pulumi.asset.FileArchive(codeDir),
    environment: { variables: { BUCKET: bucket.bucket } },
    tags: { codeHash: crypto.createHash("sha256").update("handler-v1").digest("hex").slice(0, 12) },
}, { dependsOn: [policy] });

export const bucketName = bucket.bucket;
export const functionName = fn.name;
export const account = identity.accountId;
