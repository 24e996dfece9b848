/** Bucket replication: SSE-S3, unknown-key and object-locked sources. */
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ACCOUNT, ALIAS, withPartition, SOURCE_ARN, SOURCE_OBJECTS, drFixture, replicate, logicalId, resourceOf, policyStatements } from './fixtures';

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
