/**
 * Pure decision: did the restored recovery point scan clean?
 *
 * Sources (AWS Backup API Reference, docs.aws.amazon.com/aws-backup/latest/devguide/):
 * - ListScanJobs (API_ListScanJobs.html) filtered by `ByRecoveryPointArn`: each ScanJob has
 *   `State` CREATED | RUNNING | COMPLETED | COMPLETED_WITH_ISSUES | FAILED | CANCELED and, once
 *   finished, `ScanResult.ScanResultStatus` THREATS_FOUND | NO_THREATS_FOUND | UNKNOWN, its
 *   `ScanMode` FULL_SCAN | INCREMENTAL_SCAN and, for an incremental scan, the
 *   `ScanBaseRecoveryPointArn` it compared against.
 * - DescribeRecoveryPoint (API_DescribeRecoveryPoint.html): `CreatedBy.BackupRuleName` (the
 *   tier: rules are named after tiers), `ResourceType`, `SourceBackupVaultArn` (set on a copy)
 *   and `ScanResults[]` (`ScanJobState`, `Findings` such as MALWARE).
 * Malware scanning covers EBS, EC2 and S3 recovery points (ScanResourceType).
 *
 * Verdicts (SUCCESSFUL here means "no objection from the scan"; the restored resource is then
 * checked as before):
 * - threats found by any scan of the recovery point, or of the base its latest incremental scan
 *   compared against (an incremental scan looks only at what changed): FAILED;
 * - the latest scan FAILED, was CANCELED, COMPLETED_WITH_ISSUES (files skipped) or completed
 *   without a clean result: FAILED, the recovery point did not scan clean;
 * - the latest scan is still CREATED or RUNNING: PENDING when the tier requires a scan (the
 *   caller waits, then reports TIMED_OUT), else no objection;
 * - no scan at all: FAILED when the tier that made the recovery point scans its resource type
 *   (MALWARE_SCAN_RULES), else no objection.
 */
import type { CheckResult } from './checks';

/** The resource types GuardDuty Malware Protection for AWS Backup scans (SDK ScanResourceType). */
export const SCANNABLE_RESOURCE_TYPES: readonly string[] = ['EBS', 'EC2', 'S3'];

/** One scan rule of the backup plan: its recovery points of these types must have a scan. */
export interface MalwareScanRule {
  /** The backup plan's name (RecoveryPointCreator.BackupPlanName); unset: any plan. */
  readonly plan?: string;
  /** The backup rule's name, which is the tier's name. */
  readonly rule: string;
  /** AWS Backup resource types the rule scans (EBS, EC2, S3). */
  readonly resourceTypes: readonly string[];
}

/** A scan job, as the decision needs it. */
export interface ScanJobFacts {
  readonly scanJobId: string;
  readonly state?: string;
  readonly resultStatus?: string;
  readonly scanMode?: string;
  readonly createdAt?: Date;
  readonly completedAt?: Date;
  readonly statusMessage?: string;
  readonly baseRecoveryPointArn?: string;
}

/** What DescribeRecoveryPoint says about the recovery point. */
export interface RecoveryPointFacts {
  readonly plan?: string;
  readonly rule?: string;
  readonly resourceType?: string;
  /** A copy (SourceBackupVaultArn set): scan actions run on the rule's own recovery point, not on copies. */
  readonly isCopy: boolean;
  readonly scanResults: ReadonlyArray<{ readonly state?: string; readonly findings: readonly string[]; readonly scannedAt?: Date }>;
}

export interface ScanRequirement {
  readonly required: boolean;
  /** Why (or why not), for the message. */
  readonly reason: string;
}

/** Whether the recovery point must have a malware scan: its tier scans its resource type and it is not a copy. */
export function scanRequirement(rules: readonly MalwareScanRule[], resourceType: string, rp: RecoveryPointFacts | undefined): ScanRequirement {
  if (!rp) return { required: false, reason: 'the recovery point was not described' };
  if (rp.isCopy) return { required: false, reason: 'it is a copy (scans run on the recovery point a rule creates)' };
  if (!rp.rule) return { required: false, reason: 'no backup rule created it' };
  const type = rp.resourceType ?? resourceType;
  const rule = rules.find((r) => r.rule === rp.rule && (r.plan === undefined || r.plan === rp.plan) && r.resourceTypes.includes(type));
  return rule
    ? { required: true, reason: `tier ${rule.rule} scans ${type} recovery points` }
    : { required: false, reason: `tier ${rp.rule} does not scan ${type} recovery points` };
}

export interface ScanEvidence {
  readonly recoveryPointArn: string;
  /** Scan jobs of the recovery point, any order. */
  readonly jobs: readonly ScanJobFacts[];
  /** Scan jobs of the base recovery point of its latest incremental scan, when read. */
  readonly baseJobs?: readonly ScanJobFacts[];
  readonly recoveryPoint?: RecoveryPointFacts;
  readonly requirement: ScanRequirement;
}

const IN_PROGRESS = new Set(['CREATED', 'RUNNING']);

