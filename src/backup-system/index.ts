import { Duration, Lazy, Names, RemovalPolicy, Stack, Tags, TimeZone, Token, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AuditedVault, AuditedVaultProps, IAuditedVault } from '../audited-vault';
import { auditResourceName, createReportPlans, createReportStorage } from './audit';
import { CONTROL_LIMITS, TierAuditFacts, deriveControls, renderControls } from './audit-controls';
import { AuditOptions } from './audit-options';
import { ALL_PROTECTED_RESOURCE_TYPES, backupServiceStatements, copyDestinationStatements, wildcardAcknowledgements } from './backup-service-policy';
import { BackupTier, TierLifecycle } from './backup-tier';
import { BackupCatalog, HANDLER_METRICS_NAMESPACE } from './catalog';
import { createConfigRecorder, warnAboutConfigRecorder } from './config-recorder';
import { LandingStorage } from './landing-storage';
import { LandingStorageOptions } from './landing-storage-options';
import { WatchedVault, addHandlerWidgets, addVaultAlarms, addVaultRow, createDashboard, createJobAlarms, createRestoreFailureRule } from './monitoring';
import { RestoreTesting } from './restore-testing';
import { RestoreTestingOptions } from './restore-testing-options';
import { scheduleInterval } from './schedule-interval';
import { ComplianceProfile } from '../compliance/compliance-profile';
import {
  ComplianceRuleError, TierFacts, checkBackupRuleName, checkContinuous, checkCronSchedule, checkLifecycle, checkProfileKey,
  checkProfileLockMode, checkProfileMinimums, checkRetentionWithinLock, checkTimeZone, checkWindows, crossRegionCopyMissing,
} from '../compliance/rules';
import { createEncryptedAlertTopic } from '../private/encrypted-topic';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { createAccessLogBucket } from '../private/secure-bucket';
import { createSecureKey } from '../private/secure-key';

/**
 * Properties of a `CompliantBackupSystem`.
 */
