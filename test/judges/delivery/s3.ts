import {
  Delivery, defaultEncryption, invokeFunction, objectLock, publishToTopic, sendToQueue, useKey, writeToBucket,
} from './deliver';
import { Check, Edge, access, constraint, roleActor, serviceActor, unproven } from './edge';
import { AppModel, ModelResource } from '../cfn/app-model';
import { bucketPolicy } from '../iam/policies';

/**
 * What S3 does for a bucket: server access logs and inventory reports into other
 * buckets, event notifications to topics, queues and functions, and replication
 * (as the replication role) into destination buckets and keys.
 */
export function s3Edges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const bucket of app.ofType('AWS::S3::Bucket')) {
    edges.push(...accessLogEdges(app, bucket), ...inventoryEdges(app, bucket), ...notificationEdges(app, bucket), ...replicationEdges(app, bucket));
  }
  return edges;
}

/**
 * Server access logs: S3's logging service writes into the target bucket, which must
 * be in the same region and account, use SSE-S3 (not SSE-KMS) and have no object-lock
 * default retention (S3 user guide, "Enabling Amazon S3 server access logging").
 */
function accessLogEdges(app: AppModel, bucket: ModelResource): Edge[] {
  const logging = bucket.props.LoggingConfiguration;
  if (!logging) return [];
  const destinationName = logging.DestinationBucketName ?? bucket.ref;
  const destination = app.bucket(destinationName);
  const checks: Check[] = [];
  if (destination) {
    checks.push(
      constraint(destination.stack.region === bucket.stack.region && destination.stack.account === bucket.stack.account,
        `the log bucket ${destination.logicalId} is in ${destination.stack.account}/${destination.stack.region}; S3 delivers access logs in the source's region and account only`),
      constraint(defaultEncryption(destination).algorithm !== 'aws:kms' && defaultEncryption(destination).algorithm !== 'aws:kms:dsse',
        `the log bucket ${destination.logicalId} defaults to SSE-KMS; S3 server access logging supports only SSE-S3 on the target bucket`),
      constraint(!objectLock(destination).defaultRetention,
        `the log bucket ${destination.logicalId} has an object-lock default retention, which S3 server access logging does not support`),
    );
  }
  const aclGrant = destination && destination.props.AccessControl === 'LogDeliveryWrite'
    && destination.props.OwnershipControls?.Rules?.[0]?.ObjectOwnership !== 'BucketOwnerEnforced';
  const prefix = logging.LogFilePrefix ?? '';
  const d = aclGrant
    ? { target: destination!.logicalId, checks: [] }
    : writeToBucket(app, serviceActor('logging.s3.amazonaws.com'), bucket.stack, destinationName, { key: `${prefix}2026-01-01-00-00-00-0123456789ABCDEF` }, bucket.attr('Arn'));
  return [{ kind: 'server access logs', source: bucket, target: d.target, checks: [...checks, ...d.checks] }];
}

/** Inventory reports: S3 writes them into the destination bucket (same region), encrypting with its default or the report's key. */
function inventoryEdges(app: AppModel, bucket: ModelResource): Edge[] {
  const edges: Edge[] = [];
  const s3 = serviceActor('s3.amazonaws.com');
  const sourceArn = bucket.attr('Arn');
  for (const inventory of (bucket.props.InventoryConfigurations ?? []) as any[]) {
    const destinationArn = String(inventory.Destination?.BucketArn);
    const destination = app.bucket(destinationArn);
    const prefix = inventory.Destination?.Prefix ? `${inventory.Destination.Prefix}/` : '';
    const d = writeToBucket(app, s3, bucket.stack, destinationArn, {
      key: `${prefix}${bucket.ref}/${inventory.Id}/data/0123456789abcdef.parquet`,
      acl: 'bucket-owner-full-control',
      keyActions: ['kms:GenerateDataKey'],
    }, sourceArn);
    const checks: Check[] = destination ? [constraint(destination.stack.region === bucket.stack.region,
      `the inventory bucket ${destination.logicalId} is in ${destination.stack.region}; S3 writes inventory reports in the source's region`)] : [];
    const reportKey = inventory.Destination?.Encryption?.SSEKMS?.KeyId;
    if (reportKey !== undefined) {
      checks.push(...useKey(app, s3, String(reportKey), bucket.stack.region, ['kms:GenerateDataKey'],
        { 'aws:SourceAccount': bucket.stack.account, 'aws:SourceArn': sourceArn }, `inventory ${inventory.Id}`));
    }
    edges.push({ kind: `inventory ${inventory.Id}`, source: bucket, target: d.target, checks: [...checks, ...d.checks] });
  }
  return edges;
}

