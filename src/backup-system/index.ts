import { Lazy, Names, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { additionalSelectableArns } from './additional-resource-types';
import { renderAdvancedBackupSettings } from './advanced-backup-settings';
import { deriveControls } from './audit-controls';
import { createAuditEvidence } from './audit-evidence';
import { AuditOptions } from './audit-options';
import { BackupServiceRole } from './backup-role';
import { ALL_PROTECTED_RESOURCE_TYPES } from './backup-service-policy';
import { BackupTier } from './backup-tier';
import { HANDLER_METRICS_NAMESPACE } from './catalog';
import { CompliantBackupSystemProps } from './compliant-backup-system-props';
import { KeyStrategy } from './key-strategy';
import { LegalHoldRegistry } from './legal-hold';
import { addHandlerWidgets, addVaultAlarms, addVaultRow, createDashboard, createRestoreFailureRule } from './monitoring';
import { BackupPlanModel } from './plan';
import { AuditedVault } from '../audited-vault';
import { IAuditedVault } from '../audited-vault-props';
import { warnColdStorageIgnored, warnFrequentArchive } from './cold-storage-advice';
import { CopyCadence } from './copy-cadence';
import { LegalHoldOptions } from './legal-hold-options';
import { SCANNABLE_RESOURCE_TYPES } from './malware-scanning';
import { createProtectedSelection } from './protected-selection';
import { createS3LowCostTier } from './s3-tiering';
import { ScanAndIndexResources } from './scan-index-resources';
import { DataServices, createDataServices } from './system-data-services';
import { createAirGappedVault, createPrimaryVault } from './system-vaults';
import { TagSelectionInputs, auditScopeOfSelection, checkTagSelection, createTagSelection } from './tag-selection';
import { validateWholePlan } from './whole-plan-checks';
import { grantWindowsVss } from './windows-vss-policy';
import { ComplianceProfile } from '../compliance/compliance-profile';
import { createEncryptedAlertTopic } from '../private/encrypted-topic';
import { stableId } from '../private/ids';
import { KeyProvider } from '../private/key-provider';
import { recordRemovalPolicy } from '../private/removal';
import { createAccessLogBucket } from '../private/secure-bucket';
import { ComplianceRuleError } from '../validation/errors';
import { TierSchedule, checkTier } from '../validation/plan';
import { COMPLIANT_BACKUP_SYSTEM_SHAPE, checkBackupTierShape } from '../validation/prop-shapes';
import { checkPropTypes } from '../validation/prop-types';
import { checkBackupIndexes } from '../validation/scanning';
import { checkArchiveNeedsColdStorage } from '../validation/storage-tiers';
import { checkRetentionWithinLock, vaultLockDays } from '../validation/vault';
import { VaultEvent } from '../vault-events';

/** Tags this system's plan, vaults and recovery points, so audit controls can be scoped to them. */
const SYSTEM_TAG_KEY = 'compliant-backup:system';
const DEFAULT_SELECTION_TAGS = { Backup: 'true' };

/**
 * The governed backup estate of one account and region: a plan with one rule per
 * tier, the vaults the tiers land in, the selections, an audit framework and
 * reports computed from the same tiers, a dashboard and alarms.
 */
export class CompliantBackupSystem extends Construct {
  /** The backup plan: one rule per tier, rendered from the tiers and copy destinations at synth. */
  public readonly plan: backup.IBackupPlan;
  /** The vault every tier backs up into. */
  public readonly primaryVault: AuditedVault;
  /** The logically air-gapped vault of the `airGapped` tiers. */
  public readonly airGappedVault?: AuditedVault;
  /** The audit framework whose controls are derived from the tiers (unless `audit.framework` is false). */
  public readonly framework?: backup.CfnFramework;
  /** The report plans: backup, copy and restore jobs, control and resource compliance. */
  public readonly reportPlans: backup.CfnReportPlan[];
  /** Where audit reports (and AWS Config's configuration items) are delivered, when there are any. */
  public readonly reportBucket?: s3.IBucket;
  /** Receives the S3 server access logs of this system's buckets; yours may log here too. */
  public readonly accessLogBucket: s3.Bucket;
  /** The key of the report bucket, when this construct created it. */
  public readonly reportKey?: kms.IKey;
  /** The AWS Config recorder, when `audit.configRecorder` is set. */
  public readonly configRecorder?: config.CfnConfigurationRecorder;
  /** The role AWS Backup assumes to back up and restore the selected resources. */
  public readonly backupRole: iam.IRole;
  /** The tag-based selection, unless `selectionTags` is empty. */
  public readonly tagSelection?: backup.CfnBackupSelection;
  /** The landing bucket for pushed backups, when `landingStorage` is set. */
  public readonly landingBucket?: s3.IBucket;
  /** The catalog of jobs and pushed objects, unless `catalog` is false. */
  public readonly catalogTable?: dynamodb.ITable;
  /** The restore testing plan, when `restoreTesting` is set. */
  public readonly restoreTestingPlan?: backup.CfnRestoreTestingPlan;
  /** The dashboard of jobs and recovery points per vault. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Alarms and failure events go here. */
  public readonly alarmTopic: sns.ITopic;
  /** The compliance profile, if any. */
  public readonly profile?: ComplianceProfile;
  /** How many customer-managed keys the system creates. */
  public readonly keyStrategy: KeyStrategy;
  /** The alarms this construct created (the vaults' own are on the vaults). */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The legal holds on this system's recovery points (from `legalHolds` and `addLegalHold()`). */
  public readonly legalHolds: backup.CfnLegalHold[];
  /** The S3 low-cost tier of the primary vault, when `s3LowCostTier` is set. */
  public readonly s3TieringConfiguration?: backup.CfnTieringConfiguration;

  private readonly model: BackupPlanModel;
  private readonly role: BackupServiceRole;
  private readonly watched = new Set<backup.IBackupVault>();
  private readonly selectionTags: Record<string, string>;
  private readonly selection: TagSelectionInputs;
  private readonly audit: AuditOptions;
  private readonly deletionExemptRoles: iam.IRole[];
  private readonly systemTagValue: string;
  private readonly protectedSelections: backup.BackupSelection[] = [];
  private readonly services: DataServices;
  private readonly planName: string;
  private readonly holds: LegalHoldRegistry;
  private readonly scanAndIndex: ScanAndIndexResources;

  /**
   * @param scope where the construct is defined
   * @param id the construct id: part of every logical ID and derived name below it, so keep it stable
   * @param props the CompliantBackupSystem's configuration
   */
  constructor(scope: Construct, id: string, props: CompliantBackupSystemProps = {}) {
    super(scope, id);
    checkPropTypes(this, '', props, COMPLIANT_BACKUP_SYSTEM_SHAPE);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    recordRemovalPolicy(props.removalPolicy, this);
    (props.tiers ?? []).forEach((tier, i) => checkBackupTierShape(this, `tiers[${i}]`, tier));
    const initialTiers = props.tiers ?? [BackupTier.daily()];
    this.profile = props.profile;
    this.audit = props.audit ?? {};
    this.selectionTags = props.selectionTags ?? DEFAULT_SELECTION_TAGS;
    this.selection = { tags: this.selectionTags, conditions: props.selectionConditions, excludeResources: props.excludeResources };
    checkTagSelection(this, this.selection);
    this.deletionExemptRoles = props.vault?.allowDeletionBy ?? [];
    this.systemTagValue = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    const schedules = initialTiers.map((tier, i) => this.validateTier(tier, `tiers[${i}]`, initialTiers.slice(0, i)));

    // Keys: one shared key, or one per purpose (the default with a compliance profile).
    this.keyStrategy = props.keyStrategy ?? (props.profile ? KeyStrategy.PER_PURPOSE : KeyStrategy.SHARED);
    const keys = new KeyProvider(this, this.keyStrategy === KeyStrategy.SHARED, removalPolicy);
    const sharedKey = this.keyStrategy === KeyStrategy.SHARED ? keys.key(this, 'SharedKey', '') : undefined;

    // Alarm topic: shared by the vaults' notifications and this system's alarms.
    this.alarmTopic = props.alarmTopic ?? createEncryptedAlertTopic(this, 'AlarmTopic',
      keys.key(this, 'AlarmKey', `Encrypts the alarm topic of ${this.node.path}`), `Backup alarms: ${this.node.path}`);
    // Server access logs of every bucket this system creates.
    this.accessLogBucket = createAccessLogBucket(this, 'AccessLogBucket', removalPolicy);

    // Vaults.
    this.primaryVault = createPrimaryVault(this, props, initialTiers, { removalPolicy, alarmTopic: this.alarmTopic, sharedKey });
    this.airGappedVault = createAirGappedVault(this, props, initialTiers, { removalPolicy, alarmTopic: this.alarmTopic, alertKey: sharedKey });

    // The plan, rendered at synth from the library's model of it.
    this.model = new BackupPlanModel(this.primaryVault, this.airGappedVault, { key: SYSTEM_TAG_KEY, value: this.systemTagValue });
    this.planName = props.planName ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '-' });
    const cfnPlan = new backup.CfnBackupPlan(new Construct(this, 'Plan'), 'Resource', {
      backupPlan: {
        backupPlanName: this.planName,
        backupPlanRule: Lazy.any({ produce: () => this.model.renderRules() }),
        advancedBackupSettings: renderAdvancedBackupSettings(this, props.advancedBackupSettings),
        scanSettings: Lazy.any({ produce: () => this.model.renderScanSettings(ALL_PROTECTED_RESOURCE_TYPES) }),
      },
    });
    this.plan = backup.BackupPlan.fromBackupPlanId(this, 'PlanRef', cfnPlan.attrBackupPlanId);
    // The system tag scopes the audit controls to this system's plan, vaults and recovery points.
    Tags.of(this).add(SYSTEM_TAG_KEY, this.systemTagValue);

    // Monitoring first, so that every vault the plan reaches is watched as soon as it appears.
    this.dashboard = createDashboard(this);
    this.watch(this.primaryVault, 'primary', { receivesBackups: true, receivesCopies: false, alarmSuffix: '0' });
    if (this.airGappedVault) this.watch(this.airGappedVault, 'air-gapped', { receivesBackups: true, receivesCopies: true, alarmSuffix: '1' });

    // The role AWS Backup assumes, the selections, the tiers.
    this.role = new BackupServiceRole(this, [this.primaryVault.encryptionKey, this.airGappedVault?.encryptionKey]);
    this.backupRole = this.role.role;
    const additionalTypes = props.additionalResourceTypes ?? [];
    if (additionalTypes.length > 0) this.role.allowAdditionalTypes(additionalTypes);
    this.tagSelection = createTagSelection(this, this.plan, this.backupRole, this.selection,
      additionalSelectableArns(Stack.of(this), additionalTypes));
    this.scanAndIndex = new ScanAndIndexResources(this, this.model, this.backupRole, this.alarmTopic);
    initialTiers.forEach((tier, i) => this.planTier(tier, schedules[i]));
    if (props.advancedBackupSettings?.windowsVss) grantWindowsVss(this, this.backupRole);
    this.s3TieringConfiguration = props.s3LowCostTier && createS3LowCostTier(this, props.s3LowCostTier,
      { vault: this.primaryVault, tiers: () => this.model.tiers.map((t) => t.tier), removalPolicy });

    // Catalog, landing storage, restore testing.
    this.services = createDataServices(this, props, {
      alarmTopic: this.alarmTopic,
      vaults: this.ownVaults,
      accessLogBucket: this.accessLogBucket,
      backupRole: this.backupRole,
      selectionTags: this.selectionTags,
      removalPolicy,
      keys,
    });
    this.catalogTable = this.services.catalog?.table;
    if (this.catalogTable) this.protect(backup.BackupResource.fromArn(this.catalogTable.tableArn));
    this.landingBucket = this.services.landing?.bucket;
    this.restoreTestingPlan = this.services.restoreTesting?.plan;
    // Restore tests fail a recovery point that a scanning tier made but GuardDuty did not find clean.
    for (const { tier } of this.model.tiers) this.requireCleanScans(tier);

    // Audit: framework derived from the tiers, reports into the report bucket (each can be turned off).
    const evidence = createAuditEvidence(this, {
      audit: this.audit,
      profile: this.profile,
      accessLogBucket: this.accessLogBucket,
      removalPolicy,
      keys,
      controls: () => this.deriveAuditControls(),
    });
    this.framework = evidence.framework;
    this.reportBucket = evidence.reportBucket;
    this.reportKey = evidence.reportKey;
    this.reportPlans = evidence.reportPlans;
    this.configRecorder = evidence.configRecorder;
    this.scanAndIndex.reportsReady({
      audit: this.audit, bucket: this.reportBucket, framework: this.framework, reportPlans: this.reportPlans, removalPolicy,
    });

    this.holds = new LegalHoldRegistry(this, this.ownVaults);
    this.legalHolds = this.holds.holds;
    (props.legalHolds ?? []).forEach((hold, i) => this.holds.add(undefined, `legalHolds[${i}]`, hold));

    if (this.catalogTable || props.restoreTesting) addHandlerWidgets(this.dashboard, HANDLER_METRICS_NAMESPACE);
    createRestoreFailureRule(this, this.alarmTopic);
    this.node.addValidation({
      validate: () => validateWholePlan(this, {
        model: this.model,
        role: this.role,
        profile: this.profile,
        selectionTags: this.selectionTags,
        selection: this.selection,
        protectedSelections: this.protectedSelections,
        hasCatalog: this.catalogTable !== undefined,
        deletionExemptRoles: this.deletionExemptRoles,
        framework: this.framework,
      }),
    });
  }

  /** The role GuardDuty assumes to scan recovery points, once a tier has `malwareScan`. */
  public get malwareScannerRole(): iam.IRole | undefined {
    return this.scanAndIndex.scannerRole;
  }

  /** Adds a tier: a new rule in the plan; the audit framework, the checks and the monitoring follow. */
  public addTier(tier: BackupTier): void {
    checkBackupTierShape(this, `tiers[${this.model.tiers.length}]`, tier);
    const schedule = this.validateTier(tier, `tiers['${tier.name}']`);
    if (tier.airGapped && !this.airGappedVault) {
      throw new ComplianceRuleError(this, `tiers['${tier.name}'].airGapped`, 'true',
        'this system has no air-gapped vault: set airGappedVault: true (or mark a tier airGapped) at construction');
    }
    this.planTier(tier, schedule);
  }

  /**
   * Makes `vault` a copy destination of every `copyToDr` tier, now and added later: the one
   * way a DR vault joins the plan. `CrossRegionDr` calls it with its DR vault; call it yourself
   * to send the `copyToDr` tiers to a vault of your own. Pass an `IAuditedVault` that carries
   * its `vaultLock` (see `AuditedVault.fromVaultAttributes`) and every copy is checked against it.
   */
  public addDrCopyDestination(vault: backup.IBackupVault): void {
    if (this.model.drDestinations.includes(vault)) return;
    this.model.drDestinations.push(vault);
    for (const { tier } of this.model.tiers.filter(({ tier: t }) => t.props.copyToDr)) this.planCopy(tier, vault, `tiers['${tier.name}']`);
  }

  /**
   * How fresh the copies in `vault` can be: the most frequent tier copying there, the longest
   * gap between its backups, and that gap plus its windows. Undefined when no tier copies there.
   */
  public copyCadence(vault: backup.IBackupVault): CopyCadence | undefined {
    return this.model.copyCadence(vault);
  }

  /**
   * Backs up these resources, listed by ARN in a selection of their own, so no tag
   * condition can filter them out. A selection holds at most 500 ARNs.
   */
  public protect(...resources: backup.BackupResource[]): backup.BackupSelection {
    const selection = createProtectedSelection(this, this.plan, this.backupRole, resources, this.protectedSelections.length);
    this.protectedSelections.push(selection);
    return selection;
  }

  /**
   * Gives `grantee` read and write on the tenant's prefix `<tenantId>/` of landing
   * storage, and nothing else. Attribute-based: one shared policy plus a tag on the
   * grantee's role, so no resource is added per tenant.
   */
  public grantTenantAccess(tenantId: string, grantee: iam.IGrantable): void {
    if (!this.services.landing) {
      throw new ComplianceRuleError(this, 'grantTenantAccess()', `'${tenantId}'`, 'this system has no landingStorage');
    }
    this.services.landing.grantTenantAccess(tenantId, grantee);
  }

  /**
   * Places a legal hold on recovery points of this system's vaults (or of `options.vaults`): they
   * cannot be deleted until the hold is cancelled. Kept (RETAIN) when it leaves the stack unless
   * `options.removalPolicy` says otherwise.
   *
   * @param id the hold's construct id (under `LegalHolds`): keep it stable, it is part of the logical ID
   * @param options what to hold, and why
   */
  public addLegalHold(id: string, options: LegalHoldOptions): backup.CfnLegalHold {
    return this.holds.add(id, `addLegalHold('${id}')`, options);
  }

  /** The vaults the plan's own rules back up into: primary, then air-gapped. */
  private get ownVaults(): AuditedVault[] {
    return [this.primaryVault, ...(this.airGappedVault ? [this.airGappedVault] : [])];
  }

  /** Checks a tier before it joins the plan; `earlier`: the tiers already in it (the plan's, once it exists). */
  private validateTier(tier: BackupTier, path: string, earlier: BackupTier[] = this.model.tiers.map((t) => t.tier)): TierSchedule {
    if (earlier.some((t) => t.name === tier.name)) {
      throw new ComplianceRuleError(this, `${path}.name`, `'${tier.name}'`, 'tier names must be unique within a plan');
    }
    checkBackupIndexes(this, `${path}.backupIndexes`, tier.props.backupIndexes, tier.airGapped);
    const schedule = checkTier(this, path, tier);
    const p = tier.props;
    checkArchiveNeedsColdStorage(this, path, p.archiveEbsSnapshots, p.moveToColdStorageAfter, p.copyMoveToColdStorageAfter);
    return schedule;
  }

  private planTier(tier: BackupTier, schedule: TierSchedule): void {
    const p = tier.props;
    const path = `tiers['${p.name}']`;
    checkRetentionWithinLock(this, `${path}.retention`, p.retention, `the primary vault ${this.primaryVault.node.path}`,
      vaultLockDays(this.primaryVault.vaultLock!));
    if (tier.airGapped) {
      checkRetentionWithinLock(this, `${path}.retention`, p.retention, `the air-gapped vault ${this.airGappedVault!.node.path}`,
        vaultLockDays(this.airGappedVault!.vaultLock!));
    }
    this.model.tiers.push({ tier, intervalMinutes: schedule.maxGapMinutes });
    warnColdStorageIgnored(this, path, tier);
    warnFrequentArchive(this, path, tier, schedule.maxGapMinutes);
    for (const target of this.model.copyTargets(tier)) this.planCopy(tier, target.vault, path);
    // A continuous tier's restorable window silently stops growing when continuous backup is interrupted.
    if (tier.isContinuous) {
      this.primaryVault.addNotificationEvents(VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED);
      if (tier.airGapped) this.airGappedVault!.addNotificationEvents(VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED);
    }
    this.scanAndIndex.tierAdded(tier);
    this.requireCleanScans(tier);
  }

  /** A scanning tier's recovery points must scan clean to pass restore validation (once restore testing exists). */
  private requireCleanScans(tier: BackupTier): void {
    // Before the constructor has created restore testing, its loop over the initial tiers does this.
    if (!this.services?.restoreTesting || tier.props.malwareScan === undefined) return;
    this.services.restoreTesting.requireCleanScans({ planName: this.planName, ruleName: tier.name, resourceTypes: [...SCANNABLE_RESOURCE_TYPES] });
  }

  /** One tier copying into one vault: the copy lifecycle fits the vault's lock; the role may copy there; the vault is watched. */
  private planCopy(tier: BackupTier, vault: backup.IBackupVault, path: string): void {
    const lifecycle = tier.copyLifecycle;
    const lock = (vault as Partial<IAuditedVault>).vaultLock;
    const lockDays = lock ? vaultLockDays(lock) : undefined;
    // A DR vault arrives imported by ARN (it lives in another region): name it by its vault name.
    const described = this.model.drDestinations.includes(vault) ? `the DR vault ${vault.backupVaultName}` : `copy destination ${vault.node.path}`;
    // A copy always has a retention: checkCopyLifecycle rejects cold storage without one.
    checkRetentionWithinLock(this, `${path}.copyRetention`, lifecycle.deleteAfter!, described, lockDays);
    this.role.allowCopiesInto(vault);
    this.watch(vault, vault.node.path, { receivesBackups: false, receivesCopies: true, alarmSuffix: stableId(vault) });
  }

  /** A dashboard row and the failed-job alarms of a vault, once per vault. */
  private watch(vault: backup.IBackupVault, label: string, o: { receivesBackups: boolean; receivesCopies: boolean; alarmSuffix: string }): void {
    if (this.watched.has(vault)) return;
    this.watched.add(vault);
    const watched = { label, vault, receivesBackups: o.receivesBackups, receivesCopies: o.receivesCopies };
    addVaultRow(this.dashboard, watched);
    this.alarms.push(...addVaultAlarms(this, watched, o.alarmSuffix, this.alarmTopic));
  }

  private deriveAuditControls() {
    return deriveControls({
      tiers: this.model.auditFacts(),
      profile: this.profile && {
        minRetentionDays: this.profile.minRetention?.toDays(),
        maxIntervalMinutes: this.profile.maxBackupInterval?.toMinutes(),
      },
      selectionTag: auditScopeOfSelection(this.selection).tag,
      systemTag: { key: SYSTEM_TAG_KEY, value: this.systemTagValue },
      lock: vaultLockDays(this.primaryVault.vaultLock!),
      crossRegions: this.model.crossRegions(Stack.of(this).region),
      crossAccounts: this.model.crossAccounts(Stack.of(this).account),
      deletionExemptRoleArns: this.deletionExemptRoles.map((r) => r.roleArn),
      maxRestoreTimeMinutes: this.audit.maxRestoreTime?.toMinutes(),
    }).controls;
  }
}
