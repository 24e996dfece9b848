import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { AuditedVault, BackupTier, CompliantBackupSystem, CompliantBackupSystemProps } from '../../src';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
const SYSTEM_TAG = 'compliant-backup:system';
const DR_ARN = 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr';
const OTHER_ARN = 'arn:aws:backup:eu-west-1:222222222222:backup-vault:offsite';

function systemStack(props: CompliantBackupSystemProps = {}, stackName = 'Tiers') {
  const stack = new Stack(testApp(), stackName, { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', props);
  return { stack, system };
}

function plan(template: Template): any {
  const plans = Object.values(template.findResources('AWS::Backup::BackupPlan')) as any[];
  expect(plans).toHaveLength(1);
  return plans[0].Properties;
}

/** The rendered rule named `name` (exactly one). */
function rule(template: Template, name: string): any {
  const rules = plan(template).BackupPlan.BackupPlanRule.filter((r: any) => r.RuleName === name);
  expect(rules).toHaveLength(1);
  return rules[0];
}

/** The system tag value, as the plan carries it. */
function systemTag(template: Template): string {
  const value = plan(template).BackupPlanTags[SYSTEM_TAG];
  expect(value).toMatch(/^[A-Za-z0-9-]+$/);
  return value;
}

function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function control(template: Template, name: string): any {
  const [framework] = Object.values(template.findResources('AWS::Backup::Framework')) as any[];
  return framework.Properties.FrameworkControls.find((c: any) => c.ControlName === name);
}

function parameters(c: any): Record<string, string> {
  return Object.fromEntries((c?.ControlInputParameters ?? []).map((p: any) => [p.ParameterName, p.ParameterValue]));
}

describe('tier presets render one backup rule each', () => {
  const { stack } = systemStack({
    tiers: [BackupTier.hourly(), BackupTier.daily(), BackupTier.weekly(), BackupTier.monthly(), BackupTier.continuous()],
  });
  const template = Template.fromStack(stack);
  const tag = systemTag(template);
  const primary = { Ref: logicalId(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault') };
  const expected = (name: string, cron: string, days: number) => ({
    RuleName: name,
    ScheduleExpression: cron,
    StartWindowMinutes: 60,
    CompletionWindowMinutes: 480,
    Lifecycle: { DeleteAfterDays: days },
    RecoveryPointTags: { BackupTier: name, [SYSTEM_TAG]: tag },
    TargetBackupVault: primary,
  });

  test('one plan with five rules, in declaration order', () => {
    template.resourceCountIs('AWS::Backup::BackupPlan', 1);
    expect(plan(template).BackupPlan.BackupPlanRule.map((r: any) => r.RuleName))
      .toEqual(['hourly', 'daily', 'weekly', 'monthly', 'continuous']);
  });

  test('hourly: every hour on the hour, kept 7 days', () => {
    expect(rule(template, 'hourly')).toEqual(expected('hourly', 'cron(0 * * * ? *)', 7));
  });

  test('daily: 05:00 UTC, kept 35 days', () => {
    expect(rule(template, 'daily')).toEqual(expected('daily', 'cron(0 5 * * ? *)', 35));
  });

  test('weekly: Sundays 05:00 UTC, kept 90 days', () => {
    expect(rule(template, 'weekly')).toEqual(expected('weekly', 'cron(0 5 ? * SUN *)', 90));
  });

  test('monthly: the first at 05:00 UTC, kept 365 days', () => {
    expect(rule(template, 'monthly')).toEqual(expected('monthly', 'cron(0 5 1 * ? *)', 365));
  });

  test('continuous: point-in-time recovery enabled, daily snapshot, kept 35 days', () => {
    expect(rule(template, 'continuous')).toEqual({ ...expected('continuous', 'cron(0 5 * * ? *)', 35), EnableContinuousBackup: true });
  });

  test('only the continuous tier enables continuous backup; no tier has copies or a time zone', () => {
    for (const r of plan(template).BackupPlan.BackupPlanRule) {
      if (r.RuleName !== 'continuous') expect(r.EnableContinuousBackup).toBeUndefined();
      expect(r.CopyActions).toBeUndefined();
      expect(r.ScheduleExpressionTimezone).toBeUndefined();
    }
  });

  test('the plan, the vault and every recovery point carry the same system tag', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultTags: { [SYSTEM_TAG]: tag } });
    for (const r of plan(template).BackupPlan.BackupPlanRule) expect(r.RecoveryPointTags[SYSTEM_TAG]).toBe(tag);
  });
});

describe('default tiers and plan name', () => {
  test('without tiers: one daily tier kept 35 days; the plan name is derived from the construct path', () => {
    const { stack } = systemStack({}, 'Defaults');
    const template = Template.fromStack(stack);
    const rules = plan(template).BackupPlan.BackupPlanRule;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ RuleName: 'daily', ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } });
    expect(plan(template).BackupPlan.BackupPlanName).toMatch(/^Defaults-Backups-[0-9A-F]{8}$/);
  });

  test('planName is used as given', () => {
    const { stack } = systemStack({ planName: 'ledger-backups' }, 'Named');
    expect(plan(Template.fromStack(stack)).BackupPlan.BackupPlanName).toBe('ledger-backups');
  });
});

