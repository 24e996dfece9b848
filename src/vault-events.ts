/**
 * An event AWS Backup can send to a vault's SNS topic (the vault's
 * `Notifications.BackupVaultEvents` in CloudFormation, `PutBackupVaultNotifications` in the API).
 *
 * aws-cdk-lib's `backup.BackupVaultEvents` stops at the S3 object events and still lists
 * events AWS Backup no longer delivers. The members here are every event AWS Backup
 * delivers today; `VaultEvent.of()` names one added after this release.
 *
 * There are no malware-scan events among vault notifications: scan results arrive through
 * EventBridge (`source: aws.backup`, `detail-type: Scan Job State Change`).
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultNotifications.html
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-notifications.html
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import { AuditedVault, VaultEvent } from 'cdk-compliant-backup';
 *
 * const stack = new Stack(new App(), 'Backups');
 * const vault = new AuditedVault(stack, 'Vault');
 * vault.addNotificationEvents(VaultEvent.RECOVERY_POINT_INDEXING_FAILED, VaultEvent.of('A_NEWER_EVENT'));
 */
export class VaultEvent {
  // --- Backup jobs
  /** A backup job started. */
  public static readonly BACKUP_JOB_STARTED = new VaultEvent('BACKUP_JOB_STARTED');
  /** A backup job ended; the message carries its final state, failed included. */
  public static readonly BACKUP_JOB_COMPLETED = new VaultEvent('BACKUP_JOB_COMPLETED');

  // --- Restore jobs
  /** A restore job started. */
  public static readonly RESTORE_JOB_STARTED = new VaultEvent('RESTORE_JOB_STARTED');
  /** A restore job ended; the message carries its final state, failed included. */
  public static readonly RESTORE_JOB_COMPLETED = new VaultEvent('RESTORE_JOB_COMPLETED');

  // --- Copy jobs
  /** A copy job started. */
  public static readonly COPY_JOB_STARTED = new VaultEvent('COPY_JOB_STARTED');
  /** A copy job succeeded. */
  public static readonly COPY_JOB_SUCCESSFUL = new VaultEvent('COPY_JOB_SUCCESSFUL');
  /** A copy job failed. */
  public static readonly COPY_JOB_FAILED = new VaultEvent('COPY_JOB_FAILED');

  // --- Recovery points
  /** A recovery point's lifecycle or other settings changed. */
  public static readonly RECOVERY_POINT_MODIFIED = new VaultEvent('RECOVERY_POINT_MODIFIED');

  // --- Amazon S3 backups
  /** An object of an S3 bucket could not be backed up. */
  public static readonly S3_BACKUP_OBJECT_FAILED = new VaultEvent('S3_BACKUP_OBJECT_FAILED');
  /** An object of an S3 backup could not be restored. */
  public static readonly S3_RESTORE_OBJECT_FAILED = new VaultEvent('S3_RESTORE_OBJECT_FAILED');

  // --- Continuous backups
  /**
   * Continuous backup (point-in-time recovery) of a resource stopped: the restorable window
   * no longer grows until it resumes. `CompliantBackupSystem` subscribes the vaults of a
   * continuous tier to it.
   */
  public static readonly CONTINUOUS_BACKUP_INTERRUPTED = new VaultEvent('CONTINUOUS_BACKUP_INTERRUPTED');

  // --- Backup indexes (search and item-level restore)
  /** A recovery point's backup index was created. */
  public static readonly RECOVERY_POINT_INDEX_COMPLETED = new VaultEvent('RECOVERY_POINT_INDEX_COMPLETED');
  /** A recovery point's backup index was deleted. */
  public static readonly RECOVERY_POINT_INDEX_DELETED = new VaultEvent('RECOVERY_POINT_INDEX_DELETED');
  /** A recovery point could not be indexed: it cannot be searched. */
  public static readonly RECOVERY_POINT_INDEXING_FAILED = new VaultEvent('RECOVERY_POINT_INDEXING_FAILED');

  // --- Amazon EKS backups
  /** An object of an EKS cluster could not be backed up. */
  public static readonly EKS_BACKUP_OBJECT_FAILED = new VaultEvent('EKS_BACKUP_OBJECT_FAILED');
  /** An object of an EKS backup could not be restored. */
  public static readonly EKS_RESTORE_OBJECT_FAILED = new VaultEvent('EKS_RESTORE_OBJECT_FAILED');
  /** An object of an EKS backup was skipped on restore. */
  public static readonly EKS_RESTORE_OBJECT_SKIPPED = new VaultEvent('EKS_RESTORE_OBJECT_SKIPPED');

  // --- Backup access points
  /** A backup access point of a recovery point is available. */
  public static readonly ACCESS_POINT_AVAILABLE = new VaultEvent('ACCESS_POINT_AVAILABLE');
  /** A backup access point could not be created. */
  public static readonly ACCESS_POINT_CREATION_FAILED = new VaultEvent('ACCESS_POINT_CREATION_FAILED');
  /** A backup access point was deleted. */
  public static readonly ACCESS_POINT_DELETED = new VaultEvent('ACCESS_POINT_DELETED');
  /** A backup access point could not be deleted. */
  public static readonly ACCESS_POINT_DELETION_FAILED = new VaultEvent('ACCESS_POINT_DELETION_FAILED');
  /** A backup access point expired. */
  public static readonly ACCESS_POINT_EXPIRED = new VaultEvent('ACCESS_POINT_EXPIRED');
  /** A backup access point was disassociated from its recovery point. */
  public static readonly ACCESS_POINT_DISASSOCIATED = new VaultEvent('ACCESS_POINT_DISASSOCIATED');

  /**
   * An event by its AWS name, for one AWS Backup added after this release. The vault that
   * receives it checks the name (upper-case words joined by underscores) and rejects the
   * events AWS Backup no longer delivers (`BACKUP_JOB_FAILED` and the others).
   *
   * @param eventName the event as AWS Backup spells it, e.g. `CONTINUOUS_BACKUP_INTERRUPTED`
   */
  public static of(eventName: string): VaultEvent {
    return new VaultEvent(eventName);
  }

  /** The event as AWS Backup spells it in `BackupVaultEvents`. */
  public readonly eventName: string;

  private constructor(eventName: string) {
    this.eventName = eventName;
  }

  /** The event's AWS name. */
  public toString(): string {
    return this.eventName;
  }
}
