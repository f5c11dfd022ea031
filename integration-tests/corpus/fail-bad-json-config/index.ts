import * as pulumi from "@pulumi/pulumi";
export const settings = new pulumi.Config().requireObject("settings");
