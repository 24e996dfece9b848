import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The resource types AWS Backup Audit Manager needs AWS Config to record. */
export const AUDIT_RECORDED_TYPES = [
  'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupSelection',
  'AWS::Backup::BackupVault',
  'AWS::Backup::RecoveryPoint',
  'AWS::Config::ResourceCompliance',
];

export const CONFIG_RECORDER_WARNING = 'cdk-compliant-backup:config-recorder';

/**
 * An AWS Config recorder limited to the types the audit framework evaluates,
 * delivering to the report bucket under `config/`.
 */
export function createConfigRecorder(scope: Construct, bucket: s3.IBucket, key: kms.IKey | undefined): config.CfnConfigurationRecorder {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'ConfigRecorderRole', {
    assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
    reason: 'AWS_ConfigRole is the policy AWS Config documents for its recorder role; AWS keeps its read permissions in step with the resource types Config can record.',
  });

  const recorder = new config.CfnConfigurationRecorder(scope, 'ConfigRecorder', {
    roleArn: role.roleArn,
    recordingGroup: { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: AUDIT_RECORDED_TYPES },
  });

  const sourceAccount = { StringEquals: { 'AWS:SourceAccount': stack.account } };
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowConfigBucketCheck',
    principals: [new iam.ServicePrincipal('config.amazonaws.com')],
    actions: ['s3:GetBucketAcl', 's3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: sourceAccount,
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowConfigDelivery',
    principals: [new iam.ServicePrincipal('config.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`config/AWSLogs/${stack.account}/Config/*`)],
    conditions: { StringEquals: { 'AWS:SourceAccount': stack.account, 's3:x-amz-acl': 'bucket-owner-full-control' } },
  }));
  key?.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowConfigDelivery',
    principals: [new iam.ServicePrincipal('config.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: sourceAccount,
  }));

  const channel = new config.CfnDeliveryChannel(scope, 'ConfigDeliveryChannel', {
    s3BucketName: bucket.bucketName,
    s3KeyPrefix: 'config',
    s3KmsKeyArn: key?.keyArn,
  });
  channel.addDependency(recorder);
  return recorder;
}

/** Without a recorder, the framework evaluates nothing unless one already records these types. */
export function warnAboutConfigRecorder(scope: Construct): void {
  Annotations.of(scope).addWarningV2(CONFIG_RECORDER_WARNING,
    'AWS Backup Audit Manager evaluates the framework only where AWS Config records '
    + `${AUDIT_RECORDED_TYPES.join(', ')}. Check that a recorder in this account and region does `
    + '(AWS Control Tower may own it), or set audit.configRecorder to true to create one.');
}
