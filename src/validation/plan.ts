import { Duration, Token } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { describeDuration, fail, wholeDays } from './errors';
import type { BackupTier } from '../backup-system/backup-tier';
import { scheduleInterval } from '../backup-system/schedule-interval';

// --- Backup tiers ------------------------------------------------------------

/** AWS Backup's lifecycle and window limits. */
export const BACKUP_RULE_LIMITS = {
  coldStorageMinimumDays: 90,
  maxRetentionDays: 36500,
  continuousMinDays: 1,
  continuousMaxDays: 35,
  minStartWindowMinutes: 60,
} as const;

export function checkBackupRuleName(scope: IConstruct, prop: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!/^[a-zA-Z0-9\-_.]{1,50}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a backup rule name is 1-50 characters: letters, digits, hyphens, underscores and periods');
  }
}

export function checkCronSchedule(scope: IConstruct, prop: string, expression: string): void {
  if (Token.isUnresolved(expression)) return;
  if (!expression.startsWith('cron(')) {
    fail(scope, prop, `'${expression}'`, 'AWS Backup accepts cron() schedules only (use events.Schedule.cron())');
  }
}

export function checkTimeZone(scope: IConstruct, prop: string, zone: string | undefined): void {
  if (zone === undefined || Token.isUnresolved(zone) || zone === 'UTC') return;
  const zones: string[] = (Intl as any).supportedValuesOf?.('timeZone') ?? [];
  if (zones.length > 0 && !zones.includes(zone)) {
    fail(scope, prop, `'${zone}'`, "expected an IANA time zone name such as 'Europe/Berlin' or 'UTC'");
  }
}

/**
 * Retention: whole days, 1-36500. Cold storage: retention at least 90 days longer
 * (AWS Backup bills and keeps cold recovery points for at least 90 days).
 */
export function checkLifecycle(
  scope: IConstruct,
  retentionProp: string,
  coldProp: string,
  lifecycle: { deleteAfter?: Duration; moveToColdStorageAfter?: Duration },
): void {
  const { deleteAfter, moveToColdStorageAfter } = lifecycle;
  if (deleteAfter && !Token.isUnresolved(deleteAfter)) {
    const days = wholeDays(scope, retentionProp, deleteAfter);
    if (days < 1 || days > BACKUP_RULE_LIMITS.maxRetentionDays) {
      fail(scope, retentionProp, describeDuration(deleteAfter), `retention is 1-${BACKUP_RULE_LIMITS.maxRetentionDays} days`);
    }
  }
  if (moveToColdStorageAfter && !Token.isUnresolved(moveToColdStorageAfter)) {
    const cold = wholeDays(scope, coldProp, moveToColdStorageAfter);
    if (cold < 1) fail(scope, coldProp, describeDuration(moveToColdStorageAfter), 'cold storage starts after at least 1 day');
    if (deleteAfter && !Token.isUnresolved(deleteAfter)) {
      const days = deleteAfter.toDays();
      if (days < cold + BACKUP_RULE_LIMITS.coldStorageMinimumDays) {
        fail(scope, retentionProp, describeDuration(deleteAfter),
          `recovery points moved to cold storage after ${cold} days must be kept at least ${cold + BACKUP_RULE_LIMITS.coldStorageMinimumDays} days `
          + `(${coldProp} + 90 days)`);
      }
    }
  }
}

export function checkContinuous(scope: IConstruct, prop: string, retention: Duration, moveToColdStorageAfter: Duration | undefined): void {
  if (Token.isUnresolved(retention)) return;
  const days = wholeDays(scope, `${prop}.retention`, retention);
  if (days < BACKUP_RULE_LIMITS.continuousMinDays || days > BACKUP_RULE_LIMITS.continuousMaxDays) {
    fail(scope, `${prop}.retention`, describeDuration(retention),
      `continuous backup keeps recovery points ${BACKUP_RULE_LIMITS.continuousMinDays}-${BACKUP_RULE_LIMITS.continuousMaxDays} days`);
  }
  if (moveToColdStorageAfter) {
    fail(scope, `${prop}.moveToColdStorageAfter`, describeDuration(moveToColdStorageAfter),
      'continuous backups cannot move to cold storage; leave it unset');
  }
}

