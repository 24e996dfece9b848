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
