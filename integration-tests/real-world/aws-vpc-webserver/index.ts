import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

interface NetworkConfig {
    cidrBlock: string;
    subnetBits: number;
    zones: number;
}

const config = new pulumi.Config();
const network = config.requireObject<NetworkConfig>("network");
const instanceType = config.get("instanceType") || "t3.micro";
const instancesPerZone = config.getNumber("instancesPerZone") ?? 1;
const allowedCidrs = config.getObject<string[]>("allowedCidrs") ?? ["0.0.0.0/0"];
const enableSsh = config.getBoolean("enableSsh") ?? false;
const projectTags = { project: pulumi.getProject(), stack: pulumi.getStack() };

const zones = aws.getAvailabilityZonesOutput({ state: "available" });
const ami = aws.ec2.getAmiOutput({
    mostRecent: true,
    owners: ["amazon"],
    filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }],
});

const vpc = new aws.ec2.Vpc("main", {
    cidrBlock: network.cidrBlock,
    enableDnsHostnames: true,
    tags: { ...projectTags, Name: "main" },
});
const gateway = new aws.ec2.InternetGateway("gateway", { vpcId: vpc.id, tags: projectTags });
const routes = new aws.ec2.RouteTable("public", {
    vpcId: vpc.id,
    routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
    tags: projectTags,
});

const webSg = new aws.ec2.SecurityGroup("web", {
    vpcId: vpc.id,
    description: "HTTP in, everything out",
    ingress: [
        { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: allowedCidrs },
        ...(enableSsh ? [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: allowedCidrs }] : []),
    ],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});

const userData = (zone: number) => `#!/bin/bash
echo "Hello from zone ${zone}" > index.html
nohup python3 -m http.server 80 &`;

const servers: aws.ec2.Instance[] = [];
for (let zone = 0; zone < network.zones; zone++) {
    const subnet = new aws.ec2.Subnet(`public-${zone}`, {
        vpcId: vpc.id,
        cidrBlock: `10.0.${zone * 2 ** (network.subnetBits - 8)}.0/${network.subnetBits}`,
        availabilityZone: zones.names[zone],
        mapPublicIpOnLaunch: true,
        tags: { ...projectTags, tier: "public" },
    });
    new aws.ec2.RouteTableAssociation(`public-${zone}`, { subnetId: subnet.id, routeTableId: routes.id });
    for (let i = 0; i < instancesPerZone; i++) {
        servers.push(new aws.ec2.Instance(`web-${zone}-${i}`, {
            ami: ami.id,
            instanceType,
            subnetId: subnet.id,
            vpcSecurityGroupIds: [webSg.id],
            userData: userData(zone),
            tags: { ...projectTags, Name: `web-${zone}-${i}` },
        }));
    }
}

export const vpcId = vpc.id;
export const amiName = ami.name;
export const publicIps = servers.map((s) => s.publicIp);
export const urls = pulumi.all(servers.map((s) => s.publicDns)).apply((names) => names.map((n) => `http://${n}`));
