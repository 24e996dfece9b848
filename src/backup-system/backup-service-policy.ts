import { IResolveContext, Stack, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { nagName } from '../private/acknowledgements';

/*
 * A least-privilege replacement for AWS's managed service-role policies
 * AWSBackupServiceRolePolicyForBackup (v30), AWSBackupServiceRolePolicyForRestores (v35),
 * AWSBackupServiceRolePolicyForS3Backup (v5) and AWSBackupServiceRolePolicyForS3Restore (v2),
 * cut down to the resource types this library protects and to one customer managed policy
 * (IAM caps those at 6,144 characters; all seven types take about 5,900).
 *
 * Every action comes from those managed policies (minus their Storage Gateway, FSx, Redshift,
 * Timestream, SAP HANA, DSQL, EKS, GuardDuty and CloudFormation parts); what changed is the scope:
 * - Every ARN names this stack's partition, region and account where the ARN has one (`*:*` in
 *   the managed policies).
 * - Actions the managed policies grant on `Resource: '*'` that do support resource-level
 *   permissions get ARN patterns: ec2:CreateImage, ec2:CopyImage, ec2:DeregisterImage,
 *   ec2:ModifyImageAttribute, ec2:ModifySnapshotAttribute, ec2:CreateSnapshot, ec2:DeleteSnapshot,
 *   ec2:RunInstances, ec2:DescribeInstanceAttribute, the rds:* actions, backup:CopyFromBackupVault,
 *   kms:DescribeKey, kms:CreateGrant and the kms data-key actions.
 * - Where an action's resource types are fixed by the action itself (rds:CreateDBSnapshot touches
 *   a db and a snapshot), the service's ARN pattern for this account and region stands in for one
 *   ARN per resource type: the same grant at half the length. Name restrictions
 *   (snapshot:awsbackup:*, rule/AwsBackupManagedRule*) and conditions stay.
 * - KMS use other than DescribeKey requires kms:ViaService of a service in this region.
 * - ec2:TerminateInstances, like the managed policies' snapshot deletes, is limited to what
 *   carries the aws:backup:source-resource tag (restored instances are tagged with it).
 * Only actions with no resource-level permission keep `Resource: '*'`: ec2:Describe* (except
 * DescribeInstanceAttribute), tag:GetResources, s3:ListAllMyBuckets, events:ListRules and
 * cloudwatch:GetMetricData.
 *
 * Service Authorization Reference pages used:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticfilesystem.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/copy-ami-permissions.html (CopyImage on source and target AMI)
 */

/** The AWS Backup resource type strings of the resources this library protects. */
export enum ProtectedResourceType {
  EBS = 'EBS',
  EC2 = 'EC2',
  RDS = 'RDS',
  AURORA = 'Aurora',
  DYNAMODB = 'DynamoDB',
  EFS = 'EFS',
  S3 = 'S3',
}

export const ALL_PROTECTED_RESOURCE_TYPES: ProtectedResourceType[] = [
  ProtectedResourceType.EBS,
  ProtectedResourceType.EC2,
  ProtectedResourceType.RDS,
  ProtectedResourceType.AURORA,
  ProtectedResourceType.DYNAMODB,
  ProtectedResourceType.EFS,
  ProtectedResourceType.S3,
];

/**
 * The ARNs of each type's resources in this account and region: the tag selection lists
 * exactly these (never `*`), so a tagged resource of a type the role cannot back up (FSx,
 * Redshift, EKS, ...) is not selected and cannot fail its job on permissions. DocumentDB and
 * Neptune clusters share Aurora's cluster ARN and its rds: actions, so they are covered too.
 */
const SELECTABLE_ARNS: Record<ProtectedResourceType, (s: Scope) => string> = {
  [ProtectedResourceType.EBS]: (s) => arn(s, 'ec2', 'volume/*'),
  [ProtectedResourceType.EC2]: (s) => arn(s, 'ec2', 'instance/*'),
  [ProtectedResourceType.RDS]: (s) => arn(s, 'rds', 'db:*'),
  [ProtectedResourceType.AURORA]: (s) => arn(s, 'rds', 'cluster:*'),
  [ProtectedResourceType.DYNAMODB]: (s) => arn(s, 'dynamodb', 'table/*'),
  [ProtectedResourceType.EFS]: (s) => arn(s, 'elasticfilesystem', 'file-system/*'),
  [ProtectedResourceType.S3]: (s) => `arn:${s.partition}:s3:::*`,
};

/**
 * The restore testing types the backup role can restore: its seven types, plus DocumentDB and
 * Neptune clusters, which use Aurora's rds: actions and cluster ARNs.
 */
export const RESTORABLE_BY_BACKUP_ROLE: readonly string[] = [...ALL_PROTECTED_RESOURCE_TYPES, 'DocumentDB', 'Neptune'];

/** The resource ARN patterns a selection of the given types may match, in this stack's account and region. */
export function selectableResourceArns(stack: Stack, types: readonly ProtectedResourceType[]): string[] {
  const scope = scopeOf(stack, stack.region);
  return types.map((t) => SELECTABLE_ARNS[t](scope));
}

/** A vault in another region (or account) that copy jobs of this role write into. */
export interface CopyDestination {
  /** The region of the destination vault. */
  readonly region: string;
  /** The ARN of the destination vault. */
  readonly vaultArn: string;
}

const { EBS, EC2, RDS, AURORA, DYNAMODB, EFS, S3 } = ProtectedResourceType;
const ALL = ALL_PROTECTED_RESOURCE_TYPES;

/** Where the ARNs of one statement point. */
interface Scope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly urlSuffix: string;
  /** Set when the statements are for the destination of a copy job. */
  readonly vaultArn?: string;
}

