/**
 * The backup catalog's item layout, shared by every handler that reads or writes it.
 *
 * Table: partition key `pk` (S), sort key `sk` (S), on-demand, PITR, CMK.
 * Global secondary indexes (sparse: an item without the attribute is not indexed):
 * - `byResource`: `resourceArn` (S) / `eventTime` (S, ISO-8601) — a resource's history
 * - `byTenant`: `tenantId` (S) / `eventTime` (S) — a tenant's history
 * - `byRecoveryPoint`: `recoveryPointArn` (S) / `sk` (S) — every job that made or used a recovery point
 *
 * The construct in src/ repeats these names (it cannot import from lambda-src/);
 * a unit test checks that both agree.
 */

export const CATALOG_INDEXES = {
  byResource: { partitionKey: 'resourceArn', sortKey: 'eventTime' },
  byTenant: { partitionKey: 'tenantId', sortKey: 'eventTime' },
  byRecoveryPoint: { partitionKey: 'recoveryPointArn', sortKey: 'sk' },
} as const;

export type JobKind = 'BACKUP_JOB' | 'COPY_JOB' | 'RESTORE_JOB';
/**
 * Every kind of job item: the jobs plus SCAN_JOB, a GuardDuty malware scan of a recovery point
 * (AWS Backup "Scan Job State Change"). Kept apart from JobKind, whose users map the three
 * backup, copy and restore kinds exhaustively.
 */
export type CatalogJobKind = JobKind | 'SCAN_JOB';

/** One AWS Backup job (backup, copy, restore or malware scan), as last seen. */
export interface JobRecord {
  readonly pk: string; // jobKey(kind, jobId)
  readonly sk: 'JOB';
  readonly kind: CatalogJobKind;
  readonly jobId: string;
  readonly state: string; // AWS Backup state, e.g. COMPLETED, FAILED
  /** Orders states so that an older event never overwrites a newer one (see stateRank). */
  readonly stateRank: number;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly recoveryPointArn?: string;
  readonly vaultName?: string;
  readonly tenantId?: string;
  readonly creationTime?: string;
  readonly completionTime?: string;
  readonly statusMessage?: string;
  /** When the state change happened (event time, or the job's own time for the reconciler). */
  readonly eventTime: string;
  /** Who wrote it: an EventBridge event, the scheduled reconciler, or a restore validation. */
  readonly source: 'event' | 'reconciler' | 'restore-validator';
  readonly validationStatus?: 'SUCCESSFUL' | 'FAILED' | 'TIMED_OUT';
  readonly validationMessage?: string;
  /** Scan jobs: THREATS_FOUND, NO_THREATS_FOUND or UNKNOWN, once the scan finished. */
  readonly scanResultStatus?: string;
  readonly updatedAt: string;
}

/** One object version pushed into landing storage, with its verified checksum. */
export interface LandingObjectRecord {
  readonly pk: string; // objectKey(bucket, key)
  readonly sk: string; // versionSortKey(versionId)
  readonly kind: 'LANDING_OBJECT';
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly resourceArn: string; // arn:aws:s3:::bucket/key
  readonly tenantId?: string;
  readonly sizeBytes: number;
  readonly checksumAlgorithm?: string; // SHA256, CRC32, CRC32C, CRC64NVME, SHA1
  readonly checksum?: string; // base64, as S3 reports it
  /** `s3-stored`: S3's own checksum, no body read; `computed`: streamed through SHA-256 here. */
  readonly checksumSource?: 's3-stored' | 'computed';
  readonly status: 'VERIFIED' | 'FAILED';
  readonly error?: string;
  readonly eventTime: string;
  readonly updatedAt: string;
}

export const jobKey = (kind: CatalogJobKind, jobId: string): string => `JOB#${kind}#${jobId}`;
export const objectKey = (bucket: string, key: string): string => `OBJECT#${bucket}/${key}`;
/** S3 reports `null` as the version id of objects written while versioning was off. */
export const versionSortKey = (versionId: string | undefined): string => `VERSION#${versionId ?? 'null'}`;

/**
 * Rank of an AWS Backup job state: a write succeeds only when its rank is higher
 * than the stored one, or equal with a later eventTime. Terminal states share the
 * top rank, so a late RUNNING event can never regress a COMPLETED record.
 */
export function stateRank(state: string): number {
  switch (state) {
    case 'CREATED':
    case 'PENDING':
      return 1;
    case 'RUNNING':
    case 'STARTED':
    case 'PENDING_TRANSITION':
      return 2;
    case 'ABORTING':
      return 3;
    case 'COMPLETED':
    case 'FAILED':
    case 'ABORTED':
    case 'EXPIRED':
    case 'PARTIAL':
    // Scan jobs' other terminal states.
    case 'CANCELED':
    case 'COMPLETED_WITH_ISSUES':
      return 4;
    default:
      return 0;
  }
}

/** Tenant list meaning "every first path segment is a tenant" (set when the list is too long for the environment). */
export const ANY_TENANT = '*';

/**
 * The tenant that owns a landing-storage key: its first path segment, when it is a
 * known tenant (or any segment, with `ANY_TENANT`: IAM lets tenants write only
 * under their own prefix, so the prefix is the tenant).
 */
export function tenantOfKey(key: string, tenants: readonly string[]): string | undefined {
  const first = key.split('/', 1)[0];
  if (!key.includes('/') || first === '') return undefined;
  return tenants.includes(first) || tenants.includes(ANY_TENANT) ? first : undefined;
}
