import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { contentId } from '../private/ids';
import { ComplianceRuleError } from '../validation/errors';
import { checkProtectCall } from '../validation/plan';

/**
 * The selection of one `protect()` call: the resources by ARN, so no tag condition can filter
 * them out. Its construct id is derived from what it protects, so other `protect()` calls never
 * rename it (its logical ID is public API).
 */
export function createProtectedSelection(
  system: Construct, plan: backup.IBackupPlan, role: iam.IRole, resources: backup.BackupResource[], earlierSelections: number,
): backup.BackupSelection {
  for (const r of resources) {
    if (r.tagCondition) {
      throw new ComplianceRuleError(system, 'protect()', `BackupResource.fromTag('${r.tagCondition.key}')`,
        'protect() takes resources by ARN or construct; select by tag with selectionTags');
    }
  }
  checkProtectCall(system, resources.length, earlierSelections);
  const stack = Stack.of(system);
  const id = `Protected${contentId(resources.map((r) => r.construct ? r.construct.node.path : stack.resolve(r.resource)))}`;
  if (system.node.tryFindChild(id)) {
    throw new ComplianceRuleError(system, 'protect()', 'the same resources twice', 'each resource needs protecting once');
  }
  return new backup.BackupSelection(system, id, { backupPlan: plan, resources, role, disableDefaultBackupPolicy: true });
}
