import { AppModel, ModelStack, StackInput } from '../../judges/cfn/app-model';

/**
 * What the fuzz checker reads of the synthesized templates, in one shape whatever
 * wrote it: the backup plans of `AWS::Backup::BackupPlan` resources and of AWS
 * Organizations backup policies (with the member template their StackSet deploys),
 * the vaults with their locks, and the audit frameworks. Values are read from the
 * templates as deployed (through the judges' resolver), never from the constructs.
 */

export interface VaultFacts {
  readonly where: string;
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly airGapped: boolean;
  readonly minDays?: number;
  readonly maxDays?: number;
  readonly changeableForDays?: number;
  /** A standard vault without LockConfiguration. */
  readonly unlocked: boolean;
}

export interface LifecycleFacts {
  readonly deleteAfterDays?: number;
  readonly coldAfterDays?: number;
}

export interface CopyFacts {
  readonly destinationArn: string;
  readonly lifecycle: LifecycleFacts;
}

export interface RuleFacts {
  readonly where: string;
  readonly name: string;
  readonly schedule: string;
  readonly startWindowMinutes?: number;
  readonly completionWindowMinutes?: number;
  readonly continuous: boolean;
  readonly lifecycle: LifecycleFacts;
  /** The standard vault the rule writes into, by name (in the plan's region and account). */
  readonly targetVaultName: string;
  readonly airGappedVaultArn?: string;
  readonly copies: CopyFacts[];
}

export interface PlanFacts {
  readonly where: string;
  readonly region: string;
  readonly account: string;
  readonly tags: Record<string, string>;
  readonly rules: RuleFacts[];
}

export interface ControlFacts {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  readonly scope?: { readonly key: string; readonly value: string };
}

export interface FrameworkFacts {
  readonly where: string;
  readonly region: string;
  readonly controls: ControlFacts[];
}

export interface BackupFacts {
  readonly plans: PlanFacts[];
  readonly vaults: VaultFacts[];
  readonly frameworks: FrameworkFacts[];
  /** Why a part of the app could not be read (a finding of its own). */
  readonly unreadable: string[];
}

/** The account that stands for `$account` in an organization policy's member plans. */
export const MEMBER_ACCOUNT = '000000000000';

const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v));

function vaultsOf(stack: ModelStack): VaultFacts[] {
  const out: VaultFacts[] = [];
  for (const r of stack.resources) {
    if (r.type === 'AWS::Backup::BackupVault') {
      const lock = r.props.LockConfiguration;
      out.push({
        where: `${stack.stackName}/${r.logicalId}`,
        arn: r.attr('BackupVaultArn'),
        name: r.ref,
        region: stack.region,
        airGapped: false,
        minDays: num(lock?.MinRetentionDays),
        maxDays: num(lock?.MaxRetentionDays),
        changeableForDays: num(lock?.ChangeableForDays),
        unlocked: lock === undefined,
      });
    } else if (r.type === 'AWS::Backup::LogicallyAirGappedBackupVault') {
      out.push({
        where: `${stack.stackName}/${r.logicalId}`,
        arn: r.attr('BackupVaultArn'),
        name: r.ref,
        region: stack.region,
        airGapped: true,
        minDays: num(r.props.MinRetentionDays),
        maxDays: num(r.props.MaxRetentionDays),
        unlocked: false,
      });
    }
  }
  return out;
}

function lifecycleOf(l: any): LifecycleFacts {
  return { deleteAfterDays: num(l?.DeleteAfterDays), coldAfterDays: num(l?.MoveToColdStorageAfterDays) };
}

function cfnPlans(stack: ModelStack): PlanFacts[] {
  return stack.ofType('AWS::Backup::BackupPlan').map((plan) => {
    const body = plan.props.BackupPlan ?? {};
    const where = `${stack.stackName}/${plan.logicalId}`;
    return {
      where,
      region: stack.region,
      account: stack.account,
      tags: plan.props.BackupPlanTags ?? {},
      rules: (body.BackupPlanRule ?? []).map((rule: any): RuleFacts => ({
        where: `${where} rule '${rule.RuleName}'`,
        name: String(rule.RuleName),
        schedule: String(rule.ScheduleExpression),
        startWindowMinutes: num(rule.StartWindowMinutes),
        completionWindowMinutes: num(rule.CompletionWindowMinutes),
        continuous: rule.EnableContinuousBackup === true || rule.EnableContinuousBackup === 'true',
        lifecycle: lifecycleOf(rule.Lifecycle),
        targetVaultName: String(rule.TargetBackupVault),
        airGappedVaultArn: rule.TargetLogicallyAirGappedBackupVaultArn,
        copies: (rule.CopyActions ?? []).map((c: any) => ({
          destinationArn: String(c.DestinationBackupVaultArn),
          lifecycle: lifecycleOf(c.Lifecycle),
        })),
      })),
    };
  });
}

