/**
 * The Backup API calls that enrich an event: DescribeBackupJob / DescribeCopyJob /
 * DescribeRestoreJob / DescribeScanJob, then DescribeRecoveryPoint for a finished job's recovery point.
 *
 * The event alone is a valid record, so enrichment never costs the record:
 * - not found (the job or recovery point is gone): recorded without it;
 * - any other definite refusal (4xx other than throttling, e.g. AccessDenied): recorded without
 *   it and reported (`problem`), so a missing permission shows up as a metric, not as a DLQ full
 *   of good events;
 * - throttling and 5xx that outlast the client's retries: thrown, so the message returns to the
 *   queue and is enriched on a later attempt (or dead-lettered after maxReceiveCount).
 */
import {
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  DescribeScanJobCommand,
  type BackupClient,
  type DescribeRecoveryPointOutput,
} from '@aws-sdk/client-backup';
import {
  RECOVERY_POINT_STATES,
  arnScope,
  recordFromBackupJob,
  recordFromCopyJob,
  recordFromRestoreJob,
  recordFromScanJob,
  type CatalogJobItem,
  type JobEvent,
  type RecordOrigin,
} from './job-record';
import { errorName, httpStatus } from '../shared/errors';

export interface Enrichment<T> {
  /** What the API answered; undefined when it had nothing (not found) or refused. */
  readonly value?: T;
  /** Set when the API refused for a reason other than "not found" (the record goes on without it). */
  readonly problem?: Error;
}

/** What the Backup API says about the event's job, as a record. */
export async function describeJob(backup: BackupClient, event: JobEvent, origin: RecordOrigin): Promise<Enrichment<CatalogJobItem>> {
  const jobId = event.jobId;
  if (!jobId) return {};
  return tolerant(async () => {
    switch (event.kind) {
      case 'BACKUP_JOB': {
        const out = await backup.send(new DescribeBackupJobCommand({ BackupJobId: jobId }));
        return out.State ? recordFromBackupJob({ ...out, BackupJobId: out.BackupJobId ?? jobId }, origin) : undefined;
      }
      case 'COPY_JOB': {
        const out = await backup.send(new DescribeCopyJobCommand({ CopyJobId: jobId }));
        return out.CopyJob?.State ? recordFromCopyJob({ ...out.CopyJob, CopyJobId: out.CopyJob.CopyJobId ?? jobId }, origin) : undefined;
      }
      case 'RESTORE_JOB': {
        const out = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
        return out.Status ? recordFromRestoreJob({ ...out, RestoreJobId: out.RestoreJobId ?? jobId }, origin) : undefined;
      }
      case 'SCAN_JOB': {
        const out = await backup.send(new DescribeScanJobCommand({ ScanJobId: jobId }));
        return out.State ? recordFromScanJob({ ...out, ScanJobId: out.ScanJobId ?? jobId }, origin) : undefined;
      }
    }
  });
}

/**
 * DescribeRecoveryPoint for a completed (or partial) job whose recovery point and vault are
 * known, when that vault is in the event's own account and region (a cross-region or
 * cross-account copy destination cannot be described from here).
 */
export async function describeRecoveryPoint(
  backup: BackupClient,
  record: CatalogJobItem,
  scope: { readonly region?: string; readonly account?: string },
): Promise<Enrichment<DescribeRecoveryPointOutput>> {
  if (!RECOVERY_POINT_STATES.has(record.state) || !record.recoveryPointArn || !record.vaultName) return {};
  const vault = arnScope(record.vaultArn);
  if (vault.region && scope.region && vault.region !== scope.region) return {};
  if (vault.account && scope.account && vault.account !== scope.account) return {};
  return tolerant(() => backup.send(new DescribeRecoveryPointCommand({
    BackupVaultName: record.vaultName,
    RecoveryPointArn: record.recoveryPointArn,
  })));
}

/** Backup's "no such job / recovery point" answer. */
export function isNotFound(err: unknown): boolean {
  return errorName(err) === 'ResourceNotFoundException';
}

async function tolerant<T>(call: () => Promise<T | undefined>): Promise<Enrichment<T>> {
  try {
    return { value: await call() };
  } catch (err) {
    if (isNotFound(err)) return {};
    if (isDefiniteRefusal(err)) return { problem: err as Error };
    throw err;
  }
}

const THROTTLING = /throttl|toomanyrequests|limitexceeded|slowdown/i;

/** A 4xx answer that retrying will not change (not throttling). Network errors and 5xx are not refusals. */
export function isDefiniteRefusal(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = httpStatus(err);
  return status !== undefined && status >= 400 && status < 500 && status !== 429 && !THROTTLING.test(errorName(err) ?? '');
}
