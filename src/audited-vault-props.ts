import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { VaultEvent } from './vault-events';

/**
 * An AWS Backup Vault Lock.
 *
 * Without `changeableFor` the lock is in governance mode: users with enough IAM
 * permission can still remove it. With `changeableFor` it is in compliance mode:
 * once that grace time has elapsed, nobody — not the root user, not AWS — can
 * remove the lock or shorten retention.
 */
export interface VaultLock {
  /**
   * The shortest retention a recovery point in this vault may have.
   * At least 1 day (7 days for a logically air-gapped vault).
   */
  readonly minRetention: Duration;
  /**
   * The longest retention a recovery point in this vault may have. At most 36500 days.
   *
   * @default - no maximum (required for a logically air-gapped vault)
   */
  readonly maxRetention?: Duration;
  /**
   * Grace time before a compliance-mode lock becomes immutable. At least 72 hours.
   * Setting it selects compliance mode.
   *
   * @default - governance mode (the lock can be removed by an authorized principal)
   */
  readonly changeableFor?: Duration;
}

/**
 * Properties of an `AuditedVault`.
 */
export interface AuditedVaultProps {
  /**
   * The vault's name: 2-50 letters, digits, hyphens and underscores.
   * Changing it replaces the vault.
   *
   * @default - a unique name derived from the construct path
   */
  readonly vaultName?: string;
  /**
   * The key that encrypts recovery points in the vault.
   *
   * @default - a new customer-managed key with rotation; for an air-gapped vault, an AWS-owned key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The vault lock.
   *
   * @default - governance mode, minimum retention 1 day (7 days when air-gapped), no maximum
   *            (air-gapped vaults require you to set the maximum)
   */
  readonly vaultLock?: VaultLock;
  /**
   * Create a logically air-gapped vault (`AWS::Backup::LogicallyAirGappedBackupVault`).
   * Such a vault is always locked in compliance mode and can be a copy destination or a
   * rule's `TargetLogicallyAirGappedBackupVaultArn`, never a rule's `TargetBackupVault`.
   * Its name, retention bounds and key cannot change without replacing it.
   *
   * @default false
   */
  readonly airGapped?: boolean;
  /**
   * The topic that receives vault notifications and failed-job alerts.
   *
   * @default - a new KMS-encrypted, TLS-only topic
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * The key of the notification topic this construct creates, and of the alert handler's
   * logs and dead-letter queue.
   *
   * @default - a new customer-managed key with rotation
   */
  readonly alertKey?: kms.IKey;
  /**
   * The vault notifications AWS Backup sends to the topic.
   *
   * @default - failure-focused: BACKUP_JOB_COMPLETED (its message carries the final state, failed included),
   *            COPY_JOB_FAILED, RESTORE_JOB_COMPLETED, RECOVERY_POINT_MODIFIED, S3_BACKUP_OBJECT_FAILED,
   *            S3_RESTORE_OBJECT_FAILED
   */
  readonly notificationEvents?: backup.BackupVaultEvents[];
  /**
   * The vault notifications AWS Backup sends to the topic, from every event it delivers
   * (continuous backup, backup index, EKS and access-point events included). Supersedes
   * `notificationEvents`: set one of the two. `addNotificationEvents()` adds more later.
   *
   * @default - the defaults of `notificationEvents`
   */
  readonly events?: VaultEvent[];
  /**
   * Break-glass roles exempt from the vault's deny on deleting recovery points
   * and changing their lifecycle.
   *
   * @default - nobody may delete recovery points or change their lifecycle
   */
  readonly allowDeletionBy?: iam.IRole[];
  /**
   * Accounts whose AWS Backup may copy recovery points into this vault.
   *
   * @default - no cross-account copies
   */
  readonly allowCopyFromAccounts?: string[];
  /**
   * An AWS Organizations id (`o-...`) whose accounts may copy recovery points into this vault.
   *
   * @default - no organization-wide copies
   */
  readonly allowCopyFromOrganization?: string;
  /**
   * Where the failed-job alert handler runs.
   *
   * @default - outside a VPC (it calls only AWS APIs)
   */
  readonly handlerVpc?: ec2.IVpc;
  /**
   * Turn failed backup jobs and failed copy jobs of this vault into readable alerts on the
   * notification topic (an EventBridge rule, a Lambda handler, a dead-letter queue and its
   * alarm). Vault notifications reach the topic either way. Turn it off where a template
   * must carry no code (for example the member template of an organization StackSet).
   *
   * @default true
   */
  readonly failureAlerts?: boolean;
  /**
   * The ARN of an AWS multi-party approval team (`AWS::MPA::ApprovalTeam`) that must
   * approve restore access to this logically air-gapped vault. Air-gapped vaults only.
   *
   * @default - no multi-party approval
   */
  readonly mpaApprovalTeamArn?: string;
  /**
   * What happens to the vault (and the keys this construct creates) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes to import an existing vault.
 */
export interface AuditedVaultAttributes {
  /** The vault's ARN. */
  readonly backupVaultArn: string;
  /**
   * The key that encrypts the vault, needed by `grantRestore`.
   *
   * @default - no key permissions are granted
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Whether the vault is logically air-gapped.
   *
   * @default false
   */
  readonly airGapped?: boolean;
  /**
   * The vault's lock, so that copies into it are checked against its bounds wherever
   * they are planned (a vault of another stack, region or account).
   *
   * @default - unknown: copies into the vault are not checked against a lock
   */
  readonly vaultLock?: VaultLock;
}

/**
 * A backup vault with audit affordances: grants, metrics and events.
 */
export interface IAuditedVault extends backup.IBackupVault {
  /**
   * The key that encrypts recovery points, when it is a customer-managed key.
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Whether this is a logically air-gapped vault.
   */
  readonly airGapped: boolean;
  /**
   * The vault's lock, when it is known: every retention of a recovery point landing
   * here must fall inside it.
   */
  readonly vaultLock?: VaultLock;
  /** Grants the permissions to start and watch restore jobs from this vault, including use of its key. */
  grantRestore(grantee: iam.IGrantable): iam.Grant;
  /** A metric of this vault in the `AWS/Backup` namespace, with the `BackupVaultName` dimension. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Backup jobs that failed while writing into this vault. */
  metricBackupJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Backup jobs that completed into this vault. */
  metricBackupJobsCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Copy jobs that failed; AWS publishes copy-job metrics under the destination vault. */
  metricCopyJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Copy jobs that completed; AWS publishes copy-job metrics under the destination vault. */
  metricCopyJobsCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Restore jobs from this vault that failed. */
  metricRestoreJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Recovery points in this vault that completed. */
  metricRecoveryPointsCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** An EventBridge rule for backup jobs of this vault that failed, were aborted or expired. */
  onBackupJobFailed(id: string, options?: events.OnEventOptions): events.Rule;
  /** An EventBridge rule for failed copy jobs from or into this vault. */
  onCopyJobFailed(id: string, options?: events.OnEventOptions): events.Rule;
}
