import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuditedVault, BackupTier, CompliantBackupSystem } from '../../src';
import { AuditInputs, CONTROL, CONTROL_LIMITS, deriveControls } from '../../src/backup-system/audit-controls';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

function controls(build: (stack: Stack) => BackupTier[], env: { account?: string; region?: string } = ENV): any[] {
  const stack = new Stack(testApp(), 'Sys', { env });
  new CompliantBackupSystem(stack, 'Backups', { tiers: build(stack) });
  const framework = Object.values(Template.fromStack(stack).findResources('AWS::Backup::Framework'))[0];
  return framework.Properties.FrameworkControls;
}

const crossAccount = (cs: any[]) => cs.filter((c) => c.ControlName === CONTROL.protectedByCrossAccount);

describe('BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT is derived from the copy destinations', () => {
  test('a copy into a vault of another account (known from its ARN) adds the control, scoped like the other resource controls', () => {
    const cs = controls((stack) => [BackupTier.daily({
      copyTo: [AuditedVault.fromVaultArn(stack, 'Central', 'arn:aws:backup:us-east-1:222222222222:backup-vault:central')],
    })]);
    expect(crossAccount(cs)).toEqual([{
      ControlName: CONTROL.protectedByCrossAccount,
      ControlInputParameters: [{ ParameterName: 'crossAccountList', ParameterValue: '222222222222' }],
      ControlScope: { Tags: [{ Key: 'Backup', Value: 'true' }] },
    }]);
  });

  test('copies within the account (same or another region) add no cross-account control', () => {
    const cs = controls((stack) => [BackupTier.daily({
      copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr')],
    })]);
    expect(crossAccount(cs)).toEqual([]);
    expect(cs.map((c) => c.ControlName)).toContain(CONTROL.protectedByCrossRegion);
  });

  test('a stack without an account cannot tell its own account from the destination: no control', () => {
    const cs = controls((stack) => [BackupTier.daily({
      copyTo: [AuditedVault.fromVaultArn(stack, 'Central', 'arn:aws:backup:us-east-1:222222222222:backup-vault:central')],
    })], { region: 'us-east-1' });
    expect(crossAccount(cs)).toEqual([]);
  });

  test('deriveControls: accounts sorted and deduplicated; beyond 5 the list is left out and the omission said', () => {
    const base: AuditInputs = {
      tiers: [{ name: 'daily', retentionDays: 35, intervalMinutes: 1440, startWindowMinutes: 60, completionWindowMinutes: 480, copies: true }],
      systemTag: { key: 's', value: 'v' },
      selectionTag: { key: 'Backup', value: 'true' },
      crossRegions: [],
      deletionExemptRoleArns: [],
    };
    const two = deriveControls({ ...base, crossAccounts: ['333333333333', '222222222222', '333333333333'] });
    expect(two.controls.find((c) => c.controlName === CONTROL.protectedByCrossAccount)?.parameters)
      .toEqual({ crossAccountList: '222222222222,333333333333' });
    const six = Array.from({ length: CONTROL_LIMITS.maxCrossAccounts + 1 }, (_, i) => `${i + 1}`.repeat(12));
    const many = deriveControls({ ...base, crossAccounts: six });
    expect(many.controls.find((c) => c.controlName === CONTROL.protectedByCrossAccount)?.parameters).toEqual({});
    expect(many.omitted).toEqual([expect.stringContaining('crossAccountList left out, because copies go to 6 accounts')]);
    expect(deriveControls(base).controls.map((c) => c.controlName)).not.toContain(CONTROL.protectedByCrossAccount);
  });
});
