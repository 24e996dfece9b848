/**
 * Turns one SQS message body into the S3 object versions it announces. Pure: no I/O.
 *
 * Two shapes are accepted, because both reach an SQS queue in practice:
 * - an EventBridge event (`source: aws.s3`, `detail-type: Object Created`), the design's path;
 * - an S3 event notification (`Records[].s3`), in case the bucket notifies the queue directly.
 *
 * Object keys: S3 notification records carry the key form-URL-encoded ("red flower.jpg" arrives
 * as "red+flower.jpg"). For EventBridge the S3 documentation does not say either way, and AWS's
 * own Powertools for Python decodes it the same way (`unquote_plus`). A key therefore yields up
 * to two candidates — the decoded form first, the raw form second — and the verifier uses the
 * first one S3 knows. With a version id the two cannot be confused: a version id belongs to one key.
 */
import { isObject, parseJsonObject } from '../shared/json';

/** One object version to verify. */
export interface ObjectRef {
  readonly bucket: string;
  /** Keys to try in order: the URL-decoded key, then the raw key when it differs. Never empty. */
  readonly keyCandidates: readonly string[];
  readonly versionId?: string;
  /** Size announced by the event, when it has one. */
  readonly size?: number;
  /** When S3 says the object was created (ISO-8601). */
  readonly eventTime?: string;
  /** ARN partition of the bucket (`aws`, `aws-cn`, `aws-us-gov`, ...). */
  readonly partition: string;
}

/** What a message body means: objects to verify, or a recognised message to skip (with why). */
export type ParsedMessage =
  | { readonly kind: 'objects'; readonly objects: readonly ObjectRef[] }
  | { readonly kind: 'skip'; readonly reason: string };

/** A message the verifier cannot understand: retrying will not help, it belongs in the DLQ. */
export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

/**
 * The keys an event key may stand for: form-URL-decoded first, then as written.
 * A key that does not decode (a stray `%`) can only be literal.
 */
export function keyCandidates(eventKey: string): string[] {
  let decoded: string | undefined;
  try {
    decoded = decodeURIComponent(eventKey.replace(/\+/g, ' '));
  } catch {
    decoded = undefined;
  }
  return decoded === undefined || decoded === eventKey ? [eventKey] : [decoded, eventKey];
}

/** Partition of an ARN such as `arn:aws-cn:s3:::bucket`; `aws` when there is none. */
export function partitionOf(arn: unknown): string {
  if (typeof arn === 'string') {
    const match = /^arn:([a-z0-9-]+):/.exec(arn);
    if (match) return match[1];
  }
  return 'aws';
}

export function parseMessageBody(body: string): ParsedMessage {
  const message = parseJsonObject(body, (reason) => new MalformedMessageError(reason));

  if ('detail-type' in message || 'detail' in message) return parseEventBridge(message);
  if (Array.isArray(message.Records)) return parseNotification(message.Records);
  // S3 sends this once when a notification configuration is saved.
  if (message.Event === 's3:TestEvent') return { kind: 'skip', reason: 'S3 test event' };
  throw new MalformedMessageError('message is neither an EventBridge event nor an S3 notification');
}

function parseEventBridge(event: Record<string, unknown>): ParsedMessage {
  if (event.source !== 'aws.s3' || event['detail-type'] !== 'Object Created') {
    return { kind: 'skip', reason: `not an S3 Object Created event (${String(event.source)} / ${String(event['detail-type'])})` };
  }
  const detail = event.detail;
  if (!isObject(detail) || !isObject(detail.bucket) || !isObject(detail.object)) {
    throw new MalformedMessageError('Object Created event without detail.bucket and detail.object');
  }
  const resources = Array.isArray(event.resources) ? event.resources : [];
  return {
    kind: 'objects',
    objects: [
      objectRef({
        bucket: detail.bucket.name,
        key: detail.object.key,
        versionId: detail.object['version-id'],
        size: detail.object.size,
        eventTime: event.time,
        bucketArn: resources[0],
      }),
    ],
  };
}

function parseNotification(records: unknown[]): ParsedMessage {
  const objects: ObjectRef[] = [];
  for (const record of records) {
    if (!isObject(record) || !isObject(record.s3)) {
      throw new MalformedMessageError('S3 notification record without s3');
    }
    if (typeof record.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated:')) continue;
    const { bucket, object } = record.s3;
    if (!isObject(bucket) || !isObject(object)) {
      throw new MalformedMessageError('S3 notification record without s3.bucket and s3.object');
    }
    objects.push(
      objectRef({
        bucket: bucket.name,
        key: object.key,
        versionId: object.versionId,
        size: object.size,
        eventTime: record.eventTime,
        bucketArn: bucket.arn,
      }),
    );
  }
  return objects.length > 0 ? { kind: 'objects', objects } : { kind: 'skip', reason: 'no ObjectCreated records' };
}

function objectRef(raw: Record<'bucket' | 'key' | 'versionId' | 'size' | 'eventTime' | 'bucketArn', unknown>): ObjectRef {
  if (typeof raw.bucket !== 'string' || raw.bucket === '') throw new MalformedMessageError('bucket name missing');
  if (typeof raw.key !== 'string' || raw.key === '') throw new MalformedMessageError('object key missing');
  if (raw.versionId !== undefined && raw.versionId !== null && typeof raw.versionId !== 'string') {
    throw new MalformedMessageError('version id is not a string');
  }
  if (raw.size !== undefined && !(typeof raw.size === 'number' && Number.isSafeInteger(raw.size) && raw.size >= 0)) {
    throw new MalformedMessageError('object size is not a non-negative integer');
  }
  return {
    bucket: raw.bucket,
    keyCandidates: keyCandidates(raw.key),
    // S3 reports objects written while versioning was off with the version id "null".
    versionId: typeof raw.versionId === 'string' && raw.versionId !== '' && raw.versionId !== 'null' ? raw.versionId : undefined,
    size: raw.size as number | undefined,
    eventTime: typeof raw.eventTime === 'string' ? raw.eventTime : undefined,
    partition: partitionOf(raw.bucketArn),
  };
}