/** Event notifications to topics, queues and functions (EventBridge delivery needs no permission). */
function notificationEdges(app: AppModel, bucket: ModelResource): Edge[] {
  const config = bucket.props.NotificationConfiguration ?? {};
  const s3 = serviceActor('s3.amazonaws.com');
  const sourceArn = bucket.attr('Arn');
  const deliveries: Array<[string, Delivery]> = [
    ...((config.TopicConfigurations ?? []) as any[]).map((c): [string, Delivery] => ['topic', publishToTopic(app, s3, bucket.stack, String(c.Topic), sourceArn)]),
    ...((config.QueueConfigurations ?? []) as any[]).map((c): [string, Delivery] => ['queue', sendToQueue(app, s3, bucket.stack, String(c.Queue), sourceArn)]),
    ...((config.LambdaConfigurations ?? []) as any[]).map((c): [string, Delivery] => ['function', invokeFunction(app, s3, bucket.stack, String(c.Function), sourceArn)]),
  ];
  return deliveries.map(([to, d]) => ({ kind: `event notification to ${to}`, source: bucket, target: d.target, checks: d.checks }));
}

/**
 * Replication, as the replication role: read the source's configuration and object
 * versions, write replicas into each destination, decrypt with the source key and
 * encrypt with the replica key. Both buckets are versioned, and a locked source needs a
 * locked destination (S3 user guide, "Requirements and considerations for replication").
 */
function replicationEdges(app: AppModel, bucket: ModelResource): Edge[] {
  const config = bucket.props.ReplicationConfiguration;
  if (!config) return [];
  const role = app.role(String(config.Role));
  if (!role) {
    return [{ kind: 'replication', source: bucket, target: String(config.Role), checks: [unproven(`the replication role ${config.Role} is not a role of this app`)] }];
  }
  const actor = roleActor(app, role);
  const tls = { 'aws:SecureTransport': 'true' };
  const sourceArn = bucket.attr('Arn');
  const sourceObject = `${sourceArn}/data/object.bin`;
  const sourceLock = objectLock(bucket).enabled;
  const sourcePolicy = bucketPolicy(app, bucket);
  const sourceSse = defaultEncryption(bucket);
  const edges: Edge[] = [];
  for (const rule of (config.Rules ?? []) as any[]) {
    if (rule.Status !== 'Enabled') continue;
    const destinationArn = String(rule.Destination?.Bucket);
    const destination = app.bucket(destinationArn);
    const checks: Check[] = [
      constraint(bucket.props.VersioningConfiguration?.Status === 'Enabled', `the source bucket ${bucket.logicalId} is not versioned; S3 replication requires it`),
      ...['s3:GetReplicationConfiguration', 's3:ListBucket'].map((a) => access(actor, a, sourceArn, bucket.stack.account, tls, sourcePolicy)),
      ...['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging',
        ...(sourceLock ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] : [])]
        .map((a) => access(actor, a, sourceObject, bucket.stack.account, tls, sourcePolicy)),
    ];
    if (!destination) {
      checks.push(unproven(`the destination bucket ${destinationArn} is not a bucket of this app`));
      edges.push({ kind: `replication rule ${rule.Id}`, source: bucket, target: destinationArn, checks });
      continue;
    }
    const destinationObject = `${destination.attr('Arn')}/data/object.bin`;
    const destinationPolicy = bucketPolicy(app, destination);
    const writes = ['s3:ReplicateObject', 's3:ReplicateTags', ...(rule.DeleteMarkerReplication?.Status === 'Enabled' ? ['s3:ReplicateDelete'] : [])];
    checks.push(
      constraint(destination.props.VersioningConfiguration?.Status === 'Enabled', `the destination bucket ${destination.logicalId} is not versioned; S3 replication requires it`),
      constraint(!sourceLock || objectLock(destination).enabled, `the source bucket is object-locked and the destination ${destination.logicalId} is not; S3 requires a locked destination`),
      ...writes.map((a) => access(actor, a, destinationObject, destination.stack.account, tls, destinationPolicy)),
    );
    if (rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status === 'Enabled') {
      if (sourceSse.kmsKeyId === undefined) {
        checks.push(unproven(`rule ${rule.Id} replicates SSE-KMS objects but the source bucket names no default key to check`));
      } else {
        checks.push(...useKey(app, actor, sourceSse.kmsKeyId, bucket.stack.region, ['kms:Decrypt'], {
          ...tls, 'kms:ViaService': `s3.${bucket.stack.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': sourceSse.bucketKey ? sourceArn : sourceObject,
        }, `source bucket ${bucket.logicalId}`));
      }
      const replicaKey = rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID;
      if (replicaKey === undefined) {
        checks.push(unproven(`rule ${rule.Id} replicates SSE-KMS objects without a replica key (ReplicaKmsKeyID)`));
      } else {
        const replicaContext = defaultEncryption(destination).bucketKey ? destination.attr('Arn') : destinationObject;
        checks.push(...useKey(app, actor, String(replicaKey), destination.stack.region, ['kms:Encrypt', 'kms:GenerateDataKey'], {
          ...tls, 'kms:ViaService': `s3.${destination.stack.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': replicaContext,
        }, `replica bucket ${destination.logicalId}`));
      }
    }
    edges.push({ kind: `replication rule ${rule.Id}`, source: bucket, target: destination.describe(bucket.stack), checks });
  }
  return edges;
}
