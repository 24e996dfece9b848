import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { IConstruct } from 'constructs';
import { PolicyCopyAction, PolicyLifecycle, PolicyRule } from './policy-document';
import { IAuditedVault } from '../audited-vault-props';
import { BackupTier, TierLifecycle } from '../backup-system/backup-tier';
import { checkDrRegion, checkLiteralVaultArn, checkPolicyTimeZone } from '../validation/organization';
import { checkTier } from '../validation/plan';
import { checkPolicyTierFeatures } from '../validation/scanning';
import { checkArchiveNotInPolicy } from '../validation/storage-tiers';
import { VaultLockDays, checkRetentionWithinLock, vaultLockDays } from '../validation/vault';

/**
 * Maps the library's tier model onto the backup policy language, option by option:
 *
 * | BackupTier option            | backup policy element                                          |
 * |------------------------------|----------------------------------------------------------------|
 * | name                         | the rule's key                                                 |
 * | schedule (cron)              | schedule_expression                                            |
 * | retention                    | lifecycle.delete_after_days                                    |
 * | moveToColdStorageAfter       | lifecycle.move_to_cold_storage_after_days                      |
 * | continuous                   | enable_continuous_backup                                       |
 * | airGapped                    | target_logically_air_gapped_backup_vault_arn ($region/$account)|
 * | copyTo                       | copy_actions, keyed and targeted by the vault's literal ARN    |
 * | copyToDr                     | copy_actions into the member's own vault in drRegion ($account)|
 * | copyRetention, copyMoveTo... | copy_actions.*.lifecycle                                       |
 * | startWindow                  | start_backup_window_minutes                                    |
 * | completionWindow             | complete_backup_window_minutes                                 |
 * | recoveryPointTags            | recovery_point_tags                                            |
 * | scheduleTimeZone             | not in the language (schedule_expression is UTC): an error     |
 * | archiveEbsSnapshots          | not rendered by this library: an error                         |
 * | malwareScan, backupIndexes   | not rendered by this library (and no member scanner role): an error |
 */

/** What the mapping needs besides the tier. */
export interface TierMappingContext {
  readonly partition: string;
  readonly regions: readonly string[];
  readonly drRegion?: string;
  readonly memberVaultName: string;
  readonly memberLock: VaultLockDays;
  readonly airGappedVaultName?: string;
  readonly airGappedLock?: VaultLockDays;
  /** Recovery point tags every rule adds (the policy's own tag, for the audit controls). */
  readonly extraRecoveryPointTags: Record<string, string>;
}

/** A tier as the organization renders and audits it. */
export interface MappedTier {
  readonly tier: BackupTier;
  readonly rule: PolicyRule;
  readonly intervalMinutes: number;
  /** Regions and accounts the tier copies to ('$account' for the member's own). */
  readonly copyRegions: readonly string[];
  readonly copyAccounts: readonly string[];
}

export function lifecycleDays(l: TierLifecycle): PolicyLifecycle {
  return { deleteAfterDays: l.deleteAfter?.toDays(), moveToColdStorageAfterDays: l.moveToColdStorageAfter?.toDays() };
}

/** The region of a vault ARN. */
export function arnRegion(arn: string): string {
  return arn.split(':')[3];
}

/** The account of a vault ARN (`$account` for the member's own). */
export function arnAccount(arn: string): string {
  return arn.split(':')[4];
}

/** The partition of a region, when the stack's own is a token. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The literal ARN of a vault, when one can be known at synth. */
export function literalVaultArn(vault: backup.IBackupVault): string | undefined {
  if (!Token.isUnresolved(vault.backupVaultArn)) return vault.backupVaultArn;
  const child = vault.node.defaultChild;
  const name = child instanceof backup.CfnBackupVault || child instanceof backup.CfnLogicallyAirGappedBackupVault
    ? child.backupVaultName : undefined;
  const { account, region } = Stack.of(vault);
  if (name === undefined || [name, account, region].some((v) => Token.isUnresolved(v))) return undefined;
  return `arn:${partitionOf(region)}:backup:${region}:${account}:backup-vault:${name}`;
}

