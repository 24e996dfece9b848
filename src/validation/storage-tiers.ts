import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeDuration, fail, wholeDays } from './errors';
import type { VaultLockDays } from './vault';

/*
 * Storage tiers: the EBS archive opt-in and the S3 low-cost warm tier, checked against the
 * lifecycles and vault locks of the recovery points they move. Sources:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html (cold storage, archive opt-in)
 * https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-archive-considerations.html (90-day archive minimum)
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ResourceSelection.html (tiering days 60-36500, S3 only)
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-tiering.html (one-way transition by age in the vault)
 */

/** AWS's bounds on storage tiers, in days. */
export const STORAGE_TIER_LIMITS = {
  /** The earliest day an S3 recovery point may move to the low-cost warm tier (TieringDownSettingsInDays). */
  tieringMinDays: 60,
  /** The latest day TieringDownSettingsInDays accepts. */
  tieringMaxDays: 36500,
} as const;

// --- EBS archive -------------------------------------------------------------

/**
 * The archive opt-in moves EBS snapshots when their lifecycle goes cold: with neither the tier
 * nor its copies going cold it would do nothing, so a tier that asks for it must say when.
 */
export function checkArchiveNeedsColdStorage(
  scope: IConstruct, path: string, archive: boolean | undefined,
  moveToColdStorageAfter: Duration | undefined, copyMoveToColdStorageAfter: Duration | undefined,
): void {
  if (!archive || moveToColdStorageAfter !== undefined || copyMoveToColdStorageAfter !== undefined) return;
  fail(scope, `${path}.archiveEbsSnapshots`, 'true', 'EBS snapshots are archived when they move to cold storage: set '
    + `${path}.moveToColdStorageAfter (or copyMoveToColdStorageAfter, with copyRetention at least 90 days longer)`);
}

/**
 * An organization backup policy is rendered without the archive opt-in (the library writes only
 * the lifecycle keys of AWS Organizations' backup policy syntax it documents), so a tier asking
 * for it is rejected rather than silently left warm.
 */
export function checkArchiveNotInPolicy(scope: IConstruct, path: string, archive: boolean | undefined): void {
  if (!archive) return;
  fail(scope, `${path}.archiveEbsSnapshots`, 'true', 'an organization backup policy rendered by this library cannot opt EBS snapshots '
    + 'into the archive tier: leave it unset here and archive from a CompliantBackupSystem in the member account');
}

// --- S3 low-cost warm tier ---------------------------------------------------

/** TieringDownSettingsInDays: whole days, 60-36500. Returns the days. */
export function checkTieringDays(scope: IConstruct, prop: string, tierDownAfter: Duration): number {
  if (Token.isUnresolved(tierDownAfter)) return 0;
  const days = wholeDays(scope, prop, tierDownAfter);
  if (days < STORAGE_TIER_LIMITS.tieringMinDays || days > STORAGE_TIER_LIMITS.tieringMaxDays) {
    fail(scope, prop, describeDuration(tierDownAfter),
      `AWS Backup moves S3 recovery points to the low-cost tier after ${STORAGE_TIER_LIMITS.tieringMinDays}-`
      + `${STORAGE_TIER_LIMITS.tieringMaxDays} days in the vault`);
  }
  return days;
}

/** A tier whose S3 recovery points land in the tiered vault. */
export interface TieredRetention {
  readonly name: string;
  readonly retentionDays: number;
}

/**
 * Tiering happens by age in the vault: if every recovery point there is deleted before it
 * reaches that age (the tiers' retentions, the vault lock's maximum), the configuration moves
 * nothing and only looks like a saving.
 */
export function checkTieringBeforeDeletion(
  scope: IConstruct, prop: string, tierDownDays: number, tiers: readonly TieredRetention[],
  vaultDescription: string, lock: VaultLockDays | undefined,
): void {
  if (tierDownDays === 0) return;
  if (lock?.maxRetentionDays !== undefined && lock.maxRetentionDays <= tierDownDays) {
    fail(scope, prop, `${tierDownDays} days`, `${vaultDescription} is locked with a maximum retention of ${lock.maxRetentionDays} days, `
      + 'so no recovery point there lives long enough to be tiered: tier down earlier, or drop s3LowCostTier');
  }
  if (tiers.some((t) => t.retentionDays > tierDownDays)) return;
  const kept = tiers.length > 0 ? tiers.map((t) => `${t.name}: ${t.retentionDays} days`).join(', ') : 'no tier';
  fail(scope, prop, `${tierDownDays} days`, `the tiers whose S3 recovery points land in ${vaultDescription} delete them first `
    + `(${kept}): tier down before the longest retention, or drop s3LowCostTier`);
}