export function checkWindows(scope: IConstruct, prop: string, startWindow: Duration, completionWindow: Duration): void {
  if (Token.isUnresolved(startWindow) || Token.isUnresolved(completionWindow)) return;
  for (const [name, window] of [['startWindow', startWindow], ['completionWindow', completionWindow]] as const) {
    if (window.toMilliseconds() % 60_000 !== 0) {
      fail(scope, `${prop}.${name}`, describeDuration(window), 'AWS Backup counts windows in whole minutes');
    }
  }
  if (startWindow.toMilliseconds() / 60_000 < BACKUP_RULE_LIMITS.minStartWindowMinutes) {
    fail(scope, `${prop}.startWindow`, describeDuration(startWindow), 'the start window is at least 1 hour');
  }
  if (completionWindow.toMilliseconds() / 60_000 <= startWindow.toMilliseconds() / 60_000) {
    fail(scope, `${prop}.completionWindow`, describeDuration(completionWindow),
      `the completion window must be longer than the start window (${describeDuration(startWindow)})`);
  }
}

/**
 * AWS Backup runs a rule at most once an hour: a cron that fires more often (a minute
 * list, range or step) is rejected at deploy time, so it is rejected here.
 */
export function checkMinimumInterval(scope: IConstruct, prop: string, expression: string, minGapMinutes: number): void {
  if (Token.isUnresolved(expression) || minGapMinutes >= 60) return;
  fail(scope, prop, `'${expression}'`, `it runs every ${minGapMinutes} minutes at its most frequent; AWS Backup runs a rule at most once `
    + 'an hour (give the minutes field a single value)');
}

/**
 * A copy lifecycle given in part is taken as given (ARCHITECTURE: copies inherit the tier's
 * lifecycle only when neither is set), so cold storage without a retention would keep copies
 * forever: say so instead of doing it silently.
 */
export function checkCopyLifecycle(
  scope: IConstruct, prop: string, copyRetention: Duration | undefined, copyMoveToColdStorageAfter: Duration | undefined,
): void {
  if (copyMoveToColdStorageAfter === undefined || copyRetention !== undefined) return;
  fail(scope, `${prop}.copyRetention`, 'undefined', `with ${prop}.copyMoveToColdStorageAfter set (${describeDuration(copyMoveToColdStorageAfter)}), copies `
    + 'would be kept forever: set copyRetention too (at least copyMoveToColdStorageAfter + 90 days)');
}

// --- Compliance profiles -----------------------------------------------------

/** A tier as the profile check sees it. */
export interface TierFacts {
  readonly name: string;
  readonly retention: Duration;
  /** The longest gap between two scheduled backups. */
  readonly interval: Duration;
}

/**
 * At least one tier (the archive tier) must meet both the profile's minimum
 * retention and its maximum interval; shorter operational tiers may sit beside it.
 * Returns that tier.
 */
export function checkProfileMinimums(
  scope: IConstruct,
  profile: { name: string; minRetention?: Duration; maxBackupInterval?: Duration },
  tiers: readonly TierFacts[],
): TierFacts | undefined {
  const { minRetention, maxBackupInterval } = profile;
  if (!minRetention && !maxBackupInterval) return undefined;
  const keepsLongEnough = tiers.filter((t) => !minRetention || t.retention.toDays() >= minRetention.toDays());
  const archive = keepsLongEnough.find((t) => !maxBackupInterval || t.interval.toMinutes() <= maxBackupInterval.toMinutes());
  if (archive) return archive;
  const list = tiers.map((t) => `${t.name}: every ${describeDuration(t.interval)}, kept ${describeDuration(t.retention)}`).join('; ');
  if (keepsLongEnough.length === 0) {
    return fail(scope, 'tiers', `[${list}]`,
      `the ${profile.name} profile requires at least one tier to keep recovery points for ${describeDuration(minRetention!)} or longer`);
  }
  return fail(scope, 'tiers', `[${list}]`,
    `the ${profile.name} profile requires the tier that keeps recovery points ${describeDuration(minRetention ?? Duration.days(0))} `
    + `or longer to back up at least every ${describeDuration(maxBackupInterval!)}`);
}

export function checkProfileLockMode(
  scope: IConstruct, profileName: string, required: string, actual: string, prop: string = 'vault.vaultLock',
): void {
  if (required === 'COMPLIANCE' && actual !== 'COMPLIANCE') {
    fail(scope, prop, `a ${actual.toLowerCase()}-mode lock`,
      `the ${profileName} profile requires a compliance-mode vault lock (set ${prop}.changeableFor, at least 72 hours)`);
  }
}

