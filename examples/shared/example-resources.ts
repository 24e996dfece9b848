import { RemovalPolicy, Resource, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The application-side resources the DR examples stand on, built the way the
 * compliance packs expect. They are the user's, not the library's.
 */

/** A customer-managed key with rotation whose grants may only go to AWS services (AWS Control Tower CT.KMS.PR.3). */
export function applicationKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  key.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}

/** An isolated database VPC: no internet path, flow logs to S3, default security group closed. */
export function databaseVpc(scope: Construct, id: string, flowLogBucket: s3.IBucket): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: { destination: ec2.FlowLogDestination.toS3(flowLogBucket, 'vpc-flow-logs/') } },
    restrictDefaultSecurityGroup: true,
  });
  // aws-cdk-lib's one-off custom resource that closes the VPC's default security group.
  const cleaner = Stack.of(scope).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  if (cleaner) {
    Validations.of(cleaner).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'aws-cdk-lib runs this function once at deploy time to close the default security group; it calls only EC2.',
    });
  }
  return vpc;
}

/** Acknowledgements every example database shares, with their reasons. */
export function acknowledgeExampleDatabase(database: Construct): void {
  Validations.of(database).acknowledge(
    ...['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled',
      'PCI.DSS.321-SecretsManagerRotationEnabled'].map((id) => ({
      id,
      reason: 'Rotating the admin secret needs a rotation function with a route to Secrets Manager; this isolated example VPC has none. '
        + 'Add one (addRotationSingleUser with an interface endpoint) in a real deployment.',
    })),
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason: 'aws-cdk-lib attaches the AWS-documented policy to the enhanced-monitoring role.',
    },
  );
}

/**
 * Keeps a database's generated admin secret when the stack is deleted or the secret
 * replaced (aws-cdk-lib deletes it by default): the retained database is useless without it.
 */
export function retainDatabaseSecret(database: Construct): void {
  (database.node.findChild('Secret') as Resource).applyRemovalPolicy(RemovalPolicy.RETAIN);
}

/** Why an application bucket of an example has no object lock or event notifications. */
export function acknowledgeApplicationBucket(bucket: s3.IBucket, why: string): void {
  Validations.of(bucket).acknowledge(
    { id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: `${why}; immutability lives in the locked backup vaults.` },
    { id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check', reason: 'Nothing consumes object events of this bucket.' },
  );
}
