/** Bucket replication: the rule merged into an SSE-KMS source bucket and the resources around it. */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  ACCOUNT, PREFIX, ALIAS, SOURCE_NAME, RULE_ID, withPartition, REPLICA_ARN, REPLICA_OBJECTS, SOURCE_ARN, SOURCE_OBJECTS, drFixture, replicate,
  logicalId, arnOf, resourceOf, policyStatements,
} from './fixtures';

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
