/** Bucket replication: the compliance packs pass. */
import * as s3 from 'aws-cdk-lib/aws-s3';
import { drFixture, replicate, acknowledgeUnlockedSource } from './fixtures';
import { describeFindings, synthFindings } from '../../support/compliance';

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
