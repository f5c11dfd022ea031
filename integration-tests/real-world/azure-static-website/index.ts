import * as fs from "fs";
import * as path from "path";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";

const group = new resources.ResourceGroup("website");

const account = new storage.StorageAccount("site", {
    resourceGroupName: group.name,
    kind: storage.Kind.StorageV2,
    sku: { name: storage.SkuName.Standard_LRS },
    enableHttpsTrafficOnly: true,
});

const website = new storage.StorageAccountStaticWebsite("site", {
    accountName: account.name,
    resourceGroupName: group.name,
    indexDocument: "index.html",
    error404Document: "404.html",
});

const root = path.join(__dirname, "wwwroot");
for (const name of fs.readdirSync(root).sort()) {
    new storage.Blob(name, {
        resourceGroupName: group.name,
        accountName: account.name,
        containerName: website.containerName,
        source: new pulumi.asset.FileAsset(path.join(root, name)),
        contentType: name.endsWith(".html") ? "text/html" : "text/plain",
    });
}

export const staticEndpoint = account.primaryEndpoints.web;
