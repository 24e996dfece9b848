import { App, Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrArns } from '../../src/cross-region-dr/dr-arns';
import { DrContext } from '../../src/cross-region-dr/dr-context';
import { ReplicatedBucket, replicateBucket } from '../../src/cross-region-dr/replication';
import { ReplicateBucketOptions } from '../../src/cross-region-dr/replication-options';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../src/private/secure-bucket';
import { createSecureKey } from '../../src/private/secure-key';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

const ACCOUNT = '111111111111';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const DR = { account: ACCOUNT, region: 'eu-west-1' };
const PREFIX = 'dr-0123456789';
const ALIAS = `alias/${PREFIX}/dr`;
const SOURCE_NAME = 'documents-111111111111-us-east-1';
const RULE_ID = `${PREFIX}-to-eu-west-1`;
const PARTITION = { Ref: 'AWS::Partition' };
/** A string built from `parts` around the partition pseudo parameter, as CloudFormation renders it. */
const withPartition = (before: string, after: string) => ({ 'Fn::Join': ['', [before, PARTITION, after]] });
const REPLICA_ARN = (name: string) => withPartition('arn:', `:s3:::${name}`);
const REPLICA_OBJECTS = (name: string) => withPartition('arn:', `:s3:::${name}/*`);
const SOURCE_ARN = REPLICA_ARN(SOURCE_NAME);
const SOURCE_OBJECTS = REPLICA_OBJECTS(SOURCE_NAME);

interface SourceProps {
  /** SSE-KMS with a customer-managed key (true, the default) or SSE-S3. */
  readonly kms?: boolean;
  readonly locked?: boolean;
  readonly versioned?: boolean;
  readonly bucketName?: string | null;
}

