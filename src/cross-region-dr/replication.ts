import * as crypto from 'crypto';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrContext, ReplicationReadiness, RpoCapability } from './dr-context';
import { ReplicateBucketOptions } from './replication-options';
import { ALIAS_ARN, ExistingRules, SourceFacts, readExistingRules, readSource } from './replication-source';
import { nagResourceName } from '../private/acknowledgements';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { createSecureBucket } from '../private/secure-bucket';
import { S3_REPLICATION_LIMITS, checkReplicaBucketName, checkReplicaStorageClass } from '../validation/dr';

/** What `replicateBucket()` built for one source bucket. */
export interface ReplicatedBucket {
  /** The replica bucket, in the DR foundation stack. */
  readonly replicaBucket: s3.Bucket;
  /** Physical name of the replica bucket: a plain string, usable from any stack. */
  readonly replicaBucketName: string;
  /** ARN of the replica bucket built from its name (only the partition is a pseudo parameter): usable from any stack. */
  readonly replicaBucketArn: string;
  /** The replication role, in the primary stack. */
  readonly role: iam.Role;
  /** Id of the replication rule on the source bucket. */
  readonly ruleId: string;
  readonly capability: RpoCapability;
  readonly readiness: ReplicationReadiness;
  /** ReplicationLatency and OperationsFailedReplication alarms, in the primary stack. */
  readonly alarms: cloudwatch.Alarm[];
}

/** Replication Time Control: the best RPO S3 replication can promise. */
export const REPLICATION_RPO = Duration.minutes(S3_REPLICATION_LIMITS.rtcMinutes);
const MECHANISM = 'S3 replication with Replication Time Control';

/**
 * Replicates `bucket` (an s3.Bucket of the primary stack) into a new replica bucket
 * in the DR foundation stack, with Replication Time Control, replication metrics and
 * alarms. `scope` is a construct in the primary stack that owns the role and alarms.
 *
 * Nothing here is a cross-stack reference: the primary refers to the replica bucket
 * and the DR key by their deterministic names, and the DR key policy refers to the
 * replication role by its deterministic ARN.
 */