function frameworksOf(stack: ModelStack): FrameworkFacts[] {
  return stack.ofType('AWS::Backup::Framework').map((f) => ({
    where: `${stack.stackName}/${f.logicalId}`,
    region: stack.region,
    controls: (f.props.FrameworkControls ?? []).map((c: any) => ({
      name: String(c.ControlName),
      parameters: Object.fromEntries((c.ControlInputParameters ?? []).map((p: any) => [p.ParameterName, p.ParameterValue])),
      scope: c.ControlScope?.Tags?.[0] ? { key: c.ControlScope.Tags[0].Key, value: c.ControlScope.Tags[0].Value } : undefined,
    })),
  }));
}

// --- AWS Organizations backup policies ---------------------------------------------

/** The value of a policy node: `@@assign` (or `@@append`), operators left out. */
function value(node: any): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  if ('@@assign' in node) return node['@@assign'];
  if ('@@append' in node) return node['@@append'];
  return node;
}

/** The named children of a policy node (keys that are not operators). */
function children(node: any): Array<[string, any]> {
  return Object.entries(node ?? {}).filter(([k]) => !k.startsWith('@@'));
}

function policyLifecycle(l: any): LifecycleFacts {
  return { deleteAfterDays: num(value(l?.delete_after_days)), coldAfterDays: num(value(l?.move_to_cold_storage_after_days)) };
}

const member = (text: string, region: string) => text.replace(/\$account/g, MEMBER_ACCOUNT).replace(/\$region/g, region);

/**
 * One plan per region of each plan of a BACKUP_POLICY, as AWS Backup creates it in a
 * member account, and the member template of the StackSet beside it, deployed in
 * each of the StackSet's regions (its vaults and framework).
 */
function organizationFacts(app: AppModel, out: BackupFacts): void {
  for (const policy of app.ofType('AWS::Organizations::Policy').filter((p) => p.props.Type === 'BACKUP_POLICY')) {
    const where = `${policy.stack.stackName}/${policy.logicalId}`;
    let content: any = policy.props.Content;
    if (typeof content === 'string') {
      try {
        content = JSON.parse(content);
      } catch {
        out.unreadable.push(`${where}: Content is not JSON`);
        continue;
      }
    }
    for (const [planName, plan] of children(content?.plans)) {
      const regions: string[] = value(plan.regions) ?? [];
      const tags = Object.fromEntries(children(plan.backup_plan_tags).map(([, t]) => [value(t.tag_key), value(t.tag_value)]));
      for (const region of regions) {
        out.plans.push({
          where: `${where} plan '${planName}' in ${region}`,
          region,
          account: MEMBER_ACCOUNT,
          tags,
          rules: children(plan.rules).map(([ruleName, rule]): RuleFacts => ({
            where: `${where} plan '${planName}' (${region}) rule '${ruleName}'`,
            name: ruleName,
            schedule: String(value(rule.schedule_expression)),
            startWindowMinutes: num(value(rule.start_backup_window_minutes)),
            completionWindowMinutes: num(value(rule.complete_backup_window_minutes)),
            continuous: String(value(rule.enable_continuous_backup)) === 'true',
            lifecycle: policyLifecycle(rule.lifecycle),
            targetVaultName: String(value(rule.target_backup_vault_name)),
            airGappedVaultArn: rule.target_logically_air_gapped_backup_vault_arn
              ? member(String(value(rule.target_logically_air_gapped_backup_vault_arn)), region) : undefined,
            copies: children(rule.copy_actions).map(([, c]) => ({
              destinationArn: member(String(value(c.target_backup_vault_arn)), region),
              lifecycle: policyLifecycle(c.lifecycle),
            })),
          })),
        });
      }
    }
  }
  for (const stackSet of app.ofType('AWS::CloudFormation::StackSet')) {
    const where = `${stackSet.stack.stackName}/${stackSet.logicalId}`;
    let template: any;
    try {
      template = JSON.parse(String(stackSet.props.TemplateBody));
    } catch {
      out.unreadable.push(`${where}: TemplateBody is not JSON`);
      continue;
    }
    const regions = new Set<string>((stackSet.props.StackInstancesGroup ?? []).flatMap((g: any) => g.Regions ?? []));
    for (const region of regions) {
      const memberApp = new AppModel(`${where} in ${region}`, [{
        id: 'Member', stackName: `${stackSet.props.StackSetName ?? 'member'}-${region}`, account: MEMBER_ACCOUNT, region, template,
      }]);
      for (const stack of memberApp.stacks) {
        out.vaults.push(...vaultsOf(stack));
        out.frameworks.push(...frameworksOf(stack));
      }
    }
  }
}

/** Every plan, vault and framework of the app's stacks, organization policies included. */
export function readBackupFacts(app: AppModel): BackupFacts {
  const out: BackupFacts = { plans: [], vaults: [], frameworks: [], unreadable: [] };
  for (const stack of app.stacks) {
    out.vaults.push(...vaultsOf(stack));
    out.plans.push(...cfnPlans(stack));
    out.frameworks.push(...frameworksOf(stack));
  }
  organizationFacts(app, out);
  return out;
}

/** An app model of synthesized stacks. */
export function appModelOf(name: string, stacks: StackInput[]): AppModel {
  return new AppModel(name, stacks);
}
