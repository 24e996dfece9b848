/**
 * What a verification concluded, as a catalog item and an alarm message; and which S3 errors are
 * a verdict on the object (record FAILED) rather than a passing fault (throw, so SQS retries).
 * Pure: no I/O.
 */
import type { ChecksumType, StoredChecksum } from './checksum';
import { objectKey, versionSortKey, type LandingObjectRecord } from '../shared/catalog-schema';

/** The catalog item this handler writes: the shared layout plus what it knows about the checksum. */
export interface VerifiedObjectItem extends LandingObjectRecord {
  /** Set with a stored checksum: `COMPOSITE` means a checksum of part checksums, not of the body. */
  readonly checksumType?: ChecksumType;
  readonly etag?: string;
}

export type PermanentFailureKind = 'missing' | 'access-denied' | 'not-readable' | 'invalid-request';

/**
 * `permanent`: retrying cannot change the answer, so the verifier records FAILED and alarms.
 * `transient`: throttling, 5xx, network, or anything unknown — thrown, so the message is retried
 * (after the SDK's own retries) and lands in the DLQ if it keeps failing.
 */
export type S3ErrorClass =
  | { readonly kind: PermanentFailureKind; readonly permanent: true; readonly reason: string }
  | { readonly kind: 'transient'; readonly permanent: false; readonly reason: string };

interface SdkErrorLike {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

export function classifyS3Error(error: unknown): S3ErrorClass {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const name = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : 'Error';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const detail = `${name}${status !== undefined ? ` (HTTP ${status})` : ''}`;

  if (['NoSuchKey', 'NoSuchVersion', 'NotFound', 'NoSuchBucket'].includes(name) || status === 404) {
    return { kind: 'missing', permanent: true, reason: `object version not found: ${detail}` };
  }
  // A delete marker addressed by version id answers 405.
  if (name === 'MethodNotAllowed' || status === 405) {
    return { kind: 'missing', permanent: true, reason: `object version is a delete marker: ${detail}` };
  }
  if (name === 'InvalidObjectState') {
    return { kind: 'not-readable', permanent: true, reason: `object is archived and cannot be read: ${detail}` };
  }
  if (name.startsWith('KMS.')) {
    return { kind: 'not-readable', permanent: true, reason: `object's KMS key cannot be used: ${detail}` };
  }
  if (['AccessDenied', 'Forbidden', 'AllAccessDisabled'].includes(name) || status === 403) {
    // S3 answers 403 rather than 404 for a missing key when the caller may not list the bucket.
    return {
      kind: 'access-denied',
      permanent: true,
      reason: `access denied (or the object is missing and s3:ListBucket is not granted): ${detail}`,
    };
  }
  if (name === 'InvalidArgument') {
    return { kind: 'invalid-request', permanent: true, reason: `S3 rejected the request: ${detail}` };
  }
  return { kind: 'transient', permanent: false, reason: detail };
}

/** Where the verification stands when its item is written. */
export interface VerificationFacts {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly partition: string;
  readonly tenantId?: string;
  readonly sizeBytes: number;
  readonly eventTime: string;
  readonly updatedAt: string;
  readonly etag?: string;
}

export function verifiedByStoredChecksum(facts: VerificationFacts, stored: StoredChecksum): VerifiedObjectItem {
  return compact({
    ...baseItem(facts),
    status: 'VERIFIED',
    checksumAlgorithm: stored.algorithm,
    checksum: stored.value,
    checksumSource: 's3-stored',
    checksumType: stored.type,
  });
}

export function verifiedByComputedDigest(facts: VerificationFacts, sha256Base64: string): VerifiedObjectItem {
  return compact({
    ...baseItem(facts),
    status: 'VERIFIED',
    checksumAlgorithm: 'SHA256',
    checksum: sha256Base64,
    checksumSource: 'computed',
  });
}

export function failed(facts: VerificationFacts, error: string): VerifiedObjectItem {
  return compact({ ...baseItem(facts), status: 'FAILED', error });
}

function baseItem(facts: VerificationFacts) {
  return {
    pk: objectKey(facts.bucket, facts.key),
    sk: versionSortKey(facts.versionId),
    kind: 'LANDING_OBJECT' as const,
    bucket: facts.bucket,
    key: facts.key,
    versionId: facts.versionId ?? 'null',
    resourceArn: `arn:${facts.partition}:s3:::${facts.bucket}/${facts.key}`,
    tenantId: facts.tenantId,
    sizeBytes: facts.sizeBytes,
    etag: facts.etag,
    eventTime: facts.eventTime,
    updatedAt: facts.updatedAt,
  };
}

/** Drops undefined attributes: DynamoDB items hold no undefined values. */
function compact<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as T;
}

export interface AlarmMessage {
  readonly subject: string;
  readonly message: string;
}

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
const MAX_SUBJECT = 100;

export function failureAlarm(item: VerifiedObjectItem): AlarmMessage {
  const where = `s3://${item.bucket}/${item.key}`;
  const subject = toSubject(`Landing object verification FAILED: ${where}`);
  const lines = [
    'A pushed backup in landing storage could not be verified.',
    '',
    `Object:      ${where}`,
    `Version:     ${item.versionId}`,
    `Tenant:      ${item.tenantId ?? '(none)'}`,
    `Size:        ${item.sizeBytes} bytes`,
    `Reason:      ${item.error ?? 'unknown'}`,
    `Created at:  ${item.eventTime}`,
    `Checked at:  ${item.updatedAt}`,
    `Catalog:     pk=${item.pk} sk=${item.sk}`,
    '',
    'The object was not changed: the verifier only reads. Check that the object version still',
    'exists and that the verifier may read it (s3:GetObject, s3:GetObjectVersion, kms:Decrypt).',
  ];
  return { subject, message: lines.join('\n') };
}

function toSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= MAX_SUBJECT ? ascii : `${ascii.slice(0, MAX_SUBJECT - 3)}...`;
}
