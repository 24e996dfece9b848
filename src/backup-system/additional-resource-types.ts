import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

import { AdditionalResourceType } from './additional-resource-type';

/*
 * The actions come from AWS's managed policies, as their change log lists them (AWS Backup
 * Developer Guide, "Policy updates for AWS Backup",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html):
 * - EKS, November 10, 2025: AWSBackupServiceRolePolicyForBackup (eks:List/Describe of clusters,
 *   add-ons, node groups, pod identity associations, access entries, Fargate profiles;
 *   eks:CreateAccessEntry, AssociateAccessPolicy, DisassociateAccessPolicy;
 *   ec2:DescribeLaunchTemplateVersions) and AWSBackupServiceRolePolicyForRestores (eks:Create*
 *   of the same, eks:TagResource, iam:PassRole, iam:GetRole, iam:ListAttachedRolePolicies,
 *   ec2:DescribeSubnets, backup:StartRestoreJob, ListRestoreJobs, ListRecoveryPointsByBackupVault,
 *   DescribeRestoreJob; ec2:RunInstances and ec2:CreateTags are already the EC2 type's).
 * - Aurora DSQL, May 21, 2025: AWSBackupServiceRolePolicyForBackup (dsql:StartBackupJob,
 *   GetBackupJob, StopBackupJob, GetCluster, ListClusters, ListTagsForResource; KMS through DSQL),
 *   AWSBackupServiceRolePolicyForRestores (dsql:StartRestoreJob, GetRestoreJob, StopRestoreJob,
 *   TagResource, CreateCluster, PutMultiRegionProperties, PutWitnessRegion) and, July 17, 2025,
 *   dsql:UpdateCluster, AddPeerCluster, RemovePeerCluster for multi-Region restores.
 * As in backup-service-policy.ts, every ARN names this stack's partition, region and account,
 * and only actions without resource-level permission keep `Resource: '*'`. KMS use through
 * these services is the default policy's Kms statement (kms:ViaService in this region).
 */

interface TypeStatements {
  readonly selectable: (s: Stack) => string[];
  readonly statements: (s: Stack) => iam.PolicyStatement[];
}

const eksArn = (s: Stack, resource: string) => `arn:${s.partition}:eks:${s.region}:${s.account}:${resource}`;

const TYPES: Record<AdditionalResourceType, TypeStatements> = {
  [AdditionalResourceType.EKS]: {
    selectable: (s) => [eksArn(s, 'cluster/*')],
    statements: (s) => [
      new iam.PolicyStatement({
        sid: 'EksNoResourceLevel',
        actions: ['backup:DescribeRestoreJob', 'backup:ListRestoreJobs', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeSubnets', 'eks:CreateCluster', 'eks:ListClusters'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'Eks',
        actions: [
          'eks:AssociateAccessPolicy', 'eks:CreateAccessEntry', 'eks:CreateAddon', 'eks:CreateFargateProfile', 'eks:CreateNodegroup',
          'eks:CreatePodIdentityAssociation', 'eks:DescribeAccessEntry', 'eks:DescribeAddon', 'eks:DescribeCluster',
          'eks:DescribeFargateProfile', 'eks:DescribeNodegroup', 'eks:DescribePodIdentityAssociation', 'eks:DisassociateAccessPolicy',
          'eks:ListAccessEntries', 'eks:ListAddons', 'eks:ListAssociatedAccessPolicies', 'eks:ListFargateProfiles', 'eks:ListNodegroups',
          'eks:ListPodIdentityAssociations', 'eks:ListTagsForResource', 'eks:TagResource',
        ],
        // Clusters and what belongs to them: add-ons, node groups, access entries, pod identity associations, Fargate profiles.
        resources: [eksArn(s, '*')],
      }),
      // A cluster restore restores its persistent volumes as child restore jobs.
      new iam.PolicyStatement({
        sid: 'EksChildRestores',
        actions: ['backup:ListRecoveryPointsByBackupVault', 'backup:StartRestoreJob'],
        resources: [
          `arn:${s.partition}:backup:${s.region}:${s.account}:*`,
          `arn:${s.partition}:ec2:${s.region}::snapshot/*`,
        ],
      }),
      new iam.PolicyStatement({
        sid: 'EksRoles',
        actions: ['iam:GetRole', 'iam:ListAttachedRolePolicies'],
        resources: [`arn:${s.partition}:iam::${s.account}:role/*`],
      }),
      // The restored cluster's and node groups' roles (to EKS), pod identity roles, the child restore jobs' role (to AWS Backup).
      new iam.PolicyStatement({
        sid: 'EksPassRole',
        actions: ['iam:PassRole'],
        resources: [`arn:${s.partition}:iam::${s.account}:role/*`],
        conditions: { StringEquals: { 'iam:PassedToService': ['backup.amazonaws.com', 'eks.amazonaws.com', 'pods.eks.amazonaws.com'] } },
      }),
    ],
  },
  [AdditionalResourceType.AURORA_DSQL]: {
    selectable: (s) => [`arn:${s.partition}:dsql:${s.region}:${s.account}:cluster/*`],
    statements: (s) => [
      new iam.PolicyStatement({ sid: 'DsqlNoResourceLevel', actions: ['dsql:ListClusters'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'Dsql',
        actions: [
          'dsql:AddPeerCluster', 'dsql:CreateCluster', 'dsql:GetBackupJob', 'dsql:GetCluster', 'dsql:GetRestoreJob', 'dsql:ListTagsForResource',
          'dsql:PutMultiRegionProperties', 'dsql:PutWitnessRegion', 'dsql:RemovePeerCluster', 'dsql:StartBackupJob', 'dsql:StartRestoreJob',
          'dsql:StopBackupJob', 'dsql:StopRestoreJob', 'dsql:TagResource', 'dsql:UpdateCluster',
        ],
        resources: [`arn:${s.partition}:dsql:${s.region}:${s.account}:cluster/*`],
      }),
    ],
  },
};

/** The ARN patterns the tag selection adds for these types, in this stack's account and region. */
export function additionalSelectableArns(stack: Stack, types: readonly AdditionalResourceType[]): string[] {
  return unique(types).flatMap((t) => TYPES[t].selectable(stack));
}

/** The backup role's statements for these types (none for an empty list). */
export function additionalTypeStatements(stack: Stack, types: readonly AdditionalResourceType[]): iam.PolicyStatement[] {
  return unique(types).flatMap((t) => TYPES[t].statements(stack));
}

function unique(types: readonly AdditionalResourceType[]): AdditionalResourceType[] {
  return [...new Set(types)];
}