describe('tier options', () => {
  const stack = new Stack(testApp(), 'Options', { env: ENV });
  new CompliantBackupSystem(stack, 'Backups', {
    tiers: [
      BackupTier.daily({
        name: 'berlin',
        scheduleTimeZone: 'Europe/Berlin',
        schedule: events.Schedule.cron({ minute: '30', hour: '2' }),
        startWindow: Duration.hours(2),
        completionWindow: Duration.hours(12),
        recoveryPointTags: { team: 'ledger' },
      }),
      // Copies inherit the tier's whole lifecycle, cold storage included, when neither copy prop is set.
      BackupTier.daily({
        name: 'inherit',
        retention: Duration.days(400),
        moveToColdStorageAfter: Duration.days(30),
        copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN)],
      }),
    ],
  });
  const template = Template.fromStack(stack);

  test('scheduleTimeZone becomes ScheduleExpressionTimezone; windows in minutes', () => {
    expect(rule(template, 'berlin')).toMatchObject({
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      StartWindowMinutes: 120,
      CompletionWindowMinutes: 720,
    });
  });

  test('custom recovery point tags replace the BackupTier tag; the system tag is always added', () => {
    expect(rule(template, 'berlin').RecoveryPointTags).toEqual({ team: 'ledger', [SYSTEM_TAG]: systemTag(template) });
  });

  test('cold storage is rendered in the tier lifecycle and inherited by its copies', () => {
    const r = rule(template, 'inherit');
    expect(r.Lifecycle).toEqual({ DeleteAfterDays: 400, MoveToColdStorageAfterDays: 30 });
    expect(r.CopyActions).toEqual([{ DestinationBackupVaultArn: DR_ARN, Lifecycle: { DeleteAfterDays: 400, MoveToColdStorageAfterDays: 30 } }]);
  });
});

describe('copyTo', () => {
  let template: Template;
  beforeAll(() => {
    const stack = new Stack(testApp(), 'Copies', { env: ENV });
    const dr = AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN);
    const other = AuditedVault.fromVaultArn(stack, 'Other', OTHER_ARN);
    new CompliantBackupSystem(stack, 'Backups', {
      tiers: [
        BackupTier.daily({ name: 'inherit', copyTo: [dr] }),
        BackupTier.daily({ name: 'exact', retention: Duration.days(400), moveToColdStorageAfter: Duration.days(30), copyTo: [dr], copyRetention: Duration.days(60) }),
        BackupTier.daily({
          name: 'both', copyTo: [dr, other], copyRetention: Duration.days(200), copyMoveToColdStorageAfter: Duration.days(30),
        }),
      ],
    });
    template = Template.fromStack(stack);
  });

  test('neither copy prop: the copy inherits the tier lifecycle', () => {
    expect(rule(template, 'inherit').CopyActions).toEqual([{ DestinationBackupVaultArn: DR_ARN, Lifecycle: { DeleteAfterDays: 35 } }]);
  });

  test('copyRetention alone: the copy lifecycle is exactly that, without the tier cold storage', () => {
    const r = rule(template, 'exact');
    expect(r.Lifecycle).toEqual({ DeleteAfterDays: 400, MoveToColdStorageAfterDays: 30 });
    expect(r.CopyActions).toEqual([{ DestinationBackupVaultArn: DR_ARN, Lifecycle: { DeleteAfterDays: 60 } }]);
  });

  test('copyMoveToColdStorageAfter alone is rejected: the copies would be kept forever without a word', () => {
    const stack = new Stack(testApp(), 'ColdOnly', { env: ENV });
    const dr = AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN);
    expect(() => new CompliantBackupSystem(stack, 'Backups', {
      tiers: [BackupTier.daily({ name: 'cold-only', copyTo: [dr], copyMoveToColdStorageAfter: Duration.days(10) })],
    })).toThrow('ColdOnly/Backups: tiers[0].copyRetention is undefined; with tiers[0].copyMoveToColdStorageAfter set (10 days), copies '
      + 'would be kept forever: set copyRetention too (at least copyMoveToColdStorageAfter + 90 days)');
  });

  test('both copy props and two destinations: one copy action each, same lifecycle', () => {
    const lifecycle = { DeleteAfterDays: 200, MoveToColdStorageAfterDays: 30 };
    expect(rule(template, 'both').CopyActions).toEqual([
      { DestinationBackupVaultArn: DR_ARN, Lifecycle: lifecycle },
      { DestinationBackupVaultArn: OTHER_ARN, Lifecycle: lifecycle },
    ]);
  });

  test('a vault created in the same app is a copy destination too (its ARN is a token)', () => {
    const stack = new Stack(testApp(), 'LocalCopy', { env: ENV });
    const archive = new AuditedVault(stack, 'Archive', { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650) } });
    new CompliantBackupSystem(stack, 'Backups', { tiers: [BackupTier.daily({ copyTo: [archive] })] });
    const t = Template.fromStack(stack);
    expect(rule(t, 'daily').CopyActions).toEqual([{
      DestinationBackupVaultArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::Backup::BackupVault', 'Archive'), 'BackupVaultArn'] },
      Lifecycle: { DeleteAfterDays: 35 },
    }]);
  });
});

