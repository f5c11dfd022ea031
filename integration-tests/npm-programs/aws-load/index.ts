import * as aws from "@pulumi/aws";

// Touch a few namespaces so their modules load, as a real program's first resources would.
export const loaded = [typeof aws.s3.BucketV2, typeof aws.iam.Role, typeof aws.lambda.Function];
