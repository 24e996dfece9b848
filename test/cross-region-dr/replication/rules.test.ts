/** Bucket replication: the synth-time rules. */
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PRIMARY, RULE_ID, drFixture, replicate, logicalId, resourceOf, policyStatements } from './fixtures';
import { replicateBucket } from '../../../src/cross-region-dr/replication';

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