/** Validates one tier with the library's own rules plus the policy language's, and renders its rule. */
export function mapTier(scope: IConstruct, tier: BackupTier, index: number, ctx: TierMappingContext): MappedTier {
  const p = tier.props;
  const path = `tiers[${index}]`;
  checkPolicyTimeZone(scope, `${path}.scheduleTimeZone`, p.scheduleTimeZone);
  checkPolicyTierFeatures(scope, path, p);
  const schedule = checkTier(scope, path, tier, { checkTimeZone: false });
  checkArchiveNotInPolicy(scope, path, p.archiveEbsSnapshots);
  checkRetentionWithinLock(scope, `${path}.retention`, p.retention, `the member vault '${ctx.memberVaultName}'`, ctx.memberLock);
  if (tier.airGapped) {
    checkRetentionWithinLock(scope, `${path}.retention`, p.retention, `the member air-gapped vault '${ctx.airGappedVaultName}'`, ctx.airGappedLock);
  }

  const intervalMinutes = schedule.maxGapMinutes;

  const copies: PolicyCopyAction[] = [];
  (p.copyTo ?? []).forEach((vault, i) => {
    const arn = checkLiteralVaultArn(scope, `${path}.copyTo[${i}]`, literalVaultArn(vault));
    checkCopyLock(scope, tier, vault, arn, `${path}.copyRetention`);
    copies.push({ targetVaultArn: arn, lifecycle: lifecycleDays(tier.copyLifecycle) });
  });
  if (p.copyToDr) {
    checkDrRegion(scope, `${path}.copyToDr`, ctx.drRegion, ctx.regions);
    const lifecycle = tier.copyLifecycle;
    if (lifecycle.deleteAfter) {
      checkRetentionWithinLock(scope, `${path}.copyRetention`, lifecycle.deleteAfter, `the member vault '${ctx.memberVaultName}' in ${ctx.drRegion}`, ctx.memberLock);
    }
    copies.push({
      targetVaultArn: `arn:${ctx.partition}:backup:${ctx.drRegion}:$account:backup-vault:${ctx.memberVaultName}`,
      lifecycle: lifecycleDays(lifecycle),
    });
  }

  const rule: PolicyRule = {
    name: p.name,
    scheduleExpression: p.schedule.expressionString,
    startWindowMinutes: p.startWindow!.toMinutes(),
    completionWindowMinutes: p.completionWindow!.toMinutes(),
    continuous: tier.isContinuous,
    lifecycle: lifecycleDays({ deleteAfter: p.retention, moveToColdStorageAfter: p.moveToColdStorageAfter }),
    airGappedVaultArn: tier.airGapped ? `arn:${ctx.partition}:backup:$region:$account:backup-vault:${ctx.airGappedVaultName}` : undefined,
    copyActions: copies,
    recoveryPointTags: { ...p.recoveryPointTags, ...ctx.extraRecoveryPointTags },
  };
  return {
    tier,
    rule,
    intervalMinutes,
    copyRegions: copies.map((c) => arnRegion(c.targetVaultArn)),
    copyAccounts: copies.map((c) => arnAccount(c.targetVaultArn)),
  };
}

/** A copy into a vault of this app must fit its lock (as CompliantBackupSystem checks it). */
function checkCopyLock(scope: IConstruct, tier: BackupTier, vault: backup.IBackupVault, arn: string, prop: string): void {
  const lock = (vault as Partial<IAuditedVault>).vaultLock;
  // A copy always has a retention: checkCopyLifecycle rejects cold storage without one.
  if (lock) checkRetentionWithinLock(scope, prop, tier.copyLifecycle.deleteAfter!, `copy destination ${arn}`, vaultLockDays(lock));
}

/** The shortest retention of any tier: the default minimum of the member vault lock. */
export function shortestRetention(tiers: readonly BackupTier[]): Duration {
  // Whole days, rounded down from milliseconds: a fractional retention is rejected by the tier checks that follow.
  return Duration.days(Math.max(1, Math.floor(Math.min(...tiers.map((t) => t.retention.toMilliseconds())) / 86_400_000)));
}
