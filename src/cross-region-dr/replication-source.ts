import { IResolvable, Token, Tokenization } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DrContext } from './dr-context';
import { checkExistingReplicationRule, checkReplicationConfigurationReadable, checkReplicationRuleReadable, checkReplicationSourceOwned, checkReplicationSourceVersioned } from '../validation/dr';
import { ComplianceRuleError } from '../validation/errors';

// What replication needs to know of the source bucket, read from its L1 at synth.

export interface SourceFacts {
  readonly cfn: s3.CfnBucket;
  /** The literal name when given, else a reference in the primary stack. */
  readonly bucketName: string;
  /** The name as a plain string, when the user gave one; undefined when CloudFormation names the bucket. */
  readonly literalName?: string;
  /** Default encryption is SSE-KMS or DSSE-KMS. */
  readonly kms: boolean;
  /** Key ARN to decrypt with, when it is known. */
  readonly keyArn?: string;
  readonly objectLock: boolean;
  /** The default retention to mirror on the replica, when it can be read. */
  readonly defaultRetention?: s3.CfnBucket.DefaultRetentionProperty;
}

export function readSource(ctx: DrContext, bucket: s3.Bucket): SourceFacts {
  checkReplicationSourceOwned(bucket, bucket, ctx.primaryStack);
  const l1 = bucket.node.defaultChild as s3.CfnBucket;

  const lockConfig = l1.objectLockConfiguration;
  const objectLock = l1.objectLockEnabled === true
    || (lockConfig !== undefined && !Tokenization.isResolvable(lockConfig) && lockConfig.objectLockEnabled === 'Enabled');
  const versioning = l1.versioningConfiguration;
  checkReplicationSourceVersioned(bucket, Tokenization.isResolvable(versioning) ? Token.asString(versioning) : versioning?.status, objectLock);
  // A literal name (when the user gave one) lets the replication role name the bucket without a reference to it.
  const literalName = l1.bucketName !== undefined && !Token.isUnresolved(l1.bucketName) ? l1.bucketName : undefined;

  const encryption = l1.bucketEncryption;
  const sseRules = encryption === undefined ? [] : plain(encryption)?.serverSideEncryptionConfiguration;
  const defaults = Array.isArray(sseRules) ? sseRules.map((r) => plain(r)?.serverSideEncryptionByDefault) : undefined;
  if (defaults === undefined || defaults.some((d) => d !== undefined && plain(d) === undefined)) {
    throw new ComplianceRuleError(bucket, 'bucketEncryption', '(token)',
      'CrossRegionDr reads the default encryption to know whether replication decrypts with a KMS key: set it as a plain value');
  }
  const kmsDefault = defaults.map((d) => plain(d)).find((d) => d?.sseAlgorithm === 'aws:kms' || d?.sseAlgorithm === 'aws:kms:dsse');
  const kms = bucket.encryptionKey !== undefined || kmsDefault !== undefined;
  const masterKey = kmsDefault?.kmsMasterKeyId;
  const keyArn = bucket.encryptionKey?.keyArn
    ?? (masterKey !== undefined && !Token.isUnresolved(masterKey) && KEY_ARN.test(masterKey) ? masterKey : undefined);

  let defaultRetention: s3.CfnBucket.DefaultRetentionProperty | undefined;
  if (objectLock && lockConfig !== undefined && !Tokenization.isResolvable(lockConfig)) {
    const rule = plain(lockConfig.rule);
    const retention = plain(rule?.defaultRetention);
    if (retention?.mode !== undefined && !Token.isUnresolved(retention.mode)) defaultRetention = retention;
  }
  return { cfn: l1, bucketName: literalName ?? bucket.bucketName, literalName, kms, keyArn, objectLock, defaultRetention };
}

export const KEY_ARN = /^arn:[^:]+:kms:[^:]+:\d{12}:key\/.+$/;
export const ALIAS_ARN = /^arn:([^:]+):kms:([^:]+):(\d{12}):(alias\/.+)$/;

/** A struct value, or undefined when it is a token. */
export function plain<T>(value: T | IResolvable | undefined): T | undefined {
  return value === undefined || Tokenization.isResolvable(value) ? undefined : value as T;
}

export interface ExistingRules {
  readonly rules: Array<s3.CfnBucket.ReplicationRuleProperty>;
  readonly maxPriority: number;
  /** Destinations of the kept rules, which the new role must serve too. */
  readonly destinations: Array<{ bucketArn: string; replicaKmsKeyId?: string }>;
  /** A kept rule replicates SSE-KMS objects. */
  readonly replicatesKmsObjects: boolean;
}

/**
 * The rules already on the bucket, kept as they are. S3 gives a replication
 * configuration one role, and ours replaces the old one, so the kept rules'
 * destinations are collected to be granted to our role.
 */
export function readExistingRules(ctx: DrContext, bucket: s3.Bucket, cfn: s3.CfnBucket, ruleId: string): ExistingRules {
  const config = cfn.replicationConfiguration;
  checkReplicationConfigurationReadable(bucket, 'replicationConfiguration', config);
  const rawRules = (config as s3.CfnBucket.ReplicationConfigurationProperty | undefined)?.rules ?? [];
  checkReplicationConfigurationReadable(bucket, 'replicationConfiguration.rules', rawRules);
  const rules: s3.CfnBucket.ReplicationRuleProperty[] = [];
  const destinations: ExistingRules['destinations'] = [];
  let maxPriority = 0;
  let replicatesKmsObjects = false;
  (rawRules as Array<s3.CfnBucket.ReplicationRuleProperty | IResolvable>).forEach((raw, i) => {
    const prop = `replicationConfiguration.rules[${i}]`;
    checkReplicationRuleReadable(bucket, prop, raw);
    const rule = plain(raw);
    const destination = plain(rule?.destination);
    const facts = { id: rule!.id, legacyPrefix: rule!.filter === undefined, account: destination!.account };
    checkExistingReplicationRule(bucket, prop, facts, ruleId, ctx.account);
    const replicaKmsKeyId = plain(destination!.encryptionConfiguration)?.replicaKmsKeyId;
    if (replicaKmsKeyId !== undefined && !Token.isUnresolved(replicaKmsKeyId) && !KEY_ARN.test(replicaKmsKeyId) && !ALIAS_ARN.test(replicaKmsKeyId)) {
      throw new ComplianceRuleError(bucket, `${prop}.destination.encryptionConfiguration.replicaKmsKeyId`, `'${replicaKmsKeyId}'`,
        'S3 replication takes a key ARN or an alias ARN here');
    }
    const kmsObjects = plain(plain(rule!.sourceSelectionCriteria)?.sseKmsEncryptedObjects);
    if (kmsObjects?.status === 'Enabled') replicatesKmsObjects = true;
    maxPriority = Math.max(maxPriority, rule!.priority ?? 0);
    rules.push(rule!);
    destinations.push({ bucketArn: destination!.bucket, replicaKmsKeyId });
  });
  return { rules, maxPriority, destinations, replicatesKmsObjects };
}
