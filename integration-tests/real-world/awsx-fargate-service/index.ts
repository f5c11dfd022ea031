import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const containerPort = config.getNumber("containerPort") ?? 80;
const cpu = config.getNumber("cpu") ?? 512;
const memory = config.getNumber("memory") ?? 128;

const vpc = new awsx.ec2.Vpc("vpc", {
    numberOfAvailabilityZones: 2,
    natGateways: { strategy: awsx.ec2.NatGatewayStrategy.Single },
});

const cluster = new aws.ecs.Cluster("cluster");

const lb = new awsx.lb.ApplicationLoadBalancer("lb", {
    subnetIds: vpc.publicSubnetIds,
    defaultTargetGroup: { port: containerPort },
});

const service = new awsx.ecs.FargateService("service", {
    cluster: cluster.arn,
    networkConfiguration: { subnets: vpc.privateSubnetIds, assignPublicIp: false },
    desiredCount: 2,
    taskDefinitionArgs: {
        container: {
            name: "app",
            image: "nginx:latest",
            cpu,
            memory,
            essential: true,
            portMappings: [{ containerPort, targetGroup: lb.defaultTargetGroup }],
        },
    },
});

export const vpcId = vpc.vpcId;
export const privateSubnets = vpc.privateSubnetIds;
export const serviceName = service.service.apply((s) => s?.name);
