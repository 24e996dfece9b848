/**
 * Resource-type options of the backup plan (`AWS::Backup::BackupPlan` `AdvancedBackupSettings`).
 * Each option is rendered only when set; unset, AWS Backup's own default applies.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/API_AdvancedBackupSetting.html
 */
export interface AdvancedBackupSettings {
  /**
   * Take application-consistent Windows VSS backups of EC2 instances (`ResourceType: EC2`,
   * `WindowsVSS: enabled`; `false` renders `disabled`). AWS Backup runs VSS through Systems
   * Manager: the instance must run Windows, be managed by SSM (SSM Agent running), have the
   * `AwsVssComponents` package installed (AWS Backup does not install it), and its instance
   * profile needs the VSS permissions (the `AWSEC2VssSnapshotPolicy` managed policy) besides
   * SSM's own. Without them the job falls back to a crash-consistent backup or fails. When
   * `true`, the backup role gets the three SSM actions AWS Backup uses to run the
   * `AWSEC2-CreateVssSnapshot` document (a `WindowsVssPolicy` managed policy).
   * See https://docs.aws.amazon.com/aws-backup/latest/devguide/windows-backups.html and
   * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-vss-snapshots-backup.html
   *
   * @default - not rendered: AWS Backup takes regular (crash-consistent) backups
   */
  readonly windowsVss?: boolean;
  /**
   * Include object ACLs in S3 backups (`ResourceType: S3`, `BackupACLs`).
   * CloudFormation's reference lists only `EC2` for this property, and a public report says
   * CloudFormation's early validation rejects `S3`
   * (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2507):
   * setting it emits the warning `cdk-compliant-backup:s3-backup-options`; try a deployment first.
   *
   * @default - not rendered: AWS Backup includes ACLs
   */
  readonly s3BackupAcls?: boolean;
  /**
   * Include object tags in S3 backups (`ResourceType: S3`, `BackupObjectTags`); the same
   * CloudFormation caveat as `s3BackupAcls`.
   *
   * @default - not rendered: AWS Backup includes object tags
   */
  readonly s3BackupObjectTags?: boolean;
}
