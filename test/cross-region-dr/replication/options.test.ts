/** Bucket replication: options, and the source's existing replication rules kept. */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RULE_ID, REPLICA_ARN, drFixture, replicate, logicalId, arnOf, resourceOf, policyStatements } from './fixtures';

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
