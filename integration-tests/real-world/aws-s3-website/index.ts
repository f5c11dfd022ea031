import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const siteDir = path.join(__dirname, config.get("siteDir") ?? "www");

const contentTypes: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".js": "application/javascript",
    ".svg": "image/svg+xml",
};

const siteBucket = new aws.s3.BucketV2("site-bucket", { forceDestroy: true });

const website = new aws.s3.BucketWebsiteConfigurationV2("site", {
    bucket: siteBucket.id,
    indexDocument: { suffix: "index.html" },
    errorDocument: { key: "404.html" },
});

const publicAccess = new aws.s3.BucketPublicAccessBlock("public-access", {
    bucket: siteBucket.id,
    blockPublicAcls: false,
    blockPublicPolicy: false,
});

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? walk(full) : [full];
    });
}

for (const file of walk(siteDir).sort()) {
    const key = path.relative(siteDir, file).split(path.sep).join("/");
    new aws.s3.BucketObject(key, {
        bucket: siteBucket.id,
        key,
        source: new pulumi.asset.FileAsset(file),
        contentType: contentTypes[path.extname(file)] ?? "application/octet-stream",
    });
}

function publicReadPolicy(bucketName: string) {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetObject"],
            Resource: [`arn:aws:s3:::${bucketName}/*`],
        }],
    });
}

new aws.s3.BucketPolicy("bucket-policy", {
    bucket: siteBucket.id,
    policy: siteBucket.bucket.apply(publicReadPolicy),
}, { dependsOn: publicAccess });

export const bucketName = siteBucket.bucket;
export const websiteUrl = pulumi.interpolate`http://${website.websiteEndpoint}`;