export function replicateBucket(
  ctx: DrContext,
  scope: Construct,
  id: string,
  bucket: s3.Bucket,
  options: ReplicateBucketOptions = {},
): ReplicatedBucket {
  const source = readSource(ctx, bucket);
  const replicaBucketName = options.replicaBucketName ?? defaultReplicaName(ctx, bucket);
  checkReplicaBucketName(scope, 'replicaBucketName', replicaBucketName);
  const storageClass = options.storageClass?.value ?? 'STANDARD';
  checkReplicaStorageClass(scope, 'storageClass', storageClass, ctx.rto);

  const ruleId = `${ctx.namePrefix}-to-${ctx.drRegion}`;
  const existing = readExistingRules(ctx, bucket, source.cfn, ruleId);
  const replicaBucketArn = `arn:${ctx.partition}:s3:::${replicaBucketName}`;
  const pathHash = shortHash(bucket.node.path);
  // An explicit name makes the role's ARN a plain string, so the DR key policy in the
  // DR region can name it without a (cross-region) reference to the role.
  const roleName = `${ctx.namePrefix}-s3-replication-${pathHash}`;
  const roleArn = `arn:${ctx.partition}:iam::${ctx.account}:role/${roleName}`;

  // --- DR region: the replica bucket and its key's permission for the role.
  const drScope = new Construct(ctx.drStack, id);
  const replicaBucket = createReplicaBucket(ctx, drScope, bucket, source, replicaBucketName);
  allowRoleToUseDrKey(ctx, roleArn, replicaBucketArn, pathHash);

  // --- Primary region: role, rule, alarms.
  const primaryScope = new Construct(scope, id);
  const role = new ManagedPolicyRole(primaryScope, 'Role', {
    roleName,
    // AWS's documented replication trust policy names only the service: S3 is not
    // documented to send aws:SourceAccount or aws:SourceArn when it assumes this role,
    // and a condition on a missing key would deny the assumption and stop replication.
    // iam:PassRole on the role decides who may attach it to a bucket.
    assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
    description: `S3 replicates ${bucket.node.path} into ${replicaBucketName} (${ctx.drRegion})`,
  });
  grantReplication(ctx, role, bucket, source, replicaBucketArn, existing);

  const priority = existing.maxPriority + 1;
  const rule: s3.CfnBucket.ReplicationRuleProperty = {
    id: ruleId,
    priority,
    status: 'Enabled',
    filter: { prefix: '' },
    deleteMarkerReplication: { status: (options.replicateDeleteMarkers ?? true) ? 'Enabled' : 'Disabled' },
    destination: {
      bucket: replicaBucketArn,
      storageClass,
      // ReplicaKmsKeyID takes a key ARN or an alias ARN; the alias ARN is known before the key exists.
      encryptionConfiguration: source.kms ? { replicaKmsKeyId: ctx.drKeyAliasArn } : undefined,
      replicationTime: { status: 'Enabled', time: { minutes: S3_REPLICATION_LIMITS.rtcMinutes } },
      metrics: { status: 'Enabled', eventThreshold: { minutes: S3_REPLICATION_LIMITS.rtcMinutes } },
    },
    sourceSelectionCriteria: source.kms ? { sseKmsEncryptedObjects: { status: 'Enabled' } } : undefined,
  };
  source.cfn.replicationConfiguration = { role: role.roleArn, rules: [...existing.rules, rule] };
  // The bucket starts replicating as soon as the rule is in place: the permissions come first.
  // A bucket CloudFormation names is referenced by the role's policy instead, so the policy follows
  // the bucket (the other order would be a cycle); replication of objects written in those first
  // seconds is retried by S3 and counted by the failed-operations alarm.
  if (source.literalName) source.cfn.node.addDependency(role.policy);

  const alarms = createAlarms(ctx, primaryScope, bucket, source.bucketName, replicaBucketName, ruleId);

  return {
    replicaBucket,
    replicaBucketName,
    replicaBucketArn,
    role,
    ruleId,
    capability: { resource: bucket.node.path, mechanism: MECHANISM, deliverable: REPLICATION_RPO },
    // Without a literal source name, readiness finds it at run time from the destination and rule.
    readiness: { ...(source.literalName ? { sourceBucket: source.literalName } : {}), destinationBucket: replicaBucketName, ruleId },
    alarms,
  };
}

function createReplicaBucket(ctx: DrContext, drScope: Construct, source: s3.Bucket, facts: SourceFacts, name: string): s3.Bucket {
  const replica = createSecureBucket(drScope, 'Bucket', {
    encryptionKey: ctx.drKey,
    serverAccessLogsBucket: ctx.drAccessLogBucket,
    serverAccessLogsPrefix: `${name}/`,
    removalPolicy: ctx.removalPolicy,
    // Placeholder so that the helper enables the lock; the rule is replaced below by the source's own.
    objectLock: facts.objectLock ? { mode: s3.ObjectLockMode.GOVERNANCE, retention: Duration.days(1) } : undefined,
    noObjectLockReason: `The replica mirrors its source: object lock is enabled on it exactly when ${source.node.path} is object-locked `
      + '(S3 requires a locked destination for a locked source), and that bucket is not.',
  });
  const cfn = replica.node.defaultChild as s3.CfnBucket;
  cfn.bucketName = name;
  if (facts.objectLock) {
    // Same mode and period as the source's default retention (days or years, as written), so an
    // object written without its own retention is as protected in the DR region as in the primary.
    // When the source has no readable default, the lock is enabled without one: each replica still
    // carries its source object's own retention and legal hold, which S3 replicates, and inventing a
    // default would lock replicas of objects that the source leaves unlocked.
    cfn.objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: facts.defaultRetention ? { defaultRetention: facts.defaultRetention } : undefined,
    };
  }
  const reason = `This bucket is the DR replica of ${source.node.path} (written by S3 replication in ${ctx.primaryRegion}); `
    + 'replicating the replica again would only copy the copy.';
  Validations.of(replica).acknowledge(
    { id: 'HIPAA.Security-S3BucketReplicationEnabled', reason },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason },
    { id: 'PCI.DSS.321-S3BucketReplicationEnabled', reason },
  );
  return replica;
}

