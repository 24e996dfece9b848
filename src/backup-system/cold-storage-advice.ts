import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BackupTier } from './backup-tier';

/*
 * Warnings about what cold storage really does. AWS Backup ignores MoveToColdStorageAfterDays
 * for resource types that cannot go cold ("Resource types that can transition to cold storage
 * are listed in the Feature availability by resource table. AWS Backup ignores this expression
 * for other resource types": https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html,
 * table: https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html#features-by-resource).
 * Of the types the library's backup role protects, EFS goes cold, DynamoDB only with AWS Backup's
 * advanced DynamoDB features turned on in the account, EBS only through the archive opt-in;
 * RDS, Aurora (and DocumentDB and Neptune, selected through Aurora's cluster ARNs), EC2 and S3 never do.
 */

/** Warning ids. */
export const COLD_STORAGE_IGNORED_WARNING = 'cdk-compliant-backup:cold-storage-ignored';
export const FREQUENT_ARCHIVE_WARNING = 'cdk-compliant-backup:ebs-archive-frequent';

/** Protected types whose recovery points never move to cold storage. */
const NEVER_COLD = ['RDS', 'Aurora', 'DocumentDB', 'Neptune', 'EC2', 'S3'];

/** AWS recommends archiving monthly or rarer EBS snapshots: a tier that runs more often than every 28 days is warned. */
const MIN_ARCHIVE_INTERVAL_MINUTES = 28 * 24 * 60;

/**
 * Says, once per tier, which protected types stay warm although the tier (or its copies) moves
 * recovery points to cold storage, so nobody reads the lifecycle as "everything goes cold".
 */
export function warnColdStorageIgnored(scope: IConstruct, path: string, tier: BackupTier): void {
  const p = tier.props;
  const cold = [
    p.moveToColdStorageAfter ? `recovery points after ${p.moveToColdStorageAfter.toDays()} days` : undefined,
    tier.copyLifecycle.moveToColdStorageAfter && (p.copyRetention !== undefined || p.copyMoveToColdStorageAfter !== undefined)
      ? `copies after ${tier.copyLifecycle.moveToColdStorageAfter.toDays()} days` : undefined,
  ].filter((c): c is string => c !== undefined);
  if (cold.length === 0) return;
  const warm = p.archiveEbsSnapshots ? NEVER_COLD : [...NEVER_COLD, 'EBS (set archiveEbsSnapshots)'];
  Annotations.of(scope).addWarningV2(COLD_STORAGE_IGNORED_WARNING,
    `${scope.node.path}: ${path} moves ${cold.join(' and ')} to cold storage, but AWS Backup ignores cold storage for `
    + `${warm.join(', ')}: those recovery points stay in warm storage (and are billed as warm) until they are deleted. `
    + `Only EFS, DynamoDB with advanced backup features${p.archiveEbsSnapshots ? ' and EBS (archive tier)' : ''} go cold `
    + '(https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html#features-by-resource).');
}

/** Archiving frequent EBS snapshots can cost more than keeping them warm (each archived snapshot is a full copy). */
export function warnFrequentArchive(scope: IConstruct, path: string, tier: BackupTier, intervalMinutes: number): void {
  if (!tier.props.archiveEbsSnapshots || intervalMinutes === 0 || intervalMinutes >= MIN_ARCHIVE_INTERVAL_MINUTES) return;
  Annotations.of(scope).addWarningV2(FREQUENT_ARCHIVE_WARNING,
    `${scope.node.path}: ${path}.archiveEbsSnapshots archives a snapshot at least every ${Math.round(intervalMinutes / 60)} hours; an `
    + 'archived EBS snapshot is a full snapshot, and AWS recommends archiving monthly or rarer snapshots because archiving daily ones '
    + 'can cost more than keeping them (https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-archive-considerations.html)');
}
