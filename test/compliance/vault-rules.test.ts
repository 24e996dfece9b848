import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { AuditedVault, AuditedVaultProps } from '../../src';
import { ComplianceRuleError } from '../../src/validation/errors';
import { testApp } from '../support/compliance';

function create(props: AuditedVaultProps): () => AuditedVault {
  const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  return () => new AuditedVault(stack, 'Vault', props);
}

const airGapLock = { minRetention: Duration.days(7), maxRetention: Duration.days(365) };

// One test per vault rule: each names the construct path, the prop, the value and what is allowed.
describe('AuditedVault synth-time rules', () => {
  test('vault name pattern', () => {
    expect(create({ vaultName: 'bad name!' })).toThrow(ComplianceRuleError);
    expect(create({ vaultName: 'bad name!' })).toThrow(
      "S/Vault: vaultName is 'bad name!'; a backup vault name is 2-50 characters: letters, digits, hyphens and underscores");
    expect(create({ vaultName: 'x'.repeat(51) })).toThrow(/vaultName is 'x{51}'/);
  });

  test('lock minimum retention is at least 1 day', () => {
    expect(create({ vaultLock: { minRetention: Duration.days(0) } })).toThrow(
      'S/Vault: vaultLock.minRetention is 0 days; the minimum retention of a vault lock is at least 1 day');
  });

  test('lock retention is counted in whole days', () => {
    expect(create({ vaultLock: { minRetention: Duration.hours(36) } })).toThrow(
      'S/Vault: vaultLock.minRetention is 1 day 12 hours; AWS Backup counts retention in whole days (use Duration.days())');
  });

  test('lock maximum retention is at most 36500 days', () => {
    expect(create({ vaultLock: { minRetention: Duration.days(1), maxRetention: Duration.days(36501) } })).toThrow(
      'S/Vault: vaultLock.maxRetention is 36501 days; vault lock retention is at most 36500 days');
  });

  test('lock minimum retention is at most 36500 days', () => {
    expect(create({ vaultLock: { minRetention: Duration.days(40000) } })).toThrow(
      'S/Vault: vaultLock.minRetention is 40000 days; vault lock retention is at most 36500 days');
  });

  test('lock minimum does not exceed the maximum', () => {
    expect(create({ vaultLock: { minRetention: Duration.days(30), maxRetention: Duration.days(7) } })).toThrow(
      'S/Vault: vaultLock.maxRetention is 7 days; it must be at least vaultLock.minRetention (30 days)');
  });

  test('compliance mode needs at least 72 hours to change its mind', () => {
    expect(create({ vaultLock: { minRetention: Duration.days(1), changeableFor: Duration.hours(48) } })).toThrow(
      'S/Vault: vaultLock.changeableFor is 2 days; compliance mode needs a grace time of at least 72 hours (3 days) before the lock becomes immutable');
    expect(create({ vaultLock: { minRetention: Duration.days(1), changeableFor: Duration.hours(72) } })).not.toThrow();
  });

  test('an air-gapped vault needs a vault lock', () => {
    expect(create({ airGapped: true })).toThrow(
      'S/Vault: vaultLock is undefined; a logically air-gapped vault needs vaultLock with minRetention (at least 7 days) and maxRetention');
  });

  test('an air-gapped vault needs a minimum retention of at least 7 days', () => {
    expect(create({ airGapped: true, vaultLock: { minRetention: Duration.days(6), maxRetention: Duration.days(30) } })).toThrow(
      'S/Vault: vaultLock.minRetention is 6 days; a logically air-gapped vault needs a minimum retention of at least 7 days');
  });

  test('an air-gapped vault needs a maximum retention', () => {
    expect(create({ airGapped: true, vaultLock: { minRetention: Duration.days(7) } })).toThrow(
      'S/Vault: vaultLock.maxRetention is undefined; a logically air-gapped vault needs a maximum retention');
  });

  test('an air-gapped vault has no changeableFor (it is always compliance mode)', () => {
    expect(create({ airGapped: true, vaultLock: { ...airGapLock, changeableFor: Duration.days(3) } })).toThrow(
      'S/Vault: vaultLock.changeableFor is 3 days; a logically air-gapped vault is always locked in compliance mode; leave changeableFor unset');
  });

  test('cross-account copies name 12-digit accounts', () => {
    expect(create({ allowCopyFromAccounts: ['12345'] })).toThrow(
      "S/Vault: allowCopyFromAccounts is '12345'; each entry must be a 12-digit AWS account id");
  });

  test('organization-wide copies name an organization id', () => {
    expect(create({ allowCopyFromOrganization: 'r-abcd' })).toThrow(
      "S/Vault: allowCopyFromOrganization is 'r-abcd'; an AWS Organizations id looks like 'o-' followed by 10-32 lowercase letters or digits");
  });

  test('notification events AWS Backup no longer sends are rejected', () => {
    expect(create({ notificationEvents: [backup.BackupVaultEvents.BACKUP_JOB_FAILED] })).toThrow(
      'S/Vault: notificationEvents is [..., BACKUP_JOB_FAILED, ...]; AWS Backup no longer sends BACKUP_JOB_FAILED; use BACKUP_JOB_COMPLETED or RESTORE_JOB_COMPLETED (their message carries the state) or onBackupJobFailed()');
  });
});
