/** AuditedVault: the logically air-gapped vault. */
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ENV, vaultStack } from './fixtures';
import { AuditedVault } from '../../src';
import { testApp } from '../support/compliance';

describe('AuditedVault air-gapped', () => {
  const lock = { minRetention: Duration.days(7), maxRetention: Duration.days(365) };

  test('creates a logically air-gapped vault with an AWS-owned key by default', () => {
    const { template, vault } = vaultStack({ airGapped: true, vaultName: 'isolated', vaultLock: lock });
    template.resourceCountIs('AWS::Backup::BackupVault', 0);
    template.hasResource('AWS::Backup::LogicallyAirGappedBackupVault', {
      Properties: Match.objectLike({
        BackupVaultName: 'isolated',
        MinRetentionDays: 7,
        MaxRetentionDays: 365,
        EncryptionKeyArn: Match.absent(),
        AccessPolicy: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Sid: 'DenyRecoveryPointDeletion' })]) }),
      }),
      DeletionPolicy: 'Retain',
    });
    expect(vault.encryptionKey).toBeUndefined();
    expect(vault.lockMode).toBe('COMPLIANCE');
    expect(vault.backupVaultName).toBe('isolated');
  });

  test('uses a passed customer-managed key', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const key = new kms.Key(stack, 'Cmk', { enableKeyRotation: true });
    new AuditedVault(stack, 'Vault', { airGapped: true, vaultLock: lock, encryptionKey: key });
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', {
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cmk'), 'Arn'] },
    });
  });

  test('a backup plan may copy into it', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const primary = new AuditedVault(stack, 'Primary');
    const isolated = new AuditedVault(stack, 'Isolated', { airGapped: true, vaultLock: lock });
    const plan = new backup.BackupPlan(stack, 'Plan', { backupVault: primary });
    plan.addRule(new backup.BackupPlanRule({
      ruleName: 'daily',
      deleteAfter: Duration.days(35),
      copyActions: [{ destinationBackupVault: isolated, deleteAfter: Duration.days(30) }],
    }));
    expect(() => app.synth()).not.toThrow();
  });

  test('a backup plan that targets it directly is rejected at synth', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const isolated = new AuditedVault(stack, 'Isolated', { airGapped: true, vaultName: 'isolated', vaultLock: lock });
    const plan = new backup.BackupPlan(stack, 'Plan', { backupVault: isolated });
    plan.addRule(new backup.BackupPlanRule({ ruleName: 'daily', deleteAfter: Duration.days(35) }));
    expect(() => app.synth()).toThrow(/S\/Plan\/Resource: the TargetBackupVault of rule 'daily' is 'isolated'; that is a logically air-gapped vault/);
  });
});
