
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrArns } from '../../../src/cross-region-dr/dr-arns';
import { DrContext } from '../../../src/cross-region-dr/dr-context';
import { ReplicatedBucket, replicateBucket } from '../../../src/cross-region-dr/replication';
import { ReplicateBucketOptions } from '../../../src/cross-region-dr/replication-options';
import { createEncryptedAlertTopic } from '../../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../../src/private/secure-bucket';
import { createSecureKey } from '../../../src/private/secure-key';
import { testApp } from '../../support/compliance';

export const ACCOUNT = '111111111111';
export const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
export const DR = { account: ACCOUNT, region: 'eu-west-1' };
export const PREFIX = 'dr-0123456789';
export const ALIAS = `alias/${PREFIX}/dr`;
export const SOURCE_NAME = 'documents-111111111111-us-east-1';
export const RULE_ID = `${PREFIX}-to-eu-west-1`;
export const PARTITION = { Ref: 'AWS::Partition' };
/** A string built from `parts` around the partition pseudo parameter, as CloudFormation renders it. */
export const withPartition = (before: string, after: string) => ({ 'Fn::Join': ['', [before, PARTITION, after]] });
export const REPLICA_ARN = (name: string) => withPartition('arn:', `:s3:::${name}`);
export const REPLICA_OBJECTS = (name: string) => withPartition('arn:', `:s3:::${name}/*`);
export const SOURCE_ARN = REPLICA_ARN(SOURCE_NAME);
export const SOURCE_OBJECTS = REPLICA_OBJECTS(SOURCE_NAME);

export interface SourceProps {
  /** SSE-KMS with a customer-managed key (true, the default) or SSE-S3. */
  readonly kms?: boolean;
  readonly locked?: boolean;
  readonly versioned?: boolean;
  readonly bucketName?: string | null;
}

export interface Fixture {
  readonly app: App;
  readonly ctx: DrContext;
  readonly primary: Stack;
  readonly drStack: Stack;
  readonly recoveryStack: Stack;
  /** The construct in the primary stack that CrossRegionDr would be. */
  readonly owner: Construct;
  readonly drKey: kms.Key;
  readonly drLogs: s3.Bucket;
  source(props?: SourceProps): s3.Bucket;
}

/** The three stacks and the DR context, built the way CrossRegionDr builds them. */
export function drFixture(rto: Duration = Duration.hours(4)): Fixture {
  // Server access logs granted by bucket policy for the user's source bucket (the library's own buckets do this regardless).
  const app = testApp({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
  const primary = new Stack(app, 'Primary', { env: PRIMARY });
  const drStack = new Stack(app, 'DrFoundation', { env: DR });
  const recoveryStack = new Stack(app, 'DrRecovery', { env: DR });
  primary.addStackDependency(drStack);
  recoveryStack.addStackDependency(primary);
  const drKey = createSecureKey(drStack, 'DrKey', { description: 'DR key', alias: ALIAS });
  const drLogs = createAccessLogBucket(drStack, 'DrAccessLogs', RemovalPolicy.RETAIN);
  const owner = new Construct(primary, 'Dr');
  const primaryAlarmTopic = createEncryptedAlertTopic(owner, 'PrimaryAlarmTopic',
    createSecureKey(owner, 'PrimaryAlarmKey', { description: 'primary alarms' }), 'DR alarms (primary region)');
  const drAlarmTopic = createEncryptedAlertTopic(recoveryStack, 'DrAlarmTopic',
    createSecureKey(recoveryStack, 'DrAlarmKey', { description: 'DR alarms' }), 'DR alarms');
  const ctx: DrContext = {
    primaryStack: primary,
    drStack,
    recoveryStack,
    primaryRegion: PRIMARY.region,
    drRegion: DR.region,
    account: ACCOUNT,
    partition: primary.partition,
    rpo: Duration.minutes(30),
    rto,
    namePrefix: PREFIX,
    drKey,
    drKeyAliasName: ALIAS,
    drKeyAliasArn: `arn:${primary.partition}:kms:${DR.region}:${ACCOUNT}:${ALIAS}`,
    primaryAlarmTopic,
    drAlarmTopic,
    drAccessLogBucket: drLogs,
    drOperationsKey: createSecureKey(recoveryStack, 'DrOperationsKey', { description: 'DR handlers' }),
    drVaultName: `${PREFIX}-vault`,
    metricNamespace: `CompliantBackup/DR/${PREFIX}`,
    arns: new DrArns(primary.partition, ACCOUNT),
    removalPolicy: RemovalPolicy.RETAIN,
  };
  let primaryLogs: s3.Bucket | undefined;
  const source = (props: SourceProps = {}) => {
    primaryLogs ??= createAccessLogBucket(primary, 'PrimaryAccessLogs', RemovalPolicy.RETAIN);
    const useKms = props.kms ?? true;
    const bucket = new s3.Bucket(primary, 'Documents', {
      bucketName: props.bucketName === null ? undefined : props.bucketName ?? SOURCE_NAME,
      encryption: useKms ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: useKms ? createSecureKey(primary, 'DocumentsKey', { description: 'documents' }) : undefined,
      bucketKeyEnabled: useKms,
      versioned: props.versioned ?? true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: primaryLogs,
      serverAccessLogsPrefix: 'documents/',
      objectLockEnabled: props.locked,
      objectLockDefaultRetention: props.locked ? s3.ObjectLockRetention.compliance(Duration.days(30)) : undefined,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(365) }],
    });
    (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    return bucket;
  };
  return { app, ctx, primary, drStack, recoveryStack, owner, drKey, drLogs, source };
}

export function replicate(f: Fixture, bucket: s3.Bucket, options?: ReplicateBucketOptions): ReplicatedBucket {
  return replicateBucket(f.ctx, f.owner, 'Replication0', bucket, options);
}

export const logicalId = (construct: Construct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as any);
export const arnOf = (construct: Construct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

export function resourceOf(template: Template, type: string, id: string): any {
  const resources = template.findResources(type);
  expect(Object.keys(resources)).toContain(id);
  return resources[id];
}

export function policyStatements(f: Fixture, r: ReplicatedBucket): any[] {
  const policies = Template.fromStack(f.primary).findResources('AWS::IAM::ManagedPolicy');
  const policy = Object.values(policies).find((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(r.role) }]));
  expect(policy).toBeDefined();
  return (policy as any).Properties.PolicyDocument.Statement;
}

/** The user's bucket is not the library's: its own cfn-guard object-lock finding is the user's choice in these tests. */
export function acknowledgeUnlockedSource(bucket: s3.Bucket): void {
  Validations.of(bucket).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: 'Test source bucket: the user decides its object lock.' });
}