export function checkProfileKey(scope: IConstruct, profile: { name: string; requireCustomerManagedKey: boolean }, key: IKey | undefined): void {
  if (profile.requireCustomerManagedKey && key === undefined) {
    fail(scope, 'vault.encryptionKey', 'an AWS-owned key', `the ${profile.name} profile requires a customer-managed KMS key`);
  }
}

/** A profile that requires a cross-region copy needs at least one tier copying to a vault in another region. */
export function checkProfileCrossRegionCopy(
  scope: IConstruct, profile: { name: string; requireCrossRegionCopy: boolean }, crossRegions: readonly string[],
): void {
  if (!profile.requireCrossRegionCopy || crossRegions.length > 0) return;
  fail(scope, 'tiers', 'without a cross-region copy',
    `the ${profile.name} profile requires at least one tier to copy to another region (copyToDr with a CrossRegionDr, or copyTo a vault in another region)`);
}

/** What a tier's checks learn of its schedule: the longest and shortest gap between two backups. */
export interface TierSchedule {
  readonly maxGapMinutes: number;
  readonly minGapMinutes: number;
}

/**
 * Every rule of one tier, for a CompliantBackupSystem and an organization backup policy
 * alike: name, cron schedule (at most hourly), time zone (unless the caller checks its
 * own), windows, lifecycle (continuous or not), copy lifecycle. Returns the schedule's gaps.
 */
export function checkTier(
  scope: IConstruct, path: string, tier: BackupTier, options: { checkTimeZone?: boolean } = {},
): TierSchedule {
  const p = tier.props;
  checkBackupRuleName(scope, `${path}.name`, p.name);
  checkCronSchedule(scope, `${path}.schedule`, p.schedule.expressionString);
  if (options.checkTimeZone ?? true) checkTimeZone(scope, `${path}.scheduleTimeZone`, p.scheduleTimeZone);
  checkWindows(scope, path, p.startWindow!, p.completionWindow!);
  if (tier.isContinuous) {
    checkContinuous(scope, path, p.retention, p.moveToColdStorageAfter);
  } else {
    checkLifecycle(scope, `${path}.retention`, `${path}.moveToColdStorageAfter`, { deleteAfter: p.retention, moveToColdStorageAfter: p.moveToColdStorageAfter });
  }
  checkCopyLifecycle(scope, path, p.copyRetention, p.copyMoveToColdStorageAfter);
  if (p.copyRetention !== undefined || p.copyMoveToColdStorageAfter !== undefined) {
    checkLifecycle(scope, `${path}.copyRetention`, `${path}.copyMoveToColdStorageAfter`, tier.copyLifecycle);
  }
  if (Token.isUnresolved(p.schedule.expressionString)) return { maxGapMinutes: 0, minGapMinutes: 0 };
  let gaps: TierSchedule;
  try {
    gaps = scheduleInterval(p.schedule.expressionString);
  } catch (e) {
    return fail(scope, `${path}.schedule`, `'${p.schedule.expressionString}'`, (e as Error).message);
  }
  checkMinimumInterval(scope, `${path}.schedule`, p.schedule.expressionString, gaps.minGapMinutes);
  return gaps;
}

/**
 * `protect()` makes one selection per call: a selection lists at most 500 ARNs (AWS Backup),
 * and a stack holds at most 500 resources, so thousands of one-resource calls cannot deploy.
 */
export const PROTECT_LIMITS = { arnsPerSelection: 500, selections: 100 } as const;

export function checkProtectCall(scope: IConstruct, resourceCount: number, selectionsSoFar: number): void {
  if (resourceCount > PROTECT_LIMITS.arnsPerSelection) {
    fail(scope, 'protect()', `${resourceCount} resources`, `a backup selection lists at most ${PROTECT_LIMITS.arnsPerSelection} resources: `
      + 'split them across calls, or select them by tag (selectionTags)');
  }
  if (selectionsSoFar >= PROTECT_LIMITS.selections) {
    fail(scope, 'protect()', `call ${selectionsSoFar + 1}`, 'each call adds a selection to the stack (at most 500 resources): pass many '
      + `resources to one call (up to ${PROTECT_LIMITS.arnsPerSelection}), or select them by tag (selectionTags)`);
  }
}
