import { IResolveContext, Stack, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/*
 * A least-privilege replacement for AWS's managed service-role policies
 * AWSBackupServiceRolePolicyForBackup (v30), AWSBackupServiceRolePolicyForRestores (v35),
 * AWSBackupServiceRolePolicyForS3Backup (v5) and AWSBackupServiceRolePolicyForS3Restore (v2),
 * cut down to the resource types this library protects.
 *
 * Every action comes from those managed policies; what changed is the scope:
 * - Resource ARNs carry this stack's partition, region and account instead of `*:*`.
 * - Actions the managed policies grant on `Resource: '*'` but that support resource-level
 *   permissions (Service Authorization Reference) get ARN patterns: ec2:CreateImage,
 *   ec2:CopyImage, ec2:DeregisterImage, ec2:ModifyImageAttribute, ec2:ModifySnapshotAttribute,
 *   ec2:CreateSnapshot, ec2:DeleteSnapshot, ec2:RunInstances, ec2:DescribeInstanceAttribute,
 *   every rds:* action, backup:CopyFromBackupVault, kms:*.
 * - KMS data-key actions require kms:ViaService of the protected resource's service in this region.
 * - ec2:TerminateInstances is limited to instances AWS Backup restored (they carry the
 *   aws:backup:source-resource tag, which the managed restore policy lets it set).
 * Only actions with no resource-level permission keep `Resource: '*'`: the ec2:Describe* calls,
 * tag:GetResources, s3:ListAllMyBuckets, events:ListRules and cloudwatch:GetMetricData.
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

/** A vault in another region (or account) that copy jobs of this role write into. */
export interface CopyDestination {
  /** The region of the destination vault. */
  readonly region: string;
  /** The ARN of the destination vault. */
  readonly vaultArn: string;
}

const { EBS, EC2, RDS, AURORA, DYNAMODB, EFS, S3 } = ProtectedResourceType;
const ALL = ALL_PROTECTED_RESOURCE_TYPES;
const BACKUP_TAG_PRESENT = { Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false' } };

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
const ec2Snapshots = (s: Scope) => arn(s, 'ec2', '*', '');
const ec2Owned = (s: Scope) => arn(s, 'ec2', '*');
const ec2 = (s: Scope, resource: string) => arn(s, 'ec2', resource);
const rds = (s: Scope, resource = '*') => arn(s, 'rds', resource);
const keys = (s: Scope) => [arn(s, 'kms', 'key/*')];
const viaService = (service: string) => (s: Scope): Conditions => ({ StringEquals: { 'kms:ViaService': `${service}.${s.region}.${s.urlSuffix}` } });

/*
 * Where an action's resource types are fixed by the action itself (rds:CreateDBSnapshot touches
 * a db and a snapshot, ec2:CreateVolume a volume and a snapshot), the statement uses the
 * service's ARN pattern for this account and region instead of one ARN per resource type:
 * the same grant in a policy a third of the size (IAM caps a managed policy at 6,144 characters).
 * Per-name restrictions the managed policies make (snapshot:awsbackup:*) and their conditions stay.
 */
const ROWS: readonly Row[] = [
  // ---- Common to every type.
  // Actions without resource-level permission; tag:GetResources resolves the tag-based selection.
  { sid: 'NoResourceLevelPermission', types: ALL, actions: ['tag:GetResources'], resources: () => ['*'] },
  {
    sid: 'NoResourceLevelPermission', types: [EBS, EC2], resources: () => ['*'],
    actions: ['ec2:DescribeAvailabilityZones', 'ec2:DescribeSnapshotTierStatus', 'ec2:DescribeSnapshots', 'ec2:DescribeTags', 'ec2:DescribeVolumes'],
  },
  {
    sid: 'NoResourceLevelPermission', types: [EC2], resources: () => ['*'],
    actions: [
      'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeElasticGpus', 'ec2:DescribeImages',
      'ec2:DescribeInstanceCreditSpecifications', 'ec2:DescribeInstances', 'ec2:DescribeInternetGateways',
      'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotInstanceRequests',
      'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
    ],
  },
  { sid: 'NoResourceLevelPermission', types: [S3], actions: ['cloudwatch:GetMetricData', 'events:ListRules', 's3:ListAllMyBuckets'], resources: () => ['*'] },
  // Copies: a recovery point's ARN is the backup service's for AWS Backup-native storage and the
  // source service's (EBS snapshot, AMI, RDS snapshot, table backup) otherwise.
  {
    sid: 'BackupCopies', types: ALL, copy: true,
    actions: ['backup:CopyFromBackupVault', 'backup:CopyIntoBackupVault', 'backup:DescribeBackupVault'],
    resources: (s) => [s.vaultArn ?? arn(s, 'backup', '*')],
  },
  { sid: 'BackupCopies', types: [EBS, EC2], actions: ['backup:CopyFromBackupVault'], resources: (s) => [ec2Snapshots(s)] },
  { sid: 'BackupCopies', types: [RDS, AURORA], actions: ['backup:CopyFromBackupVault'], resources: (s) => [rds(s)] },
  { sid: 'BackupCopies', types: [DYNAMODB], actions: ['backup:CopyFromBackupVault'], resources: (s) => [arn(s, 'dynamodb', 'table/*')] },
  // The ARN names this account, which is what the managed policy's aws:PrincipalAccount condition checks.
  { sid: 'BackupRecoveryPointTags', types: ALL, copy: true, actions: ['backup:TagResource'], resources: (s) => [arn(s, 'backup', 'recovery-point:*')] },
  // AWS Backup reads key metadata itself (no kms:ViaService); everything else goes through the
  // service that stores the data. kms:ViaService implies kms:GrantIsForAWSResource for CreateGrant.
  { sid: 'KmsDescribeKeys', types: ALL, copy: true, actions: ['kms:DescribeKey'], resources: keys },
  ...kmsRows(),

  // ---- EBS volumes and EC2 instances (AMIs are backed by EBS snapshots).
  {
    sid: 'Ec2Backups', types: [EBS, EC2], copy: true,
    actions: ['ec2:CopySnapshot', 'ec2:CreateTags', 'ec2:DeleteSnapshot'], resources: (s) => [ec2Snapshots(s)],
  },
  { sid: 'Ec2Backups', types: [EC2], copy: true, actions: ['ec2:CopyImage', 'ec2:DeregisterImage'], resources: (s) => [ec2Snapshots(s)] },
  {
    sid: 'Ec2', types: [EBS],
    actions: ['ebs:CompleteSnapshot', 'ebs:PutSnapshotBlock', 'ebs:StartSnapshot', 'ec2:CreateSnapshot', 'ec2:CreateVolume', 'ec2:DeleteVolume'],
    resources: (s) => [ec2Owned(s), ec2Snapshots(s)],
  },
  // RunInstances authorizes every resource the launch touches (instance, volumes, network
  // interfaces, security groups, subnet, key pair, launch template, AMI, ...).
  {
    sid: 'Ec2', types: [EC2],
    actions: ['ec2:CreateImage', 'ec2:DescribeInstanceAttribute', 'ec2:RunInstances'], resources: (s) => [ec2Owned(s), ec2Snapshots(s)],
  },
  // Only what AWS Backup made or restored: it carries the aws:backup:source-resource tag.
  {
    sid: 'Ec2BackupTagged', types: [EBS, EC2], copy: true, conditions: () => BACKUP_TAG_PRESENT,
    actions: ['ec2:DeleteTags', 'ec2:ModifySnapshotAttribute', 'ec2:ModifySnapshotTier', 'ec2:RestoreSnapshotTier'],
    resources: (s) => [ec2Snapshots(s)],
  },
  {
    sid: 'Ec2BackupTagged', types: [EC2], copy: true, conditions: () => BACKUP_TAG_PRESENT,
    actions: ['ec2:ModifyImageAttribute', 'ec2:TerminateInstances'], resources: (s) => [ec2(s, 'instance/*')],
  },
  {
    sid: 'Ec2TagOnCreate', types: [EBS], actions: ['ec2:CreateTags'],
    resources: (s) => [ec2(s, 'volume/*')], conditions: () => ({ StringEquals: { 'ec2:CreateAction': 'CreateVolume' } }),
  },
  {
    sid: 'Ec2TagOnCreate', types: [EC2], actions: ['ec2:CreateTags'],
    resources: (s) => [ec2(s, 'instance/*'), ec2(s, 'volume/*')], conditions: () => ({ StringEquals: { 'ec2:CreateAction': 'RunInstances' } }),
  },
  {
    sid: 'Ec2TagRestoredInstances', types: [EC2], actions: ['ec2:CreateTags'], resources: (s) => [ec2(s, 'instance/*')],
    conditions: () => ({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'aws:backup:source-resource' } }),
  },
  {
    sid: 'PassRoleToEc2', types: [EC2], actions: ['iam:PassRole'],
    resources: (s) => [`arn:${s.partition}:iam::${s.account}:role/*`],
    conditions: () => ({ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }),
  },

  // ---- RDS instances and Aurora clusters (both rds:*).
  {
    sid: 'RdsBackups', types: [RDS], copy: true, resources: (s) => [rds(s)],
    actions: ['rds:AddTagsToResource', 'rds:CopyDBSnapshot', 'rds:DescribeDBInstances', 'rds:DescribeDBSnapshots', 'rds:ListTagsForResource'],
  },
  {
    sid: 'RdsBackups', types: [AURORA], copy: true, resources: (s) => [rds(s)],
    actions: [
      'rds:AddTagsToResource', 'rds:CopyDBClusterSnapshot', 'rds:DescribeDBClusterAutomatedBackups', 'rds:DescribeDBClusterSnapshots',
      'rds:DescribeDBClusters', 'rds:DescribeDBInstances', 'rds:ListTagsForResource',
    ],
  },
  // Only snapshots AWS Backup named (awsbackup:job-..., awsbackup:copyjob-...) may be deleted or shared.
  {
    sid: 'RdsBackupSnapshots', types: [RDS], copy: true,
    actions: ['rds:DeleteDBSnapshot', 'rds:ModifyDBSnapshotAttribute'], resources: (s) => [rds(s, 'snapshot:awsbackup:*')],
  },
  {
    sid: 'RdsBackupSnapshots', types: [AURORA], copy: true,
    actions: ['rds:DeleteDBClusterSnapshot', 'rds:ModifyDBClusterSnapshotAttribute'], resources: (s) => [rds(s, 'cluster-snapshot:awsbackup:*')],
  },
  // Snapshots, continuous backup (it sets the backup retention), and restores, which also
  // authorize the option, parameter and subnet groups of the new database.
  {
    sid: 'Rds', types: [RDS], resources: (s) => [rds(s)],
    actions: [
      'rds:CreateDBInstance', 'rds:CreateDBSnapshot', 'rds:CreateTenantDatabase', 'rds:DeleteDBInstance',
      'rds:DeleteDBInstanceAutomatedBackup', 'rds:DeleteTenantDatabase', 'rds:ModifyDBInstance',
      'rds:RestoreDBInstanceFromDBSnapshot', 'rds:RestoreDBInstanceToPointInTime',
    ],
  },
  {
    sid: 'Rds', types: [AURORA], resources: (s) => [rds(s)],
    actions: [
      'rds:CreateDBClusterSnapshot', 'rds:CreateDBInstance', 'rds:DeleteDBCluster', 'rds:DeleteDBClusterAutomatedBackup',
      'rds:DeleteDBInstance', 'rds:ModifyDBCluster', 'rds:RestoreDBClusterFromSnapshot', 'rds:RestoreDBClusterToPointInTime',
    ],
  },

  // ---- DynamoDB (table/* also matches table/<name>/backup/<id>).
  {
    sid: 'DynamoDb', types: [DYNAMODB],
    actions: [
      'dynamodb:BatchWriteItem', 'dynamodb:CreateBackup', 'dynamodb:DeleteBackup', 'dynamodb:DeleteItem',
      'dynamodb:DescribeBackup', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:ListTagsOfResource',
      'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:RestoreTableFromBackup',
      'dynamodb:Scan', 'dynamodb:StartAwsBackupJob', 'dynamodb:UpdateItem',
    ],
    resources: (s) => [arn(s, 'dynamodb', 'table/*')],
  },

  // ---- EFS.
  {
    sid: 'Efs', types: [EFS],
    actions: [
      'elasticfilesystem:Backup', 'elasticfilesystem:CreateFileSystem', 'elasticfilesystem:DeleteFileSystem',
      'elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeTags', 'elasticfilesystem:Restore',
      'elasticfilesystem:TagResource',
    ],
    resources: (s) => [arn(s, 'elasticfilesystem', 'file-system/*')],
  },

  // ---- S3: bucket ARNs carry neither region nor account; arn:...:s3:::* also matches bucket/key.
  {
    sid: 'S3', types: [S3],
    actions: [
      's3:CreateBucket', 's3:DeleteObject', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketNotification',
      's3:GetBucketOwnershipControls', 's3:GetBucketTagging', 's3:GetBucketVersioning', 's3:GetInventoryConfiguration',
      's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectVersionAcl',
      's3:GetObjectVersionTagging', 's3:ListBucket', 's3:ListBucketVersions', 's3:ListMultipartUploadParts',
      's3:PutBucketNotification', 's3:PutBucketOwnershipControls', 's3:PutBucketVersioning', 's3:PutInventoryConfiguration',
      's3:PutObject', 's3:PutObjectAcl', 's3:PutObjectTagging', 's3:PutObjectVersionAcl',
    ],
    resources: (s) => [`arn:${s.partition}:s3:::*`],
  },
  {
    sid: 'S3BucketTags', types: [S3], actions: ['s3:ListTagsForResource'], resources: (s) => [`arn:${s.partition}:s3:::*`],
    conditions: () => ({ StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }),
  },
  // S3 continuous backup follows object changes through EventBridge rules that AWS Backup names itself.
  {
    sid: 'S3BackupRules', types: [S3],
    actions: [
      'events:DeleteRule', 'events:DescribeRule', 'events:DisableRule', 'events:EnableRule',
      'events:ListTargetsByRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets',
    ],
    resources: (s) => [arn(s, 'events', 'rule/AwsBackupManagedRule*')],
  },
];

/**
 * Key use, restricted by kms:ViaService to the services that store the protected data in this
 * region (AWS Backup itself for its own storage: EFS, S3, DynamoDB with advanced features).
 */
function kmsRows(): Row[] {
  const actions = [
    'kms:CreateGrant', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext',
    'kms:ReEncryptFrom', 'kms:ReEncryptTo',
  ];
  const via = (types: readonly ProtectedResourceType[], service: string, copy: boolean): Row => ({
    sid: 'Kms', types, copy, actions, resources: keys, conditions: viaService(service),
  });
  return [
    via(ALL, 'backup', true),
    via([EBS, EC2], 'ec2', true),
    via([RDS, AURORA], 'rds', true),
    via([DYNAMODB], 'dynamodb', false),
    via([EFS], 'elasticfilesystem', false),
    via([S3], 's3', false),
  ];
}

/**
 * Statements for backing up and restoring the given types; partition/region/account come from the stack.
 */
export function backupServiceStatements(stack: Stack, types: readonly ProtectedResourceType[]): iam.PolicyStatement[] {
  return render(ROWS, types, scopeOf(stack, stack.region), '');
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
export function wildcardAcknowledgements(statements: iam.PolicyStatement[]): { id: string; reason: string }[] {
  const actionsByResource = new Map<string, Set<string>>();
  for (const statement of statements) {
    if (statement.effect !== iam.Effect.ALLOW) continue;
    const wildAction = statement.actions.find((a) => a.includes('*'));
    if (wildAction) {
      throw new Error(`Statement ${statement.sid ?? '(no sid)'} has the wildcard action '${wildAction}': enumerate the actions instead`);
    }
    for (const resource of statement.resources.map(flattenForNag).filter((r) => r.includes('*'))) {
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
  for (const row of rows.filter((r) => r.types.some((t) => types.includes(t)))) {
    const entry = merged.get(row.sid) ?? { actions: new Set<string>(), resources: [] };
    row.actions.forEach((a) => entry.actions.add(a));
    for (const r of row.resources(scope)) {
      if (!entry.resources.includes(r)) entry.resources.push(r);
    }
    entry.conditions = mergeConditions(entry.conditions, row.conditions?.(scope));
    merged.set(row.sid, entry);
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
      const values = [...toArray(merged[key]), ...toArray(value)];
      merged[key] = Array.from(new Set(values));
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
 * become `<AWS::Partition>` and the like (cdk-nag utils/flatten-cfn-reference).
 */
function flattenForNag(resource: string): string {
  // Pseudo parameters resolve without a scope; anything else needs one and is not ours to guess.
  const context = {} as IResolveContext;
  return Tokenization.reverseString(resource)
    .mapTokens({ mapToken: (token) => flattenCfn(token.resolve(context)) })
    .join({ join: (left, right) => `${left}${right}` });
}

function flattenCfn(node: any): string {
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (node && typeof node === 'object') {
    if ('Ref' in node) return `<${flattenCfn(node.Ref)}>`;
    if ('Fn::GetAtt' in node) return `<${flattenCfn(node['Fn::GetAtt'][0])}.${flattenCfn(node['Fn::GetAtt'][1])}>`;
    if ('Fn::Join' in node) return (node['Fn::Join'][1] as any[]).map(flattenCfn).join(node['Fn::Join'][0]);
  }
  return JSON.stringify(node);
}
