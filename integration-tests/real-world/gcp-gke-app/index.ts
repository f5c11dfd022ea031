import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const nodeCount = config.getNumber("nodeCount") ?? 2;
const machineType = config.get("machineType") ?? "e2-standard-2";

const cluster = new gcp.container.Cluster("cluster", {
    initialNodeCount: 1,
    removeDefaultNodePool: true,
    deletionProtection: false,
    releaseChannel: { channel: "REGULAR" },
});

const nodes = new gcp.container.NodePool("primary", {
    cluster: cluster.name,
    nodeCount,
    nodeConfig: {
        machineType,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        labels: { pool: "primary" },
    },
});

export const kubeconfig = pulumi
    .all([cluster.name, cluster.endpoint, cluster.masterAuth])
    .apply(([name, endpoint, auth]) => {
        const context = `${gcp.config.project}_${gcp.config.zone}_${name}`;
        return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${auth?.clusterCaCertificate}
    server: https://${endpoint}
  name: ${context}
contexts:
- context:
    cluster: ${context}
    user: ${context}
  name: ${context}
current-context: ${context}
kind: Config
users:
- name: ${context}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      provideClusterInfo: true
`;
    });

const provider = new k8s.Provider("gke", { kubeconfig }, { dependsOn: [nodes] });

const labels = { app: "canary" };
const app = new k8s.apps.v1.Deployment("canary", {
    spec: {
        selector: { matchLabels: labels },
        replicas: 1,
        template: { metadata: { labels }, spec: { containers: [{ name: "canary", image: "nginx" }] } },
    },
}, { provider });

export const clusterName = cluster.name;
export const deploymentName = app.metadata.name;
