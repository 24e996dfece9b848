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

// --- S3 replication (CrossRegionDr) ----------------------------------------------------

/** S3 replication facts the rules below rely on. */
export const S3_REPLICATION_LIMITS = {
  /** Replication Time Control: 99.99% of new objects within 15 minutes, the only S3 replication with a time objective. */
  rtcMinutes: 15,
  /** Destination storage classes that S3 replication accepts (REDUCED_REDUNDANCY is deprecated and left out). */
  storageClasses: ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as readonly string[],
  /** Upper bound of a standard restore, in hours, for the classes whose objects cannot be read before a restore. */
  restoreHours: { GLACIER: 5, DEEP_ARCHIVE: 12 } as Readonly<Record<string, number>>,
};

/**
 * S3 general purpose bucket naming rules. The replica's name must be known at synth:
 * the replication rule in the primary region names it, and CloudFormation
 * references do not cross regions.
 */
export function checkReplicaBucketName(scope: IConstruct, prop: string, name: string): void {
  if (Token.isUnresolved(name)) {
    fail(scope, prop, '(token)', 'the replica bucket name must be known at synth: the replication rule in the primary region names it, '
      + 'and CloudFormation references do not cross regions');
  }
  const valid = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)
    && !name.includes('..')
    && !/^\d{1,3}(\.\d{1,3}){3}$/.test(name)
    && !/^(xn--|sthree-|amzn-s3-demo-)/.test(name)
    && !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
  if (!valid) {
    fail(scope, prop, `'${name}'`, 'a bucket name is 3-63 lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit, '
      + "without '..', not an IP address, without the reserved prefixes xn--, sthree-, amzn-s3-demo- and the reserved suffixes "
      + '-s3alias, --ol-s3, .mrap, --x-s3, --table-s3');
  }
}

/** Replication rules are written into the bucket's own AWS::S3::Bucket resource, in the primary stack. */
export function checkReplicationSourceOwned(scope: IConstruct, owned: boolean, stackName: string, primaryStackName: string): void {
  if (!owned) {
    fail(scope, 'the bucket to replicate', 'an imported bucket (no AWS::S3::Bucket resource in this app)',
      "replication rules are written into the bucket's own AWS::S3::Bucket resource: pass an s3.Bucket defined in this app, "
      + `in the primary stack '${primaryStackName}'`);
  }
  if (stackName !== primaryStackName) {
    fail(scope, 'the stack of the bucket to replicate', `'${stackName}'`,
      `the bucket must be in the primary stack '${primaryStackName}', where its replication rule, role and alarms live`);
  }
}

/** S3 replication needs a versioned source (object lock turns versioning on by itself). */
export function checkReplicationSourceVersioned(scope: IConstruct, versioningStatus: string | undefined, objectLockEnabled: boolean): void {
  if (objectLockEnabled || versioningStatus === 'Enabled') return;
  if (versioningStatus !== undefined && Token.isUnresolved(versioningStatus)) return;
  fail(scope, 'versioned', versioningStatus === undefined ? 'not set' : `'${versioningStatus}'`,
    'S3 replication needs versioning enabled on the source bucket: set versioned: true');
}

/**
 * The source bucket's name must be known at synth: the readiness check in the DR
 * region reads the replication metrics by bucket name, and CloudFormation references
 * do not cross regions.
 */
export function checkReplicationSourceName(scope: IConstruct, bucketName: string | undefined): void {
  if (bucketName !== undefined && !Token.isUnresolved(bucketName)) return;
  fail(scope, 'bucketName', bucketName === undefined ? 'not set (CloudFormation generates one)' : '(token)',
    'a bucket replicated by CrossRegionDr needs an explicit, literal bucketName: the readiness check in the DR region '
    + 'reads its replication metrics by bucket name, and CloudFormation references do not cross regions');
}

/** A storage class replication accepts, and one whose replicas can be read within the RTO. */
export function checkReplicaStorageClass(scope: IConstruct, prop: string, storageClass: string, rto: Duration): void {
  if (Token.isUnresolved(storageClass)) return;
  if (!S3_REPLICATION_LIMITS.storageClasses.includes(storageClass)) {
    fail(scope, prop, `'${storageClass}'`, `S3 replication writes replicas in one of ${S3_REPLICATION_LIMITS.storageClasses.join(', ')}`);
  }
  const restoreHours = S3_REPLICATION_LIMITS.restoreHours[storageClass];
  if (restoreHours !== undefined && !Token.isUnresolved(rto) && rto.toMinutes() < restoreHours * 60) {
    fail(scope, prop, `'${storageClass}'`,
      `replicas in ${storageClass} must be restored before they can be read (a standard restore takes up to ${restoreHours} hours), `
      + `which does not fit the RTO of ${describeDuration(rto)}; use STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING or GLACIER_IR`);
  }
}

