import { Duration, Stack, TimeZone, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { TierAuditFacts } from './audit-controls';
import { renderIndexActions } from './backup-indexes';
import { ProtectedResourceType } from './backup-service-policy';
import { BackupTier, TierLifecycle } from './backup-tier';
import { CopyCadence } from './copy-cadence';
import { renderScanActions, renderScanSettings } from './malware-scanning';
import { IAuditedVault } from '../audited-vault-props';

/**
 * The library's own model of a CompliantBackupSystem's plan: the tiers, the vaults
 * they land in and every copy destination. Rendering, the checks and monitoring all
 * read this model; the CloudFormation plan is rendered from it in one place, lazily,
 * so tiers and copy destinations added at any time are seen by all three.
 */

/** One tier in the plan, with the longest gap between two of its scheduled backups. */
export interface PlannedTier {
  readonly tier: BackupTier;
  readonly intervalMinutes: number;
}

/** A copy destination of a tier, with the lifecycle its copies get. */
export interface CopyTarget {
  readonly vault: backup.IBackupVault;
  readonly lifecycle: TierLifecycle;
}

/** A tag on the plan's recovery points that scopes the audit controls to this system. */
export interface SystemTag {
  readonly key: string;
  readonly value: string;
}

export class BackupPlanModel {
  public readonly tiers: PlannedTier[] = [];
  /** Vaults every `copyToDr` tier copies into (added through `addDrCopyDestination`). */
  public readonly drDestinations: backup.IBackupVault[] = [];
  /** The role GuardDuty scans as, set when the first scanning tier joins the plan. */
  public scannerRoleArn?: string;

  constructor(
    private readonly primaryVault: IAuditedVault,
    private readonly airGappedVault: IAuditedVault | undefined,
    private readonly systemTag: SystemTag,
  ) {}

  /** The vaults a tier's recovery points are copied into, with their lifecycles. */
  public copyTargets(tier: BackupTier): CopyTarget[] {
    // An air-gapped tier already lands in the air-gapped vault: a copy there would be a second one.
    const explicit = (tier.props.copyTo ?? []).filter((v) => !(v === this.airGappedVault && tier.airGapped));
    const dr = tier.props.copyToDr ? this.drDestinations : [];
    return [...explicit, ...dr].map((vault) => ({ vault, lifecycle: tier.copyLifecycle }));
  }

  /** Every vault some tier copies into, each once, in plan order. */
  public copyDestinations(): backup.IBackupVault[] {
    return [...new Set(this.tiers.flatMap(({ tier }) => this.copyTargets(tier).map((t) => t.vault)))];
  }

  /** The regions other than `home` that copies land in (known at synth). */
  public crossRegions(home: string): string[] {
    return this.copyDestinations().map((v) => v.env.region).filter((r) => !Token.isUnresolved(r) && r !== home);
  }

  /** The accounts other than `home` that copies land in (known at synth: a vault's env, or the account in its ARN). */
  public crossAccounts(home: string): string[] {
    // An environment-agnostic stack's account is unknown: no destination can be told apart from it.
    if (Token.isUnresolved(home)) return [];
    const accounts = this.copyDestinations().map((v) => v.env.account).filter((a) => !Token.isUnresolved(a) && a !== home);
    return [...new Set(accounts)];
  }

  /** The cadence of copies into `vault`, or undefined when no tier copies there. */
  public copyCadence(vault: backup.IBackupVault): CopyCadence | undefined {
    const copying = this.tiers.filter(({ tier }) => this.copyTargets(tier).some((t) => t.vault === vault));
    if (copying.length === 0) return undefined;
    const best = [...copying].sort((a, b) => a.intervalMinutes - b.intervalMinutes)[0];
    const interval = Duration.minutes(best.intervalMinutes);
    return {
      tierName: best.tier.name,
      interval,
      worstCaseAge: interval.plus(best.tier.props.startWindow!).plus(best.tier.props.completionWindow!),
    };
  }

  /** What the audit framework needs to know of each tier. */
  public auditFacts(): TierAuditFacts[] {
    return this.tiers.map(({ tier, intervalMinutes }) => ({
      name: tier.name,
      retentionDays: tier.retention.toDays(),
      intervalMinutes,
      startWindowMinutes: tier.props.startWindow!.toMinutes(),
      completionWindowMinutes: tier.props.completionWindow!.toMinutes(),
      copies: this.copyTargets(tier).length > 0,
      copyRetentionDays: tier.copyLifecycle.deleteAfter?.toDays(),
    }));
  }

  /** The plan's rules, one per tier, in CloudFormation's shape. */
  public renderRules(): backup.CfnBackupPlan.BackupRuleResourceTypeProperty[] {
    return this.tiers.map(({ tier }) => {
      const p = tier.props;
      const copies = this.copyTargets(tier);
      return {
        ruleName: p.name,
        scheduleExpression: p.schedule.expressionString,
        scheduleExpressionTimezone: p.scheduleTimeZone ? TimeZone.of(p.scheduleTimeZone).timezoneName : undefined,
        startWindowMinutes: p.startWindow!.toMinutes(),
        completionWindowMinutes: p.completionWindow!.toMinutes(),
        targetBackupVault: this.primaryVault.backupVaultName,
        targetLogicallyAirGappedBackupVaultArn: tier.airGapped ? this.airGappedVault!.backupVaultArn : undefined,
        lifecycle: lifecycleOf({ deleteAfter: p.retention, moveToColdStorageAfter: p.moveToColdStorageAfter }, p.archiveEbsSnapshots),
        enableContinuousBackup: tier.isContinuous || undefined,
        recoveryPointTags: { ...p.recoveryPointTags, [this.systemTag.key]: this.systemTag.value },
        copyActions: copies.length > 0
          ? copies.map((c) => ({ destinationBackupVaultArn: c.vault.backupVaultArn, lifecycle: lifecycleOf(c.lifecycle, p.archiveEbsSnapshots) }))
          : undefined,
        scanActions: renderScanActions(p.malwareScan),
        indexActions: renderIndexActions(p.backupIndexes),
      };
    });
  }

  /** Whether some tier scans its recovery points for malware. */
  public get scans(): boolean {
    return this.tiers.some(({ tier }) => tier.props.malwareScan !== undefined);
  }

  /** The plan's `ScanSettings` while some tier scans: the scannable types of `protectedTypes` and the scanner role. */
  public renderScanSettings(protectedTypes: readonly ProtectedResourceType[]): backup.CfnBackupPlan.ScanSettingResourceTypeProperty[] | undefined {
    if (!this.scans || this.scannerRoleArn === undefined) return undefined;
    return renderScanSettings(protectedTypes, this.scannerRoleArn);
  }
}

/** A lifecycle in CloudFormation's shape; the archive opt-in only where the lifecycle goes cold (it means nothing elsewhere). */
function lifecycleOf(lifecycle: TierLifecycle, archiveEbsSnapshots?: boolean): backup.CfnBackupPlan.LifecycleResourceTypeProperty | undefined {
  const { deleteAfter, moveToColdStorageAfter } = lifecycle;
  if (!deleteAfter && !moveToColdStorageAfter) return undefined;
  return {
    deleteAfterDays: deleteAfter?.toDays(),
    moveToColdStorageAfterDays: moveToColdStorageAfter?.toDays(),
    optInToArchiveForSupportedResources: archiveEbsSnapshots && moveToColdStorageAfter ? true : undefined,
  };
}

/** The region a vault's copies are authorized in: its own when known, else the stack's. */
export function regionOf(vault: backup.IBackupVault, stack: Stack): string {
  return Token.isUnresolved(vault.env.region) ? stack.region : vault.env.region;
}
