import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createAcknowledgedPolicy } from './acknowledged-policy';
import { AlertTopicTarget } from '../private/encrypted-topic';

/*
 * Backup indexes: AWS Backup indexes the files and objects of a tier's EBS or S3 recovery
 * points, so that they can be searched and single items restored
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-search.html). A tier's
 * `backupIndexes` renders the rule's `IndexActions`
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_IndexAction.html).
 */

/** A resource type whose recovery points AWS Backup can index (API_IndexAction: EBS, S3). */
export enum IndexedResourceType {
  /** EBS snapshots (file systems ext2/3/4, vfat, xfs, ntfs). */
  EBS = 'EBS',
  /** S3 backups. */
  S3 = 'S3',
}

/** A rule's `IndexActions`: one index action naming the tier's indexed types. */
export function renderIndexActions(
  types: readonly IndexedResourceType[] | undefined,
): backup.CfnBackupPlan.IndexActionsResourceTypeProperty[] | undefined {
  return types === undefined || types.length === 0 ? undefined : [{ resourceTypes: [...types] }];
}

/**
 * What the backup role needs to index EBS recovery points, per the AWS managed policy
 * AWSBackupServiceRolePolicyForIndexing
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForIndexing.html):
 * the EBS direct read APIs on snapshots, here only in this region and only on snapshots AWS
 * Backup made (tagged aws:backup:source-resource). Its ec2:DescribeSnapshots, kms:DescribeKey
 * and kms:Decrypt the backup role already has. "No index permissions are required to create an
 * S3 index" (backup-search.html).
 */
export function backupRoleIndexStatements(stack: Stack): iam.PolicyStatement[] {
  return [new iam.PolicyStatement({
    sid: 'IndexEbsSnapshots',
    actions: ['ebs:GetSnapshotBlock', 'ebs:ListSnapshotBlocks'],
    resources: [`arn:${stack.partition}:ec2:${stack.region}::snapshot/*`],
    conditions: { Null: { 'aws:ResourceTag/aws:backup:source-resource': 'false' } },
  })];
}

/** The customer managed policy on the backup role that lets AWS Backup index EBS recovery points. */
export function allowBackupRoleToIndexEbs(scope: Construct, backupRole: iam.IRole): iam.ManagedPolicy {
  return createAcknowledgedPolicy(scope, 'BackupIndexPolicy', {
    description: `AWS Backup indexes the EBS recovery points of ${scope.node.path}`,
    statements: backupRoleIndexStatements(Stack.of(scope)),
    roles: [backupRole],
  });
}

/**
 * Failed indexing, from the `Recovery Point Index State Change` events of AWS Backup
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html, recovery point
 * indexing events: `indexStatus` ACTIVE, DELETED or FAILED).
 */
export const INDEX_FAILURE_PATTERN: events.EventPattern = {
  source: ['aws.backup'],
  detailType: ['Recovery Point Index State Change'],
  detail: { indexStatus: ['FAILED'] },
};

/** The rule that sends failed indexing to the alarm topic. */
export function createIndexFailureRule(scope: Construct, topic: sns.ITopic): events.Rule {
  const rule = new events.Rule(scope, 'IndexingFailedRule', {
    description: 'AWS Backup recovery point indexing that failed',
    eventPattern: INDEX_FAILURE_PATTERN,
  });
  rule.addTarget(new AlertTopicTarget(topic));
  return rule;
}
