import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const appConfigFile = path.join(__dirname, "config", config.get("profile") ?? "default.yaml");
const appConfig = fs.readFileSync(appConfigFile, "utf8");
const checksum = crypto.createHash("sha256").update(appConfig).digest("hex").slice(0, 16);
const dbPassword = config.requireSecret("dbPassword");
const resources = config.requireObject<{ cpu: string; memory: string }>("resources");

const ns = new k8s.core.v1.Namespace("app");
const metadata = { namespace: ns.metadata.name };

const settings = new k8s.core.v1.ConfigMap("settings", {
    metadata,
    data: { "app.yaml": appConfig },
});

const credentials = new k8s.core.v1.Secret("credentials", {
    metadata,
    stringData: { DB_PASSWORD: dbPassword },
});

const labels = { app: "api" };
const deployment = new k8s.apps.v1.Deployment("api", {
    metadata,
    spec: {
        selector: { matchLabels: labels },
        replicas: 2,
        template: {
            metadata: { labels, annotations: { "checksum/config": checksum } },
            spec: {
                containers: [{
                    name: "api",
                    image: "ghcr.io/example/api:1.4.2",
                    resources: { limits: resources },
                    envFrom: [{ secretRef: { name: credentials.metadata.name } }],
                    volumeMounts: [{ name: "settings", mountPath: "/etc/api" }],
                }],
                volumes: [{ name: "settings", configMap: { name: settings.metadata.name } }],
            },
        },
    },
});

export const configChecksum = checksum;
export const deploymentName = deployment.metadata.name;
export const secretName = credentials.metadata.name;
