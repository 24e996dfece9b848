import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

/**
 * The checks every example runs, as a user would in their own app: cdk-nag's
 * AwsSolutions, HIPAA Security, NIST 800-53 rev5 and PCI DSS 3.2.1 packs and the
 * AWS Control Tower proactive controls. Any unacknowledged finding fails the synth.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new CfnGuardValidator(),
  );
}

/**
 * The feature flags each example's cdk.json sets (and `cdk init` writes), repeated here for
 * runs without the CLI. Both keep the delivery grants of S3 buckets in their bucket policy:
 * - serverAccessLogsUseBucketPolicy: server access logs are granted by bucket policy, not ACLs;
 * - createDefaultLoggingPolicy: a bucket that receives VPC flow logs gets the log-delivery
 *   statement at synth, so a later bucket-policy change cannot drop it.
 */
export const RECOMMENDED_CONTEXT = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
};
