import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { VaultLockDays } from './vault-lock-days';



/**
 * Every synth-time service rule of the library, one function each.
 *
 * Each rule throws a `ComplianceRuleError` whose message names the construct
 * path, the prop, the value received and what is allowed. Unresolved tokens are
 * skipped: their value is only known at deploy time.
 */

/** Thrown when a construct is given input that AWS would reject or that breaks a declared guarantee. */
export class ComplianceRuleError extends Error {
  constructor(scope: IConstruct, prop: string, value: string, allowed: string) {
    super(`${scope.node.path}: ${prop} is ${value}; ${allowed}`);
    this.name = 'ComplianceRuleError';
  }
}

const fail = (scope: IConstruct, prop: string, value: string, allowed: string): never => {
  throw new ComplianceRuleError(scope, prop, value, allowed);
};

/** A Duration as a person would write it, for messages. */
export function describeDuration(d: Duration): string {
  return Token.isUnresolved(d) ? '(token)' : d.toHumanString();
}

/** Whole days of a duration, or an error saying that AWS Backup counts in days. */
export function wholeDays(scope: IConstruct, prop: string, d: Duration): number {
  const days = d.toHours() / 24;
  if (!Number.isInteger(days)) {
    fail(scope, prop, describeDuration(d), 'AWS Backup counts retention in whole days (use Duration.days())');
  }
  return days;
}

// --- Names -----------------------------------------------------------------

export function checkVaultName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[a-zA-Z0-9\-_]{2,50}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a backup vault name is 2-50 characters: letters, digits, hyphens and underscores');
  }
}

export function checkAccountIds(scope: IConstruct, prop: string, accounts: readonly string[] | undefined): void {
  for (const account of accounts ?? []) {
    if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
      fail(scope, prop, `'${account}'`, 'each entry must be a 12-digit AWS account id');
    }
  }
}

export function checkOrganizationId(scope: IConstruct, prop: string, orgId: string | undefined): void {
  if (orgId === undefined || Token.isUnresolved(orgId)) return;
  if (!/^o-[a-z0-9]{10,32}$/.test(orgId)) {
    fail(scope, prop, `'${orgId}'`, "an AWS Organizations id looks like 'o-' followed by 10-32 lowercase letters or digits");
  }
}

// --- Vault lock ------------------------------------------------------------

/** AWS Backup Vault Lock bounds, in days. */
export const VAULT_LOCK_LIMITS = {
  minRetentionDays: 1,
  maxRetentionDays: 36500,
  minChangeableForDays: 3,
  airGappedMinRetentionDays: 7,
} as const;


/**
 * Validates a vault lock and returns it in days.
 * `airGapped` vaults need a minimum of at least 7 days and a maximum.
 */
export function checkVaultLock(
  scope: IConstruct,
  lock: { minRetention: Duration; maxRetention?: Duration; changeableFor?: Duration },
  airGapped: boolean,
): VaultLockDays {
  const minRetentionDays = wholeDays(scope, 'vaultLock.minRetention', lock.minRetention);
  const maxRetentionDays = lock.maxRetention ? wholeDays(scope, 'vaultLock.maxRetention', lock.maxRetention) : undefined;
  const lowest = airGapped ? VAULT_LOCK_LIMITS.airGappedMinRetentionDays : VAULT_LOCK_LIMITS.minRetentionDays;

  if (minRetentionDays < lowest) {
    fail(scope, 'vaultLock.minRetention', describeDuration(lock.minRetention),
      airGapped
        ? `a logically air-gapped vault needs a minimum retention of at least ${lowest} days`
        : `the minimum retention of a vault lock is at least ${lowest} day`);
  }
  if (minRetentionDays > VAULT_LOCK_LIMITS.maxRetentionDays) {
    fail(scope, 'vaultLock.minRetention', describeDuration(lock.minRetention),
      `vault lock retention is at most ${VAULT_LOCK_LIMITS.maxRetentionDays} days`);
  }
  if (airGapped && maxRetentionDays === undefined) {
    fail(scope, 'vaultLock.maxRetention', 'undefined', 'a logically air-gapped vault needs a maximum retention');
  }
  if (maxRetentionDays !== undefined) {
    if (maxRetentionDays > VAULT_LOCK_LIMITS.maxRetentionDays) {
      fail(scope, 'vaultLock.maxRetention', describeDuration(lock.maxRetention!),
        `vault lock retention is at most ${VAULT_LOCK_LIMITS.maxRetentionDays} days`);
    }
    if (maxRetentionDays < minRetentionDays) {
      fail(scope, 'vaultLock.maxRetention', describeDuration(lock.maxRetention!),
        `it must be at least vaultLock.minRetention (${describeDuration(lock.minRetention)})`);
    }
  }

  let changeableForDays: number | undefined;
  if (lock.changeableFor !== undefined) {
    if (airGapped) {
      fail(scope, 'vaultLock.changeableFor', describeDuration(lock.changeableFor),
        'a logically air-gapped vault is always locked in compliance mode; leave changeableFor unset');
    }
    changeableForDays = wholeDays(scope, 'vaultLock.changeableFor', lock.changeableFor);
    if (changeableForDays < VAULT_LOCK_LIMITS.minChangeableForDays) {
      fail(scope, 'vaultLock.changeableFor', describeDuration(lock.changeableFor),
        'compliance mode needs a grace time of at least 72 hours (3 days) before the lock becomes immutable');
    }
  }
  return { minRetentionDays, maxRetentionDays, changeableForDays };
}

