/**
 * Reads what AWS Backup knows about a recovery point's malware scans (./scan.ts decides):
 * ListScanJobs by recovery point ARN (backup:ListScanJobs, no resource-level permission), and
 * DescribeRecoveryPoint (backup:DescribeRecoveryPoint) only when the system's scan rules cover
 * the resource type: its creating rule says whether a scan is required.
 */
import {
  DescribeRecoveryPointCommand,
  ListScanJobsCommand,
  type BackupClient,
  type DescribeRecoveryPointOutput,
  type ScanJob,
} from '@aws-sdk/client-backup';
import { baseToCheck, type RecoveryPointFacts, type ScanJobFacts } from './scan';

/** ListScanJobs pages read per recovery point (a recovery point has a handful of scans). */
export const MAX_SCAN_JOB_PAGES = 5;

export async function listScanJobs(backup: BackupClient, recoveryPointArn: string): Promise<ScanJobFacts[]> {
  const jobs: ScanJobFacts[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_SCAN_JOB_PAGES; page++) {
    const out = await backup.send(new ListScanJobsCommand({ ByRecoveryPointArn: recoveryPointArn, MaxResults: 100, NextToken: token }));
    jobs.push(...(out?.ScanJobs ?? []).filter((j) => j.RecoveryPointArn === undefined || j.RecoveryPointArn === recoveryPointArn).map(scanJobFacts));
    token = out?.NextToken;
    if (!token) break;
  }
  return jobs;
}

export function scanJobFacts(j: ScanJob): ScanJobFacts {
  return {
    scanJobId: j.ScanJobId ?? 'unknown',
    state: j.State,
    resultStatus: j.ScanResult?.ScanResultStatus,
    scanMode: j.ScanMode,
    createdAt: j.CreationDate,
    completedAt: j.CompletionDate,
    statusMessage: j.StatusMessage || undefined,
    baseRecoveryPointArn: j.ScanBaseRecoveryPointArn || undefined,
  };
}

/** The base recovery point's jobs, when the newest finished scan was incremental (one level: see scan.ts). */
export async function listBaseScanJobs(backup: BackupClient, jobs: readonly ScanJobFacts[]): Promise<ScanJobFacts[] | undefined> {
  const base = baseToCheck(jobs);
  return base ? listScanJobs(backup, base) : undefined;
}

export async function describeRecoveryPoint(backup: BackupClient, vaultName: string, recoveryPointArn: string): Promise<RecoveryPointFacts> {
  const out = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vaultName, RecoveryPointArn: recoveryPointArn }));
  return recoveryPointFacts(out);
}

export function recoveryPointFacts(out: DescribeRecoveryPointOutput): RecoveryPointFacts {
  return {
    plan: out.CreatedBy?.BackupPlanName || undefined,
    rule: out.CreatedBy?.BackupRuleName || undefined,
    resourceType: out.ResourceType || undefined,
    isCopy: Boolean(out.SourceBackupVaultArn),
    scanResults: [...(out.ScanResults ?? [])]
      .sort((a, b) => (b.LastScanTimestamp?.getTime() ?? 0) - (a.LastScanTimestamp?.getTime() ?? 0))
      .map((r) => ({ state: r.ScanJobState, findings: [...(r.Findings ?? [])], scannedAt: r.LastScanTimestamp })),
  };
}

/** `arn:aws:backup:<region>:<account>:backup-vault:<name>` → `<name>`. */
export function vaultNameOfArn(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]+:backup:[^:]*:[^:]*:backup-vault:(.+)$/.exec(arn) : null;
  return m ? m[1] : undefined;
}
