import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const greeting = config.get("greeting") ?? "hello";
const uploads = new aws.s3.Bucket("uploads");
const counts = new aws.dynamodb.Table("counts", {
    attributes: [{ name: "id", type: "S" }],
    hashKey: "id",
    billingMode: "PAY_PER_REQUEST",
});

function describe(key: string): string {
    return `${greeting}, ${key}`;
}

const hello = new aws.lambda.CallbackFunction("hello", {
    callback: async (event: { name?: string }) => ({ statusCode: 200, body: describe(event.name ?? "world") }),
    runtime: aws.lambda.Runtime.NodeJS20dX,
});

const tableName = counts.name;
aws.cloudwatch.onSchedule("nightly", "cron(0 3 * * ? *)", async () => {
    console.log(`compacting ${tableName.get()}`);
});

uploads.onObjectCreated("on-upload", async (event) => {
    for (const record of event.Records ?? []) {
        console.log(describe(record.s3.object.key));
    }
});

export const functionName = hello.name;
export const bucket = uploads.bucket;