interface Fixture {
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
function drFixture(rto: Duration = Duration.hours(4)): Fixture {
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

function replicate(f: Fixture, bucket: s3.Bucket, options?: ReplicateBucketOptions): ReplicatedBucket {
  return replicateBucket(f.ctx, f.owner, 'Replication0', bucket, options);
}

const logicalId = (construct: Construct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as any);
const arnOf = (construct: Construct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

function resourceOf(template: Template, type: string, id: string): any {
  const resources = template.findResources(type);
  expect(Object.keys(resources)).toContain(id);
  return resources[id];
}

function policyStatements(f: Fixture, r: ReplicatedBucket): any[] {
  const policies = Template.fromStack(f.primary).findResources('AWS::IAM::ManagedPolicy');
  const policy = Object.values(policies).find((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(r.role) }]));
  expect(policy).toBeDefined();
  return (policy as any).Properties.PolicyDocument.Statement;
}

/** The user's bucket is not the library's: its own cfn-guard object-lock finding is the user's choice in these tests. */
function acknowledgeUnlockedSource(bucket: s3.Bucket): void {
  Validations.of(bucket).acknowledge({ id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: 'Test source bucket: the user decides its object lock.' });
}

describe('replication rule merged into the source bucket (SSE-KMS source)', () => {
  const f = drFixture();
  const bucket = f.source();
  const r = replicate(f, bucket);
  const source = () => resourceOf(Template.fromStack(f.primary), 'AWS::S3::Bucket', logicalId(bucket));

  test('one rule with RTC 15 min, metrics 15 min, delete markers, the whole bucket, the DR alias ARN and SSE-KMS objects selected', () => {
    const name = r.replicaBucketName;
    expect(source().Properties.ReplicationConfiguration).toEqual({
      Role: arnOf(r.role),
      Rules: [{
        Id: RULE_ID,
        Priority: 1,
        Status: 'Enabled',
        Filter: { Prefix: '' },
        DeleteMarkerReplication: { Status: 'Enabled' },
        Destination: {
          Bucket: REPLICA_ARN(name),
          StorageClass: 'STANDARD',
          EncryptionConfiguration: { ReplicaKmsKeyID: withPartition('arn:', `:kms:eu-west-1:${ACCOUNT}:${ALIAS}`) },
          ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
          Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      }],
    });
  });

  test('the bucket waits for the role\'s policy before it replicates, and the policy names the bucket without a reference (no cycle)', () => {
    expect(JSON.stringify(policyStatements(f, r))).not.toContain(logicalId(bucket));
    const policyId = Stack.of(r.role).getLogicalId((r.role as any).policy.node.defaultChild);
    expect(source().DependsOn).toContain(policyId);
  });

  test('returns the rule id, plain names and ARN, the 15-minute capability and what readiness measures', () => {
    expect(r.ruleId).toBe(RULE_ID);
    expect(r.replicaBucketName).toMatch(new RegExp(`^${PREFIX}-documents-[0-9a-f]{8}$`));
    expect(f.primary.resolve(r.replicaBucketArn)).toEqual(REPLICA_ARN(r.replicaBucketName));
    expect(f.drStack.resolve(r.replicaBucketArn)).toEqual(REPLICA_ARN(r.replicaBucketName));
    expect(r.capability).toEqual({ resource: 'Primary/Documents', mechanism: 'S3 replication with Replication Time Control', deliverable: Duration.minutes(15) });
    expect(r.readiness).toEqual({ sourceBucket: SOURCE_NAME, destinationBucket: r.replicaBucketName, ruleId: RULE_ID });
  });

  test('the default replica name is deterministic: same path, same name, in another app', () => {
    const g = drFixture();
    expect(replicate(g, g.source()).replicaBucketName).toBe(r.replicaBucketName);
    expect(r.replicaBucketName.length).toBeLessThanOrEqual(63);
  });

  test('the replication role: trusted by S3 only, a deterministic name, one managed policy and no inline policy', () => {
    const t = Template.fromStack(f.primary);
    const role = resourceOf(t, 'AWS::IAM::Role', logicalId(r.role));
    expect(role.Properties.RoleName).toMatch(new RegExp(`^${PREFIX}-s3-replication-[0-9a-f]{8}$`));
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole',
    }]);
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('role statements: source bucket and objects, replica objects, source key decrypt via S3, DR key by alias via S3 in the DR region', () => {
    const name = r.replicaBucketName;
    expect(policyStatements(f, r)).toEqual([
      { Sid: 'ReadReplicationConfiguration', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: SOURCE_ARN },
      {
        Sid: 'ReadSourceObjects',
        Effect: 'Allow',
        Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        Resource: SOURCE_OBJECTS,
      },
      { Sid: 'WriteReplicas', Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: REPLICA_OBJECTS(name) },
      {
        Sid: 'DecryptSourceObjects',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: arnOf(bucket.encryptionKey as kms.Key),
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [SOURCE_ARN, SOURCE_OBJECTS] },
        },
      },
      {
        Sid: 'EncryptReplicas',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: withPartition('arn:', `:kms:eu-west-1:${ACCOUNT}:key/*`),
        Condition: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ALIAS },
          'StringEquals': { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
          'StringLike': { 'kms:EncryptionContext:aws:s3:arn': [REPLICA_ARN(name), REPLICA_OBJECTS(name)] },
        },
      },
    ]);
  });

  test('no statement grants a wildcard action or the owner override (same account, ACLs disabled on the replica)', () => {
    const actions = policyStatements(f, r).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('s3:ObjectOwnerOverrideToBucketOwner');
  });

  test('the replica bucket: explicit name, DR key with bucket keys, versioned, public-blocked, ACL-free, logged to the DR log bucket, retained', () => {
    const replica = resourceOf(Template.fromStack(f.drStack), 'AWS::S3::Bucket', logicalId(r.replicaBucket));
    expect(Stack.of(r.replicaBucket)).toBe(f.drStack);
    expect(replica.DeletionPolicy).toBe('Retain');
    expect(replica.UpdateReplacePolicy).toBe('Retain');
    expect(replica.Properties).toMatchObject({
      BucketName: r.replicaBucketName,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { KMSMasterKeyID: arnOf(f.drKey), SSEAlgorithm: 'aws:kms' },
        }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(f.drLogs) }, LogFilePrefix: `${r.replicaBucketName}/` },
    });
    expect(replica.Properties.ObjectLockEnabled).toBe(false);
    expect(replica.Properties.ObjectLockConfiguration).toBeUndefined();
    expect(replica.Properties.ReplicationConfiguration).toBeUndefined();
  });

  test('the DR key lets the account principal use it only as the replication role (aws:PrincipalArn), via S3 in the DR region, for the replica', () => {
    const key = resourceOf(Template.fromStack(f.drStack), 'AWS::KMS::Key', logicalId(f.drKey));
    const name = r.replicaBucketName;
    const roleName = resourceOf(Template.fromStack(f.primary), 'AWS::IAM::Role', logicalId(r.role)).Properties.RoleName;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: expect.stringMatching(/^AllowS3Replication[0-9a-f]{8}$/),
      Effect: 'Allow',
      Principal: { AWS: withPartition('arn:', `:iam::${ACCOUNT}:root`) },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:PrincipalArn': withPartition('arn:', `:iam::${ACCOUNT}:role/${roleName}`),
          'kms:ViaService': 's3.eu-west-1.amazonaws.com',
        },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [REPLICA_ARN(name), REPLICA_OBJECTS(name)] },
      },
    });
  });

  test('alarms in the primary stack: latency above 15 min (Maximum, 5 min) and any failed operation (Sum), missing data not breaching', () => {
    const t = Template.fromStack(f.primary);
    expect(r.alarms.map((a) => Stack.of(a))).toEqual([f.primary, f.primary]);
    const topic = { Ref: f.primary.getLogicalId(f.ctx.primaryAlarmTopic.node.defaultChild as any) };
    const dimensions = [
      { Name: 'DestinationBucket', Value: r.replicaBucketName },
      { Name: 'RuleId', Value: RULE_ID },
      { Name: 'SourceBucket', Value: SOURCE_NAME },
    ];
    const [latency, failed] = r.alarms.map((a) => resourceOf(t, 'AWS::CloudWatch::Alarm', logicalId(a)).Properties);
    expect(latency).toMatchObject({
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
    expect(failed).toMatchObject({
      Namespace: 'AWS/S3',
      MetricName: 'OperationsFailedReplication',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
    for (const alarm of [latency, failed]) {
      expect([...alarm.Dimensions].sort((a: any, b: any) => a.Name.localeCompare(b.Name))).toEqual(dimensions);
    }
  });

  test('no cross-stack reference: no imports or exports anywhere, and the app synthesizes without crossRegionReferences', () => {
    for (const stack of [f.primary, f.drStack, f.recoveryStack]) {
      const json = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(json).not.toContain('Fn::ImportValue');
      expect(json).not.toContain('"Export"');
    }
    expect(() => f.app.synth()).not.toThrow();
  });
});

describe('SSE-S3 source', () => {
  const f = drFixture();
  const bucket = f.source({ kms: false });
  const r = replicate(f, bucket);

  test('no encryption configuration and no SSE-KMS selection on the rule', () => {
    const [rule] = resourceOf(Template.fromStack(f.primary), 'AWS::S3::Bucket', logicalId(bucket)).Properties.ReplicationConfiguration.Rules;
    expect(rule.Destination.EncryptionConfiguration).toBeUndefined();
    expect(rule.SourceSelectionCriteria).toBeUndefined();
    expect(rule.Destination.ReplicationTime).toEqual({ Status: 'Enabled', Time: { Minutes: 15 } });
  });

  test('no source-key statement; the DR key statement stays for replicas of unencrypted objects', () => {
    const sids = policyStatements(f, r).map((s) => s.Sid);
    expect(sids).toEqual(['ReadReplicationConfiguration', 'ReadSourceObjects', 'WriteReplicas', 'EncryptReplicas']);
  });
});

describe('source encrypted with a key that is not known as a key ARN (the AWS managed aws/s3 key)', () => {
  const f = drFixture();
  const bucket = f.source({ kms: false });
  (bucket.node.defaultChild as s3.CfnBucket).bucketEncryption = {
    serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
  };
  const r = replicate(f, bucket);

  test('the rule selects SSE-KMS objects and re-encrypts them with the DR key', () => {
    const [rule] = resourceOf(Template.fromStack(f.primary), 'AWS::S3::Bucket', logicalId(bucket)).Properties.ReplicationConfiguration.Rules;
    expect(rule.SourceSelectionCriteria).toEqual({ SseKmsEncryptedObjects: { Status: 'Enabled' } });
    expect(rule.Destination.EncryptionConfiguration).toEqual({ ReplicaKmsKeyID: withPartition('arn:', `:kms:eu-west-1:${ACCOUNT}:${ALIAS}`) });
  });

  test('decrypt is granted on the primary region\'s keys, held to S3 in that region and to this bucket\'s encryption context', () => {
    expect(policyStatements(f, r)).toContainEqual({
      Sid: 'DecryptSourceObjects',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: withPartition('arn:', `:kms:us-east-1:${ACCOUNT}:key/*`),
      Condition: {
        StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [SOURCE_ARN, SOURCE_OBJECTS] },
      },
    });
  });
});

describe('object-locked source', () => {
  const f = drFixture();
  const bucket = f.source({ locked: true });
  const r = replicate(f, bucket);

  test('the role may also read each version\'s retention and legal hold', () => {
    const read = policyStatements(f, r).find((s) => s.Sid === 'ReadSourceObjects');
    expect(read.Action).toEqual([
      's3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold',
    ]);
  });

  test('the replica is locked with the source\'s default retention (mode and period)', () => {
    const replica = resourceOf(Template.fromStack(f.drStack), 'AWS::S3::Bucket', logicalId(r.replicaBucket));
    expect(replica.Properties.ObjectLockEnabled).toBe(true);
    expect(replica.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } },
    });
  });

  test('a retention written in years is mirrored in years; a lock without default retention gives a replica without one', () => {
    const g = drFixture();
    const years = g.source({ locked: true });
    (years.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'GOVERNANCE', years: 7 } },
    };
    const ry = replicate(g, years);
    expect(resourceOf(Template.fromStack(g.drStack), 'AWS::S3::Bucket', logicalId(ry.replicaBucket)).Properties.ObjectLockConfiguration)
      .toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 7 } } });

    const h = drFixture();
    const bare = h.source({ locked: true });
    (bare.node.defaultChild as s3.CfnBucket).objectLockConfiguration = { objectLockEnabled: 'Enabled' };
    const rb = replicate(h, bare);
    const replica = resourceOf(Template.fromStack(h.drStack), 'AWS::S3::Bucket', logicalId(rb.replicaBucket)).Properties;
    expect(replica.ObjectLockEnabled).toBe(true);
    expect(replica.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
  });

  test('object lock alone (no versioned flag) counts as versioned: S3 turns versioning on with the lock', () => {
    const g = drFixture();
    expect(() => replicate(g, g.source({ locked: true, versioned: false }))).not.toThrow();
  });
});

