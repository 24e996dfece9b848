import { ArnFormat, Duration, Lazy, Names, RemovalPolicy, Resource, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AuditedVaultAttributes, AuditedVaultProps, IAuditedVault, VaultLock } from './audited-vault-props';
import { VaultLockMode } from './compliance/compliance-profile';
import { allowAlertPublishers, createEncryptedAlertTopic } from './private/encrypted-topic';
import { recordRemovalPolicy, warnNotRemovable } from './private/removal';
import { createSecureKey } from './private/secure-key';
import { ComplianceRuleError, collectViolations } from './validation/errors';
import { AUDITED_VAULT_SHAPE } from './validation/prop-shapes';
import { checkPropTypes } from './validation/prop-types';
import {
  VaultLockDays, checkAccountIds, checkNotAirGappedTarget, checkOneEventList, checkOrganizationId, checkVaultArn,
  checkVaultEventDelivered, checkVaultEventName, checkVaultLock, checkVaultName,
} from './validation/vault';
import { renderAccessPolicy } from './vault-access-policy';
import { VaultEvent } from './vault-events';
import { FAILED_BACKUP_STATES, createFailureAlerts } from './vault-failure-alerts';

const DEFAULT_NOTIFICATION_EVENTS = [
  VaultEvent.BACKUP_JOB_COMPLETED,
  VaultEvent.COPY_JOB_FAILED,
  VaultEvent.RESTORE_JOB_COMPLETED,
  VaultEvent.RECOVERY_POINT_MODIFIED,
  VaultEvent.S3_BACKUP_OBJECT_FAILED,
  VaultEvent.S3_RESTORE_OBJECT_FAILED,
].map((e) => e.eventName);

abstract class AuditedVaultBase extends Resource implements IAuditedVault {
  public abstract readonly backupVaultName: string;
  public abstract readonly backupVaultArn: string;
  public abstract readonly encryptionKey?: kms.IKey;
  public abstract readonly airGapped: boolean;