export interface CompliantBackupSystemProps {
  /**
   * The plan's tiers, one backup rule each. More can be added with `addTier()`.
   *
   * @default - one daily tier kept 35 days
   */
  readonly tiers?: BackupTier[];
  /**
   * Minimums the tiers, the vault lock and the copies must meet.
   *
   * @default - no profile
   */
  readonly profile?: ComplianceProfile;
  /**
   * Resources carrying ALL of these tags are backed up (AND, through the selection's
   * `Conditions`). Pass `{}` to select only what `protect()` names.
   *
   * @default { Backup: 'true' }
   */
  readonly selectionTags?: Record<string, string>;
  /**
   * Properties of the primary vault.
   *
   * @default - an `AuditedVault` locked to the shortest tier retention, in compliance
   *            mode when the profile asks for it, notifying the alarm topic
   */
  readonly vault?: AuditedVaultProps;
  /**
   * Create a logically air-gapped vault for tiers marked `airGapped`.
   *
   * @default - created when any tier is `airGapped`
   */
  readonly airGappedVault?: boolean;
  /**
   * The audit framework, its reports and the report bucket.
   *
   * @default - framework and reports into a new report bucket; no AWS Config recorder
   */
  readonly audit?: AuditOptions;
  /**
   * A verified backup catalog: a DynamoDB table of every backup, copy and restore
   * job (and every object pushed into landing storage), kept by an event-driven
   * handler and a scheduled reconciler.
   *
   * @default true
   */
  readonly catalog?: boolean;
  /**
   * Landing storage for backups applications push themselves (nightly exports,
   * documents): an object-locked bucket whose every object gets a verified checksum
   * in the catalog.
   *
   * @default - no landing storage
   */
  readonly landingStorage?: LandingStorageOptions;
  /**
   * Tenants of landing storage: each owns the key prefix `<tenantId>/` (see `grantTenantAccess()`).
   *
   * @default - no tenants
   */
  readonly tenants?: string[];
  /**
   * Restore testing: restore recovery points on a schedule and validate what was restored.
   *
   * @default - no restore testing
   */
  readonly restoreTesting?: RestoreTestingOptions;
  /**
   * The topic for alarms and failure events.
   *
   * @default - a new KMS-encrypted, TLS-only topic
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The backup plan's name.
   *
   * @default - derived from the construct path
   */
  readonly planName?: string;
  /**
   * Where the library's Lambda handlers run.
   *
   * @default - outside a VPC (they call only AWS APIs)
   */
  readonly handlerVpc?: ec2.IVpc;
  /**
   * What happens to stateful resources (vaults, keys, buckets) when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A copy destination of a tier, with the lifecycle its copies get. */
interface CopyTarget {
  readonly vault: backup.IBackupVault;
  readonly lifecycle: TierLifecycle;
}

interface PlannedTier {
  readonly tier: BackupTier;
  readonly index: number;
  readonly intervalMinutes: number;
  readonly copies: CopyTarget[];
}

const DEFAULT_SELECTION_TAGS = { Backup: 'true' };
/** Tags this system's plan, vaults and recovery points, so audit controls can be scoped to them. */
const SYSTEM_TAG_KEY = 'compliant-backup:system';

/**
 * The governed backup estate of one account and region: a plan with one rule per
 * tier, the vaults the tiers land in, the selections, an audit framework and
 * reports computed from the same tiers, a dashboard and alarms.
 */
export class CompliantBackupSystem extends Construct {
  /** The backup plan: one rule per tier. */
  public readonly plan: backup.BackupPlan;
  /** The vault every tier backs up into. */
  public readonly primaryVault: AuditedVault;
  /** The logically air-gapped vault of the `airGapped` tiers. */
  public readonly airGappedVault?: AuditedVault;
  /** The audit framework whose controls are derived from the tiers. */
  public readonly framework: backup.CfnFramework;
  /** The report plans: backup, copy and restore jobs, control and resource compliance. */
  public readonly reportPlans: backup.CfnReportPlan[];
  /** Where audit reports are delivered. */
  public readonly reportBucket: s3.IBucket;
  /** Receives the S3 server access logs of this system's buckets; yours may log here too. */
  public readonly accessLogBucket: s3.Bucket;
  /** The key of the report bucket, when this construct created it. */
  public readonly reportKey?: kms.IKey;
  /** The AWS Config recorder, when `audit.configRecorder` is set. */
  public readonly configRecorder?: config.CfnConfigurationRecorder;
  /** The role AWS Backup assumes to back up and restore the selected resources. */
  public readonly backupRole: iam.IRole;
  private readonly copyDestinations = new Set<backup.IBackupVault>();
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

  private readonly tiers: PlannedTier[] = [];
  private readonly drCopyTargets: backup.IBackupVault[] = [];
  private readonly selectionTags: Record<string, string>;
  private readonly audit: AuditOptions;
  private readonly deletionExemptRoles: iam.IRole[];
  private protectCount = 0;
  private landing?: LandingStorage;
  private monitoringReady = false;
  private readonly systemTagValue: string;

  constructor(scope: Construct, id: string, props: CompliantBackupSystemProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const initialTiers = props.tiers ?? [BackupTier.daily()];
    this.profile = props.profile;
    this.audit = props.audit ?? {};
    this.selectionTags = props.selectionTags ?? DEFAULT_SELECTION_TAGS;
    this.deletionExemptRoles = props.vault?.allowDeletionBy ?? [];
    this.systemTagValue = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    for (const [i, tier] of initialTiers.entries()) {
      this.validateTier(tier, `tiers[${i}]`);
      if (initialTiers.slice(0, i).some((t) => t.name === tier.name)) {
        throw new ComplianceRuleError(this, `tiers[${i}].name`, `'${tier.name}'`, 'tier names must be unique within a plan');
      }
    }

    // Alarm topic: shared by the vaults' notifications and this system's alarms.
    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
    } else {
      const key = createSecureKey(this, 'AlarmKey', { description: `Encrypts the alarm topic of ${this.node.path}`, removalPolicy });
      this.alarmTopic = createEncryptedAlertTopic(this, 'AlarmTopic', key, `Backup alarms: ${this.node.path}`);
    }

    // Server access logs of every bucket this system creates.
    this.accessLogBucket = createAccessLogBucket(this, 'AccessLogBucket', removalPolicy);

