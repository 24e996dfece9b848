/**
 * The resource types AWS Backup can back up, each with a sample resource ARN and
 * the first action AWS Backup calls, as the role of the selection, to back it up
 * and to restore it (from AWS's managed policies AWSBackupServiceRolePolicyForBackup,
 * ...ForRestores, ...ForS3Backup and ...ForS3Restore, and the Service Authorization
 * Reference). One action per type is a necessary condition, not a sufficient one:
 * a role denied it cannot protect the type; a role allowed it may still lack others.
 *
 * `restoreTesting` is the `ProtectedResourceType` string of restore testing, where it
 * supports the type.
 */
export interface BackupResourceType {
  /** AWS Backup's name of the type. */
  readonly name: string;
  readonly restoreTesting?: string;
  readonly sampleArn: (partition: string, region: string, account: string) => string;
  readonly backup: { readonly action: string; readonly resource?: (partition: string, region: string, account: string) => string };
  readonly restore: { readonly action: string; readonly resource: (partition: string, region: string, account: string) => string };
}

type Arn = (partition: string, region: string, account: string) => string;
const arn = (service: string, resource: string, regionless = false, accountless = false): Arn =>
  (p, r, a) => `arn:${p}:${service}:${regionless ? '' : r}:${accountless ? '' : a}:${resource}`;

export const BACKUP_RESOURCE_TYPES: readonly BackupResourceType[] = [
  {
    name: 'EBS',
    restoreTesting: 'EBS',
    sampleArn: arn('ec2', 'volume/vol-0123456789abcdef0'),
    backup: { action: 'ec2:CreateSnapshot' },
    restore: { action: 'ec2:CreateVolume', resource: arn('ec2', 'volume/*') },
  },
  {
    name: 'EC2',
    restoreTesting: 'EC2',
    sampleArn: arn('ec2', 'instance/i-0123456789abcdef0'),
    backup: { action: 'ec2:CreateImage' },
    restore: { action: 'ec2:RunInstances', resource: arn('ec2', 'instance/*') },
  },
  {
    name: 'RDS',
    restoreTesting: 'RDS',
    sampleArn: arn('rds', 'db:sample-db'),
    backup: { action: 'rds:CreateDBSnapshot' },
    restore: { action: 'rds:RestoreDBInstanceFromDBSnapshot', resource: arn('rds', 'db:restored-db') },
  },
  {
    name: 'Aurora',
    restoreTesting: 'Aurora',
    sampleArn: arn('rds', 'cluster:sample-aurora'),
    backup: { action: 'rds:CreateDBClusterSnapshot' },
    restore: { action: 'rds:RestoreDBClusterFromSnapshot', resource: arn('rds', 'cluster:restored-aurora') },
  },
  {
    name: 'DocumentDB',
    restoreTesting: 'DocumentDB',
    sampleArn: arn('rds', 'cluster:sample-docdb'),
    backup: { action: 'rds:CreateDBClusterSnapshot' },
    restore: { action: 'rds:RestoreDBClusterFromSnapshot', resource: arn('rds', 'cluster:restored-docdb') },
  },
  {
    name: 'Neptune',
    restoreTesting: 'Neptune',
    sampleArn: arn('rds', 'cluster:sample-neptune'),
    backup: { action: 'rds:CreateDBClusterSnapshot' },
    restore: { action: 'rds:RestoreDBClusterFromSnapshot', resource: arn('rds', 'cluster:restored-neptune') },
  },
  {
    name: 'DynamoDB',
    restoreTesting: 'DynamoDB',
    sampleArn: arn('dynamodb', 'table/sample-table'),
    backup: { action: 'dynamodb:CreateBackup' },
    restore: { action: 'dynamodb:RestoreTableFromBackup', resource: arn('dynamodb', 'table/restored-table') },
  },
  {
    name: 'EFS',
    restoreTesting: 'EFS',
    sampleArn: arn('elasticfilesystem', 'file-system/fs-0123456789abcdef0'),
    backup: { action: 'elasticfilesystem:Backup' },
    restore: { action: 'elasticfilesystem:Restore', resource: arn('elasticfilesystem', 'file-system/fs-0123456789abcdef0') },
  },
  {
    name: 'FSx',
    restoreTesting: 'FSx',
    sampleArn: arn('fsx', 'file-system/fs-0123456789abcdef0'),
    backup: { action: 'fsx:CreateBackup' },
    restore: { action: 'fsx:CreateFileSystemFromBackup', resource: arn('fsx', 'backup/backup-0123456789abcdef0') },
  },
  {
    name: 'S3',
    restoreTesting: 'S3',
    sampleArn: arn('s3', 'sample-bucket', true, true),
    backup: { action: 's3:GetBucketVersioning' },
    restore: { action: 's3:PutObject', resource: arn('s3', 'restored-bucket/object', true, true) },
  },
  {
    name: 'Storage Gateway',
    sampleArn: arn('storagegateway', 'gateway/sgw-12A3456B/volume/vol-1122AABB'),
    backup: { action: 'storagegateway:CreateSnapshot' },
    restore: { action: 'storagegateway:CreateSnapshotFromVolumeRecoveryPoint', resource: arn('storagegateway', 'gateway/sgw-12A3456B/volume/vol-1122AABB') },
  },
  {
    name: 'Redshift',
    sampleArn: arn('redshift', 'cluster:sample-cluster'),
    backup: { action: 'redshift:CreateClusterSnapshot', resource: arn('redshift', 'snapshot:sample-cluster/awsbackup-snapshot') },
    restore: { action: 'redshift:RestoreFromClusterSnapshot', resource: arn('redshift', 'snapshot:sample-cluster/awsbackup-snapshot') },
  },
  {
    name: 'Redshift Serverless',
    sampleArn: arn('redshift-serverless', 'namespace/00000000-0000-0000-0000-000000000000'),
    backup: { action: 'redshift-serverless:CreateSnapshot', resource: arn('redshift-serverless', 'snapshot/00000000-0000-0000-0000-000000000001') },
    restore: { action: 'redshift-serverless:RestoreFromSnapshot', resource: arn('redshift-serverless', 'namespace/00000000-0000-0000-0000-000000000000') },
  },
  {
    name: 'Timestream',
    sampleArn: arn('timestream', 'database/sample/table/sample'),
    backup: { action: 'timestream:StartAwsBackupJob' },
    restore: { action: 'timestream:StartAwsRestoreJob', resource: arn('timestream', 'database/sample/table/sample') },
  },
  {
    name: 'Aurora DSQL',
    sampleArn: arn('dsql', 'cluster/abcdefghijklmnopqrstuvwxyz'),
    backup: { action: 'dsql:StartBackupJob' },
    restore: { action: 'dsql:StartRestoreJob', resource: arn('dsql', 'cluster/abcdefghijklmnopqrstuvwxyz') },
  },
  {
    name: 'VirtualMachine',
    sampleArn: arn('backup-gateway', 'vm/vm-0123456789abcdef0'),
    backup: { action: 'backup-gateway:Backup' },
    restore: { action: 'backup-gateway:Restore', resource: arn('backup-gateway', 'vm/vm-0123456789abcdef0') },
  },
];

/** Whether an ARN pattern of a selection (`*` and `?` wildcards) matches the ARN. */
export function arnPatternMatches(pattern: string, arnValue: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.split('?').map(escape).join('.')).join('.*')}$`);
  return regex.test(arnValue);
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}