  public get backupVaultRef(): backup.BackupVaultReference {
    return { backupVaultName: this.backupVaultName, backupVaultArn: this.backupVaultArn };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.backupVaultArn] });
  }

  public grantRestore(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['backup:StartRestoreJob', 'backup:DescribeRecoveryPoint', 'backup:GetRecoveryPointRestoreMetadata'],
      resourceArns: [this.recoveryPointArns()],
    });
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['backup:ListRecoveryPointsByBackupVault', 'backup:DescribeBackupVault'],
      resourceArns: [this.backupVaultArn],
    }));
    // Restore jobs do not support resource-level permissions.
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['backup:DescribeRestoreJob'],
      resourceArns: ['*'],
    }));
    if (this.encryptionKey) {
      grant.combine(this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'));
    }
    return grant;
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Backup',
      metricName,
      dimensionsMap: { BackupVaultName: this.backupVaultName },
      statistic: cloudwatch.Stats.SUM,
      // AWS Backup publishes about every 5 minutes, best effort.
      period: Duration.minutes(5),
      ...props,
    });
  }

  public metricBackupJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NumberOfBackupJobsFailed', props);
  }

  public metricBackupJobsCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NumberOfBackupJobsCompleted', props);
  }

  public metricCopyJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NumberOfCopyJobsFailed', props);
  }

  public metricCopyJobsCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NumberOfCopyJobsCompleted', props);
  }

  public metricRestoreJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NumberOfRestoreJobsFailed', props);
  }

  public metricRecoveryPointsCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('NumberOfRecoveryPointsCompleted', props);
  }

  public onBackupJobFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, options);
    rule.addEventPattern(this.backupJobFailedPattern());
    if (options.target) rule.addTarget(options.target);
    return rule;
  }

  public onCopyJobFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, options);
    rule.addEventPattern(this.copyJobFailedPattern());
    if (options.target) rule.addTarget(options.target);
    return rule;
  }

  protected backupJobFailedPattern(): events.EventPattern {
    return {
      source: ['aws.backup'],
      detailType: ['Backup Job State Change'],
      detail: { state: FAILED_BACKUP_STATES, backupVaultName: [this.backupVaultName] },
    };
  }

  protected copyJobFailedPattern(): events.EventPattern {
    return {
      source: ['aws.backup'],
      detailType: ['Copy Job State Change'],
      detail: {
        state: ['FAILED'],
        $or: [
          { sourceBackupVaultArn: [this.backupVaultArn] },
          { destinationBackupVaultArn: [this.backupVaultArn] },
        ],
      },
    };
  }

  /** Recovery points of any resource type in this vault's account and region. */
  private recoveryPointArns(): string {
    return Stack.of(this).formatArn({ service: 'backup', resource: 'recovery-point', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}

/**
 * An AWS Backup vault that an auditor can sign off on: encrypted with a
 * customer-managed key, locked from day one, recovery points protected from
 * deletion, every failure alerted, and cross-account copies allowed only from
 * who you name.
 *
 * It implements aws-cdk-lib's `backup.IBackupVault`, so it plugs into any
 * `backup.BackupPlan` — except when it is air-gapped: a plan that targets an
 * air-gapped vault directly is rejected at synth.
 */
export class AuditedVault extends AuditedVaultBase {
  /**
   * Imports a vault by ARN (`arn:aws:backup:region:account:backup-vault:name`).
   */
  public static fromVaultArn(scope: Construct, id: string, backupVaultArn: string): IAuditedVault {
    return AuditedVault.fromVaultAttributes(scope, id, { backupVaultArn });
  }

  /**
   * Imports a vault with its key, so that `grantRestore` can grant on the key.
   */
  public static fromVaultAttributes(scope: Construct, id: string, attrs: AuditedVaultAttributes): IAuditedVault {
    checkVaultArn(scope, 'backupVaultArn', attrs.backupVaultArn);
    const airGapped = attrs.airGapped ?? false;
    if (attrs.vaultLock) checkVaultLock(scope, attrs.vaultLock, airGapped);
    const parsed = Stack.of(scope).splitArn(attrs.backupVaultArn, ArnFormat.COLON_RESOURCE_NAME);
    class Import extends AuditedVaultBase {
      public readonly backupVaultName = parsed.resourceName!;
      public readonly backupVaultArn = attrs.backupVaultArn;
      public readonly encryptionKey = attrs.encryptionKey;
      public readonly airGapped = airGapped;
      public readonly vaultLock = attrs.vaultLock;
    }
    return new Import(scope, id, { account: parsed.account, region: parsed.region });
  }

  /** Whether `x` is an `AuditedVault` created in this app. */
  public static isAuditedVault(x: any): x is AuditedVault {
    return x !== null && typeof x === 'object' && AUDITED_VAULT_SYMBOL in x;
  }

  public readonly backupVaultName: string;
  public readonly backupVaultArn: string;
  public readonly encryptionKey?: kms.IKey;
  public readonly airGapped: boolean;
  /** The topic that receives vault notifications and failed-job alerts. */
  public readonly notificationTopic: sns.ITopic;
  /** The key of the notification topic, the alert handler's logs and its dead-letter queue. */
  public readonly alertKey: kms.IKey;
  /** The rule that sends failed backup and copy jobs of this vault to the alert handler (unless `failureAlerts` is false). */
  public readonly jobFailureRule?: events.Rule;
  /** The handler that turns a failed-job event into a readable alert on the topic (unless `failureAlerts` is false). */
  public readonly alertFunction?: lambda.IFunction;
  /** The vault's access policy: the deletion deny and any cross-account copy grants. */
  public readonly accessPolicy: iam.PolicyDocument;
  /** The lock, as deployed (the default lock when none was given): always set on a vault this construct creates. */
  public readonly vaultLock?: VaultLock;
  /** The lock mode: compliance when `changeableFor` is set or the vault is air-gapped, else governance. */
  public readonly lockMode: VaultLockMode;
  /** The lock in whole days, as deployed. */
  private readonly lockDays: VaultLockDays;
  /** The notification events, in the order first given; rendered at synth, so later additions are seen. */
  private readonly eventNames = new Set<string>();

  /**
   * @param scope where the construct is defined
   * @param id the construct id: part of every logical ID and derived name below it, so keep it stable
   * @param props the AuditedVault's configuration
   */
  constructor(scope: Construct, id: string, props: AuditedVaultProps = {}) {
    super(scope, id);
    checkPropTypes(this, '', props, AUDITED_VAULT_SHAPE);
    Object.defineProperty(this, AUDITED_VAULT_SYMBOL, { value: true });

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    recordRemovalPolicy(props.removalPolicy, this);
    this.airGapped = props.airGapped ?? false;
    checkVaultName(this, 'vaultName', props.vaultName);
    checkAccountIds(this, 'allowCopyFromAccounts', props.allowCopyFromAccounts);
    checkOrganizationId(this, 'allowCopyFromOrganization', props.allowCopyFromOrganization);
    checkOneEventList(this, props.events, props.notificationEvents);
    if (props.events) {
      this.addEvents('events', props.events.map((e) => e.eventName));
    } else {
      this.addEvents('notificationEvents', props.notificationEvents ?? DEFAULT_NOTIFICATION_EVENTS);
    }
    if (props.mpaApprovalTeamArn !== undefined && !this.airGapped) {
      throw new ComplianceRuleError(this, 'mpaApprovalTeamArn', `'${props.mpaApprovalTeamArn}'`,
        'multi-party approval applies to logically air-gapped vaults only: set airGapped: true or leave mpaApprovalTeamArn unset');
    }
    if (this.airGapped && !props.vaultLock) {
      throw new ComplianceRuleError(this, 'vaultLock', 'undefined',
        'a logically air-gapped vault needs vaultLock with minRetention (at least 7 days) and maxRetention');
    }
    this.vaultLock = props.vaultLock ?? { minRetention: Duration.days(1) };
    this.lockDays = checkVaultLock(this, this.vaultLock, this.airGapped);
    this.lockMode = this.airGapped || this.lockDays.changeableForDays !== undefined ? VaultLockMode.COMPLIANCE : VaultLockMode.GOVERNANCE;

    const vaultName = props.vaultName ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '-' });
    if (removalPolicy === RemovalPolicy.DESTROY) {
      warnNotRemovable(this, 'removalPolicy', 'AWS Backup deletes a vault only when it holds no recovery points, and its lock keeps '
        + `each recovery point at least ${this.lockDays.minRetentionDays} days${this.lockMode === VaultLockMode.COMPLIANCE ? ' (in compliance mode '
        + 'nobody can shorten that once the grace time has passed)' : ''}: delete the recovery points first, when the lock allows`);
    }

    // Keys: the vault key (unless passed, or AWS-owned for an air-gapped vault) and the alert key.
    this.encryptionKey = props.encryptionKey ?? (this.airGapped ? undefined : createSecureKey(this, 'Key', {
      description: `Encrypts recovery points in backup vault ${this.node.path}`,
      removalPolicy,
    }));
    this.alertKey = props.alertKey ?? createSecureKey(this, 'AlertKey', {
      description: `Encrypts notifications, alert logs and dead letters of backup vault ${this.node.path}`,
      removalPolicy,
    });

    if (props.notificationTopic) {
      this.notificationTopic = props.notificationTopic;
      allowAlertPublishers(this.notificationTopic);
    } else {
      this.notificationTopic = createEncryptedAlertTopic(this, 'NotificationTopic', this.alertKey, `AWS Backup vault ${vaultName}`);
    }

    const vaultArnForPolicy = Stack.of(this).formatArn({
      service: 'backup', resource: 'backup-vault', resourceName: vaultName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.accessPolicy = renderAccessPolicy(this, props, this.encryptionKey);
    const notifications = {
      backupVaultEvents: Lazy.list({ produce: () => [...this.eventNames] }),
      snsTopicArn: this.notificationTopic.topicArn,
    };

    if (this.airGapped) {
      const vault = new backup.CfnLogicallyAirGappedBackupVault(this, 'Resource', {
        backupVaultName: vaultName,
        minRetentionDays: this.lockDays.minRetentionDays,
        maxRetentionDays: this.lockDays.maxRetentionDays!,
        encryptionKeyArn: this.encryptionKey?.keyArn,
        accessPolicy: this.accessPolicy,
        notifications,
        mpaApprovalTeamArn: props.mpaApprovalTeamArn,
      });
      vault.applyRemovalPolicy(removalPolicy);
      this.backupVaultName = vaultName;
      this.backupVaultArn = vault.attrBackupVaultArn;
      this.node.addValidation({ validate: () => this.rejectPlansTargetingThisVault() });
    } else {
      const vault = new backup.CfnBackupVault(this, 'Resource', {
        backupVaultName: vaultName,
        encryptionKeyArn: this.encryptionKey?.keyArn,
        accessPolicy: this.accessPolicy,
        notifications,
        lockConfiguration: {
          minRetentionDays: this.lockDays.minRetentionDays,
          maxRetentionDays: this.lockDays.maxRetentionDays,
          changeableForDays: this.lockDays.changeableForDays,
        },
      });
      vault.applyRemovalPolicy(removalPolicy);
      this.backupVaultName = vault.ref;
      this.backupVaultArn = vault.attrBackupVaultArn;
    }

    if (props.failureAlerts ?? true) {
      const alerts = createFailureAlerts(this, {
        vaultName, vaultArn: vaultArnForPolicy, vpc: props.handlerVpc, alertKey: this.alertKey, topic: this.notificationTopic,
      });
      this.alertFunction = alerts.fn;
      this.jobFailureRule = alerts.rule;
    }
  }

  /** Adds a statement to the vault's access policy. */
  public addToAccessPolicy(statement: iam.PolicyStatement): void {
    this.accessPolicy.addStatements(statement);
  }

  /**
   * Subscribes the vault's topic to more notification events, after the ones given at
   * construction (or the defaults). An event already subscribed is not added twice.
   */
  public addNotificationEvents(...vaultEvents: VaultEvent[]): void {
    this.addEvents('addNotificationEvents()', vaultEvents.map((e) => e?.eventName));
  }

  private addEvents(prop: string, eventNames: readonly string[]): void {
    for (const name of eventNames) {
      checkVaultEventName(this, prop, name);
      checkVaultEventDelivered(this, prop, name);
    }
    for (const name of eventNames) this.eventNames.add(name);
  }

  /** Plans may copy into an air-gapped vault, but may not name it as TargetBackupVault. */
  private rejectPlansTargetingThisVault(): string[] {
    const plans = this.node.root.node.findAll().filter((c): c is backup.CfnBackupPlan => c instanceof backup.CfnBackupPlan);
    return collectViolations(...plans.flatMap((plan) => {
      const rules: any[] = Stack.of(plan).resolve(plan.backupPlan)?.backupPlanRule ?? [];
      return rules.map((rule) => () => checkNotAirGappedTarget(plan, rule.ruleName, rule.targetBackupVault, this.backupVaultName));
    }));
  }
}

const AUDITED_VAULT_SYMBOL = Symbol.for('cdk-compliant-backup.AuditedVault');