/** CrossRegionDr merges its rule into the bucket's replication configuration, so it must be readable at synth. */
export function checkReplicationConfigurationReadable(scope: IConstruct, prop: string, isToken: boolean): void {
  if (isToken) {
    fail(scope, prop, '(token)', 'CrossRegionDr merges its replication rule with the existing rules, so the replication configuration '
      + 'and each of its rules must be plain values at synth (not Lazy or IResolvable)');
  }
}

/** An existing rule CrossRegionDr can keep beside its own. */
export function checkExistingReplicationRule(
  scope: IConstruct,
  prop: string,
  rule: { readonly id?: string; readonly legacyPrefix: boolean; readonly account?: string },
  drRuleId: string,
  account: string,
): void {
  const name = rule.id !== undefined ? `rule '${rule.id}'` : 'a rule without id';
  if (rule.legacyPrefix) {
    fail(scope, prop, `${name} with a rule-level prefix (replication configuration V1)`,
      'CrossRegionDr adds a rule with filter and priority (V2), and S3 rejects a configuration that mixes the two schemas: '
      + 'move the prefix into filter: { prefix } and set priority and deleteMarkerReplication');
  }
  if (rule.id === drRuleId) {
    fail(scope, prop, name, 'this bucket is already replicated by this CrossRegionDr; call replicateBucket() once per bucket');
  }
  if (rule.account !== undefined && !Token.isUnresolved(rule.account) && rule.account !== account) {
    fail(scope, prop, `${name}, which replicates to account ${rule.account}`,
      "S3 gives a bucket's replication configuration one role and CrossRegionDr replaces it with its own, which the other "
      + "account's destination bucket does not trust: CrossRegionDr cannot take over cross-account rules");
  }
}

// --- Database DR (CrossRegionDr) ----------------------------------------------------------

/**
 * The oldest engine versions that can join an Aurora global database in any region
 * (AWS Aurora User Guide, "Supported Regions and DB engines for Aurora global
 * databases"); later major versions support it from their first release.
 */
export const AURORA_GLOBAL_MIN_VERSIONS = {
  /** Aurora MySQL: 2.07 (MySQL 5.7 compatible) and every 3.x. */
  mysql: { major: 2, minor: 7 },
  /** Aurora PostgreSQL, by major version. */
  postgres: { 10: 14, 11: 9, 12: 4, 13: 3, 14: 3 } as Readonly<Record<number, number>>,
} as const;

/** DB cluster, DB instance and global cluster identifiers. */
export function checkRdsIdentifier(scope: IConstruct, prop: string, id: string): void {
  if (Token.isUnresolved(id)) {
    fail(scope, prop, '(token)', 'the identifier must be known at synth: the other region refers to it by name and ARN, '
      + 'and CloudFormation references do not cross regions');
  }
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(id) || id.includes('--') || id.endsWith('-')) {
    fail(scope, prop, `'${id}'`, 'an RDS identifier is 1-63 letters, digits and hyphens, starts with a letter, '
      + 'and has no two consecutive hyphens and no trailing hyphen');
  }
}

/** The error for a user database whose physical name CloudFormation would generate. */
export function databaseIdentifierRequired(scope: IConstruct, prop: string, value: string, kind: string): ComplianceRuleError {
  return new ComplianceRuleError(scope, prop, value, `user databases need explicit physical identifiers: set ${prop} so that `
    + `the DR region can refer to the ${kind} by name and ARN (CloudFormation references do not cross regions)`);
}

/** A protected database lives in the primary region of its CrossRegionDr. */
export function checkDatabaseRegion(scope: IConstruct, region: string, primaryRegion: string): void {
  if (Token.isUnresolved(region)) {
    fail(scope, 'the stack region', '(token)', `a protected database must be in a stack of the primary region (${primaryRegion}): `
      + 'set env: { region } on its stack');
  }
  if (region !== primaryRegion) {
    fail(scope, 'the stack region', `'${region}'`, `a protected database must be in the primary region of the CrossRegionDr (${primaryRegion})`);
  }
}

/** Cross-region RDS copies are encrypted with the DR key, which RDS does only for an encrypted source. */
export function checkDatabaseStorageEncrypted(scope: IConstruct, encrypted: unknown): void {
  if (encrypted !== null && typeof encrypted === 'object') return; // a token: known at deploy time only
  if (encrypted !== true) {
    fail(scope, 'storageEncrypted', String(encrypted), 'the DR copy is encrypted with the DR key, and RDS encrypts a cross-region '
      + 'copy only of an encrypted source: set storageEncrypted: true (or a storageEncryptionKey)');
  }
}

