/**
 * verifier — records a verified checksum for every object version pushed into landing storage.
 *
 * Flow: landing bucket → EventBridge `Object Created` → SQS → this function (partial batch
 * responses, so one bad message goes to the DLQ without failing the others).
 *
 * For each object version:
 * 1. HeadObject with ChecksumMode ENABLED reads the checksum S3 already stores, without the body.
 *    (HeadObject rather than GetObjectAttributes: same data, no extra IAM action, and a server
 *    that does not know `?attributes` — s3rver — answers it with the whole object as a 200,
 *    which the SDK would buffer to parse as XML.) A composite multipart checksum is recorded as
 *    such (`checksumType: COMPOSITE`), never passed off as the SHA-256 of the body.
 * 2. With no stored checksum, GetObject streams the body through SHA-256 in constant memory and
 *    the byte count must equal the object size.
 * 3. A `LandingObjectRecord` goes to the catalog (PutCommand). The key is deterministic per object
 *    version, and the write is conditional: it creates the item or replaces a FAILED one, never a
 *    VERIFIED one — so a redelivered event keeps the first verification time as evidence, and a
 *    retried failure that now succeeds upgrades the item.
 * 4. A verdict of failure (version missing, access denied, size mismatch) is a FAILED item plus
 *    an SNS alarm, and the message succeeds (retrying cannot help). Throttling and 5xx are retried
 *    by the SDK (5 attempts); if they persist the message fails and SQS retries it, then the DLQ.
 * The function only reads objects: it never writes, overwrites or deletes them.
 *
 * Environment:
 * - TABLE_NAME (required): the catalog table.
 * - ALARM_TOPIC_ARN (required): SNS topic for failed verifications.
 * - TENANTS (optional): comma-separated tenant ids; a key `<tenant>/...` belongs to that tenant.
 * - POWERTOOLS_SERVICE_NAME (optional, default `verifier`): service name in logs and metrics.
 * - POWERTOOLS_LOG_LEVEL (optional): log level.
 * - POWERTOOLS_METRICS_NAMESPACE (optional, default `CompliantBackup`): metrics namespace.
 * Metrics (EMF, per invocation): ObjectsVerified, ObjectsFailed (verifications performed, so a
 * redelivery counts again), BytesHashed (bytes streamed through SHA-256).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client, type HeadObjectCommandOutput, type S3ClientConfig } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MAX_ATTEMPTS } from './shared/aws-clients';
import { tenantOfKey } from './shared/catalog-schema';
import { splitList } from './shared/env';
import { hashStream, storedChecksum } from './verifier/checksum';
import { parseMessageBody, type ObjectRef } from './verifier/event';
import {
  classifyS3Error,
  failed,
  failureAlarm,
  verifiedByComputedDigest,
  verifiedByStoredChecksum,
  type S3ErrorClass,
  type VerificationFacts,
  type VerifiedObjectItem,
} from './verifier/outcome';

/** Every client retries throttling, 5xx and network errors up to 5 attempts in all (the SDK's standard backoff). */
const RETRY = { maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' } as const;

export const createS3Client = (config: S3ClientConfig = {}): S3Client => new S3Client({ ...RETRY, ...config });
export const createSnsClient = (config: SNSClientConfig = {}): SNSClient => new SNSClient({ ...RETRY, ...config });
export const createDocumentClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...RETRY, ...config }), {
    marshallOptions: { removeUndefinedValues: true },
  });

export interface VerifierDeps {
  readonly s3: S3Client;
  readonly ddb: DynamoDBDocumentClient;
  readonly sns: SNSClient;
  readonly tableName: string;
  readonly alarmTopicArn: string;
  readonly tenants: readonly string[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now?: () => Date;
}

export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): VerifierDeps {
  const tableName = env.TABLE_NAME;
  const alarmTopicArn = env.ALARM_TOPIC_ARN;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  if (!alarmTopicArn) throw new Error('ALARM_TOPIC_ARN is not set');
  return {
    s3: createS3Client(),
    ddb: createDocumentClient(),
    sns: createSnsClient(),
    tableName,
    alarmTopicArn,
    tenants: parseTenants(env.TENANTS),
    logger: new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME || 'verifier' }),
    metrics: new Metrics({
      namespace: env.POWERTOOLS_METRICS_NAMESPACE || 'CompliantBackup',
      serviceName: env.POWERTOOLS_SERVICE_NAME || 'verifier',
    }),
  };
}

/** TENANTS: comma-separated tenant ids, blanks dropped. */
export function parseTenants(value: string | undefined): string[] {
  return splitList(value);
}

/** What happened to one object version. */
export interface VerificationResult {
  readonly item: VerifiedObjectItem;
  /** False when a VERIFIED item was already stored and was kept. */
  readonly written: boolean;
  readonly bytesHashed: number;
}

interface Tally {
  verified: number;
  failed: number;
  bytesHashed: number;
}

/** Builds the SQS handler around its dependencies; `handler` below wires the real ones. */
export function makeHandler(deps: VerifierDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context) deps.logger.addContext(context);
    const tally: Tally = { verified: 0, failed: 0, bytesHashed: 0 };
    const recordHandler = async (record: SQSRecord): Promise<void> => {
      try {
        await processMessage(deps, record, tally);
      } catch (error) {
        deps.logger.error('message failed; SQS will retry it, then move it to the DLQ', {
          messageId: record.messageId,
          error: error as Error,
        });
        throw error;
      }
    };
    try {
      // When every message fails this throws (FullBatchFailureError): SQS retries them all and
      // the invocation counts as an error, which is what an alarm on the function should see.
      return await processPartialResponse(event, recordHandler, processor, { context });
    } finally {
      deps.metrics.addMetric('ObjectsVerified', MetricUnit.Count, tally.verified);
      deps.metrics.addMetric('ObjectsFailed', MetricUnit.Count, tally.failed);
      deps.metrics.addMetric('BytesHashed', MetricUnit.Bytes, tally.bytesHashed);
      deps.metrics.publishStoredMetrics();
    }
  };
}

