import * as fs from "fs";
import * as path from "path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

const config = new pulumi.Config();
const host = config.require("host");
const user = config.get("user") ?? "ubuntu";
const privateKey = config.requireSecret("privateKey");

const script = fs.readFileSync(path.join(__dirname, "scripts", "provision.sh"), "utf8");
const buildId = new random.RandomId("build", { byteLength: 4 });

const build = new command.local.Command("build", {
    create: "tar czf app.tgz -C app .",
    dir: __dirname,
    environment: { BUILD_ID: buildId.hex },
    triggers: [script],
});

const connection: command.types.input.remote.ConnectionArgs = { host, user, privateKey };

const upload = new command.remote.CopyFile("upload", {
    connection,
    localPath: path.join(__dirname, "scripts", "provision.sh"),
    remotePath: "/tmp/provision.sh",
    triggers: [script],
}, { dependsOn: build });

const provision = new command.remote.Command("provision", {
    connection,
    create: pulumi.interpolate`BUILD_ID=${buildId.hex} bash /tmp/provision.sh`,
    delete: "rm -f /tmp/provision.sh",
    triggers: [buildId.hex],
}, { dependsOn: upload });

export const buildOutput = build.stdout;
export const provisioned = provision.stdout;