describe('options', () => {
  test('replica name, storage class and delete markers', () => {
    const f = drFixture();
    const bucket = f.source();
    const r = replicate(f, bucket, {
      replicaBucketName: 'documents-dr-eu-west-1', storageClass: s3.StorageClass.INTELLIGENT_TIERING, replicateDeleteMarkers: false,
    });
    const [rule] = resourceOf(Template.fromStack(f.primary), 'AWS::S3::Bucket', logicalId(bucket)).Properties.ReplicationConfiguration.Rules;
    expect(rule.DeleteMarkerReplication).toEqual({ Status: 'Disabled' });
    expect(rule.Destination.StorageClass).toBe('INTELLIGENT_TIERING');
    expect(rule.Destination.Bucket).toEqual(REPLICA_ARN('documents-dr-eu-west-1'));
    expect(r.replicaBucketName).toBe('documents-dr-eu-west-1');
    expect(resourceOf(Template.fromStack(f.drStack), 'AWS::S3::Bucket', logicalId(r.replicaBucket)).Properties.BucketName).toBe('documents-dr-eu-west-1');
  });

  test('an archive storage class is accepted when the RTO leaves time for a restore', () => {
    const f = drFixture(Duration.hours(24));
    const bucket = f.source();
    replicate(f, bucket, { storageClass: s3.StorageClass.DEEP_ARCHIVE });
    const [rule] = resourceOf(Template.fromStack(f.primary), 'AWS::S3::Bucket', logicalId(bucket)).Properties.ReplicationConfiguration.Rules;
    expect(rule.Destination.StorageClass).toBe('DEEP_ARCHIVE');
  });
});

