import { PolicyInheritance, RegionsOperator } from './organization-options';

/**
 * Renders an AWS Organizations BACKUP_POLICY document (AWS Organizations User Guide,
 * "Backup policy syntax and examples"). Pure functions over plain values: the
 * construct turns tiers into `PolicyRule`s, this file only writes the syntax.
 *
 * Every value is written with `@@assign`, as strings (the documented examples write
 * numbers and booleans as strings); `regions` may use `@@append`. The child-control
 * operator goes on every node of the plan, as in AWS's examples 3 and 4.
 */

/** A lifecycle in days. */
export interface PolicyLifecycle {
  readonly deleteAfterDays?: number;
  readonly moveToColdStorageAfterDays?: number;
}

/** One copy action. */
export interface PolicyCopyAction {
  /** Literal ARN; `$account` stands for the member account. */
  readonly targetVaultArn: string;
  readonly lifecycle: PolicyLifecycle;
}

/** One backup rule of the plan (one tier). */
export interface PolicyRule {
  readonly name: string;
  readonly scheduleExpression: string;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
  readonly continuous: boolean;
  readonly lifecycle: PolicyLifecycle;
  /** `arn:<partition>:backup:$region:$account:backup-vault:<name>` when the tier is air-gapped. */
  readonly airGappedVaultArn?: string;
  readonly copyActions: readonly PolicyCopyAction[];
  readonly recoveryPointTags: Record<string, string>;
}

/** Everything one plan of the document needs. */
export interface PolicyInputs {
  readonly planName: string;
  readonly regions: readonly string[];
  readonly regionsOperator: RegionsOperator;
  readonly targetVaultName: string;
  /** `arn:<partition>:iam::$account:role/<name>`. */
  readonly roleArn: string;
  readonly rules: readonly PolicyRule[];
  /** AND: the first becomes `tag_key`/`tag_value`, the others `conditions.string_equals`. */
  readonly selectionTags: Record<string, string>;
  readonly planTags: Record<string, string>;
  readonly inheritance: PolicyInheritance;
  /** `advanced_backup_settings.ec2.windows_vss`. */
  readonly windowsVss?: boolean;
}

/** The child-control key. */
export const CHILD_CONTROL = '@@operators_allowed_for_child_policies';
/** Every operator the renderer writes: AWS's value-setting and child-control operators. */
export const DOCUMENTED_OPERATORS = ['@@assign', '@@append', '@@remove', CHILD_CONTROL] as const;

const assign = (value: unknown) => ({ '@@assign': value });

/** A map key the policy language accepts for named elements (rules, tags, conditions). */
export function policyKey(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function lifecycle(l: PolicyLifecycle): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (l.moveToColdStorageAfterDays !== undefined) out.move_to_cold_storage_after_days = assign(String(l.moveToColdStorageAfterDays));
  if (l.deleteAfterDays !== undefined) out.delete_after_days = assign(String(l.deleteAfterDays));
  return Object.keys(out).length > 0 ? out : undefined;
}

function tagBlock(tags: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [policyKey(key), {
    tag_key: assign(key),
    tag_value: assign(value),
  }]));
}

function renderRule(rule: PolicyRule, vaultName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    schedule_expression: assign(rule.scheduleExpression),
    start_backup_window_minutes: assign(String(rule.startWindowMinutes)),
    complete_backup_window_minutes: assign(String(rule.completionWindowMinutes)),
    target_backup_vault_name: assign(vaultName),
  };
  if (rule.airGappedVaultArn) out.target_logically_air_gapped_backup_vault_arn = assign(rule.airGappedVaultArn);
  if (rule.continuous) out.enable_continuous_backup = assign('true');
  const l = lifecycle(rule.lifecycle);
  if (l) out.lifecycle = l;
  if (rule.copyActions.length > 0) {
    // The documented examples key each copy action by its target ARN.
    out.copy_actions = Object.fromEntries(rule.copyActions.map((c) => {
      const action: Record<string, unknown> = { target_backup_vault_arn: assign(c.targetVaultArn) };
      const cl = lifecycle(c.lifecycle);
      if (cl) action.lifecycle = cl;
      return [c.targetVaultArn, action];
    }));
  }
  if (Object.keys(rule.recoveryPointTags).length > 0) out.recovery_point_tags = tagBlock(rule.recoveryPointTags);
  return out;
}

function renderSelection(inputs: PolicyInputs): Record<string, unknown> {
  const [[firstKey, firstValue], ...others] = Object.entries(inputs.selectionTags);
  const selection: Record<string, unknown> = {
    iam_role_arn: assign(inputs.roleArn),
    tag_key: assign(firstKey),
    tag_value: assign([firstValue]),
  };
  if (others.length > 0) {
    selection.conditions = {
      string_equals: Object.fromEntries(others.map(([key, value]) => [policyKey(`tag_${key}`), {
        condition_key: assign(`aws:ResourceTag/${key}`),
        condition_value: assign(value),
      }])),
    };
  }
  return { tags: { [policyKey(inputs.planName)]: selection } };
}

/** Adds the child-control operator to every object node below (and including) `node`, never inside an operator's value. */
function control(node: unknown, operators: readonly string[]): unknown {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: Record<string, unknown> = { [CHILD_CONTROL]: [...operators] };
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    out[key] = key.startsWith('@@') ? value : control(value, operators);
  }
  return out;
}

/** The plan's document. */
export function renderBackupPolicy(inputs: PolicyInputs): Record<string, unknown> {
  const plan: Record<string, unknown> = {
    regions: { [inputs.regionsOperator === RegionsOperator.APPEND ? '@@append' : '@@assign']: [...inputs.regions] },
    rules: Object.fromEntries(inputs.rules.map((r) => [r.name, renderRule(r, inputs.targetVaultName)])),
    selections: renderSelection(inputs),
  };
  if (Object.keys(inputs.planTags).length > 0) plan.backup_plan_tags = tagBlock(inputs.planTags);
  if (inputs.windowsVss !== undefined) {
    plan.advanced_backup_settings = { ec2: { windows_vss: assign(inputs.windowsVss ? 'enabled' : 'disabled') } };
  }

  switch (inputs.inheritance) {
    case PolicyInheritance.LOCKED:
      return { plans: { [CHILD_CONTROL]: ['@@append'], [inputs.planName]: control(plan, ['@@none']) } };
    case PolicyInheritance.LOCKED_NO_OTHER_PLANS:
      return { plans: { [CHILD_CONTROL]: ['@@none'], [inputs.planName]: control(plan, ['@@none']) } };
    case PolicyInheritance.APPEND_ONLY:
      return { plans: { [CHILD_CONTROL]: ['@@append'], [inputs.planName]: control(plan, ['@@append']) } };
    default:
      return { plans: { [inputs.planName]: plan } };
  }
}

/** The size AWS Organizations counts: the document as compact JSON. */
export function policyCharacters(document: unknown): number {
  return JSON.stringify(document).length;
}
