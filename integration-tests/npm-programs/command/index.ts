import * as command from "@pulumi/command";

const hello = new command.local.Command("hello", {
    create: "echo hello",
    delete: "echo bye",
    environment: { GREETING: "hi" },
    triggers: ["v1"],
});
const remote = new command.remote.Command("remote", {
    connection: { host: "10.0.0.1", user: "admin" },
    create: hello.create.apply((c) => `ssh-echo ${c}`),
});

export const create = hello.create;
export const remoteCreate = remote.create;