describe('existing replication rules are kept', () => {
  const f = drFixture();
  const bucket = f.source();
  const analytics = {
    id: 'analytics',
    priority: 3,
    status: 'Enabled',
    filter: { prefix: 'reports/' },
    deleteMarkerReplication: { status: 'Disabled' },
    destination: { bucket: 'arn:aws:s3:::analytics-copy', encryptionConfiguration: { replicaKmsKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/analytics' } },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
  };
  (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = { role: 'arn:aws:iam::111111111111:role/old-replication', rules: [analytics] };
  const r = replicate(f, bucket);

  test('the existing rule stays first and unchanged; the DR rule takes the next priority; the configuration uses the DR role', () => {
    const config = resourceOf(Template.fromStack(f.primary), 'AWS::S3::Bucket', logicalId(bucket)).Properties.ReplicationConfiguration;
    expect(config.Role).toEqual(arnOf(r.role));
    expect(config.Rules).toHaveLength(2);
    expect(config.Rules[0]).toEqual({
      Id: 'analytics',
      Priority: 3,
      Status: 'Enabled',
      Filter: { Prefix: 'reports/' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      Destination: { Bucket: 'arn:aws:s3:::analytics-copy', EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:us-east-1:111111111111:alias/analytics' } },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
    });
    expect(config.Rules[1]).toMatchObject({ Id: RULE_ID, Priority: 4 });
  });

  test('the DR role also serves the kept rule: its destination objects and its replica key (by alias)', () => {
    const statements = policyStatements(f, r);
    expect(statements).toContainEqual({
      Sid: 'WriteKeptRuleReplicas0',
      Effect: 'Allow',
      Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      Resource: 'arn:aws:s3:::analytics-copy/*',
    });
    expect(statements).toContainEqual({
      Sid: 'EncryptKeptRuleReplicas0',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: 'arn:aws:kms:us-east-1:111111111111:key/*',
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/analytics' },
        'StringLike': {
          'kms:ViaService': 's3.*.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::analytics-copy', 'arn:aws:s3:::analytics-copy/*'],
        },
      },
    });
  });
});

describe('rules: each rejection names the construct, the prop, the value and what is allowed', () => {
  test('an unversioned source', () => {
    const f = drFixture();
    const bucket = f.source({ versioned: false });
    expect(() => replicate(f, bucket)).toThrow(
      'Primary/Documents: versioned is not set; S3 replication needs versioning enabled on the source bucket: set versioned: true');
  });

  test('an imported bucket', () => {
    const f = drFixture();
    const imported = s3.Bucket.fromBucketName(f.primary, 'Imported', 'someone-elses-bucket') as s3.Bucket;
    expect(() => replicate(f, imported)).toThrow(
      'Primary/Imported: the bucket to replicate is an imported bucket (no AWS::S3::Bucket resource in this app); '
      + "replication rules are written into the bucket's own AWS::S3::Bucket resource: pass an s3.Bucket defined in this app, "
      + "in the primary stack 'Primary'");
  });

  test('a bucket in another stack', () => {
    const f = drFixture();
    const other = new s3.Bucket(new Stack(f.app, 'Other', { env: PRIMARY }), 'Elsewhere', { versioned: true, bucketName: 'elsewhere-bucket' });
    expect(() => replicate(f, other)).toThrow(
      "Other/Elsewhere: the stack of the bucket to replicate is 'Other'; "
      + "the bucket must be in the primary stack 'Primary', where its replication rule, role and alarms live");
  });

  test('a source CloudFormation names: replicated, the policy follows the bucket, readiness finds the source at run time', () => {
    const f = drFixture();
    const bucket = f.source({ bucketName: null });
    const r = replicate(f, bucket);
    // No literal name to hand to the DR region: readiness looks the source up by destination and rule.
    expect(r.readiness).toEqual({ destinationBucket: r.replicaBucketName, ruleId: RULE_ID });
    const t = Template.fromStack(f.primary);
    const source = resourceOf(t, 'AWS::S3::Bucket', logicalId(bucket));
    expect(source.Properties.BucketName).toBeUndefined();
    expect(source.Properties.ReplicationConfiguration.Rules.map((rule: any) => rule.Id)).toEqual([RULE_ID]);
    // The role's policy references the bucket, so the bucket cannot also wait for the policy (a cycle).
    const policyId = Stack.of(r.role).getLogicalId((r.role as any).policy.node.defaultChild);
    expect(source.DependsOn ?? []).not.toContain(policyId);
    expect(JSON.stringify(policyStatements(f, r))).toContain(logicalId(bucket));
    expect(() => f.app.synth()).not.toThrow();
  });

  test.each([
    ['ab'],
    ['Documents-DR'],
    ['-documents'],
    ['documents..dr'],
    ['192.168.1.10'],
    ['xn--documents'],
    ['documents-s3alias'],
    ['a'.repeat(64)],
  ])('a bad replica bucket name: %s', (name) => {
    const f = drFixture();
    expect(() => replicate(f, f.source(), { replicaBucketName: name })).toThrow(
      `Primary/Dr: replicaBucketName is '${name}'; a bucket name is 3-63 lowercase letters, digits, hyphens and dots, starting and ending `
      + "with a letter or digit, without '..', not an IP address, without the reserved prefixes xn--, sthree-, amzn-s3-demo- and the reserved "
      + 'suffixes -s3alias, --ol-s3, .mrap, --x-s3, --table-s3');
  });

  test('a replica bucket name that is a token', () => {
    const f = drFixture();
    expect(() => replicate(f, f.source(), { replicaBucketName: Lazy.string({ produce: () => 'late-name' }) })).toThrow(
      'Primary/Dr: replicaBucketName is (token); the replica bucket name must be known at synth: the replication rule in the primary region '
      + 'names it, and CloudFormation references do not cross regions');
  });

  test('an archive storage class the RTO cannot wait for', () => {
    const f = drFixture(Duration.hours(4));
    expect(() => replicate(f, f.source(), { storageClass: s3.StorageClass.GLACIER })).toThrow(
      "Primary/Dr: storageClass is 'GLACIER'; replicas in GLACIER must be restored before they can be read (a standard restore takes up to 5 hours), "
      + 'which does not fit the RTO of 4 hours; use STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING or GLACIER_IR');
  });

  test('a storage class replication does not write', () => {
    const f = drFixture();
    expect(() => replicate(f, f.source(), { storageClass: new s3.StorageClass('EXPRESS_ONEZONE') })).toThrow(
      "Primary/Dr: storageClass is 'EXPRESS_ONEZONE'; S3 replication writes replicas in one of STANDARD, STANDARD_IA, ONEZONE_IA, "
      + 'INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE');
  });

  test('a replication configuration that is a token', () => {
    const f = drFixture();
    const bucket = f.source();
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = Lazy.any({ produce: () => undefined }) as any;
    expect(() => replicate(f, bucket)).toThrow(
      'Primary/Documents: replicationConfiguration is (token); CrossRegionDr merges its replication rule with the existing rules, so the '
      + 'replication configuration and each of its rules must be plain values at synth (not Lazy or IResolvable)');
  });

  test('a default encryption that is a token', () => {
    const f = drFixture();
    const bucket = f.source();
    (bucket.node.defaultChild as s3.CfnBucket).bucketEncryption = Lazy.any({ produce: () => undefined }) as any;
    expect(() => replicate(f, bucket)).toThrow(
      'Primary/Documents: bucketEncryption is (token); CrossRegionDr reads the default encryption to know whether replication decrypts '
      + 'with a KMS key: set it as a plain value');
  });

  test('an existing rule whose replica key is neither a key ARN nor an alias ARN', () => {
    const f = drFixture();
    const bucket = f.source();
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: 'arn:aws:iam::111111111111:role/old',
      rules: [{
        id: 'copy',
        priority: 1,
        status: 'Enabled',
        filter: { prefix: '' },
        deleteMarkerReplication: { status: 'Disabled' },
        destination: { bucket: 'arn:aws:s3:::copy', encryptionConfiguration: { replicaKmsKeyId: 'alias/copy' } },
      }],
    };
    expect(() => replicate(f, bucket)).toThrow(
      "Primary/Documents: replicationConfiguration.rules[0].destination.encryptionConfiguration.replicaKmsKeyId is 'alias/copy'; "
      + 'S3 replication takes a key ARN or an alias ARN here');
  });

  test('an existing V1 rule (rule-level prefix, no filter)', () => {
    const f = drFixture();
    const bucket = f.source();
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: 'arn:aws:iam::111111111111:role/old',
      rules: [{ id: 'legacy', prefix: 'logs/', status: 'Enabled', destination: { bucket: 'arn:aws:s3:::legacy-copy' } }],
    };
    expect(() => replicate(f, bucket)).toThrow(
      "Primary/Documents: replicationConfiguration.rules[0] is rule 'legacy' with a rule-level prefix (replication configuration V1); "
      + 'CrossRegionDr adds a rule with filter and priority (V2), and S3 rejects a configuration that mixes the two schemas: '
      + 'move the prefix into filter: { prefix } and set priority and deleteMarkerReplication');
  });

  test('the same bucket replicated twice', () => {
    const f = drFixture();
    const bucket = f.source();
    replicate(f, bucket);
    expect(() => replicateBucket(f.ctx, f.owner, 'Replication1', bucket)).toThrow(
      `Primary/Documents: replicationConfiguration.rules[0] is rule '${RULE_ID}'; this bucket is already replicated by this CrossRegionDr; `
      + 'call replicateBucket() once per bucket');
  });

  test('an existing cross-account rule', () => {
    const f = drFixture();
    const bucket = f.source();
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: 'arn:aws:iam::111111111111:role/old',
      rules: [{
        id: 'partner',
        priority: 1,
        status: 'Enabled',
        filter: { prefix: '' },
        deleteMarkerReplication: { status: 'Disabled' },
        destination: { bucket: 'arn:aws:s3:::partner-copy', account: '222222222222' },
      }],
    };
    expect(() => replicate(f, bucket)).toThrow(
      "Primary/Documents: replicationConfiguration.rules[0] is rule 'partner', which replicates to account 222222222222; S3 gives a "
      + "bucket's replication configuration one role and CrossRegionDr replaces it with its own, which the other account's destination "
      + 'bucket does not trust: CrossRegionDr cannot take over cross-account rules');
  });
});

// cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 rev5, PCI DSS 3.2.1 and the AWS Control Tower
// proactive controls on all three stacks: zero unacknowledged findings.
describe('replication passes the compliance packs', () => {
  test('SSE-KMS source', () => {
    const f = drFixture();
    const bucket = f.source();
    acknowledgeUnlockedSource(bucket);
    replicate(f, bucket);
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('object-locked source', () => {
    const f = drFixture();
    replicate(f, f.source({ locked: true }));
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('source under a key known only at deploy time, and a kept rule whose replica key is named by alias', () => {
    const f = drFixture();
    const bucket = f.source({ kms: false });
    acknowledgeUnlockedSource(bucket);
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    cfn.bucketEncryption = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] };
    cfn.replicationConfiguration = {
      role: 'arn:aws:iam::111111111111:role/old',
      rules: [{
        id: 'analytics',
        priority: 1,
        status: 'Enabled',
        filter: { prefix: 'reports/' },
        deleteMarkerReplication: { status: 'Disabled' },
        destination: { bucket: 'arn:aws:s3:::analytics-copy', encryptionConfiguration: { replicaKmsKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/analytics' } },
      }],
    };
    replicate(f, bucket);
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('the packs look at the source: without the replication rule its replication findings show up', () => {
    // Guards the test above: the source's replication findings are satisfied by the rule, not hidden.
    const f = drFixture();
    acknowledgeUnlockedSource(f.source());
    const rules = synthFindings(f.app).map((x) => x.rule);
    expect(rules).toEqual(expect.arrayContaining([expect.stringMatching(/S3BucketReplicationEnabled/)]));
  });
});
