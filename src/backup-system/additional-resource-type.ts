/**
 * Resource types a CompliantBackupSystem can protect beyond its default seven (EBS, EC2, RDS,
 * Aurora, DynamoDB, EFS, S3). Each one, when listed in `additionalResourceTypes`, joins the tag
 * selection (by ARN) and adds its backup and restore actions to the backup role.
 *
 * Restore testing does not support these types (AWS Backup RestoreTestingSelection
 * ProtectedResourceType: Aurora, DocumentDB, DynamoDB, EBS, EC2, EFS, FSx, Neptune, RDS, S3), and
 * AWS Backup must be opted in to them per region (Service Opt-in, not settable from CloudFormation).
 */
export enum AdditionalResourceType {
  /**
   * Amazon EKS clusters: the cluster state as a composite recovery point whose children are the
   * EBS and EFS persistent volumes (covered by the default types). The cluster's authentication
   * mode must be API or API_AND_CONFIG_MAP: AWS Backup creates an access entry.
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/eks-backups.html
   */
  EKS = 'EKS',
  /**
   * Amazon Aurora DSQL clusters (always full backups; restores create a new cluster).
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-aurora.html
   */
  AURORA_DSQL = 'AURORA_DSQL',
}