/** The newest job first (creation time, then completion time). */
export function newestFirst(jobs: readonly ScanJobFacts[]): ScanJobFacts[] {
  const t = (j: ScanJobFacts) => (j.createdAt ?? j.completedAt)?.getTime() ?? 0;
  return [...jobs].sort((a, b) => t(b) - t(a));
}

/** The base recovery point whose scans also count: the one the newest finished incremental scan compared against. */
export function baseToCheck(jobs: readonly ScanJobFacts[]): string | undefined {
  const latest = newestFirst(jobs).find((j) => !IN_PROGRESS.has(j.state ?? ''));
  return latest?.scanMode === 'INCREMENTAL_SCAN' ? latest.baseRecoveryPointArn : undefined;
}

export function scanVerdict(e: ScanEvidence): CheckResult {
  const rp = `recovery point ${e.recoveryPointArn}`;
  const infected = newestFirst(e.jobs).find((j) => j.resultStatus === 'THREATS_FOUND');
  if (infected) return failed(`${rp} did not scan clean: malware scan job ${describeJob(infected)} found threats`);
  const baseInfected = newestFirst(e.baseJobs ?? []).find((j) => j.resultStatus === 'THREATS_FOUND');
  if (baseInfected) {
    return failed(`${rp} did not scan clean: its latest scan was incremental, and scan job ${describeJob(baseInfected)} of the base `
      + 'recovery point it compared against found threats');
  }
  const withMalware = (e.recoveryPoint?.scanResults ?? []).find((r) => r.findings.length > 0);
  if (withMalware) return failed(`${rp} did not scan clean: DescribeRecoveryPoint reports findings ${withMalware.findings.join(', ')}`);

  const latest = newestFirst(e.jobs)[0];
  const why = e.requirement.reason;
  if (latest) {
    const state = latest.state ?? 'UNKNOWN';
    if (IN_PROGRESS.has(state)) {
      return e.requirement.required
        ? { status: 'PENDING', message: `${rp}: malware scan job ${describeJob(latest)} has not finished` }
        : ok(`malware scan job ${describeJob(latest)} has not finished; not waited for (${why})`);
    }
    if (state === 'COMPLETED' && latest.resultStatus === 'NO_THREATS_FOUND') {
      return ok(`malware scan job ${describeJob(latest)} found no threats`);
    }
    if (state === 'COMPLETED_WITH_ISSUES') {
      return failed(`${rp} did not scan clean: malware scan job ${describeJob(latest)} completed with issues (not every file was scanned)`);
    }
    return failed(`${rp} did not scan clean: the latest malware scan job ${describeJob(latest)} ended ${state}`
      + (state === 'COMPLETED' ? ` with result ${latest.resultStatus ?? 'none'}` : ''));
  }
  const summary = (e.recoveryPoint?.scanResults ?? [])[0];
  if (summary?.state === 'COMPLETED') return ok('DescribeRecoveryPoint reports a completed malware scan without findings');
  if (summary?.state) return failed(`${rp} did not scan clean: DescribeRecoveryPoint reports its latest malware scan ${summary.state}`);
  // No scan and none required: nothing to say.
  return e.requirement.required
    ? failed(`${rp} did not scan clean: ${why}, but ListScanJobs returns no scan of it (scan jobs are kept 90 days)`)
    : ok('');
}

function describeJob(j: ScanJobFacts): string {
  const parts = [j.scanMode, j.state, j.resultStatus, j.completedAt ? `completed ${j.completedAt.toISOString()}` : undefined].filter(Boolean);
  const message = j.statusMessage ? `: ${j.statusMessage}` : '';
  return `${j.scanJobId} (${parts.join(', ')})${message}`;
}

const ok = (message: string): CheckResult => ({ status: 'SUCCESSFUL', message });
const failed = (message: string): CheckResult => ({ status: 'FAILED', message });

/**
 * MALWARE_SCAN_RULES: a JSON list of `{ "plan"?: string, "rule": string, "resourceTypes": string[] }`.
 * Written by the construct, so a bad value is a deployment defect: it is thrown, not ignored
 * (ignoring it would pass recovery points that should have been scanned).
 */
export function parseScanRules(raw: string | undefined): MalwareScanRule[] {
  const text = raw?.trim();
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`MALWARE_SCAN_RULES is not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new Error('MALWARE_SCAN_RULES must be a JSON list of {plan?, rule, resourceTypes}');
  return parsed.map((entry, i) => {
    const e = entry as Record<string, unknown>;
    const types = e?.resourceTypes;
    if (typeof e?.rule !== 'string' || e.rule === '' || !Array.isArray(types) || !types.every((t) => typeof t === 'string')
      || (e.plan !== undefined && typeof e.plan !== 'string')) {
      throw new Error(`MALWARE_SCAN_RULES[${i}] must be {plan?: string, rule: string, resourceTypes: string[]}, got ${JSON.stringify(entry)}`);
    }
    return { plan: e.plan as string | undefined, rule: e.rule, resourceTypes: types as string[] };
  });
}
