import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { warnNotRemovable } from './removal';

/** Why a bucket of this library has no replication rule of its own. */
export const NO_REPLICATION_REASON = 'Replication across regions is the job of CrossRegionDr.replicateBucket(); '
  + 'a bucket is replicated when the user declares DR for it.';

/** Every bucket expires what nobody needs: unfinished uploads. */
const ABORT_UPLOADS: s3.LifecycleRule = { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) };

/**
 * The bucket that receives S3 server access logs of the library's buckets.
 * S3 log delivery supports only SSE-S3 on its target and no object-lock default
 * retention, so this one bucket is neither KMS-encrypted nor locked; it is
 * versioned, TLS-only, public-blocked, ACL-free (log delivery is granted by bucket
 * policy) and retained.
 */
export function createAccessLogBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy,
    autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    lifecycleRules: [ABORT_UPLOADS, { id: 'expire-old-log-versions', noncurrentVersionExpiration: Duration.days(365) }],
  });
  acknowledgeAutoDelete(bucket, removalPolicy);
  sendEventsToEventBridge(bucket);
  const selfReason = 'This is the access-log bucket itself; logging its own access would loop.';
  const sseReason = 'S3 server access log delivery supports only SSE-S3 on the target bucket.';
  const lockReason = 'S3 server access log delivery does not support a target bucket with an object-lock default retention.';
  Validations.of(bucket).acknowledge(
    { id: 'AwsSolutions-S1', reason: selfReason },
    { id: 'HIPAA.Security-S3BucketLoggingEnabled', reason: selfReason },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: selfReason },
    { id: 'PCI.DSS.321-S3BucketLoggingEnabled', reason: selfReason },
    { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: selfReason },
    { id: 'HIPAA.Security-S3DefaultEncryptionKMS', reason: sseReason },
    { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: sseReason },
    { id: 'PCI.DSS.321-S3DefaultEncryptionKMS', reason: sseReason },
    { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: sseReason },
    { id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: lockReason },
  );
  acknowledgeNoReplication(bucket);
  return bucket;
}

export interface SecureBucketProps {
  readonly encryptionKey: kms.IKey;
  readonly serverAccessLogsBucket: s3.IBucket;
  readonly serverAccessLogsPrefix: string;
  readonly removalPolicy: RemovalPolicy;
  /** @default - no object lock (acknowledged with `objectLockReason`) */
  readonly objectLock?: { mode: s3.ObjectLockMode; retention: Duration };
  /** Why the bucket has no object lock, when it has none. */
  readonly noObjectLockReason?: string;
  readonly lifecycleRules?: s3.LifecycleRule[];
  readonly inventories?: s3.Inventory[];
  /** @default true (also what AWS Control Tower's CT.S3.PR.4 asks for) */
  readonly eventBridgeEnabled?: boolean;
}

/**
 * A KMS-encrypted, versioned, TLS-only, public-blocked, ACL-free, access-logged
 * bucket with EventBridge notifications and a lifecycle.
 */
export function createSecureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: props.removalPolicy,
    // A versioned bucket is deleted only when empty: DESTROY empties it first, unless object
    // lock forbids that (then synth warns).
    autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY && !props.objectLock,
    objectLockEnabled: props.objectLock !== undefined,
    objectLockDefaultRetention: props.objectLock
      ? (props.objectLock.mode === s3.ObjectLockMode.COMPLIANCE
        ? s3.ObjectLockRetention.compliance(props.objectLock.retention)
        : s3.ObjectLockRetention.governance(props.objectLock.retention))
      : undefined,
    lifecycleRules: [ABORT_UPLOADS, ...(props.lifecycleRules ?? [])],
    inventories: props.inventories,
  });
  if (props.eventBridgeEnabled ?? true) sendEventsToEventBridge(bucket);
  enableAccessLogging(bucket, props.serverAccessLogsBucket, props.serverAccessLogsPrefix);
  acknowledgeAutoDelete(bucket, props.removalPolicy);
  if (props.removalPolicy === RemovalPolicy.DESTROY && props.objectLock) {
    warnNotRemovable(bucket, 'removalPolicy', 'this bucket has S3 Object Lock: locked object versions cannot be deleted before their '
      + 'retention ends (governance mode needs s3:BypassGovernanceRetention, compliance mode allows no bypass), so the bucket '
      + 'and its stack cannot be deleted until then');
  }
  if (!props.objectLock) {
    Validations.of(bucket).acknowledge({
      id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
      reason: props.noObjectLockReason ?? 'Object lock is opt-in for this bucket.',
    });
  }
  acknowledgeNoReplication(bucket);
  return bucket;
}

/**
 * Server access logging granted by bucket policy (as the
 * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` flag does), whatever the
 * app's flags: the log bucket keeps ACLs disabled.
 */
function enableAccessLogging(bucket: s3.Bucket, logBucket: s3.IBucket, prefix: string): void {
  const stack = Stack.of(bucket);
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: logBucket.bucketName,
    logFilePrefix: prefix,
  };
  logBucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logBucket.arnForObjects(`${prefix}*`)],
    conditions: {
      ArnLike: { 'aws:SourceArn': bucket.bucketArn },
      StringEquals: { 'aws:SourceAccount': stack.account },
    },
  }));
}

/**
 * S3 → EventBridge notifications set on the CloudFormation bucket itself: the L2's
 * `eventBridgeEnabled` goes through aws-cdk-lib's notifications custom-resource
 * Lambda (AWS-managed policy, inline policy, outside a VPC), which no pack accepts.
 */
export function sendEventsToEventBridge(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}

function acknowledgeNoReplication(bucket: s3.Bucket): void {
  Validations.of(bucket).acknowledge(
    { id: 'HIPAA.Security-S3BucketReplicationEnabled', reason: NO_REPLICATION_REASON },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: NO_REPLICATION_REASON },
    { id: 'PCI.DSS.321-S3BucketReplicationEnabled', reason: NO_REPLICATION_REASON },
  );
}

/**
 * aws-cdk-lib empties the bucket on deletion with a custom-resource Lambda of its own,
 * which exists only when the user chose RemovalPolicy.DESTROY (a non-production stack).
 */
function acknowledgeAutoDelete(bucket: s3.Bucket, removalPolicy: RemovalPolicy): void {
  if (removalPolicy !== RemovalPolicy.DESTROY) return;
  const provider = Stack.of(bucket).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
  if (!provider) return;
  const reason = 'aws-cdk-lib\'s provider that empties buckets before they are deleted; it exists only because removalPolicy '
    + 'is RemovalPolicy.DESTROY (a stack meant to be deleted), runs only at stack deletion and holds no data.';
  Validations.of(provider).acknowledge(
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason },
    { id: 'cdk-validator-cfnguard::lambda_concurrency_check', reason },
    { id: 'cdk-validator-cfnguard::lambda_dlq_check', reason },
  );
}
