import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { CENTRAL_ARN, ENV, planOf, policyOf, withoutControl } from './support';
import { AuditedVault, BackupTier, PolicyInheritance, RegionsOperator } from '../../src';
import { testApp } from '../support/compliance';

const OPERATORS = new Set(['@@assign', '@@append', '@@remove', '@@operators_allowed_for_child_policies']);
/** Keys the documented syntax allows at each level (AWS Organizations, "Backup policy syntax and examples"). */
const PLAN_KEYS = new Set(['regions', 'rules', 'selections', 'advanced_backup_settings', 'backup_plan_tags', 'scan_settings']);
const RULE_KEYS = new Set(['schedule_expression', 'target_backup_vault_name', 'target_logically_air_gapped_backup_vault_arn',
  'start_backup_window_minutes', 'complete_backup_window_minutes', 'enable_continuous_backup', 'lifecycle', 'copy_actions',
  'recovery_point_tags', 'index_actions', 'scan_actions']);
const LIFECYCLE_KEYS = new Set(['move_to_cold_storage_after_days', 'delete_after_days', 'opt_in_to_archive_for_supported_resources']);

/** Every key that starts with @@ anywhere in the document. */
function operatorsIn(node: any, found = new Set<string>()): Set<string> {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('@@')) found.add(k);
      if (k !== '@@assign' && k !== '@@append') operatorsIn(v, found);
    }
  }
  return found;
}

