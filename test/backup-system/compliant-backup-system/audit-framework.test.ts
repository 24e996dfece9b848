/** CompliantBackupSystem: the Backup Audit Manager framework. */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SYSTEM_TAG, DR_ARN, EU_ARN, LOCAL_ARN, build, only, systemTagValue, controls, control, cron4h } from './fixtures';
import { AuditedVault, BackupTier, ComplianceProfile } from '../../../src';
import { VALID_CONTROL_NAMES } from '../../../src/backup-system/audit-controls';

// ---------------------------------------------------------------------------------------------

describe('audit framework', () => {
  const PLAN_CONTROLS = [
    'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
    'BACKUP_RECOVERY_POINT_ENCRYPTED', 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
  ];
  const RESOURCE_CONTROLS = [
    'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
    'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', 'BACKUP_LAST_RECOVERY_POINT_CREATED', 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
  ];
  let full: Template;
  beforeAll(() => {
    // Every control: copies across regions, a restore target, an explicit lock, two selection tags.
    full = build((stack) => ({
      tiers: [BackupTier.hourly(), BackupTier.weekly({ copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN)] })],
      selectionTags: { Backup: 'true', Tier: 'gold' },
      vault: { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(400) } },
      audit: { maxRestoreTime: Duration.hours(4), frameworkName: 'ledger_framework' },
    }), undefined, 'Full').template;
  });

  test('frameworkName is used as given; the description names the construct path', () => {
    full.hasResourceProperties('AWS::Backup::Framework', {
      FrameworkName: 'ledger_framework',
      FrameworkDescription: 'Controls derived from the backup plan of Full/Backups',
    });
  });

  test('every control name is one AWS accepts, each at most once; all nine are present here', () => {
    const names = controls(full).map((c) => c.name);
    expect(names.filter((n) => !VALID_CONTROL_NAMES.includes(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...PLAN_CONTROLS, ...RESOURCE_CONTROLS].sort());
  });

  test('every parameter value is a string; units are exactly hours or days', () => {
    for (const c of controls(full)) {
      for (const [name, value] of Object.entries(c.parameters)) {
        expect(typeof value).toBe('string');
        if (/Unit$/.test(name)) expect(['hours', 'days']).toContain(value);
      }
    }
  });

  test('plan, vault and recovery-point controls are scoped to the system tag; resource controls to the (first) selection tag', () => {
    const tag = systemTagValue(full);
    for (const c of controls(full)) {
      expect(c.tags).toHaveLength(1); // a ControlScope takes a single tag
      if (PLAN_CONTROLS.includes(c.name)) expect(c.tags).toEqual([{ Key: SYSTEM_TAG, Value: tag }]);
      else expect(c.tags).toEqual([{ Key: 'Backup', Value: 'true' }]);
    }
  });

  test('frequency and retention: the longest-kept tier (weekly, 90 days)', () => {
    expect(control(full, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'days', requiredFrequencyValue: '7', requiredRetentionDays: '90',
    });
  });

  test('frequency and retention: default daily tier', () => {
    const { template } = build();
    expect(control(template, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '35',
    });
  });

  test('frequency and retention: an every-4-hours tier kept longest is written in hours', () => {
    const { template } = build({
      tiers: [BackupTier.daily(), BackupTier.hourly({ name: 'critical', schedule: cron4h(), retention: Duration.days(400) })],
    });
    expect(control(template, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'hours', requiredFrequencyValue: '4', requiredRetentionDays: '400',
    });
  });

  test('frequency and retention: with a profile, the profile minimums (met by the archive tier)', () => {
    const { template } = build({
      profile: ComplianceProfile.custom({ name: 'Ours', minRetention: Duration.days(100), maxBackupInterval: Duration.hours(12) }),
      tiers: [BackupTier.monthly({ retention: Duration.days(3650) }), BackupTier.hourly({ name: 'archive', schedule: cron4h(), retention: Duration.days(180) })],
    });
    expect(control(template, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')?.parameters).toEqual({
      requiredFrequencyUnit: 'hours', requiredFrequencyValue: '12', requiredRetentionDays: '100',
    });
  });

  test('minimum retention: the least of every tier and every copy', () => {
    expect(control(full, 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')?.parameters).toEqual({ requiredRetentionDays: '7' });
    const { template } = build((stack) => ({
      tiers: [
        BackupTier.weekly({ copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN)], copyRetention: Duration.days(14) }),
        BackupTier.monthly(),
      ],
    }));
    expect(control(template, 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')?.parameters).toEqual({ requiredRetentionDays: '14' });
  });

  test('vault lock control: the primary vault lock bounds', () => {
    expect(control(full, 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK')?.parameters).toEqual({ minRetentionDays: '7', maxRetentionDays: '400' });
  });

  test('cross-region control: the regions tiers copy to, sorted, only when some tier copies to another region', () => {
    expect(control(full, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')?.parameters).toEqual({ crossRegionList: 'us-west-2' });
    const { template: two } = build((stack) => ({
      tiers: [BackupTier.daily({ copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN), AuditedVault.fromVaultArn(stack, 'Eu', EU_ARN)] })],
    }));
    expect(control(two, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')?.parameters).toEqual({ crossRegionList: 'eu-west-1,us-west-2' });
    const { template: local } = build((stack) => ({
      tiers: [BackupTier.daily({ copyTo: [AuditedVault.fromVaultArn(stack, 'Local', LOCAL_ARN)] })],
    }));
    expect(control(local, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')).toBeUndefined();
  });

  test('last recovery point age: the most frequent tier interval plus its windows', () => {
    // hourly: 60 + 60 (start) + 480 (completion) minutes = 10 hours.
    expect(control(full, 'BACKUP_LAST_RECOVERY_POINT_CREATED')?.parameters).toEqual({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '10' });
    // daily: 1440 + 60 + 480 minutes = 33 hours.
    expect(control(build().template, 'BACKUP_LAST_RECOVERY_POINT_CREATED')?.parameters)
      .toEqual({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '33' });
  });

  test('restore time control from audit.maxRestoreTime (minutes), absent without it', () => {
    expect(control(full, 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET')?.parameters).toEqual({ maxRestoreTime: '240' });
    expect(control(build().template, 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET')).toBeUndefined();
  });

  test('manual deletion: the roles allowed to delete are exempt', () => {
    let roleArn: string | undefined;
    const { template } = build((stack) => {
      const role = new iam.Role(stack, 'Janitor', { assumedBy: new iam.AccountRootPrincipal() });
      roleArn = role.roleArn;
      return { vault: { allowDeletionBy: [role] } };
    });
    expect(roleArn).toBeDefined();
    const [roleId] = only(template, 'AWS::IAM::Role', 'Janitor');
    expect(control(template, 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED')?.parameters).toEqual({
      principalArnList: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    expect(control(full, 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED')?.parameters).toEqual({});
  });
});
