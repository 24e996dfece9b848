/**
 * The malware-scan step of a validation: gathers the evidence (./scan-lookup.ts) and asks the
 * pure decision (./scan.ts). Runs only for resource types GuardDuty scans (EBS, EC2, S3).
 *
 * When the system's scan rules cover the resource type, a read error is thrown (no verdict:
 * Lambda retries, then the dead-letter queue). Otherwise the scan is advisory: threats or a
 * failed scan still fail the validation, but an error reading the scans only adds a note.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { CheckResult } from './checks';
import { SCANNABLE_RESOURCE_TYPES, scanRequirement, scanVerdict, type MalwareScanRule, type RecoveryPointFacts } from './scan';
import { describeRecoveryPoint, listBaseScanJobs, listScanJobs, vaultNameOfArn } from './scan-lookup';
import { errorName } from '../shared/errors';

export interface ScanCheckInput {
  readonly restoreJobId: string;
  readonly resourceType: string;
  /** The event's recovery point, else DescribeRestoreJob's. */
  readonly recoveryPointArn: () => Promise<string | undefined>;
  readonly rules: readonly MalwareScanRule[];
  /** The restore job's source vault ARN (DescribeRestoreJob), read only when a rule covers the type. */
  readonly vaultArn: () => Promise<string | undefined>;
}

/** Undefined when the resource type is not scanned by GuardDuty: there is nothing to learn. */
export async function checkRecoveryPointScan(
  deps: { readonly backup: BackupClient; readonly logger: Logger },
  input: ScanCheckInput,
): Promise<CheckResult | undefined> {
  if (!SCANNABLE_RESOURCE_TYPES.includes(input.resourceType)) return undefined;
  const covered = input.rules.some((r) => r.resourceTypes.includes(input.resourceType));
  const arn = await input.recoveryPointArn();
  if (!arn) {
    if (covered) throw new Error(`restore job ${input.restoreJobId} names no recovery point: its malware scan cannot be checked`);
    return { status: 'SUCCESSFUL', message: 'malware scan not checked (the restore job names no recovery point)' };
  }
  try {
    let recoveryPoint: RecoveryPointFacts | undefined;
    if (covered) {
      const vaultName = vaultNameOfArn(await input.vaultArn());
      if (!vaultName) throw new Error(`restore job ${input.restoreJobId}: DescribeRestoreJob names no backup vault for ${arn}`);
      recoveryPoint = await describeRecoveryPoint(deps.backup, vaultName, arn);
    }
    const jobs = await listScanJobs(deps.backup, arn);
    const baseJobs = await listBaseScanJobs(deps.backup, jobs);
    return scanVerdict({
      recoveryPointArn: arn,
      jobs,
      baseJobs,
      recoveryPoint,
      requirement: covered
        ? scanRequirement(input.rules, input.resourceType, recoveryPoint)
        : { required: false, reason: `no tier of this system scans ${input.resourceType} recovery points` },
    });
  } catch (err) {
    if (covered) throw err;
    deps.logger.warn('Malware scan results could not be read; validating without them', { restoreJobId: input.restoreJobId, error: err as Error });
    return { status: 'SUCCESSFUL', message: `malware scan results could not be read (${errorName(err) ?? 'Error'})` };
  }
}
