import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A role a Lambda function assumes, allowed to log and to use one table. */
export function lambdaRole(name: string, tableArn: pulumi.Input<string>): aws.iam.Role {
    const role = new aws.iam.Role(`${name}-role`, {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
    });
    new aws.iam.RolePolicyAttachment(`${name}-logs`, {
        role: role.name,
        policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
    });
    new aws.iam.RolePolicy(`${name}-table`, {
        role: role.id,
        policy: pulumi.output(tableArn).apply((arn) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                    Resource: [arn, `${arn}/index/*`],
                }],
            }),
        ),
    });
    return role;
}
