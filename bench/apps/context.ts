/**
 * The App context of the examples (examples/shared/compliance-checks.ts), repeated
 * here so that the bench apps do not load cdk-nag and cfn-guard just to read it.
 */
export const RECOMMENDED_CONTEXT = { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true };
