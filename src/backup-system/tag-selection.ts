import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ALL_PROTECTED_RESOURCE_TYPES, selectableResourceArns } from './backup-service-policy';

/**
 * The selection of every resource carrying all of `tags`, limited to the types the backup role
 * can back up and restore (`extraResources`: the ARN patterns of additional types). Undefined
 * when `tags` is empty. Created as `TagSelection` in `system`'s scope: its logical ID is public API.
 */
export function createTagSelection(
  system: Construct, plan: backup.IBackupPlan, role: iam.IRole, tags: Record<string, string>, extraResources: string[] = [],
): backup.CfnBackupSelection | undefined {
  const entries = Object.entries(tags);
  if (entries.length === 0) return undefined;
  return new backup.CfnBackupSelection(system, 'TagSelection', {
    backupPlanId: plan.backupPlanId,
    backupSelection: {
      selectionName: 'tagged',
      iamRoleArn: role.roleArn,
      // Only the types the backup role can back up and restore (never '*').
      resources: [...selectableResourceArns(Stack.of(system), ALL_PROTECTED_RESOURCE_TYPES), ...extraResources],
      // Conditions combine with AND (ListOfTags would be OR). aws-cdk-lib passes
      // this property through verbatim, so it is written in CloudFormation's PascalCase.
      conditions: {
        StringEquals: entries.map(([key, value]) => ({ ConditionKey: `aws:ResourceTag/${key}`, ConditionValue: value })),
      },
    },
  });
}
