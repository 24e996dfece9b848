import { Annotations, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../private/acknowledgements';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { createSecureBucket } from '../private/secure-bucket';
import { ComplianceRuleError } from '../validation/errors';

/** The resource types AWS Backup Audit Manager needs AWS Config to record. */
export const AUDIT_RECORDED_TYPES = [
  'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupSelection',
  'AWS::Backup::BackupVault',
  'AWS::Backup::RecoveryPoint',
  'AWS::Config::ResourceCompliance',
];

export const CONFIG_RECORDER_WARNING = 'cdk-compliant-backup:config-recorder';

/** Where the recorder delivers: a bucket AWS Config accepts (no object lock) and its key. */
export interface ConfigDelivery {
  readonly bucket: s3.IBucket;
  readonly key?: kms.IKey;
}

/**
 * An AWS Config recorder limited to the types the audit framework evaluates,
 * delivering under `config/`. AWS Config delivers as the recorder's role (a role of
 * ours, not its service-linked role), so that role holds the delivery permissions:
 * `s3:PutObject` under the prefix, `s3:GetBucketAcl`, and the key.
 */
export function createConfigRecorder(scope: Construct, delivery: ConfigDelivery): config.CfnConfigurationRecorder {
  const stack = Stack.of(scope);
  const { bucket, key } = delivery;
  const role = new ManagedPolicyRole(scope, 'ConfigRecorderRole', {
    assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    description: `AWS Config records the backup resources of ${scope.node.path} and delivers them to ${bucket.node.path}`,
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
    reason: 'AWS_ConfigRole is the policy AWS Config documents for its recorder role; AWS keeps its read permissions in step with the resource types Config can record.',
  });
  const itemsArn = bucket.arnForObjects(`config/AWSLogs/${stack.account}/Config/*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'DeliverConfigurationItems',
    actions: ['s3:PutObject'],
    resources: [itemsArn],
    conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
  }));
  acknowledgeWildcardResources(role.policy, [{
    resource: itemsArn,
    reason: 'AWS Config names its delivery objects by date and time under this account\'s AWSLogs/<account>/Config/ prefix; the grant is limited to that prefix.',
  }]);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'CheckDeliveryBucket',
    actions: ['s3:GetBucketAcl'],
    resources: [bucket.bucketArn],
  }));
  if (key) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'EncryptConfigurationItems',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }));
  }

  const recorder = new config.CfnConfigurationRecorder(scope, 'ConfigRecorder', {
    roleArn: role.roleArn,
    recordingGroup: { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: AUDIT_RECORDED_TYPES },
  });
  const channel = new config.CfnDeliveryChannel(scope, 'ConfigDeliveryChannel', {
    s3BucketName: bucket.bucketName,
    s3KeyPrefix: 'config',
    s3KmsKeyArn: key?.keyArn,
  });
  channel.node.addDependency(recorder, role);
  scope.node.addValidation({ validate: () => otherRecorders(recorder) });
  return recorder;
}

/**
 * The report bucket, unless it is object-locked: AWS Config rejects a delivery bucket
 * with object lock, so then the recorder gets a bucket of its own (same key).
 */
export function configDelivery(
  scope: Construct, report: { bucket: s3.IBucket; key?: kms.IKey; locked: boolean },
  accessLogBucket: s3.IBucket, removalPolicy: RemovalPolicy,
): ConfigDelivery {
  if (!report.locked) return report;
  const bucket = createSecureBucket(scope, 'ConfigBucket', {
    encryptionKey: report.key!,
    serverAccessLogsBucket: accessLogBucket,
    serverAccessLogsPrefix: 'config-bucket/',
    removalPolicy,
    noObjectLockReason: 'AWS Config does not deliver into a bucket with object lock; the report bucket is locked, so '
      + 'configuration items go to this versioned bucket instead.',
  });
  return { bucket, key: report.key };
}

/** AWS Config allows one recorder per account and region: two in one app cannot both deploy. */
function otherRecorders(recorder: config.CfnConfigurationRecorder): string[] {
  const here = Stack.of(recorder);
  const others = recorder.node.root.node.findAll()
    .filter((c): c is config.CfnConfigurationRecorder => c instanceof config.CfnConfigurationRecorder && c !== recorder)
    .filter((c) => Stack.of(c).account === here.account && Stack.of(c).region === here.region);
  return others.map((other) => new ComplianceRuleError(recorder.node.scope!, 'audit.configRecorder', 'true',
    `AWS Config allows one configuration recorder per account and region, and ${other.node.path} is another in `
    + `${here.account}/${here.region}: turn configRecorder on in one place only (and off where AWS Control Tower or `
    + 'another stack already records)').message);
}

/** Without a recorder, the framework evaluates nothing unless one already records these types. */
export function warnAboutConfigRecorder(scope: Construct): void {
  Annotations.of(scope).addWarningV2(CONFIG_RECORDER_WARNING,
    'AWS Backup Audit Manager evaluates the framework only where AWS Config records '
    + `${AUDIT_RECORDED_TYPES.join(', ')}. Check that a recorder in this account and region does `
    + '(AWS Control Tower may own it), or set audit.configRecorder to true to create one.');
}