/**
 * A recovery point's retention must fall inside the lock bounds of the vault it
 * lands in, or AWS Backup fails the job.
 */
export function checkRetentionWithinLock(
  scope: IConstruct,
  prop: string,
  retention: Duration,
  vaultDescription: string,
  lock: VaultLockDays | undefined,
): void {
  if (!lock || Token.isUnresolved(retention)) return;
  const days = wholeDays(scope, prop, retention);
  if (days < lock.minRetentionDays) {
    fail(scope, prop, describeDuration(retention),
      `${vaultDescription} is locked with a minimum retention of ${lock.minRetentionDays} days`);
  }
  if (lock.maxRetentionDays !== undefined && days > lock.maxRetentionDays) {
    fail(scope, prop, describeDuration(retention),
      `${vaultDescription} is locked with a maximum retention of ${lock.maxRetentionDays} days`);
  }
}

// --- Air-gapped vaults -------------------------------------------------------

/** The error for a plan rule whose TargetBackupVault is an air-gapped vault (reported by a synth validation). */
export function airGappedTargetError(scope: IConstruct, rule: string, vaultName: string): ComplianceRuleError {
  return new ComplianceRuleError(scope, `the TargetBackupVault of rule '${rule}'`, `'${vaultName}'`,
    'that is a logically air-gapped vault, which can only be a copy destination or a rule\'s ' +
    'TargetLogicallyAirGappedBackupVaultArn (with a standard vault as TargetBackupVault)');
}

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
  if (startWindow.toMinutes() < BACKUP_RULE_LIMITS.minStartWindowMinutes) {
    fail(scope, `${prop}.startWindow`, describeDuration(startWindow), 'the start window is at least 1 hour');
  }
  if (completionWindow.toMinutes() <= startWindow.toMinutes()) {
    fail(scope, `${prop}.completionWindow`, describeDuration(completionWindow),
      `the completion window must be longer than the start window (${describeDuration(startWindow)})`);
  }
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

export function checkProfileLockMode(scope: IConstruct, profileName: string, required: string, actual: string): void {
  if (required === 'COMPLIANCE' && actual !== 'COMPLIANCE') {
    fail(scope, 'vault.vaultLock', `a ${actual.toLowerCase()}-mode lock`,
      `the ${profileName} profile requires a compliance-mode vault lock (set vaultLock.changeableFor, at least 72 hours)`);
  }
}

export function checkProfileKey(scope: IConstruct, profileName: string, hasCustomerKey: boolean): void {
  if (!hasCustomerKey) {
    fail(scope, 'vault.encryptionKey', 'an AWS-owned key', `the ${profileName} profile requires a customer-managed KMS key`);
  }
}

/** The message for a profile that requires a cross-region copy that no tier makes (reported at synth). */
export function crossRegionCopyMissing(scope: IConstruct, profileName: string): string {
  return new ComplianceRuleError(scope, 'tiers', 'without a cross-region copy',
    `the ${profileName} profile requires at least one tier to copy to another region (copyToDr with a CrossRegionDr, or copyTo a vault in another region)`).message;
}

// --- Audit names ---------------------------------------------------------------

export function checkAuditName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[a-zA-Z][_a-zA-Z0-9]{0,255}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a framework or report plan name starts with a letter and has up to 256 letters, digits and underscores');
  }
}

// --- Landing storage and tenants ---------------------------------------------

