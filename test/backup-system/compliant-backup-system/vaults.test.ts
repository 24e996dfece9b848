/** CompliantBackupSystem: its vaults. */
import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { ENV, build, only } from './fixtures';
import { AuditedVault, BackupTier, ComplianceProfile, CompliantBackupSystem, CompliantBackupSystemProps } from '../../../src';
import { testApp } from '../../support/compliance';

// ---------------------------------------------------------------------------------------------

describe('vaults', () => {
  test('the primary vault is an AuditedVault locked (governance) to the shortest tier retention', () => {
    const { system, template } = build({ tiers: [BackupTier.daily({ retention: Duration.days(400) }), BackupTier.hourly()] });
    const [, vault] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 7 });
    expect(system.primaryVault.lockMode).toBe('GOVERNANCE');
    expect(AuditedVault.isAuditedVault(system.primaryVault)).toBe(true);
    expect(vault.DeletionPolicy).toBe('Retain');
  });

  test('a profile asking for compliance mode (SOX) gets a compliance-mode lock with a 72-hour grace time', () => {
    const { system, template } = build({ profile: ComplianceProfile.sox(), tiers: [BackupTier.daily({ retention: Duration.days(2555) })] });
    const [, vault] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 2555, ChangeableForDays: 3 });
    expect(system.primaryVault.lockMode).toBe('COMPLIANCE');
  });

  test('vault props pass through: name and an explicit lock', () => {
    const { template } = build({
      vault: { vaultName: 'ledger-vault', vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(400) } },
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'ledger-vault',
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 400 },
    });
  });

  test('the primary vault notifies the alarm topic', () => {
    const { template } = build();
    const [topicId] = only(template, 'AWS::SNS::Topic', 'BackupsAlarmTopic');
    template.hasResourceProperties('AWS::Backup::BackupVault', { Notifications: Match.objectLike({ SNSTopicArn: { Ref: topicId } }) });
  });

  describe('every retention is checked against the lock of the vault it lands in', () => {
    function construct(props: (stack: Stack) => CompliantBackupSystemProps): () => CompliantBackupSystem {
      const stack = new Stack(testApp(), 'Lock', { env: ENV });
      return () => new CompliantBackupSystem(stack, 'Backups', props(stack));
    }

    test('tier retention above the primary vault maximum', () => {
      expect(construct(() => ({
        tiers: [BackupTier.daily(), BackupTier.monthly()],
        vault: { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(100) } },
      }))).toThrow("Lock/Backups: tiers['monthly'].retention is 365 days; the primary vault Lock/Backups/PrimaryVault "
        + 'is locked with a maximum retention of 100 days');
    });

    test('tier retention below the primary vault minimum', () => {
      expect(construct(() => ({ tiers: [BackupTier.hourly()], vault: { vaultLock: { minRetention: Duration.days(30) } } })))
        .toThrow("Lock/Backups: tiers['hourly'].retention is 7 days; the primary vault Lock/Backups/PrimaryVault "
          + 'is locked with a minimum retention of 30 days');
    });

    test('a tier added later below the default lock (the shortest initial tier)', () => {
      const stack = new Stack(testApp(), 'Lock', { env: ENV });
      const system = new CompliantBackupSystem(stack, 'Backups');
      expect(() => system.addTier(BackupTier.hourly())).toThrow("Lock/Backups: tiers['hourly'].retention is 7 days; "
        + 'the primary vault Lock/Backups/PrimaryVault is locked with a minimum retention of 35 days');
    });

    test('an air-gapped tier below the air-gapped vault minimum of 7 days', () => {
      expect(construct(() => ({ tiers: [BackupTier.hourly({ retention: Duration.days(3), airGapped: true })] })))
        .toThrow("Lock/Backups: tiers['hourly'].retention is 3 days; the air-gapped vault Lock/Backups/AirGappedVault "
          + 'is locked with a minimum retention of 7 days');
    });

    test('copy retention below the destination vault minimum', () => {
      expect(construct((stack) => ({
        tiers: [BackupTier.daily({
          copyTo: [new AuditedVault(stack, 'Archive', { vaultLock: { minRetention: Duration.days(30) } })],
          copyRetention: Duration.days(10),
        })],
      }))).toThrow("Lock/Backups: tiers['daily'].copyRetention is 10 days; copy destination Lock/Archive "
        + 'is locked with a minimum retention of 30 days');
    });

    test('inherited copy retention above the destination vault maximum', () => {
      expect(construct((stack) => ({
        tiers: [BackupTier.monthly({
          copyTo: [new AuditedVault(stack, 'Archive', { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(100) } })],
        })],
      }))).toThrow("Lock/Backups: tiers['monthly'].copyRetention is 365 days; copy destination Lock/Archive "
        + 'is locked with a maximum retention of 100 days');
    });
  });
});
