import fs = require("fs");
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { naming } from "./naming";

export = async () => {
    const identity = await aws.getCallerIdentity();
    const region = await aws.getRegion();
    const zones = await aws.getAvailabilityZones({ state: "available" });
    const banner = fs.readFileSync(`${__dirname}/banner.txt`, "utf8").trim();

    const vpc = new aws.ec2.Vpc(naming.resource("vpc"), { cidrBlock: "10.10.0.0/16", tags: naming.tags });
    const subnets = zones.names.slice(0, 2).map((zone, i) =>
        new aws.ec2.Subnet(naming.resource(`private-${zone}`), {
            vpcId: vpc.id,
            availabilityZone: zone,
            cidrBlock: `10.10.${i}.0/24`,
            tags: { ...naming.tags, zone },
        }),
    );
    const logs = new aws.s3.BucketV2(naming.resource("logs"), {
        bucket: `${naming.prefix}-logs-${identity.accountId}-${region.name}`,
        tags: naming.tags,
    });

    return {
        account: identity.accountId,
        banner,
        subnetIds: subnets.map((s) => s.id),
        logBucket: logs.bucket,
        vpcArn: pulumi.interpolate`${vpc.arn}`,
    };
};