/** S3 Object Lock and lifecycle limits, and what a tenant id may look like. */
export const LANDING_LIMITS = {
  minObjectLockDays: 1,
  maxObjectLockDays: 36500,
  /**
   * 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.
   * No '/' (a tenant 'a/b' would live inside tenant 'a'), no IAM wildcards ('*', '?'),
   * no ',' (the verifier's tenant list is comma-separated); valid as an IAM tag value.
   */
  tenantIdPattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
} as const;

/** Whole days of an S3 Object Lock or lifecycle period. */
export function s3WholeDays(scope: IConstruct, prop: string, d: Duration): number {
  const days = d.toHours() / 24;
  if (!Number.isInteger(days)) {
    fail(scope, prop, describeDuration(d), 'S3 counts object lock and lifecycle periods in whole days (use Duration.days())');
  }
  return days;
}

/** The default Object Lock retention of a bucket, in days: 1-36500. */
export function checkObjectLockRetention(scope: IConstruct, prop: string, retention: Duration): number {
  const days = s3WholeDays(scope, prop, retention);
  if (days < LANDING_LIMITS.minObjectLockDays || days > LANDING_LIMITS.maxObjectLockDays) {
    fail(scope, prop, describeDuration(retention),
      `S3 Object Lock default retention is ${LANDING_LIMITS.minObjectLockDays}-${LANDING_LIMITS.maxObjectLockDays} days`);
  }
  return days;
}

/**
 * Noncurrent versions may expire only once their lock has run out: a version becomes
 * noncurrent after it landed, so an expiration at least as long as the lock never
 * targets a locked version.
 */
export function checkNoncurrentExpiration(scope: IConstruct, prop: string, expiration: Duration, lockProp: string, lockDays: number): number {
  const days = s3WholeDays(scope, prop, expiration);
  if (days < lockDays) {
    fail(scope, prop, describeDuration(expiration),
      `noncurrent versions must be kept at least as long as ${lockProp} (${lockDays} days): S3 cannot expire a locked version`);
  }
  return days;
}

/** Tenant ids: the safe pattern, no duplicates. */
export function checkTenantIds(scope: IConstruct, prop: string, tenants: readonly string[]): void {
  const seen = new Set<string>();
  for (const [i, tenant] of tenants.entries()) {
    if (Token.isUnresolved(tenant)) {
      fail(scope, `${prop}[${i}]`, '(token)', 'tenant ids must be known at synth: they become IAM tag values and key prefixes');
    }
    if (!LANDING_LIMITS.tenantIdPattern.test(tenant)) {
      fail(scope, `${prop}[${i}]`, `'${tenant}'`,
        'a tenant id is 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit');
    }
    if (seen.has(tenant)) fail(scope, `${prop}[${i}]`, `'${tenant}'`, 'tenant ids must be unique');
    seen.add(tenant);
  }
}

/** A tenant granted access must be one of the declared tenants. */
export function checkTenantGrant(scope: IConstruct, tenantId: string, tenants: readonly string[]): void {
  if (!tenants.includes(tenantId)) {
    const declared = tenants.length > 0 ? tenants.slice(0, 10).map((t) => `'${t}'`).join(', ') + (tenants.length > 10 ? ', ...' : '') : 'none';
    fail(scope, 'grantTenantAccess(tenantId)', `'${tenantId}'`, `it must be one of the declared tenants (${declared}); add it to tenants`);
  }
}

// --- Restore testing -------------------------------------------------------------

/** AWS Backup restore testing limits. */
export const RESTORE_TESTING_LIMITS = {
  minStartWindowHours: 1,
  maxStartWindowHours: 168,
  minSelectionWindowDays: 1,
  maxSelectionWindowDays: 365,
  minValidationWindowHours: 1,
  maxValidationWindowHours: 168,
  maxNameLength: 50,
  maxProtectedResourceArns: 30,
} as const;

/** Whole hours of a duration, or an error saying that restore testing counts in hours. */
export function restoreTestingHours(scope: IConstruct, prop: string, d: Duration): number {
  const hours = d.toMinutes() / 60;
  if (!Number.isInteger(hours)) {
    fail(scope, prop, describeDuration(d), 'restore testing counts this window in whole hours (use Duration.hours())');
  }
  return hours;
}

export function checkRestoreTestingName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[a-zA-Z0-9_]{1,50}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a restore testing plan or selection name is 1-50 letters, digits and underscores');
  }
}