describe('air-gapped tiers', () => {
  const { stack, system } = systemStack({ tiers: [BackupTier.daily(), BackupTier.monthly({ airGapped: true })] }, 'AirGap');
  const template = Template.fromStack(stack);

  test('a logically air-gapped vault is created, locked 7 days to the longest air-gapped tier', () => {
    template.resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 1);
    template.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', { MinRetentionDays: 7, MaxRetentionDays: 365 });
    expect(system.airGappedVault?.airGapped).toBe(true);
  });

  test('the air-gapped tier targets it with TargetLogicallyAirGappedBackupVaultArn, keeping the primary vault as TargetBackupVault', () => {
    const agId = logicalId(template, 'AWS::Backup::LogicallyAirGappedBackupVault', 'BackupsAirGappedVault');
    const r = rule(template, 'monthly');
    expect(r.TargetLogicallyAirGappedBackupVaultArn).toEqual({ 'Fn::GetAtt': [agId, 'BackupVaultArn'] });
    expect(r.TargetBackupVault).toEqual({ Ref: logicalId(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault') });
    expect(rule(template, 'daily').TargetLogicallyAirGappedBackupVaultArn).toBeUndefined();
  });

  test('no air-gapped tier, no air-gapped vault', () => {
    const { stack: plain, system: plainSystem } = systemStack({}, 'NoAirGap');
    Template.fromStack(plain).resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 0);
    expect(plainSystem.airGappedVault).toBeUndefined();
  });

  test('airGappedVault: true creates the vault up front, so addTier() can add an air-gapped tier', () => {
    const { stack: s, system: sys } = systemStack({ tiers: [BackupTier.hourly()], airGappedVault: true }, 'AirGapLater');
    sys.addTier(BackupTier.daily({ name: 'vaulted', retention: Duration.days(400), airGapped: true }));
    const t = Template.fromStack(s);
    // With no air-gapped tier at construction, the lock leaves room for tiers added later.
    t.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', { MinRetentionDays: 7, MaxRetentionDays: 36500 });
    expect(rule(t, 'vaulted').TargetLogicallyAirGappedBackupVaultArn).toEqual({
      'Fn::GetAtt': [logicalId(t, 'AWS::Backup::LogicallyAirGappedBackupVault', 'BackupsAirGappedVault'), 'BackupVaultArn'],
    });
  });
});

describe('addTier() after construction', () => {
  const before = Template.fromStack(systemStack({}, 'Before').stack);
  const { stack, system } = systemStack({}, 'After');
  system.addTier(BackupTier.monthly());
  const after = Template.fromStack(stack);

  test('adds a rule to the same plan', () => {
    expect(plan(after).BackupPlan.BackupPlanRule.map((r: any) => r.RuleName)).toEqual(['daily', 'monthly']);
    expect(rule(after, 'monthly')).toMatchObject({ Lifecycle: { DeleteAfterDays: 365 }, RecoveryPointTags: { [SYSTEM_TAG]: systemTag(after) } });
  });

  test('the framework follows: the frequency-and-retention control now reads the longest-kept tier', () => {
    expect(parameters(control(before, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK'))).toEqual({
      requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '35',
    });
    expect(parameters(control(after, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK'))).toEqual({
      requiredFrequencyUnit: 'days', requiredFrequencyValue: '31', requiredRetentionDays: '365',
    });
    // The shortest retention and the most frequent tier did not change.
    expect(parameters(control(after, 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK'))).toEqual({ requiredRetentionDays: '35' });
  });

  test('copyCadence() reports the most frequent tier copying into a vault, its longest gap and its windows', () => {
    const { stack: s, system: sys } = systemStack({}, 'Cadence');
    const dr = AuditedVault.fromVaultArn(s, 'Dr', DR_ARN);
    expect(sys.copyCadence(dr)).toBeUndefined();
    sys.addTier(BackupTier.monthly({ copyTo: [dr] }));
    sys.addTier(BackupTier.weekly({ copyTo: [dr] }));
    const cadence = sys.copyCadence(dr)!;
    expect(cadence.tierName).toBe('weekly');
    expect(cadence.interval.toDays()).toBe(7);
    expect(cadence.worstCaseAge.toHours()).toBe(7 * 24 + 1 + 8);
  });

  test('a tier added with copyTo another region adds the cross-region control', () => {
    const { stack: s, system: sys } = systemStack({}, 'AddCopy');
    sys.addTier(BackupTier.weekly({ copyTo: [AuditedVault.fromVaultArn(s, 'Dr', DR_ARN)] }));
    const t = Template.fromStack(s);
    expect(rule(t, 'weekly').CopyActions).toEqual([{ DestinationBackupVaultArn: DR_ARN, Lifecycle: { DeleteAfterDays: 90 } }]);
    expect(parameters(control(t, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION'))).toEqual({ crossRegionList: 'us-west-2' });
  });
});