    // Vaults.
    this.primaryVault = new AuditedVault(this, 'PrimaryVault', {
      notificationTopic: this.alarmTopic,
      removalPolicy,
      handlerVpc: props.handlerVpc,
      ...props.vault,
      vaultLock: props.vault?.vaultLock ?? this.defaultPrimaryLock(initialTiers),
    });
    if (this.profile) {
      checkProfileLockMode(this, this.profile.name, this.profile.lockMode, this.primaryVault.lockMode);
      if (this.profile.requireCustomerManagedKey) checkProfileKey(this, this.profile.name, this.primaryVault.encryptionKey !== undefined);
    }
    const airGappedTiers = initialTiers.filter((t) => t.airGapped);
    if (props.airGappedVault === false && airGappedTiers.length > 0) {
      throw new ComplianceRuleError(this, 'airGappedVault', 'false',
        `tiers ${airGappedTiers.map((t) => `'${t.name}'`).join(', ')} are airGapped, which needs the air-gapped vault`);
    }
    if (props.airGappedVault ?? airGappedTiers.length > 0) {
      // Without an air-gapped tier yet, the lock leaves room for any tier added later.
      const longest = airGappedTiers.length > 0 ? Math.max(...airGappedTiers.map((t) => t.retention.toDays()), 7) : 36500;
      this.airGappedVault = new AuditedVault(this, 'AirGappedVault', {
        airGapped: true,
        vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(longest) },
        notificationTopic: this.alarmTopic,
        handlerVpc: props.handlerVpc,
        removalPolicy,
      });
    }

