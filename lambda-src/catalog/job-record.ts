/**
 * Pure normalisation of AWS Backup jobs into catalog items: from EventBridge `aws.backup`
 * job state-change events, from DescribeBackupJob / DescribeCopyJob / DescribeRestoreJob /
 * DescribeScanJob,
 * from the List*Jobs members the reconciler pages through, and from DescribeRecoveryPoint.
 * No I/O here, so every rule is unit-testable.
 */
import type {
  BackupJob,
  CopyJob,
  DescribeBackupJobOutput,
  DescribeRecoveryPointOutput,
  DescribeRestoreJobOutput,
  DescribeScanJobOutput,
  RestoreJobsListMember,
  ScanJob,
} from '@aws-sdk/client-backup';
import { jobKey, stateRank, tenantOfKey, type CatalogJobKind, type JobRecord } from '../shared/catalog-schema';
import { isObject, parseJsonObject } from '../shared/json';

/**
 * A catalog job item: the shared JobRecord plus attributes only this writer fills.
 * They are plain extra attributes on the same item; readers of JobRecord ignore them.
 */
export interface CatalogJobItem extends JobRecord {
  readonly accountId?: string;
  /** The vault that holds `recoveryPointArn` (backup: target vault; copy: destination; restore: source). */
  readonly vaultArn?: string;
  /** Copy jobs: the recovery point that was copied. */
  readonly sourceRecoveryPointArn?: string;
  /** Restore jobs: the resource the restore created. */
  readonly createdResourceArn?: string;
  readonly backupSizeBytes?: number;
  /** From DescribeRecoveryPoint (event path only, completed jobs in this account and region). */
  readonly recoveryPointStatus?: string;
  readonly recoveryPointEncrypted?: boolean;
  readonly recoveryPointKeyArn?: string;
  readonly recoveryPointDeleteAt?: string;
  /** Scan jobs: FULL_SCAN or INCREMENTAL_SCAN. */
  readonly scanMode?: string;
  /** Scan jobs: GUARDDUTY. */
  readonly malwareScanner?: string;
  /** Scan jobs: the role the scanner used. */
  readonly scannerRoleArn?: string;
  /** Incremental scan jobs: the recovery point the scan compared against. */
  readonly scanBaseRecoveryPointArn?: string;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * EventBridge detail-type → job kind, for the job events the catalog consumes. Scan jobs:
 * AWS Backup Developer Guide, eventbridge.html, "Malware scan Job events".
 */
export const DETAIL_TYPE_KINDS: Readonly<Record<string, CatalogJobKind>> = {
  'Backup Job State Change': 'BACKUP_JOB',
  'Copy Job State Change': 'COPY_JOB',
  'Restore Job State Change': 'RESTORE_JOB',
  'Scan Job State Change': 'SCAN_JOB',
};

const JOB_ID_FIELD: Readonly<Record<CatalogJobKind, string>> = {
  BACKUP_JOB: 'backupJobId',
  COPY_JOB: 'copyJobId',
  RESTORE_JOB: 'restoreJobId',
  SCAN_JOB: 'scanJobId',
};

/**
 * States counted by the FailedJobs metric: every terminal outcome that is not a clean COMPLETED
 * (CANCELED and COMPLETED_WITH_ISSUES are scan-job states). A scan that found threats counts too
 * (isFailure).
 */
export const FAILURE_STATES: ReadonlySet<string> = new Set(['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL', 'CANCELED', 'COMPLETED_WITH_ISSUES']);

/** A failed job, or a malware scan that found threats in its recovery point. */
export function isFailure(record: Pick<CatalogJobItem, 'state' | 'scanResultStatus'>): boolean {
  return FAILURE_STATES.has(record.state) || record.scanResultStatus === 'THREATS_FOUND';
}

/** States after which the job's recovery point exists and can be described. */
export const RECOVERY_POINT_STATES: ReadonlySet<string> = new Set(['COMPLETED', 'PARTIAL']);

/** eventTime used when a job carries no time at all: sorts before every real time, so it never wins a tie. */
export const EPOCH = new Date(0).toISOString();

/** A message that can never be processed: reported as a batch item failure, so it ends in the DLQ. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/** A validated job state-change event. `jobId` is undefined when AWS sent none (e.g. a copy job's CREATED event). */
export interface JobEvent {
  readonly kind: CatalogJobKind;
  readonly jobId?: string;
  readonly state: string;
  /** Normalised ISO-8601 (milliseconds), so string comparison orders it correctly. */
  readonly eventTime: string;
  readonly account?: string;
  readonly region?: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * Parses an SQS message body holding an EventBridge event. Throws PoisonMessageError for
 * anything that is not a job state-change event with a detail, a state and a usable time.
 */
export function parseJobEvent(body: string): JobEvent {
  const parsed = parseJsonObject(body, (reason) => new PoisonMessageError(reason));
  const detailType = parsed['detail-type'];
  const kind = typeof detailType === 'string' ? DETAIL_TYPE_KINDS[detailType] : undefined;
  if (!kind) throw new PoisonMessageError(`unsupported detail-type: ${JSON.stringify(detailType)}`);
  const detail = parsed.detail;
  if (!isObject(detail)) throw new PoisonMessageError(`${String(detailType)} event has no detail object`);
  // Restore events say `status`, except their CREATED event, which says `state` (as do backup and copy jobs).
  const state = str(detail.state) ?? str(detail.status);
  if (!state) throw new PoisonMessageError(`${String(detailType)} event has no state`);
  const eventTime = isoTime(parsed.time) ?? isoTime(detail.completionDate) ?? isoTime(detail.creationDate);
  if (!eventTime) throw new PoisonMessageError(`${String(detailType)} event has no usable time`);
  return {
    kind,
    jobId: str(detail[JOB_ID_FIELD[kind]]),
    state,
    eventTime,
    account: str(parsed.account),
    region: str(parsed.region),
    resources: Array.isArray(parsed.resources) ? parsed.resources.filter((r): r is string => typeof r === 'string') : [],
    detail,
  };
}

/** The record an event alone supports (used as is when the job cannot be described). */
export function recordFromEvent(event: JobEvent, updatedAt: string): CatalogJobItem {
  if (!event.jobId) throw new Error('recordFromEvent needs a job id');
  const d = event.detail;
  const common = {
    state: event.state,
    eventTime: event.eventTime,
    source: 'event' as const,
    updatedAt,
    accountId: event.account,
    resourceType: str(d.resourceType),
    creationTime: isoTime(d.creationDate),
    completionTime: isoTime(d.completionDate),
    statusMessage: str(d.statusMessage),
    backupSizeBytes: num(d.backupSizeInBytes),
  };
  switch (event.kind) {
    case 'BACKUP_JOB': {
      // A completed backup job's event lists its recovery point as the only resource.
      const rp = str(d.recoveryPointArn) ?? (RECOVERY_POINT_STATES.has(event.state) ? event.resources[0] : undefined);
      const vaultArn = str(d.backupVaultArn);
      return compact({
        ...identity('BACKUP_JOB', event.jobId, event.state),
        ...common,
        resourceArn: str(d.resourceArn),
        recoveryPointArn: rp,
        vaultArn,
        vaultName: str(d.backupVaultName) ?? vaultNameOfArn(vaultArn),
      });
    }
    case 'COPY_JOB': {
      const vaultArn = str(d.destinationBackupVaultArn);
      return compact({
        ...identity('COPY_JOB', event.jobId, event.state),
        ...common,
        resourceArn: str(d.resourceArn),
        recoveryPointArn: str(d.destinationRecoveryPointArn),
        sourceRecoveryPointArn: str(d.sourceRecoveryPointArn),
        vaultArn,
        vaultName: vaultNameOfArn(vaultArn),
      });
    }
    case 'RESTORE_JOB': {
      const vaultArn = str(d.backupVaultArn);
      return compact({
        ...identity('RESTORE_JOB', event.jobId, event.state),
        ...common,
        resourceArn: str(d.sourceResourceArn),
        recoveryPointArn: str(d.recoveryPointArn),
        createdResourceArn: str(d.createdResourceArn),
        vaultArn,
        vaultName: vaultNameOfArn(vaultArn),
      });
    }
    case 'SCAN_JOB': {
      // The scanned recovery point is the event's resource; the result arrives with the terminal state.
      const vaultArn = str(d.backupVaultArn);
      const result = isObject(d.scanResult) ? str(d.scanResult.scanResultStatus) : undefined;
      return compact({
        ...identity('SCAN_JOB', event.jobId, event.state),
        ...common,
        resourceArn: str(d.resourceArn),
        recoveryPointArn: str(d.recoveryPointArn) ?? event.resources[0],
        vaultArn,
        vaultName: str(d.backupVaultName) ?? vaultNameOfArn(vaultArn),
        scanResultStatus: result,
        scanMode: str(d.scanMode),
        malwareScanner: str(d.malwareScanner),
        scannerRoleArn: str(d.scannerRoleArn),
        scanBaseRecoveryPointArn: str(d.scanBaseRecoveryPointArn),
      });
    }
  }
}

/** Who wrote a record and when, for records built from the Backup API. */
export interface RecordOrigin {
  readonly source: 'event' | 'reconciler';
  readonly updatedAt: string;
  /** The event's time; undefined for the reconciler, which uses the job's own time (see jobTime). */
  readonly eventTime?: string;
}

/** From DescribeBackupJob or a ListBackupJobs member (same fields). */
export function recordFromBackupJob(job: BackupJob | DescribeBackupJobOutput, origin: RecordOrigin): CatalogJobItem {
  if (!job.BackupJobId || !job.State) throw new Error('backup job without BackupJobId or State');
  return compact({
    ...identity('BACKUP_JOB', job.BackupJobId, job.State),
    ...apiCommon(job.State, job.CreationDate, job.CompletionDate, origin),
    ...jobInVault(job),
    backupSizeBytes: job.BackupSizeInBytes,
  });
}

/** From DescribeCopyJob's CopyJob or a ListCopyJobs member. The vault is the destination vault. */
export function recordFromCopyJob(job: CopyJob, origin: RecordOrigin): CatalogJobItem {
  if (!job.CopyJobId || !job.State) throw new Error('copy job without CopyJobId or State');
  return compact({
    ...identity('COPY_JOB', job.CopyJobId, job.State),
    ...apiCommon(job.State, job.CreationDate, job.CompletionDate, origin),
    accountId: job.AccountId,
    resourceArn: job.ResourceArn,
    resourceType: job.ResourceType,
    recoveryPointArn: job.DestinationRecoveryPointArn,
    sourceRecoveryPointArn: job.SourceRecoveryPointArn,
    vaultArn: job.DestinationBackupVaultArn,
    vaultName: vaultNameOfArn(job.DestinationBackupVaultArn),
    statusMessage: job.StatusMessage || undefined,
    backupSizeBytes: job.BackupSizeInBytes,
  });
}

/** From DescribeRestoreJob or a ListRestoreJobs member. resourceArn is the resource that was backed up. */
export function recordFromRestoreJob(job: DescribeRestoreJobOutput | RestoreJobsListMember, origin: RecordOrigin): CatalogJobItem {
  if (!job.RestoreJobId || !job.Status) throw new Error('restore job without RestoreJobId or Status');
  const validation = job.ValidationStatus;
  return compact({
    ...identity('RESTORE_JOB', job.RestoreJobId, job.Status),
    ...apiCommon(job.Status, job.CreationDate, job.CompletionDate, origin),
    accountId: job.AccountId,
    resourceArn: job.SourceResourceArn,
    resourceType: job.ResourceType,
    recoveryPointArn: job.RecoveryPointArn,
    createdResourceArn: job.CreatedResourceArn,
    vaultArn: job.BackupVaultArn,
    vaultName: vaultNameOfArn(job.BackupVaultArn),
    statusMessage: job.StatusMessage || undefined,
    backupSizeBytes: job.BackupSizeInBytes,
    // VALIDATING is not a result; only the three outcomes belong in the record.
    validationStatus: validation === 'SUCCESSFUL' || validation === 'FAILED' || validation === 'TIMED_OUT' ? validation : undefined,
    validationMessage: validation ? job.ValidationStatusMessage || undefined : undefined,
  });
}

/** From DescribeScanJob or a ListScanJobs member (same fields). The vault is the one holding the scanned recovery point. */
export function recordFromScanJob(job: ScanJob | DescribeScanJobOutput, origin: RecordOrigin): CatalogJobItem {
  if (!job.ScanJobId || !job.State) throw new Error('scan job without ScanJobId or State');
  return compact({
    ...identity('SCAN_JOB', job.ScanJobId, job.State),
    ...apiCommon(job.State, job.CreationDate, job.CompletionDate, origin),
    ...jobInVault(job),
    scanResultStatus: job.ScanResult?.ScanResultStatus,
    scanMode: job.ScanMode,
    malwareScanner: job.MalwareScanner,
    scannerRoleArn: job.ScannerRoleArn,
    scanBaseRecoveryPointArn: job.ScanBaseRecoveryPointArn || undefined,
  });
}

/** The fields backup and scan jobs share, named alike in the API: the job's resource, recovery point and vault. */
function jobInVault(job: {
  AccountId?: string;
  ResourceArn?: string;
  ResourceType?: string;
  RecoveryPointArn?: string;
  BackupVaultArn?: string;
  BackupVaultName?: string;
  StatusMessage?: string;
}) {
  return {
    accountId: job.AccountId,
    resourceArn: job.ResourceArn,
    resourceType: job.ResourceType,
    recoveryPointArn: job.RecoveryPointArn,
    vaultArn: job.BackupVaultArn,
    vaultName: job.BackupVaultName ?? vaultNameOfArn(job.BackupVaultArn),
    statusMessage: job.StatusMessage || undefined,
  };
}

/** Attributes that describe the job, not one of its states: the Backup API's value wins over the event's. */
const STABLE_FIELDS = [
  'accountId', 'resourceArn', 'resourceType', 'recoveryPointArn', 'sourceRecoveryPointArn',
  'createdResourceArn', 'vaultArn', 'vaultName', 'creationTime',
  'scanMode', 'malwareScanner', 'scannerRoleArn', 'scanBaseRecoveryPointArn',
] as const;
/** Attributes of one state: taken from the API only when it reports the same state as the event. */
const STATE_FIELDS = [
  'completionTime', 'statusMessage', 'backupSizeBytes', 'validationStatus', 'validationMessage', 'scanResultStatus',
] as const;

/**
 * Combines an event with what DescribeX returned. The event decides state, rank and eventTime
 * (an event records the state it announces, even when the job has moved on since: that later
 * state has its own event, and the reconciler catches it if the event is lost).
 */
export function mergeDescribed(fromEvent: CatalogJobItem, described: CatalogJobItem | undefined): CatalogJobItem {
  if (!described) return fromEvent;
  const merged: Mutable<CatalogJobItem> = { ...fromEvent };
  const target = merged as unknown as Record<string, unknown>;
  const api = described as unknown as Record<string, unknown>;
  const own = fromEvent as unknown as Record<string, unknown>;
  for (const f of STABLE_FIELDS) target[f] = api[f] ?? own[f];
  if (described.state === fromEvent.state) {
    for (const f of STATE_FIELDS) target[f] = api[f] ?? own[f];
  }
  return compact(merged);
}

/** Adds what DescribeRecoveryPoint says about the job's recovery point. */
export function withRecoveryPoint(record: CatalogJobItem, rp: DescribeRecoveryPointOutput | undefined): CatalogJobItem {
  if (!rp) return record;
  return compact({
    ...record,
    resourceArn: record.resourceArn ?? rp.ResourceArn,
    resourceType: record.resourceType ?? rp.ResourceType,
    recoveryPointStatus: rp.Status,
    recoveryPointEncrypted: rp.IsEncrypted,
    recoveryPointKeyArn: rp.EncryptionKeyArn,
    recoveryPointDeleteAt: isoTime(rp.CalculatedLifecycle?.DeleteAt),
  });
}

/**
 * The tenant a job belongs to, when its resource says so: an S3 object ARN
 * (`arn:aws:s3:::bucket/<tenant>/...`) whose key starts with a known tenant. Nothing else in
 * an ARN names a tenant reliably, so every other job stays without one.
 */
export function tenantOfRecord(record: CatalogJobItem, tenants: readonly string[]): string | undefined {
  if (tenants.length === 0) return undefined;
  for (const arn of [record.resourceArn, record.createdResourceArn]) {
    const tenant = arn ? tenantOfResourceArn(arn, tenants) : undefined;
    if (tenant) return tenant;
  }
  return undefined;
}

export function tenantOfResourceArn(arn: string, tenants: readonly string[]): string | undefined {
  const m = /^arn:[^:]+:s3:::[^/]+\/(.+)$/.exec(arn);
  return m ? tenantOfKey(m[1], tenants) : undefined;
}

export function withTenant(record: CatalogJobItem, tenants: readonly string[]): CatalogJobItem {
  if (record.tenantId) return record;
  const tenantId = tenantOfRecord(record, tenants);
  return tenantId ? { ...record, tenantId } : record;
}

/**
 * The reconciler's eventTime: when the job reached its current state as far as the API tells —
 * completion time for a finished job, creation time otherwise. Both are at or before the time of
 * the event that announced the same state, so a reconciled record never displaces an event's.
 */
export function jobTime(state: string, creation: Date | undefined, completion: Date | undefined): string {
  const finished = stateRank(state) >= stateRank('COMPLETED');
  return (finished ? isoTime(completion) : undefined) ?? isoTime(creation) ?? EPOCH;
}

/** `arn:aws:backup:<region>:<account>:backup-vault:<name>` → `<name>`. */
export function vaultNameOfArn(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]+:backup:[^:]*:[^:]*:backup-vault:(.+)$/.exec(arn) : null;
  return m ? m[1] : undefined;
}

/** Region and account of an ARN. */
export function arnScope(arn: string | undefined): { region?: string; account?: string } {
  const parts = arn?.split(':');
  return parts && parts.length >= 6 && parts[0] === 'arn' ? { region: parts[3] || undefined, account: parts[4] || undefined } : {};
}

/** Normalises a time (Date, ISO string or epoch milliseconds) to ISO-8601 with milliseconds. */
export function isoTime(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function identity(kind: CatalogJobKind, jobId: string, state: string) {
  return { pk: jobKey(kind, jobId), sk: 'JOB' as const, kind, jobId, state, stateRank: stateRank(state) };
}

function apiCommon(state: string, creation: Date | undefined, completion: Date | undefined, origin: RecordOrigin) {
  return {
    eventTime: origin.eventTime ?? jobTime(state, creation, completion),
    source: origin.source,
    updatedAt: origin.updatedAt,
    creationTime: isoTime(creation),
    completionTime: isoTime(completion),
  };
}

/** Only non-empty strings: AWS sometimes sends `{}` where a string is expected (e.g. destinationRecoveryPointArn). */
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Sizes arrive as numbers or numeric strings. */
function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Drops undefined and empty-string attributes (an empty string cannot be an index key). */
export function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== '')) as T;
}