/** Engine, engine mode, backtracking and version of an Aurora global database primary. */
export function checkAuroraGlobalEngine(
  scope: IConstruct,
  e: { engine?: string; engineVersion?: string; engineMode?: unknown; backtrackWindow?: unknown },
): void {
  const { engine, engineVersion } = e;
  if (engine !== 'aurora-mysql' && engine !== 'aurora-postgresql') {
    fail(scope, 'engine', `'${engine}'`, 'an Aurora global database needs engine aurora-mysql or aurora-postgresql '
      + '(Aurora MySQL 5.6, engine aurora, has reached end of life)');
  }
  if (e.engineMode === 'serverless') {
    fail(scope, 'engineMode', "'serverless'", 'Aurora Serverless v1 cannot join a global database; use provisioned or Serverless v2 instances');
  }
  if (typeof e.backtrackWindow === 'number' && e.backtrackWindow > 0) {
    fail(scope, 'backtrackWindow', `${e.backtrackWindow} seconds`, 'Aurora global databases do not support backtracking; remove backtrackWindow');
  }
  if (engineVersion === undefined || Token.isUnresolved(engineVersion)) {
    fail(scope, 'the engine version', engineVersion === undefined ? 'undefined' : '(token)', 'the secondary must run the primary\'s '
      + 'exact engine version: pin it, e.g. DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_4 })');
  }
  const version = engineVersion as string;
  const supported = 'Aurora global databases need Aurora MySQL 2.07 or later (every 3.x), or Aurora PostgreSQL 10.14+, 11.9+, '
    + '12.4+, 13.3+, 14.3+ or a later major version';
  const unsupported = () => fail(scope, 'the engine version', `'${engine} ${version}'`, supported);
  if (engine === 'aurora-mysql') {
    const m = /mysql_aurora\.(\d+)\.(\d+)/.exec(version);
    if (m) {
      const [major, minor] = [Number(m[1]), Number(m[2])];
      const min = AURORA_GLOBAL_MIN_VERSIONS.mysql;
      if (major < min.major || (major === min.major && minor < min.minor)) unsupported();
    } else if (/^5\.[67]\./.test(version)) {
      unsupported(); // 5.6.x and 5.7.12 are Aurora MySQL 1.x and 2.00-2.03
    }
  } else {
    const m = /^(\d+)\.(\d+)/.exec(version);
    if (m) {
      const [major, minor] = [Number(m[1]), Number(m[2])];
      const minMinor = AURORA_GLOBAL_MIN_VERSIONS.postgres[major];
      if (major < 10 || (minMinor !== undefined && minor < minMinor)) unsupported();
    }
  }
}

export function checkSecondaryInstanceCount(scope: IConstruct, count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    fail(scope, 'secondaryInstances', String(count), 'a secondary cluster has 1-16 DB instances; at least one, so that it can take '
      + 'writes right after a failover');
  }
}

/** The read replica's class comes from the source unless it is given. */
export function checkReplicaInstanceClass(scope: IConstruct, sourceClass: string | undefined): string {
  if (sourceClass === undefined) {
    fail(scope, 'instanceType', '(unknown at synth)', 'the source instance\'s class is not known at synth: set instanceClass in the '
      + 'read replica options');
  }
  return sourceClass as string;
}

/** The message for a DynamoDB global table without a replica in the DR region (reported at synth). */
export function globalTableReplicaMissing(scope: IConstruct, regions: readonly string[], drRegion: string): string {
  return new ComplianceRuleError(scope, 'replicas', `[${regions.map((r) => `'${r}'`).join(', ')}]`,
    `the table has no replica in the DR region ${drRegion}: add replicas: [{ region: '${drRegion}' }] to the TableV2 `
    + `(and, for a customer-managed key, '${drRegion}': crossRegionDr.drKeyAliasArn in the replicaKeyArns of `
    + 'TableEncryptionV2.customerManagedKey())').message;
}

/** The message for a generated secret that the user also replicates to the DR region (reported at synth). */
export function secretReplicatedTwice(scope: IConstruct, drRegion: string): string {
  return new ComplianceRuleError(scope, 'replicaRegions', `['${drRegion}', '${drRegion}']`,
    `CrossRegionDr replicates the generated secret to ${drRegion} with the DR key; remove ${drRegion} from the credentials' replicaRegions`).message;
}