type Conditions = Record<string, Record<string, string | string[]>>;

/**
 * One row of the table: what one resource type needs under one statement id.
 * Rows with the same sid are merged into one statement (actions, resources and
 * condition values united), so rows of one sid may differ only in alternatives.
 */
interface Row {
  readonly sid: string;
  readonly types: readonly ProtectedResourceType[];
  readonly actions: readonly string[];
  readonly resources: (s: Scope) => string[];
  readonly conditions?: (s: Scope) => Conditions;
  /** Also needed in the region (and vault) a copy job writes into. */
  readonly copy?: boolean;
}

const arn = (s: Scope, service: string, resource: string, account = s.account) => `arn:${s.partition}:${service}:${s.region}:${account}:${resource}`;
// EBS snapshots and AMIs are the only EC2 resources without an account in their ARN.
const ec2SnapshotsAndImages = (s: Scope) => arn(s, 'ec2', '*', '');
const ec2Owned = (s: Scope) => arn(s, 'ec2', '*');
const ec2 = (s: Scope, resource: string) => arn(s, 'ec2', resource);
const rds = (s: Scope, resource = '*') => arn(s, 'rds', resource);
const keys = (s: Scope) => [arn(s, 'kms', 'key/*')];

const TAGGED_BY_BACKUP = { copy: true, conditions: () => ({ Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false' } }) };
const COPY = { copy: true };

function row(
  sid: string, types: readonly ProtectedResourceType[], actions: string[], resources: (s: Scope) => string[],
  options: { copy?: boolean; conditions?: (s: Scope) => Conditions } = {},
): Row {
  return { sid, types, actions, resources, ...options };
}

const ROWS: readonly Row[] = [
  // ---- Common to every type.
  // Actions without resource-level permission; tag:GetResources resolves the tag-based selection.
  row('NoResourceLevel', ALL, ['tag:GetResources'], () => ['*']),
  row('NoResourceLevel', [EBS, EC2], [
    'ec2:DescribeAvailabilityZones', 'ec2:DescribeSnapshotTierStatus', 'ec2:DescribeSnapshots', 'ec2:DescribeTags', 'ec2:DescribeVolumes',
  ], () => ['*']),
  row('NoResourceLevel', [EC2], [
    'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeElasticGpus', 'ec2:DescribeImages',
    'ec2:DescribeInstanceCreditSpecifications', 'ec2:DescribeInstances', 'ec2:DescribeInternetGateways',
    'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotInstanceRequests',
    'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
  ], () => ['*']),
  row('NoResourceLevel', [S3], ['cloudwatch:GetMetricData', 'events:ListRules', 's3:ListAllMyBuckets'], () => ['*']),
  // Copies. A recovery point's ARN is the backup service's for AWS Backup-native storage (EFS, S3,
  // DynamoDB with advanced features, which copies require) and the source service's for EBS
  // snapshots, AMIs and RDS snapshots: backup:CopyFromBackupVault is also in those statements.
  // backup:TagResource tags recovery points; their ARN names this account, which is what the
  // managed policy's aws:PrincipalAccount condition checks.
  row('Backup', ALL, ['backup:CopyFromBackupVault', 'backup:CopyIntoBackupVault', 'backup:DescribeBackupVault', 'backup:TagResource'],
    (s) => s.vaultArn ? [s.vaultArn, arn(s, 'backup', 'recovery-point:*')] : [arn(s, 'backup', '*')], COPY),
  // AWS Backup reads key metadata itself (no kms:ViaService). Every other use of a key goes through
  // an AWS service in this region acting for this role, which can only call the services of the
  // protected types: listing them in kms:ViaService would add nothing but length. kms:ViaService
  // also implies the managed policies' kms:GrantIsForAWSResource for CreateGrant.
  row('KmsKeys', ALL, ['kms:DescribeKey'], keys, COPY),
  row('Kms', ALL, [
    'kms:CreateGrant', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
    'kms:ReEncryptFrom', 'kms:ReEncryptTo',
  ], keys, { copy: true, conditions: (s) => ({ StringLike: { 'kms:ViaService': `*.${s.region}.${s.urlSuffix}` } }) }),

  // ---- EBS volumes and EC2 instances (AMIs are backed by EBS snapshots).
  row('Ec2Backups', [EBS, EC2], ['backup:CopyFromBackupVault', 'ec2:CopySnapshot', 'ec2:CreateTags', 'ec2:DeleteSnapshot'],
    (s) => [ec2SnapshotsAndImages(s)], COPY),
  row('Ec2Backups', [EC2], ['ec2:CopyImage', 'ec2:DeregisterImage'], (s) => [ec2SnapshotsAndImages(s)], COPY),
  row('Ec2', [EBS], [
    'ebs:CompleteSnapshot', 'ebs:PutSnapshotBlock', 'ebs:StartSnapshot', 'ec2:CreateSnapshot', 'ec2:CreateVolume', 'ec2:DeleteVolume',
  ], (s) => [ec2Owned(s), ec2SnapshotsAndImages(s)]),
  // RunInstances authorizes every resource the launch touches (instance, volumes, network
  // interfaces, security groups, subnet, key pair, launch template, AMI, ...).
  row('Ec2', [EC2], ['ec2:CreateImage', 'ec2:DescribeInstanceAttribute', 'ec2:RunInstances'], (s) => [ec2Owned(s), ec2SnapshotsAndImages(s)]),
  // Only what AWS Backup made or restored: it carries the aws:backup:source-resource tag.
  row('Ec2Tagged', [EBS, EC2], ['ec2:DeleteTags', 'ec2:ModifySnapshotAttribute', 'ec2:ModifySnapshotTier', 'ec2:RestoreSnapshotTier'],
    (s) => [ec2SnapshotsAndImages(s)], TAGGED_BY_BACKUP),
  row('Ec2Tagged', [EC2], ['ec2:ModifyImageAttribute', 'ec2:TerminateInstances'],
    (s) => [ec2SnapshotsAndImages(s), ec2(s, 'instance/*')], TAGGED_BY_BACKUP),
  // Tags on the volumes and instances a restore creates (ec2:CreateAction limits it to those).
  row('Ec2TagOnCreate', [EBS], ['ec2:CreateTags'], (s) => [ec2Owned(s)],
    { conditions: () => ({ StringEquals: { 'ec2:CreateAction': 'CreateVolume' } }) }),
  row('Ec2TagOnCreate', [EC2], ['ec2:CreateTags'], (s) => [ec2Owned(s)],
    { conditions: () => ({ StringEquals: { 'ec2:CreateAction': 'RunInstances' } }) }),
  row('Ec2TagRestored', [EC2], ['ec2:CreateTags'], (s) => [ec2(s, 'instance/*')],
    { conditions: () => ({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'aws:backup:source-resource' } }) }),
  row('Ec2PassRole', [EC2], ['iam:PassRole'], (s) => [`arn:${s.partition}:iam::${s.account}:role/*`],
    { conditions: () => ({ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }) }),

  // ---- RDS instances and Aurora clusters (both rds:*).
  row('Rds', [RDS], [
    'backup:CopyFromBackupVault', 'rds:AddTagsToResource', 'rds:CopyDBSnapshot', 'rds:DescribeDBInstances',
    'rds:DescribeDBSnapshots', 'rds:ListTagsForResource',
  ], (s) => [rds(s)], COPY),
  row('Rds', [AURORA], [
    'backup:CopyFromBackupVault', 'rds:AddTagsToResource', 'rds:CopyDBClusterSnapshot', 'rds:DescribeDBClusterAutomatedBackups',
    'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBClusters', 'rds:DescribeDBInstances', 'rds:ListTagsForResource',
  ], (s) => [rds(s)], COPY),
  // Only snapshots AWS Backup named (awsbackup:job-..., awsbackup:copyjob-...) may be deleted or
  // shared; the pattern matches both snapshot:awsbackup:* and cluster-snapshot:awsbackup:*.
  row('RdsAwsBackup', [RDS], ['rds:DeleteDBSnapshot', 'rds:ModifyDBSnapshotAttribute'], (s) => [rds(s, '*snapshot:awsbackup:*')], COPY),
  row('RdsAwsBackup', [AURORA], ['rds:DeleteDBClusterSnapshot', 'rds:ModifyDBClusterSnapshotAttribute'], (s) => [rds(s, '*snapshot:awsbackup:*')], COPY),
  // Snapshots, continuous backup (it sets the backup retention), and restores, which also
  // authorize the option, parameter and subnet groups of the new database.
  row('Rds', [RDS], [
    'rds:CreateDBInstance', 'rds:CreateDBSnapshot', 'rds:CreateTenantDatabase', 'rds:DeleteDBInstance',
    'rds:DeleteDBInstanceAutomatedBackup', 'rds:DeleteTenantDatabase', 'rds:ModifyDBInstance',
    'rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBInstanceToPointInTime',
  ], (s) => [rds(s)]),
  row('Rds', [AURORA], [
    'rds:CreateDBClusterSnapshot', 'rds:CreateDBInstance', 'rds:DeleteDBCluster', 'rds:DeleteDBClusterAutomatedBackup',
    'rds:DeleteDBInstance', 'rds:ModifyDBCluster', 'rds:RestoreDBClusterFromSnapshot', 'rds:RestoreDBClusterToPointInTime',
  ], (s) => [rds(s)]),

  // ---- DynamoDB (table/* also matches table/<name>/backup/<id>). A restore from a native backup
  // writes the items into the new table, hence the item actions.
  row('DynamoDb', [DYNAMODB], [
    'dynamodb:BatchWriteItem', 'dynamodb:CreateBackup', 'dynamodb:DeleteBackup', 'dynamodb:DeleteItem',
    'dynamodb:DescribeBackup', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:ListTagsOfResource',
    'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:RestoreTableFromBackup',
    'dynamodb:Scan', 'dynamodb:StartAwsBackupJob', 'dynamodb:UpdateItem',
  ], (s) => [arn(s, 'dynamodb', 'table/*')]),

  // ---- EFS.
  row('Efs', [EFS], [
    'elasticfilesystem:Backup', 'elasticfilesystem:CreateFileSystem', 'elasticfilesystem:DeleteFileSystem',
    'elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeTags', 'elasticfilesystem:Restore',
    'elasticfilesystem:TagResource',
  ], (s) => [arn(s, 'elasticfilesystem', 'file-system/*')]),

  // ---- S3: bucket ARNs carry neither region nor account; arn:...:s3:::* also matches bucket/key.
  row('S3', [S3], [
    's3:CreateBucket', 's3:DeleteObject', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketNotification',
    's3:GetBucketOwnershipControls', 's3:GetBucketTagging', 's3:GetBucketVersioning', 's3:GetInventoryConfiguration',
    's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectVersionAcl',
    's3:GetObjectVersionTagging', 's3:ListBucket', 's3:ListBucketVersions', 's3:ListMultipartUploadParts',
    's3:PutBucketNotification', 's3:PutBucketOwnershipControls', 's3:PutBucketVersioning', 's3:PutInventoryConfiguration',
    's3:PutObject', 's3:PutObjectAcl', 's3:PutObjectTagging', 's3:PutObjectVersionAcl',
  ], (s) => [`arn:${s.partition}:s3:::*`]),
  row('S3Tags', [S3], ['s3:ListTagsForResource'], (s) => [`arn:${s.partition}:s3:::*`],
    { conditions: () => ({ StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }) }),
  // S3 continuous backup follows object changes through EventBridge rules that AWS Backup names itself.
  row('S3Rules', [S3], [
    'events:DeleteRule', 'events:DescribeRule', 'events:DisableRule', 'events:EnableRule',
    'events:ListTargetsByRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets',
  ], (s) => [arn(s, 'events', 'rule/AwsBackupManagedRule*')]),
];

/**
 * Statements for backing up and restoring the given types; partition and account come from the
 * stack, the region too unless given (`'*'` for a role that serves every region).
 */
export function backupServiceStatements(stack: Stack, types: readonly ProtectedResourceType[], region: string = stack.region): iam.PolicyStatement[] {
  return render(ROWS, types, scopeOf(stack, region), '');
}

/**
 * The statements a copy job needs in the region of its destination vault: the copy
 * (ec2:CopySnapshot, rds:CopyDBSnapshot, ...) runs there and authorizes the new snapshot,
 * and backup:CopyIntoBackupVault names the destination vault.
 *
 * @param sidPrefix distinguishes the statements of one destination from another's (letters and digits)
 */
export function copyDestinationStatements(
  stack: Stack, types: readonly ProtectedResourceType[], destination: CopyDestination, sidPrefix: string,
): iam.PolicyStatement[] {
  if (!/^[A-Za-z0-9]+$/.test(sidPrefix)) {
    throw new Error(`copyDestinationStatements: sidPrefix must be letters and digits, got '${sidPrefix}'`);
  }
  const scope = { ...scopeOf(stack, destination.region), vaultArn: destination.vaultArn };
  return render(ROWS.filter((r) => r.copy), types, scope, sidPrefix);
}

/**
 * The reason to acknowledge cdk-nag AwsSolutions-IAM5 for the remaining `Resource::*` / action
 * wildcards, one per wildcard kind, each naming the actions that support no resource-level permission.
 */
export function wildcardAcknowledgements(statements: iam.PolicyStatement[], stack?: Stack): { id: string; reason: string }[] {
  const actionsByResource = new Map<string, Set<string>>();
  for (const statement of statements) {
    if (statement.effect !== iam.Effect.ALLOW) continue;
    const wildAction = statement.actions.find((a) => a.includes('*'));
    if (wildAction) {
      throw new Error(`Statement ${statement.sid ?? '(no sid)'} has the wildcard action '${wildAction}': enumerate the actions instead`);
    }
    for (const resource of statement.resources.map((r) => flattenForNag(r, stack)).filter((r) => r.includes('*'))) {
      const actions = actionsByResource.get(resource) ?? new Set<string>();
      statement.actions.forEach((a) => actions.add(a));
      actionsByResource.set(resource, actions);
    }
  }
  return [...actionsByResource.entries()].map(([resource, actionSet]) => ({
    id: `AwsSolutions-IAM5[Resource::${resource}]`,
    reason: wildcardReason(resource, [...actionSet].sort().join(', ')),
  }));
}

function wildcardReason(resource: string, actions: string): string {
  if (resource === '*') {
    return `${actions} support no resource-level permissions (Service Authorization Reference), so IAM accepts them only with Resource '*'.`;
  }
  if (resource.includes(':rule/AwsBackupManagedRule')) {
    return `AWS Backup creates the EventBridge rules of S3 continuous backups itself, named with the AwsBackupManagedRule prefix; ${actions} are limited to those.`;
  }
  if (resource.includes(':role/') && actions.includes('iam:GetRole')) {
    return `A restored EKS cluster keeps the roles of the original (cluster, node group and pod identity roles), which are not known at synth; ${actions} are limited to roles of this account, iam:PassRole to AWS Backup and EKS by iam:PassedToService.`;
  }
  if (resource.includes(':role/')) {
    return `The instance profile roles of restored EC2 instances are not known at synth; ${actions} is limited to EC2 by iam:PassedToService.`;
  }
  return `The selection is by tag, so the protected resources are not known at synth (nor the keys, snapshots and backups AWS Backup makes of them): ${actions} are scoped to this ARN pattern.`;
}

function scopeOf(stack: Stack, region: string): Scope {
  return { partition: stack.partition, region, account: stack.account, urlSuffix: stack.urlSuffix };
}

function render(rows: readonly Row[], types: readonly ProtectedResourceType[], scope: Scope, sidPrefix: string): iam.PolicyStatement[] {
  const merged = new Map<string, { actions: Set<string>; resources: string[]; conditions?: Conditions }>();
  for (const wanted of rows.filter((r) => r.types.some((t) => types.includes(t)))) {
    const entry = merged.get(wanted.sid) ?? { actions: new Set<string>(), resources: [] };
    wanted.actions.forEach((a) => entry.actions.add(a));
    for (const r of wanted.resources(scope)) {
      if (!entry.resources.includes(r)) entry.resources.push(r);
    }
    entry.conditions = mergeConditions(entry.conditions, wanted.conditions?.(scope));
    merged.set(wanted.sid, entry);
  }
  return [...merged.entries()].map(([sid, entry]) => new iam.PolicyStatement({
    sid: `${sidPrefix}${sid}`,
    actions: [...entry.actions].sort(),
    resources: entry.resources,
    conditions: entry.conditions,
  }));
}

/** Unites the values of the same operator and key: the rows of one sid list alternatives. */
function mergeConditions(a: Conditions | undefined, b: Conditions | undefined): Conditions | undefined {
  if (!a || !b) return a ?? b;
  const out: Conditions = { ...a };
  for (const [operator, keyValues] of Object.entries(b)) {
    const merged: Record<string, string | string[]> = { ...out[operator] };
    for (const [key, value] of Object.entries(keyValues)) {
      const values = Array.from(new Set([...toArray(merged[key]), ...toArray(value)]));
      merged[key] = values.length === 1 ? values[0] : values;
    }
    out[operator] = merged;
  }
  return out;
}

function toArray(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * Renders a resource the way cdk-nag names it in a finding id: CloudFormation references
 * become `<AWS::Partition>` and the like.
 */
function flattenForNag(resource: string, stack?: Stack): string {
  // References to resources (a copy destination's ARN) need their stack to resolve.
  if (stack) return nagName(stack.resolve(resource));
  // Pseudo parameters resolve without a scope.
  const context = {} as IResolveContext;
  return Tokenization.reverseString(resource)
    .mapTokens({ mapToken: (token) => nagName(token.resolve(context)) })
    .join({ join: (left, right) => `${left}${right}` });
}
