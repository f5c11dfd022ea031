import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaRole } from "./iam";

const stage = pulumi.getStack();

const table = new aws.dynamodb.Table("items", {
    attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
    ],
    hashKey: "pk",
    rangeKey: "sk",
    billingMode: "PAY_PER_REQUEST",
    pointInTimeRecovery: { enabled: stage === "prod" },
});

const role = lambdaRole("items-handler", table.arn);

const handler = new aws.lambda.Function("items-handler", {
    runtime: aws.lambda.Runtime.NodeJS20dX,
    handler: "index.handler",
    role: role.arn,
    code: new pulumi.asset.AssetArchive({
        ".": new pulumi.asset.FileArchive("./app"),
    }),
    environment: { variables: { TABLE_NAME: table.name, STAGE: stage } },
    timeout: 10,
    memorySize: 256,
});

const api = new aws.apigatewayv2.Api("items-api", {
    protocolType: "HTTP",
    corsConfiguration: { allowOrigins: ["*"], allowMethods: ["GET", "POST"] },
});

const integration = new aws.apigatewayv2.Integration("items", {
    apiId: api.id,
    integrationType: "AWS_PROXY",
    integrationUri: handler.invokeArn,
    payloadFormatVersion: "2.0",
});

const routes = ["GET /items", "GET /items/{id}", "POST /items"].map(
    (routeKey) =>
        new aws.apigatewayv2.Route(routeKey.replace(/[^a-z]+/gi, "-").toLowerCase(), {
            apiId: api.id,
            routeKey,
            target: pulumi.interpolate`integrations/${integration.id}`,
        }),
);

new aws.apigatewayv2.Stage("default", { apiId: api.id, name: "$default", autoDeploy: true }, { dependsOn: routes });

new aws.lambda.Permission("api-invoke", {
    action: "lambda:InvokeFunction",
    function: handler.name,
    principal: "apigateway.amazonaws.com",
    sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
});

export const endpoint = api.apiEndpoint;
export const tableName = table.name;