async function processMessage(deps: VerifierDeps, record: SQSRecord, tally: Tally): Promise<void> {
  const parsed = parseMessageBody(record.body);
  if (parsed.kind === 'skip') {
    deps.logger.warn('message skipped', { messageId: record.messageId, reason: parsed.reason });
    return;
  }
  for (const ref of parsed.objects) {
    const result = await verifyObject(deps, ref);
    tally.bytesHashed += result.bytesHashed;
    if (result.item.status === 'VERIFIED') tally.verified++;
    else tally.failed++;
  }
}

/** Verifies one object version, records the verdict, and alarms on failure. */
export async function verifyObject(deps: VerifierDeps, ref: ObjectRef): Promise<VerificationResult> {
  const now = (deps.now ?? (() => new Date()))();
  const facts = (key: string, sizeBytes: number, etag?: string): VerificationFacts => ({
    bucket: ref.bucket,
    key,
    versionId: ref.versionId,
    partition: ref.partition,
    tenantId: tenantOfKey(key, deps.tenants),
    sizeBytes,
    etag,
    eventTime: ref.eventTime ?? now.toISOString(),
    updatedAt: now.toISOString(),
  });

  const found = await headObject(deps, ref);
  if ('failure' in found) {
    return conclude(deps, failed(facts(ref.keyCandidates[0], ref.size ?? 0), found.failure.reason), 0);
  }
  const { key, head } = found;
  const etag = head.ETag;
  const size = head.ContentLength ?? ref.size;
  if (size === undefined) {
    return conclude(deps, failed(facts(key, 0, etag), 'S3 reported no object size'), 0);
  }
  if (ref.size !== undefined && ref.size !== size) {
    return conclude(deps, failed(facts(key, size, etag), `size mismatch: event says ${ref.size} bytes, S3 says ${size}`), 0);
  }

  const stored = storedChecksum(head);
  if (stored) {
    return conclude(deps, verifiedByStoredChecksum(facts(key, size, etag), stored), 0);
  }

  let digest: string;
  let bytes: number;
  try {
    const object = await deps.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: key, VersionId: ref.versionId }));
    if (!object.Body) throw new Error('GetObject returned no body');
    ({ digest, bytes } = await hashStream(object.Body as AsyncIterable<Uint8Array>));
  } catch (error) {
    const verdict = classifyS3Error(error);
    if (!verdict.permanent) throw error;
    return conclude(deps, failed(facts(key, size, etag), verdict.reason), 0);
  }
  if (bytes !== size) {
    return conclude(deps, failed(facts(key, size, etag), `size mismatch: read ${bytes} bytes, object size is ${size}`), bytes);
  }
  return conclude(deps, verifiedByComputedDigest(facts(key, size, etag), digest), bytes);
}

/** HeadObject on each key candidate until S3 knows one; a transient error is thrown. */
async function headObject(
  deps: VerifierDeps,
  ref: ObjectRef,
): Promise<{ key: string; head: HeadObjectCommandOutput } | { failure: S3ErrorClass }> {
  const failures: S3ErrorClass[] = [];
  for (const key of ref.keyCandidates) {
    try {
      const head = await deps.s3.send(
        new HeadObjectCommand({ Bucket: ref.bucket, Key: key, VersionId: ref.versionId, ChecksumMode: 'ENABLED' }),
      );
      return { key, head };
    } catch (error) {
      const verdict = classifyS3Error(error);
      if (!verdict.permanent) throw error;
      failures.push(verdict);
      // Only "not there" (404, or 403 without s3:ListBucket) says the other spelling may be right.
      if (verdict.kind !== 'missing' && verdict.kind !== 'access-denied') break;
    }
  }
  // The first candidate is the likeliest spelling, so its error is the one reported.
  return { failure: failures[0] };
}

async function conclude(deps: VerifierDeps, item: VerifiedObjectItem, bytesHashed: number): Promise<VerificationResult> {
  const written = await putItem(deps, item);
  const log = { bucket: item.bucket, key: item.key, versionId: item.versionId, status: item.status };
  if (item.status === 'VERIFIED') {
    deps.logger.info(written ? 'object verified' : 'object already verified; first record kept', {
      ...log,
      checksumAlgorithm: item.checksumAlgorithm,
      checksumSource: item.checksumSource,
      checksumType: item.checksumType,
      bytesHashed,
    });
  } else {
    deps.logger.error(written ? 'object verification failed' : 'object verification failed; earlier VERIFIED record kept', {
      ...log,
      reason: item.error,
    });
    const alarm = failureAlarm(item);
    await deps.sns.send(new PublishCommand({ TopicArn: deps.alarmTopicArn, Subject: alarm.subject, Message: alarm.message }));
  }
  return { item, written, bytesHashed };
}

/** Creates the item or replaces a FAILED one; returns false when a VERIFIED item is already there. */
async function putItem(deps: VerifierDeps, item: VerifiedObjectItem): Promise<boolean> {
  try {
    await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'FAILED' },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

let defaultHandler: ReturnType<typeof makeHandler> | undefined;

/** Lambda entry point; clients and configuration are made once per container, on first use. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  defaultHandler ??= makeHandler(depsFromEnv());
  return defaultHandler(event, context);
};