    // Plan, selections and the role AWS Backup assumes.
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.planName ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '-' }),
      backupVault: this.primaryVault,
    });
    // The system tag scopes the audit controls to this system's plan, vaults and recovery points.
    Tags.of(this).add(SYSTEM_TAG_KEY, this.systemTagValue);
    this.backupRole = this.createBackupRole();
    this.tagSelection = this.createTagSelection();
    for (const tier of initialTiers) this.planTier(tier);

    // Catalog and restore testing.
    const catalog = (props.catalog ?? true) ? new BackupCatalog(this, 'Catalog', {
      alarmTopic: this.alarmTopic,
      tenants: props.tenants ?? [],
      vaultNames: [this.primaryVault.backupVaultName, ...(this.airGappedVault ? [this.airGappedVault.backupVaultName] : [])],
      removalPolicy,
      handlerVpc: props.handlerVpc,
    }) : undefined;
    this.catalogTable = catalog?.table;
    if (catalog) this.protect(backup.BackupResource.fromArn(catalog.table.tableArn));
    if (props.landingStorage) {
      if (!catalog) {
        throw new ComplianceRuleError(this, 'catalog', 'false',
          'landingStorage records a verified checksum of every object in the catalog: leave catalog on');
      }
      this.landing = new LandingStorage(this, 'LandingStorage', props.landingStorage, {
        accessLogBucket: this.accessLogBucket,
        alarmTopic: this.alarmTopic,
        catalogTable: catalog.table,
        tenants: props.tenants ?? [],
        removalPolicy,
        handlerVpc: props.handlerVpc,
      });
      this.landingBucket = this.landing.bucket;
    } else if ((props.tenants ?? []).length > 0) {
      throw new ComplianceRuleError(this, 'tenants', `[${props.tenants!.join(', ')}]`,
        'tenants own prefixes of landing storage: set landingStorage too');
    }
    if (props.restoreTesting) {
      const restoreTesting = new RestoreTesting(this, 'RestoreTesting', props.restoreTesting, {
        sourceVaultArns: [this.primaryVault.backupVaultArn, ...(this.airGappedVault ? [this.airGappedVault.backupVaultArn] : [])],
        selectionTags: this.selectionTags,
        restoreRole: this.backupRole,
        catalog,
        alarmTopic: this.alarmTopic,
        removalPolicy,
        handlerVpc: props.handlerVpc,
      });
      this.restoreTestingPlan = restoreTesting.plan;
    }

    // Audit: framework derived from the tiers, reports into the report bucket.
    const storage = createReportStorage(this, this.audit, this.accessLogBucket, removalPolicy);
    this.reportBucket = storage.bucket;
    this.reportKey = storage.key;
    this.framework = new backup.CfnFramework(this, 'Framework', {
      frameworkName: this.audit.frameworkName ?? auditResourceName(this, 'framework'),
      frameworkDescription: `Controls derived from the backup plan of ${this.node.path}`,
      frameworkControls: Lazy.any({ produce: () => renderControls(this.deriveAuditControls()) }) as any,
    });
    this.reportPlans = createReportPlans(this, this.reportBucket, this.framework, this.audit);
    if (this.audit.configRecorder) {
      this.configRecorder = createConfigRecorder(this, this.reportBucket, storage.key);
    } else {
      warnAboutConfigRecorder(this);
    }

    // Monitoring.
    this.dashboard = createDashboard(this, this.watchedVaults());
    if (catalog || props.restoreTesting) addHandlerWidgets(this.dashboard, HANDLER_METRICS_NAMESPACE);
    createJobAlarms(this, this.watchedVaults(), this.alarmTopic);
    this.monitoringReady = true;
    createRestoreFailureRule(this, this.alarmTopic);

    this.node.addValidation({ validate: () => this.validateWholePlan() });
  }

  /** Adds a tier: a new rule in the plan, and the audit follows. */
  public addTier(tier: BackupTier): void {
    this.validateTier(tier, `tiers['${tier.name}']`);
    if (tier.airGapped && !this.airGappedVault) {
      throw new ComplianceRuleError(this, `tiers['${tier.name}'].airGapped`, 'true',
        'this system has no air-gapped vault: set airGappedVault: true (or mark a tier airGapped) at construction');
    }
    this.planTier(tier);
  }

  /**
   * Backs up these resources, listed by ARN in a selection of their own, so no tag
   * condition can filter them out.
   */
  public protect(...resources: backup.BackupResource[]): backup.BackupSelection {
    for (const r of resources) {
      if (r.tagCondition) {
        throw new ComplianceRuleError(this, 'protect()', `BackupResource.fromTag('${r.tagCondition.key}')`,
          'protect() takes resources by ARN or construct; select by tag with selectionTags');
      }
    }
    this.protectCount += 1;
    return new backup.BackupSelection(this, `Protected${this.protectCount}`, {
      backupPlan: this.plan,
      resources,
      role: this.backupRole,
      disableDefaultBackupPolicy: true,
    });
  }

  /**
   * Gives `grantee` read and write on the tenant's prefix `<tenantId>/` of landing
   * storage, and nothing else. Attribute-based: one shared policy plus a tag on the
   * grantee's role, so no resource is added per tenant.
   */
  public grantTenantAccess(tenantId: string, grantee: iam.IGrantable): void {
    if (!this.landing) {
      throw new ComplianceRuleError(this, 'grantTenantAccess()', `'${tenantId}'`, 'this system has no landingStorage');
    }
    this.landing.grantTenantAccess(tenantId, grantee);
  }

  /**
   * Copies every `copyToDr` tier into `vault` (called by `CrossRegionDr`).
   * @internal
   */
  public _bindDrVault(vault: backup.IBackupVault): void {
    this.drCopyTargets.push(vault);
    for (const planned of this.tiers) {
      if (planned.tier.props.copyToDr) {
        this.checkCopy(planned.tier, vault, `tiers['${planned.tier.name}']`);
        this.allowCopiesInto(vault);
        planned.copies.push({ vault, lifecycle: planned.tier.copyLifecycle });
      }
    }
  }

  /** The tiers in plan order. */
  public get planTiers(): BackupTier[] {
    return this.tiers.map((t) => t.tier);
  }

  /** The longest gap between two scheduled backups of a tier. */
  public tierInterval(tierName: string): Duration {
    const planned = this.tiers.find((t) => t.tier.name === tierName);
    if (!planned) throw new ComplianceRuleError(this, 'tierName', `'${tierName}'`, `tiers are ${this.tiers.map((t) => `'${t.tier.name}'`).join(', ')}`);
    return Duration.minutes(planned.intervalMinutes);
  }

  private validateTier(tier: BackupTier, path: string): void {
    const p = tier.props;
    checkBackupRuleName(this, `${path}.name`, p.name);
    if (this.tiers.some((t) => t.tier.name === p.name)) {
      throw new ComplianceRuleError(this, `${path}.name`, `'${p.name}'`, 'tier names must be unique within a plan');
    }
    checkCronSchedule(this, `${path}.schedule`, p.schedule.expressionString);
    checkTimeZone(this, `${path}.scheduleTimeZone`, p.scheduleTimeZone);
    checkWindows(this, path, p.startWindow!, p.completionWindow!);
    if (tier.isContinuous) {
      checkContinuous(this, path, p.retention, p.moveToColdStorageAfter);
    } else {
      checkLifecycle(this, `${path}.retention`, `${path}.moveToColdStorageAfter`, { deleteAfter: p.retention, moveToColdStorageAfter: p.moveToColdStorageAfter });
    }
    if (p.copyRetention !== undefined || p.copyMoveToColdStorageAfter !== undefined) {
      checkLifecycle(this, `${path}.copyRetention`, `${path}.copyMoveToColdStorageAfter`, tier.copyLifecycle);
    }
  }

  /** Checks a copy's lifecycle against the lock of the vault it lands in. */
  private checkCopy(tier: BackupTier, vault: backup.IBackupVault, path: string): void {
    const lifecycle = tier.copyLifecycle;
    const lock = AuditedVault.isAuditedVault(vault) ? vault.lockDays : undefined;
    if (lock?.maxRetentionDays !== undefined && lifecycle.deleteAfter === undefined) {
      throw new ComplianceRuleError(this, `${path}.copyRetention`, 'undefined (kept forever)',
        `copies land in vault ${vault.node.path}, locked with a maximum retention of ${lock.maxRetentionDays} days`);
    }
    if (lifecycle.deleteAfter) {
      checkRetentionWithinLock(this, `${path}.copyRetention`, lifecycle.deleteAfter, `copy destination ${vault.node.path}`, lock);
    }
  }

  private planTier(tier: BackupTier): void {
    const p = tier.props;
    const path = `tiers['${p.name}']`;
    checkRetentionWithinLock(this, `${path}.retention`, p.retention, `the primary vault ${this.primaryVault.node.path}`, this.primaryVault.lockDays);
    if (tier.airGapped) {
      checkRetentionWithinLock(this, `${path}.retention`, p.retention, `the air-gapped vault ${this.airGappedVault!.node.path}`, this.airGappedVault!.lockDays);
    }
    const copies: CopyTarget[] = [];
    for (const vault of p.copyTo ?? []) {
      if ((vault as Partial<IAuditedVault>).airGapped === true && vault === this.airGappedVault) continue;
      this.checkCopy(tier, vault, path);
      this.allowCopiesInto(vault);
      copies.push({ vault, lifecycle: tier.copyLifecycle });
    }
    if (p.copyToDr) {
      for (const vault of this.drCopyTargets) {
        this.checkCopy(tier, vault, path);
        this.allowCopiesInto(vault);
        copies.push({ vault, lifecycle: tier.copyLifecycle });
      }
    }
    let intervalMinutes: number;
    try {
      intervalMinutes = scheduleInterval(p.schedule.expressionString).maxGapMinutes;
    } catch (e) {
      throw new ComplianceRuleError(this, `${path}.schedule`, `'${p.schedule.expressionString}'`, (e as Error).message);
    }

    const index = this.tiers.length;
    this.tiers.push({ tier, index, intervalMinutes, copies });
    this.plan.addRule(new backup.BackupPlanRule({
      ruleName: p.name,
      scheduleExpression: p.schedule,
      scheduleExpressionTimezone: p.scheduleTimeZone ? TimeZone.of(p.scheduleTimeZone) : undefined,
      startWindow: p.startWindow,
      completionWindow: p.completionWindow,
      deleteAfter: p.retention,
      moveToColdStorageAfter: p.moveToColdStorageAfter,
      enableContinuousBackup: tier.isContinuous || undefined,
      recoveryPointTags: { ...p.recoveryPointTags, [SYSTEM_TAG_KEY]: this.systemTagValue },
    }));
    const cfnPlan = this.plan.node.defaultChild as backup.CfnBackupPlan;
    // Copy actions are rendered late: CrossRegionDr adds the DR vault after construction.
    cfnPlan.addPropertyOverride(`BackupPlan.BackupPlanRule.${index}.CopyActions`, Lazy.any({
      produce: () => copies.map((c) => ({
        DestinationBackupVaultArn: c.vault.backupVaultArn,
        Lifecycle: lifecycleJson(c.lifecycle),
      })),
    }, { omitEmptyArray: true }));
    if (tier.airGapped) {
      cfnPlan.addPropertyOverride(`BackupPlan.BackupPlanRule.${index}.TargetLogicallyAirGappedBackupVaultArn`, this.airGappedVault!.backupVaultArn);
    }
  }

  private defaultPrimaryLock(tiers: BackupTier[]) {
    const shortest = Math.min(...tiers.map((t) => t.retention.toDays()));
    const compliance = this.profile?.lockMode === 'COMPLIANCE';
    return {
      minRetention: Duration.days(Math.max(1, Number.isFinite(shortest) ? shortest : 1)),
      changeableFor: compliance ? Duration.hours(72) : undefined,
    };
  }

  /**
   * Copy jobs run as the backup role: it needs the destination vault and its key,
   * authorized in the destination region. Each destination gets a managed policy of
   * its own: IAM caps one managed policy at 6,144 characters.
   */
  private allowCopiesInto(vault: backup.IBackupVault): void {
    if (this.copyDestinations.has(vault)) return;
    this.copyDestinations.add(vault);
    const region = Token.isUnresolved(vault.env.region) ? Stack.of(this).region : vault.env.region;
    const statements = copyDestinationStatements(Stack.of(this), ALL_PROTECTED_RESOURCE_TYPES,
      { region, vaultArn: vault.backupVaultArn }, `Copy${this.copyDestinations.size}`);
    const policy = new iam.ManagedPolicy(this, `CopyPolicy${this.copyDestinations.size}`, {
      description: `AWS Backup copies into ${vault.node.path}`,
      statements,
      roles: [this.backupRole],
    });
    Validations.of(policy).acknowledge(...wildcardAcknowledgements(statements, Stack.of(this)));
    // Destinations added after construction (addTier, CrossRegionDr) are watched too.
    if (this.monitoringReady) {
      const watched: WatchedVault = { label: vault.node.path, vault, receivesBackups: false, receivesCopies: true };
      addVaultRow(this.dashboard, watched);
      addVaultAlarms(this, watched, `Copy${this.copyDestinations.size}`, this.alarmTopic);
    }
  }

  private createBackupRole(): iam.IRole {
    const role = new ManagedPolicyRole(this, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup backs up and restores the resources of ${this.node.path}`,
    });
    const statements = backupServiceStatements(Stack.of(this), ALL_PROTECTED_RESOURCE_TYPES);
    role.policy.addStatements(...statements);
    Validations.of(role.policy).acknowledge(...wildcardAcknowledgements(statements, Stack.of(this)));
    // The vault keys in a policy of their own: the service statements nearly fill theirs.
    const keyStatements = [this.primaryVault.encryptionKey, this.airGappedVault?.encryptionKey]
      .filter((k): k is kms.IKey => k !== undefined)
      .map((key) => new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
        resources: [key.keyArn],
      }));
    if (keyStatements.length > 0) {
      new iam.ManagedPolicy(this, 'BackupKeyPolicy', {
        description: `AWS Backup uses the vault keys of ${this.node.path}`,
        statements: keyStatements,
        roles: [role],
      });
    }
    return role;
  }

  private createTagSelection(): backup.CfnBackupSelection | undefined {
    const entries = Object.entries(this.selectionTags);
    if (entries.length === 0) return undefined;
    return new backup.CfnBackupSelection(this, 'TagSelection', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: 'tagged',
        iamRoleArn: this.backupRole.roleArn,
        resources: ['*'],
        // Conditions combine with AND (ListOfTags would be OR). aws-cdk-lib passes
        // this property through verbatim, so it is written in CloudFormation's PascalCase.
        conditions: {
          StringEquals: entries.map(([key, value]) => ({ ConditionKey: `aws:ResourceTag/${key}`, ConditionValue: value })),
        },
      },
    });
  }

  private watchedVaults(): WatchedVault[] {
    const watched: WatchedVault[] = [{ label: 'primary', vault: this.primaryVault, receivesBackups: true, receivesCopies: false }];
    if (this.airGappedVault) watched.push({ label: 'air-gapped', vault: this.airGappedVault, receivesBackups: true, receivesCopies: true });
    const seen = new Set<backup.IBackupVault>();
    for (const t of this.tiers) {
      for (const c of t.copies) {
        if (seen.has(c.vault)) continue;
        seen.add(c.vault);
        watched.push({ label: c.vault.node.path, vault: c.vault, receivesBackups: false, receivesCopies: true });
      }
    }
    return watched;
  }

  private tierAuditFacts(): TierAuditFacts[] {
    return this.tiers.map(({ tier, intervalMinutes, copies }) => ({
      name: tier.name,
      retentionDays: tier.retention.toDays(),
      intervalMinutes,
      startWindowMinutes: tier.props.startWindow!.toMinutes(),
      completionWindowMinutes: tier.props.completionWindow!.toMinutes(),
      copies: copies.length > 0,
      copyRetentionDays: tier.copyLifecycle.deleteAfter?.toDays(),
    }));
  }

  private crossRegions(): string[] {
    const home = Stack.of(this).region;
    return this.tiers.flatMap((t) => t.copies)
      .map((c) => c.vault.env.region)
      .filter((r) => !Token.isUnresolved(r) && r !== home);
  }

  private deriveAuditControls() {
    const [tagKey, tagValue] = Object.entries(this.selectionTags)[0] ?? [];
    const exempt = this.deletionExemptRoles.map((r) => r.roleArn);
    return deriveControls({
      tiers: this.tierAuditFacts(),
      profile: this.profile ? {
        minRetentionDays: this.profile.minRetention?.toDays(),
        maxIntervalMinutes: this.profile.maxBackupInterval?.toMinutes(),
      } : undefined,
      selectionTag: tagKey !== undefined ? { key: tagKey, value: tagValue } : undefined,
      systemTag: { key: SYSTEM_TAG_KEY, value: this.systemTagValue },
      lock: this.primaryVault.lockDays,
      crossRegions: this.crossRegions(),
      deletionExemptRoleArns: exempt,
      maxRestoreTimeMinutes: this.audit.maxRestoreTime?.toMinutes(),
    }).controls;
  }

  private validateWholePlan(): string[] {
    const errors: string[] = [];
    const facts: TierFacts[] = this.tiers.map((t) => ({
      name: t.tier.name, retention: t.tier.retention, interval: Duration.minutes(t.intervalMinutes),
    }));
    try {
      if (this.profile) checkProfileMinimums(this, this.profile, facts);
    } catch (e) {
      errors.push((e as Error).message);
    }
    if (this.profile?.requireCrossRegionCopy && this.crossRegions().length === 0) {
      errors.push(crossRegionCopyMissing(this, this.profile.name));
    }
    const exempt = this.deletionExemptRoles;
    if (exempt.length > CONTROL_LIMITS.maxExemptPrincipals) {
      errors.push(new ComplianceRuleError(this, 'vault.allowDeletionBy', `${exempt.length} roles`,
        `the audit control for manual deletion accepts at most ${CONTROL_LIMITS.maxExemptPrincipals} exempt roles`).message);
    }
    const drTiers = this.tiers.filter((t) => t.tier.props.copyToDr);
    if (drTiers.length > 0 && this.drCopyTargets.length === 0) {
      errors.push(new ComplianceRuleError(this, `tiers['${drTiers[0].tier.name}'].copyToDr`, 'true',
        'no CrossRegionDr is wired to this system: pass it as backupSystem to a CrossRegionDr, or use copyTo').message);
    }
    return errors;
  }
}

function lifecycleJson(lifecycle: TierLifecycle): any {
  const json: Record<string, number> = {};
  if (lifecycle.deleteAfter) json.DeleteAfterDays = lifecycle.deleteAfter.toDays();
  if (lifecycle.moveToColdStorageAfter) json.MoveToColdStorageAfterDays = lifecycle.moveToColdStorageAfter.toDays();
  return Object.keys(json).length > 0 ? json : undefined;
}
