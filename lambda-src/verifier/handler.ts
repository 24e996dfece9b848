/**
 * The verifier over injected clients: for each object version announced by a message, read the
 * stored checksum or hash the streamed body, record the verdict, alarm on a failure. Parsing the
 * message (./event.ts), the checksums (./checksum.ts) and what a verdict means (./outcome.ts) are pure.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { hashStream, storedChecksum } from './checksum';
import { parseMessageBody, type ObjectRef } from './event';
import {
  classifyS3Error,
  failed,
  failureAlarm,
  verifiedByComputedDigest,
  verifiedByStoredChecksum,
  type S3ErrorClass,
  type VerificationFacts,
  type VerifiedObjectItem,
} from './outcome';
import { tenantOfKey } from '../shared/catalog-schema';
import { errorName } from '../shared/errors';

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

/** The SQS handler over its dependencies; verifier.lambda.ts wires the real ones. */
export function createVerifierHandler(deps: VerifierDeps): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
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
    if (errorName(error) === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
