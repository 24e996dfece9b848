import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeDuration, fail, wholeDays } from './errors';

/* VaultLockDays: a lock in the whole days AWS Backup takes (internal; the public API speaks Durations). */
/** A vault lock's bounds in whole days, as deployed. */
export interface VaultLockDays {
  /** The shortest retention a recovery point in the vault may have. */
  readonly minRetentionDays: number;
  /**
   * The longest retention a recovery point in the vault may have.
   * @default - no maximum
   */
  readonly maxRetentionDays?: number;
  /**
   * Days before a compliance-mode lock becomes immutable.
   * @default - governance mode
   */
  readonly changeableForDays?: number;
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

// --- Notification events ---------------------------------------------------

/** How AWS Backup spells a vault notification event. */
export const VAULT_EVENT_LIMITS = {
  /** Upper-case words of letters and digits joined by single underscores, e.g. CONTINUOUS_BACKUP_INTERRUPTED. */
  namePattern: /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/,
} as const;

/**
 * Events the API still lists but AWS Backup no longer delivers ("Deprecated events do not
 * return statuses or notifications", PutBackupVaultNotifications): accepting them would silently send nothing.
 */
export const DEPRECATED_VAULT_EVENTS: ReadonlySet<string> = new Set([
  'BACKUP_JOB_SUCCESSFUL', 'BACKUP_JOB_FAILED', 'BACKUP_JOB_EXPIRED', 'RESTORE_JOB_SUCCESSFUL',
  'RESTORE_JOB_FAILED', 'BACKUP_PLAN_CREATED', 'BACKUP_PLAN_MODIFIED',
]);

/** A vault notification event is spelled the way AWS Backup spells its events. */
export function checkVaultEventName(scope: IConstruct, prop: string, eventName: string): void {
  if (Token.isUnresolved(eventName)) return;
  if (typeof eventName !== 'string' || !VAULT_EVENT_LIMITS.namePattern.test(eventName)) {
    fail(scope, prop, typeof eventName === 'string' ? `[..., '${eventName}', ...]` : `[..., ${String(eventName)}, ...]`,
      'a vault notification event is upper-case words joined by underscores, as AWS Backup spells it '
      + '(VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED, VaultEvent.of(\'NEW_EVENT_NAME\'))');
  }
}

/** A vault notification event is one AWS Backup still delivers, not one it lists as deprecated. */
export function checkVaultEventDelivered(scope: IConstruct, prop: string, eventName: string): void {
  if (!DEPRECATED_VAULT_EVENTS.has(eventName)) return;
  fail(scope, prop, `[..., ${eventName}, ...]`,
    `AWS Backup no longer sends ${eventName}; use BACKUP_JOB_COMPLETED or RESTORE_JOB_COMPLETED (their message carries the state) or onBackupJobFailed()`);
}

/** A vault takes its notification events from one prop: `events` (VaultEvent) or the older `notificationEvents`. */
export function checkOneEventList(
  scope: IConstruct, events: readonly unknown[] | undefined, notificationEvents: readonly unknown[] | undefined,
): void {
  if (events === undefined || notificationEvents === undefined) return;
  fail(scope, 'events', `[${events.map((e) => (e as { eventName?: unknown })?.eventName ?? String(e)).join(', ')}]`,
    `notificationEvents is set too ([${notificationEvents.join(', ')}]): set events (VaultEvent, every event AWS Backup delivers) `
    + 'or notificationEvents (aws-cdk-lib\'s BackupVaultEvents), not both');
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

/** A plan rule may copy into an air-gapped vault, but may not name it as its TargetBackupVault. */
export function checkNotAirGappedTarget(scope: IConstruct, rule: string, targetBackupVault: string, airGappedVaultName: string): void {
  if (targetBackupVault !== airGappedVaultName) return;
  fail(scope, `the TargetBackupVault of rule '${rule}'`, `'${targetBackupVault}'`,
    'that is a logically air-gapped vault, which can only be a copy destination or a rule\'s '
    + 'TargetLogicallyAirGappedBackupVaultArn (with a standard vault as TargetBackupVault)');
}

/** A backup vault ARN: arn:<partition>:backup:<region>:<account>:backup-vault:<name>. Tokens pass. */
export function checkVaultArn(scope: IConstruct, prop: string, arn: string): void {
  if (Token.isUnresolved(arn)) return;
  if (!/^arn:aws[a-z-]*:backup:[a-z]{2}(-[a-z]+)+-\d:\d{12}:backup-vault:[a-zA-Z0-9\-_]{2,50}$/.test(arn)) {
    fail(scope, prop, `'${arn}'`, 'expected arn:<partition>:backup:<region>:<12-digit account>:backup-vault:<name of 2-50 letters, '
      + 'digits, hyphens and underscores>');
  }
}

/** A lock in whole days; the lock has been checked (checkVaultLock) where it was declared. */
export function vaultLockDays(lock: { minRetention: Duration; maxRetention?: Duration; changeableFor?: Duration }): VaultLockDays {
  return {
    minRetentionDays: lock.minRetention.toDays(),
    maxRetentionDays: lock.maxRetention?.toDays(),
    changeableForDays: lock.changeableFor?.toDays(),
  };
}