describe('the rendered BACKUP_POLICY against the documented syntax', () => {
  const central = (stack: Stack) => AuditedVault.fromVaultArn(stack, 'Central', CENTRAL_ARN);

  test('plan, rules, lifecycle and selections use only documented keys and operators', () => {
    const { policy } = policyOf();
    const plan = withoutControl(planOf(policy));
    expect(Object.keys(plan).every((k) => PLAN_KEYS.has(k))).toBe(true);
    for (const rule of Object.values<any>(plan.rules)) {
      expect(Object.keys(rule).every((k) => RULE_KEYS.has(k))).toBe(true);
      expect(Object.keys(rule.lifecycle).every((k) => LIFECYCLE_KEYS.has(k))).toBe(true);
    }
    expect([...operatorsIn(policy.policyDocument)].every((o) => OPERATORS.has(o))).toBe(true);
    expect(plan.selections.tags).toBeDefined();
  });

  test('the default tier renders as a daily rule into the member vault, kept 35 days, selected by Backup=true through the member role', () => {
    const { policy } = policyOf();
    const plan = withoutControl(planOf(policy));
    expect(plan.regions).toEqual({ '@@assign': ['eu-west-1', 'us-east-1'] });
    expect(plan.rules.daily).toEqual({
      schedule_expression: { '@@assign': 'cron(0 5 * * ? *)' },
      start_backup_window_minutes: { '@@assign': '60' },
      complete_backup_window_minutes: { '@@assign': '480' },
      target_backup_vault_name: { '@@assign': policy.memberVaultName },
      lifecycle: { delete_after_days: { '@@assign': '35' } },
      recovery_point_tags: {
        BackupTier: { tag_key: { '@@assign': 'BackupTier' }, tag_value: { '@@assign': 'daily' } },
        compliant_backup_organization_policy: {
          tag_key: { '@@assign': 'compliant-backup:organization-policy' }, tag_value: { '@@assign': policy.policy.name },
        },
      },
    });
    const [selection] = Object.values<any>(plan.selections.tags);
    expect(selection).toEqual({
      iam_role_arn: { '@@assign': `arn:aws:iam::$account:role/${policy.memberRoleName}` },
      tag_key: { '@@assign': 'Backup' },
      tag_value: { '@@assign': ['true'] },
    });
  });

  test('every tier option the language supports maps to its element', () => {
    const stack = new Stack(testApp(), 'Mgmt', { env: ENV });
    const { policy } = policyOf({
      drRegion: 'eu-north-1',
      tiers: [
        new BackupTier({
          name: 'archive',
          schedule: events.Schedule.cron({ minute: '30', hour: '2' }),
          retention: Duration.days(400),
          moveToColdStorageAfter: Duration.days(30),
          copyTo: [central(stack)],
          copyToDr: true,
          copyRetention: Duration.days(200),
          copyMoveToColdStorageAfter: Duration.days(10),
          startWindow: Duration.hours(2),
          completionWindow: Duration.hours(10),
          recoveryPointTags: { Owner: 'platform' },
        }),
        BackupTier.continuous({ retention: Duration.days(14) }),
        BackupTier.hourly({ airGapped: true, retention: Duration.days(14) }),
      ],
    });
    const rules = withoutControl(planOf(policy)).rules;
    const archive = rules.archive;
    expect(archive.schedule_expression).toEqual({ '@@assign': 'cron(30 2 * * ? *)' });
    expect(archive.start_backup_window_minutes).toEqual({ '@@assign': '120' });
    expect(archive.complete_backup_window_minutes).toEqual({ '@@assign': '600' });
    expect(archive.lifecycle).toEqual({ move_to_cold_storage_after_days: { '@@assign': '30' }, delete_after_days: { '@@assign': '400' } });
    const drArn = `arn:aws:backup:eu-north-1:$account:backup-vault:${policy.memberVaultName}`;
    expect(archive.copy_actions).toEqual({
      [CENTRAL_ARN]: {
        target_backup_vault_arn: { '@@assign': CENTRAL_ARN },
        lifecycle: { move_to_cold_storage_after_days: { '@@assign': '10' }, delete_after_days: { '@@assign': '200' } },
      },
      [drArn]: {
        target_backup_vault_arn: { '@@assign': drArn },
        lifecycle: { move_to_cold_storage_after_days: { '@@assign': '10' }, delete_after_days: { '@@assign': '200' } },
      },
    });
    expect(archive.recovery_point_tags.Owner).toEqual({ tag_key: { '@@assign': 'Owner' }, tag_value: { '@@assign': 'platform' } });
    expect(rules.continuous.enable_continuous_backup).toEqual({ '@@assign': 'true' });
    expect(rules.hourly.target_logically_air_gapped_backup_vault_arn)
      .toEqual({ '@@assign': `arn:aws:backup:$region:$account:backup-vault:${policy.memberAirGappedVaultName}` });
    expect(rules.hourly.target_backup_vault_name).toEqual({ '@@assign': policy.memberVaultName });
    // The StackSet deploys the DR region too, so the copy has a vault to land in.
    const stackSet = Object.values<any>(Template.fromStack(policy.node.scope as Stack).findResources('AWS::CloudFormation::StackSet'))[0];
    expect(stackSet.Properties.StackInstancesGroup[0].Regions).toEqual(['eu-west-1', 'us-east-1', 'eu-north-1']);
  });

  test('copies inherit the whole tier lifecycle when no copy lifecycle is set', () => {
    const stack = new Stack(testApp(), 'Mgmt', { env: ENV });
    const { policy } = policyOf({
      tiers: [BackupTier.daily({ retention: Duration.days(200), moveToColdStorageAfter: Duration.days(30), copyTo: [central(stack)] })],
    });
    expect(withoutControl(planOf(policy)).rules.daily.copy_actions[CENTRAL_ARN].lifecycle)
      .toEqual({ move_to_cold_storage_after_days: { '@@assign': '30' }, delete_after_days: { '@@assign': '200' } });
  });

  test('several selection tags: the first is tag_key/tag_value, the others string_equals conditions (AND)', () => {
    const { policy } = policyOf({ selectionTags: { Backup: 'true', Stage: 'prod' } });
    const [selection] = Object.values<any>(withoutControl(planOf(policy)).selections.tags);
    expect(selection.conditions).toEqual({
      string_equals: { tag_Stage: { condition_key: { '@@assign': 'aws:ResourceTag/Stage' }, condition_value: { '@@assign': 'prod' } } },
    });
  });

  test('LOCKED: @@none on every node of the plan, @@append on plans (children may add plans of their own)', () => {
    const { policy } = policyOf();
    const doc = policy.policyDocument;
    expect(doc.plans['@@operators_allowed_for_child_policies']).toEqual(['@@append']);
    const nodes: any[] = [];
    const walk = (n: any) => {
      if (!n || typeof n !== 'object' || Array.isArray(n)) return;
      nodes.push(n);
      for (const [k, v] of Object.entries(n)) if (!k.startsWith('@@')) walk(v);
    };
    walk(planOf(policy));
    expect(nodes.length).toBeGreaterThan(20);
    expect(nodes.every((n) => JSON.stringify(n['@@operators_allowed_for_child_policies']) === '["@@none"]')).toBe(true);
  });

  test.each([
    [PolicyInheritance.LOCKED_NO_OTHER_PLANS, ['@@none'], ['@@none']],
    [PolicyInheritance.APPEND_ONLY, ['@@append'], ['@@append']],
  ])('%s', (inheritance, plansLevel, planLevel) => {
    const { policy } = policyOf({ inheritance });
    expect(policy.policyDocument.plans['@@operators_allowed_for_child_policies']).toEqual(plansLevel);
    expect(planOf(policy)['@@operators_allowed_for_child_policies']).toEqual(planLevel);
    expect(planOf(policy).rules.daily.lifecycle['@@operators_allowed_for_child_policies']).toEqual(planLevel);
  });

  test('OPEN writes no child-control operator; APPEND regions use @@append', () => {
    const { policy } = policyOf({ inheritance: PolicyInheritance.OPEN, regionsOperator: RegionsOperator.APPEND });
    expect(operatorsIn(policy.policyDocument)).toEqual(new Set(['@@append', '@@assign']));
    expect(planOf(policy).regions).toEqual({ '@@append': ['eu-west-1', 'us-east-1'] });
  });

  test('windows_vss in advanced_backup_settings', () => {
    const { policy } = policyOf({ windowsVss: true, inheritance: PolicyInheritance.OPEN });
    expect(planOf(policy).advanced_backup_settings).toEqual({ ec2: { windows_vss: { '@@assign': 'enabled' } } });
  });

  test('the policy resource: BACKUP_POLICY, the document as JSON object, attached to the targets', () => {
    const { stack, policy } = policyOf();
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'BACKUP_POLICY',
      Content: policy.policyDocument,
      TargetIds: ['ou-ab12-11111111'],
    });
  });
});