/**
 * The DR key (drStack) lets the replication role (primary stack) use it. The role is
 * named by its deterministic ARN in an `aws:PrincipalArn` condition on the account
 * principal rather than as a principal: a principal would be a reference to a role in
 * another region, which CloudFormation cannot resolve. The key policy already delegates
 * to IAM, so this statement documents and pins the grant on the key side as well; S3
 * Bucket Keys also need kms:Decrypt on the replica key to check the bucket key.
 */
function allowRoleToUseDrKey(ctx: DrContext, roleArn: string, replicaBucketArn: string, hash: string): void {
  ctx.drKey.addToResourcePolicy(new iam.PolicyStatement({
    sid: `AllowS3Replication${hash}`,
    principals: [new iam.AccountPrincipal(ctx.account)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: {
      StringEquals: { 'aws:PrincipalArn': roleArn, 'kms:ViaService': `s3.${ctx.drRegion}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [replicaBucketArn, `${replicaBucketArn}/*`] },
    },
  }));
}

function grantReplication(
  ctx: DrContext,
  role: ManagedPolicyRole,
  bucket: s3.Bucket,
  source: SourceFacts,
  replicaBucketArn: string,
  existing: ExistingRules,
): void {
  const stack = Stack.of(role);
  const wildcards: Array<{ resource: string; reason: string }> = [];
  // The source's ARN from its literal name, when it has one, rather than bucket.bucketArn: the
  // bucket then depends on this policy (it must exist before replication starts), so the
  // policy must not depend on the bucket.
  const sourceArn = `arn:${ctx.partition}:s3:::${source.bucketName}`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadReplicationConfiguration',
    actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
    resources: [sourceArn],
  }));
  const sourceObjects = `${sourceArn}/*`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadSourceObjects',
    actions: [
      's3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging',
      // An object-locked source replicates each version's retention and legal hold.
      ...(source.objectLock ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] : []),
    ],
    resources: [sourceObjects],
  }));
  wildcards.push({ resource: sourceObjects, reason: `S3 replication reads every new object version of ${bucket.node.path}; the wildcard is the object part of this one bucket's ARN.` });

  // No s3:ObjectOwnerOverrideToBucketOwner: source and replica are in the same account and the
  // replica bucket enforces bucket-owner ownership (ACLs disabled), so the account owns every replica.
  const replicaObjects = `${replicaBucketArn}/*`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'WriteReplicas',
    actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
    resources: [replicaObjects],
  }));
  wildcards.push({ resource: replicaObjects, reason: 'S3 replication writes the replica of any object key; the wildcard is the object part of the one DR replica bucket\'s ARN.' });

  const sourceContext = [sourceArn, sourceObjects];
  if (source.kms || existing.replicatesKmsObjects) {
    // With an S3 Bucket Key the encryption context is the bucket ARN, without one the object ARN.
    const keyResource = source.keyArn ?? `arn:${ctx.partition}:kms:${ctx.primaryRegion}:${ctx.account}:key/*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DecryptSourceObjects',
      actions: ['kms:Decrypt'],
      resources: [keyResource],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${ctx.primaryRegion}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': sourceContext },
      },
    }));
    if (source.keyArn === undefined) {
      wildcards.push({
        resource: keyResource,
        reason: `The key that encrypts ${bucket.node.path} is not known as a key ARN at synth (an AWS managed key, an alias or a token); `
          + 'decryption is limited to S3 in the primary region and to the encryption context of this bucket.',
      });
    }
  }

  // IAM names KMS keys by key ARN only, and the DR key's ARN is not known in the primary
  // region before the DR stack exists: any key of the DR region, narrowed to the one that
  // carries the DR alias (kms:ResourceAliases applies to these key operations), used by
  // S3 in the DR region for the replica bucket. kms:Decrypt checks S3 Bucket Keys;
  // kms:GenerateDataKey encrypts replicas of objects stored unencrypted (Batch Replication
  // of objects written before 2023), which take the replica bucket's default key.
  const drKeys = `arn:${ctx.partition}:kms:${ctx.drRegion}:${ctx.account}:key/*`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'EncryptReplicas',
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [drKeys],
    conditions: {
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ctx.drKeyAliasName },
      'StringEquals': { 'kms:ViaService': `s3.${ctx.drRegion}.amazonaws.com` },
      'StringLike': { 'kms:EncryptionContext:aws:s3:arn': [replicaBucketArn, replicaObjects] },
    },
  }));
  wildcards.push({
    resource: drKeys,
    reason: 'IAM names KMS keys by key ARN only, and the DR key\'s ARN is not known in the primary region; the statement is limited to the key '
      + `with the alias ${ctx.drKeyAliasName} (kms:ResourceAliases), to S3 in ${ctx.drRegion} and to the replica bucket's encryption context.`,
  });

  existing.destinations.forEach((destination, i) => {
    const objects = `${destination.bucketArn}/*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: `WriteKeptRuleReplicas${i}`,
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      resources: [objects],
    }));
    wildcards.push({ resource: objects, reason: `A replication rule kept on ${bucket.node.path} writes replicas of any object key into its destination bucket, now with this role.` });
    if (destination.replicaKmsKeyId === undefined) return;
    const alias = Token.isUnresolved(destination.replicaKmsKeyId) ? null : ALIAS_ARN.exec(destination.replicaKmsKeyId);
    const keyResource = alias ? `arn:${alias[1]}:kms:${alias[2]}:${alias[3]}:key/*` : destination.replicaKmsKeyId;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: `EncryptKeptRuleReplicas${i}`,
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [keyResource],
      conditions: {
        ...(alias ? { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias[4] } } : {}),
        StringLike: { 'kms:ViaService': 's3.*.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': [destination.bucketArn, objects] },
      },
    }));
    if (alias) {
      wildcards.push({ resource: keyResource, reason: `IAM names KMS keys by key ARN only; the kept rule names its key by alias, so the statement is limited to the key with alias ${alias[4]}.` });
    }
  });

  for (const { resource, reason } of wildcards) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagResourceName(stack, resource)}]`, reason });
  }
}

function createAlarms(
  ctx: DrContext, scope: Construct, bucket: s3.Bucket, sourceName: string, replicaName: string, ruleId: string,
): cloudwatch.Alarm[] {
  // S3 publishes replication metrics in the source bucket's region, about every minute,
  // and only while there is something to replicate: no data is no traffic, not a breach.
  const dimensionsMap = { SourceBucket: sourceName, DestinationBucket: replicaName, RuleId: ruleId };
  const alarm = (alarmId: string, metricName: string, statistic: string, threshold: number, description: string) => {
    const metric = new cloudwatch.Metric({ namespace: 'AWS/S3', metricName, dimensionsMap, statistic, period: Duration.minutes(5) });
    const created = metric.createAlarm(scope, alarmId, {
      alarmDescription: description,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(new cloudwatchActions.SnsAction(ctx.primaryAlarmTopic));
    return created;
  };
  const rtcSeconds = S3_REPLICATION_LIMITS.rtcMinutes * 60;
  return [
    alarm('LatencyAlarm', 'ReplicationLatency', cloudwatch.Stats.MAXIMUM, rtcSeconds,
      `Replication of ${bucket.node.path} to ${replicaName} (${ctx.drRegion}) is behind the ${S3_REPLICATION_LIMITS.rtcMinutes}-minute RTC objective`),
    alarm('FailedAlarm', 'OperationsFailedReplication', cloudwatch.Stats.SUM, 0,
      `Objects of ${bucket.node.path} failed to replicate to ${replicaName} (${ctx.drRegion}); re-replicate them with S3 Batch Replication`),
  ];
}

/** `<prefix>-<construct id>-<hash of the path>`, 3-63 lowercase characters. */
function defaultReplicaName(ctx: DrContext, bucket: s3.Bucket): string {
  const hash = shortHash(bucket.node.path);
  const room = 63 - ctx.namePrefix.length - hash.length - 2;
  const slug = bucket.node.id.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, Math.max(0, room)).replace(/^-+|-+$/g, '');
  return slug ? `${ctx.namePrefix}-${slug}-${hash}` : `${ctx.namePrefix}-${hash}`;
}

function shortHash(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex').slice(0, 8);
}
