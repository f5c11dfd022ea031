// What Pulumi's aws.lambda.CallbackFunction uploads for examples/messages' `insert` handler
// (the same work: store the posted message in a DynamoDB table), under Pulumi's own Node.js SDK
// with mocks: prints the function's code archive as JSON lines, `{name, text}` for a file given
// inline and `{name, dir}` for a folder of files. Run it from a project whose package.json lists
// the program's dependencies; the Lambda runtime's own AWS SDK is not packaged.
const path = require("path");
const pulumi = require("@pulumi/pulumi");

let printed;
const done = new Promise((resolve) => (printed = resolve));

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            if (args.type === "aws:lambda/function:Function") {
                Promise.resolve(args.inputs.code.assets).then(async (assets) => {
                    for (const [name, value] of Object.entries(assets)) {
                        const entry = await value;
                        if (entry.text !== undefined) {
                            console.log(JSON.stringify({ name, text: await entry.text }));
                        } else {
                            console.log(JSON.stringify({ name, dir: path.resolve(await entry.path) }));
                        }
                    }
                    printed();
                });
            }
            return { id: `${args.name}_id`, state: { ...args.inputs, arn: `arn:aws:mock:${args.name}`, name: args.name } };
        },
        call: (args) => args.inputs,
    },
    "messages",
    "dev",
    false,
);

const aws = require("@pulumi/aws");
const table = new aws.dynamodb.Table("messages", {
    attributes: [{ name: "id", type: "S" }],
    hashKey: "id",
    billingMode: "PAY_PER_REQUEST",
});
new aws.lambda.CallbackFunction("insert", {
    callback: async (event) => {
        const { DynamoDBClient, PutItemCommand } = await import("@aws-sdk/client-dynamodb");
        const msg = JSON.parse(event.body);
        await new DynamoDBClient({}).send(
            new PutItemCommand({ TableName: table.name.get(), Item: { id: { S: msg.id }, text: { S: msg.text } } }),
        );
        return { statusCode: 201, body: JSON.stringify({ stored: msg.id }) };
    },
});
done.then(() => process.exit(0));
