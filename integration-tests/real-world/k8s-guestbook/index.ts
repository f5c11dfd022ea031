import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceDeployment } from "./serviceDeployment";

const config = new pulumi.Config();
const namespaceName = config.get("namespace") ?? "guestbook";
const provider = new k8s.Provider("cluster", {
    kubeconfig: config.get("kubeconfig"),
    namespace: namespaceName,
    enableServerSideApply: true,
});
const namespace = new k8s.core.v1.Namespace("guestbook", { metadata: { name: namespaceName } }, { provider });
const opts = { provider, dependsOn: [namespace] };

const leader = new ServiceDeployment("redis-leader", { image: "redis", ports: [6379] }, opts);
const replica = new ServiceDeployment("redis-replica", {
    image: "pulumi/guestbook-redis-replica",
    ports: [6379],
    env: { GET_HOSTS_FROM: "dns" },
}, { ...opts, dependsOn: [leader] });
const frontend = new ServiceDeployment("frontend", {
    replicas: 3,
    image: "pulumi/guestbook-php-redis",
    ports: [80],
    allocateIpAddress: true,
    env: { GET_HOSTS_FROM: "dns" },
}, { ...opts, dependsOn: [replica] });

export const frontendIp = frontend.ipAddress;
export const services = [leader, replica, frontend].map((s) => s.service.metadata.name);