/** Returns the start window in hours: 1-168. */
export function checkRestoreStartWindow(scope: IConstruct, prop: string, startWindow: Duration): number {
  const hours = restoreTestingHours(scope, prop, startWindow);
  if (hours < RESTORE_TESTING_LIMITS.minStartWindowHours || hours > RESTORE_TESTING_LIMITS.maxStartWindowHours) {
    fail(scope, prop, describeDuration(startWindow), 'the start window of a restore testing plan is 1-168 hours (one week)');
  }
  return hours;
}

/** Returns the selection window in days: 1-365. */
export function checkRestoreSelectionWindow(scope: IConstruct, prop: string, selectionWindow: Duration): number {
  const days = selectionWindow.toMinutes() / (24 * 60);
  if (!Number.isInteger(days)) {
    fail(scope, prop, describeDuration(selectionWindow), 'restore testing counts the selection window in whole days (use Duration.days())');
  }
  if (days < RESTORE_TESTING_LIMITS.minSelectionWindowDays || days > RESTORE_TESTING_LIMITS.maxSelectionWindowDays) {
    fail(scope, prop, describeDuration(selectionWindow), 'restore testing chooses recovery points from the last 1-365 days');
  }
  return days;
}

/** Returns the validation window in hours: 1-168. */
export function checkRestoreValidationWindow(scope: IConstruct, prop: string, validationWindow: Duration): number {
  const hours = restoreTestingHours(scope, prop, validationWindow);
  if (hours < RESTORE_TESTING_LIMITS.minValidationWindowHours || hours > RESTORE_TESTING_LIMITS.maxValidationWindowHours) {
    fail(scope, prop, describeDuration(validationWindow), 'the validation window of a restore testing selection is 1-168 hours');
  }
  return hours;
}

export function checkRestoreTestingSelectionCount(scope: IConstruct, prop: string, count: number): void {
  if (count < 1) {
    fail(scope, prop, '[]', 'restore testing needs at least one selection (one per resource type to test)');
  }
}

/** A selection names exactly one resource type, and it is one that restore testing supports. */
export function checkRestoreTestingResourceType(scope: IConstruct, prop: string, resourceType: string, supported: readonly string[]): void {
  if (Token.isUnresolved(resourceType)) return;
  if (!supported.includes(resourceType)) {
    fail(scope, prop, `'${resourceType}'`,
      `a restore testing selection names exactly one resource type, one of ${supported.join(', ')}; add a selection per type`);
  }
}

/**
 * `['*']`, or up to 30 ARNs, each of the selection's resource type (a selection
 * holds one resource type; an ARN of another service is another type).
 */
export function checkProtectedResourceArns(
  scope: IConstruct,
  prop: string,
  arns: readonly string[],
  resourceType: string,
  services: readonly string[],
): void {
  if (arns.length === 0) fail(scope, prop, '[]', "list the resources to test, or ['*'] for every protected resource of the type");
  if (arns.includes('*') && arns.length > 1) {
    fail(scope, prop, `[${arns.map((a) => (Token.isUnresolved(a) ? '(token)' : `'${a}'`)).join(', ')}]`,
      "it is either ['*'] or specific ARNs, not both");
  }
  if (arns.length > RESTORE_TESTING_LIMITS.maxProtectedResourceArns) {
    fail(scope, prop, `${arns.length} ARNs`, `a restore testing selection lists at most ${RESTORE_TESTING_LIMITS.maxProtectedResourceArns} resource ARNs`);
  }
  for (const arn of arns) {
    if (arn === '*' || Token.isUnresolved(arn)) continue;
    const service = arn.split(':')[2];
    if (!arn.startsWith('arn:') || !services.includes(service)) {
      fail(scope, prop, `'${arn}'`,
        `this selection's resource type is ${resourceType}, so it holds ${resourceType} resources only (ARNs of ${services.join(' or ')}); `
        + 'add a selection per resource type');
    }
  }
}

export function checkUniqueRestoreTestingSelectionName(scope: IConstruct, prop: string, name: string, taken: ReadonlySet<string>): void {
  if (Token.isUnresolved(name)) return;
  if (taken.has(name)) {
    fail(scope, prop, `'${name}'`, 'restore testing selection names must be unique within the plan');
  }
}

// --- Backup catalog ----------------------------------------------------------------

/** The catalog's TableV2 with a customer-managed key renders its replica per region, so the stack needs one. */
export function checkCatalogRegion(scope: IConstruct, region: string): void {
  if (Token.isUnresolved(region)) {
    fail(scope, 'the stack region', 'unresolved (an environment-agnostic stack)',
      "the backup catalog's table is encrypted with a customer-managed key, which needs a concrete region: set env: { region } on the stack");
  }
}
