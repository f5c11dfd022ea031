import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const location = config.get("location") ?? "westeurope";
const sku = config.getObject<{ name: string; tier: string }>("sku") ?? { name: "B1", tier: "Basic" };

const group = new azure.resources.ResourceGroup("webapp", { location });

const storage = new azure.storage.StorageAccount("appdata", {
    resourceGroupName: group.name,
    kind: azure.storage.Kind.StorageV2,
    sku: { name: azure.storage.SkuName.Standard_LRS },
});

const keys = azure.storage.listStorageAccountKeysOutput({
    resourceGroupName: group.name,
    accountName: storage.name,
});
const connectionString = pulumi.secret(
    pulumi.interpolate`DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${keys.keys[0].value}`,
);

const plan = new azure.web.AppServicePlan("plan", {
    resourceGroupName: group.name,
    kind: "Linux",
    reserved: true,
    sku,
});

const app = new azure.web.WebApp("app", {
    resourceGroupName: group.name,
    serverFarmId: plan.id,
    httpsOnly: true,
    siteConfig: {
        linuxFxVersion: "NODE|20-lts",
        appSettings: [
            { name: "STORAGE_CONNECTION", value: connectionString },
            { name: "WEBSITE_RUN_FROM_PACKAGE", value: "1" },
        ],
    },
});

const client = azure.authorization.getClientConfigOutput();

export const endpoint = pulumi.interpolate`https://${app.defaultHostName}`;
export const subscription = client.subscriptionId;
export const storageConnection = connectionString;
