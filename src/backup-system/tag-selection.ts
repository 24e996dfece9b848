import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ALL_PROTECTED_RESOURCE_TYPES, selectableResourceArns } from './backup-service-policy';
import { SelectionConditions } from './selection-options';
import { TagCondition, checkExcludeResources, checkNoContradiction, checkTagConditions } from '../validation/selection';

/** What the tag selection is made of: `selectionTags` (exact), the other conditions, the excluded ARNs. */
export interface TagSelectionInputs {
  readonly tags: Record<string, string>;
  readonly conditions?: SelectionConditions;
  readonly excludeResources?: readonly string[];
}

/** The CloudFormation operator of each condition prop, in the order they are rendered. */
const OPERATORS = [
  ['StringLike', 'stringLike'],
  ['StringNotEquals', 'stringNotEquals'],
  ['StringNotLike', 'stringNotLike'],
] as const;

/** Every condition of the selection, `selectionTags` first, each named by the prop it came from. */
export function tagConditions(inputs: TagSelectionInputs): TagCondition[] {
  const of = (prop: string, record: Record<string, string> | undefined) =>
    Object.entries(record ?? {}).map(([key, value]) => ({ prop, key, value }));
  return [
    ...of('selectionTags', inputs.tags),
    ...OPERATORS.flatMap(([, prop]) => of(`selectionConditions.${prop}`, inputs.conditions?.[prop])),
  ];
}

/** Whether some condition selects (rather than excludes): without one, every resource of the role's types is selected. */
export function hasPositiveCondition(inputs: TagSelectionInputs): boolean {
  return Object.keys(inputs.tags).length > 0 || Object.keys(inputs.conditions?.stringLike ?? {}).length > 0;
}

/** The synth-time rules of the selection's props. */
export function checkTagSelection(system: Construct, inputs: TagSelectionInputs): void {
  const conditions = tagConditions(inputs);
  checkTagConditions(system, conditions);
  checkNoContradiction(system, inputs.tags, inputs.conditions?.stringNotEquals ?? {});
  checkExcludeResources(system, inputs.excludeResources ?? [], conditions.length > 0);
}

/**
 * The selection of every resource meeting all the tag conditions (AND), limited to the types
 * the backup role can back up and restore (`extraResources`: the ARN patterns of additional
 * types), minus `excludeResources`. Undefined when there is
 * no tag condition at all. Created as `TagSelection` in `system`'s scope: its logical ID is
 * public API, and with only `selectionTags` set its output is what it has always been.
 */
export function createTagSelection(
  system: Construct, plan: backup.IBackupPlan, role: iam.IRole, inputs: TagSelectionInputs, extraResources: string[] = [],
): backup.CfnBackupSelection | undefined {
  if (tagConditions(inputs).length === 0) return undefined;
  const rendered = (record: Record<string, string> | undefined) =>
    Object.entries(record ?? {}).map(([key, value]) => ({ ConditionKey: `aws:ResourceTag/${key}`, ConditionValue: value }));
  // Conditions combine with AND (ListOfTags would be OR). aws-cdk-lib passes this property
  // through verbatim, so it is written in CloudFormation's PascalCase; empty operators are left out.
  const conditions: Record<string, unknown> = {};
  if (Object.keys(inputs.tags).length > 0) conditions.StringEquals = rendered(inputs.tags);
  for (const [operator, prop] of OPERATORS) {
    const entries = rendered(inputs.conditions?.[prop]);
    if (entries.length > 0) conditions[operator] = entries;
  }
  const exclude = inputs.excludeResources ?? [];
  return new backup.CfnBackupSelection(system, 'TagSelection', {
    backupPlanId: plan.backupPlanId,
    backupSelection: {
      selectionName: 'tagged',
      iamRoleArn: role.roleArn,
      // Only the types the backup role can back up and restore (never '*').
      resources: [...selectableResourceArns(Stack.of(system), ALL_PROTECTED_RESOURCE_TYPES), ...extraResources],
      notResources: exclude.length > 0 ? [...exclude] : undefined,
      conditions,
    },
  });
}

/**
 * The one tag that scopes the audit controls evaluating protected resources, and why that
 * scope is wider than the selection when it is.
 *
 * An Audit Manager control scope takes a single tag key and value, matched exactly
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/controls-and-remediation.html, "Tagged
 * resources"); it cannot say "like", "not" or "except these ARNs". The choice: the scope is the
 * narrowest single-tag scope that still contains every selected resource, so that no resource
 * the plan claims to protect escapes the audit. It may contain more (resources that an opt-out
 * condition or excludeResources leaves out, or that fail a pattern), which the controls then
 * report as not protected: an auditor sees too much, never too little.
 * - `selectionTags` set: its first tag (every selected resource carries it).
 * - else a `stringLike` condition without `*`: that tag (it is an exact match).
 * - else no tag scope: every resource of the evaluated types in the account and region.
 */
export function auditScopeOfSelection(inputs: TagSelectionInputs): { tag?: { key: string; value: string }; widenedBy: string[] } {
  const exact = Object.entries(inputs.tags)[0]
    ?? Object.entries(inputs.conditions?.stringLike ?? {}).find(([, value]) => !value.includes('*'));
  const tag = exact ? { key: exact[0], value: exact[1] } : undefined;
  const widenedBy: string[] = [];
  const like = Object.entries(inputs.conditions?.stringLike ?? {}).filter(([key, value]) => !(tag && key === tag.key && value === tag.value));
  if (like.length > 0) widenedBy.push('selectionConditions.stringLike');
  if (Object.keys(inputs.conditions?.stringNotEquals ?? {}).length > 0) widenedBy.push('selectionConditions.stringNotEquals');
  if (Object.keys(inputs.conditions?.stringNotLike ?? {}).length > 0) widenedBy.push('selectionConditions.stringNotLike');
  if ((inputs.excludeResources ?? []).length > 0) widenedBy.push('excludeResources');
  return { tag, widenedBy };
}
