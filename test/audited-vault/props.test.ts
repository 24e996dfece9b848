/** AuditedVault: the effect of each prop. */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV, vaultStack } from './fixtures';
import { AuditedVault } from '../../src';
import { testApp } from '../support/compliance';

describe('AuditedVault props', () => {
  test('encryptionKey: the passed key encrypts the vault and no vault key is created', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const vault = new AuditedVault(stack, 'Vault', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] } });
    expect(vault.encryptionKey).toBe(key);
    expect(template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('recovery points') } })).toEqual({});
  });

  test('vaultName and a compliance-mode vaultLock', () => {
    const { template, vault } = vaultStack({
      vaultName: 'audit_vault-1',
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(2555), changeableFor: Duration.hours(72) },
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'audit_vault-1',
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 2555, ChangeableForDays: 3 },
    });
    expect(vault.lockMode).toBe('COMPLIANCE');
    expect(vault.vaultLock).toEqual({ minRetention: Duration.days(7), maxRetention: Duration.days(2555), changeableFor: Duration.hours(72) });
  });

  test('allowDeletionBy exempts the break-glass roles from the deletion deny', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const breakGlass = iam.Role.fromRoleArn(stack, 'BreakGlass', 'arn:aws:iam::111111111111:role/break-glass');
    new AuditedVault(stack, 'Vault', { allowDeletionBy: [breakGlass] });
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DenyRecoveryPointDeletion',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/break-glass'] } },
        })]),
      },
    });
  });

  test('allowCopyFromAccounts grants CopyIntoBackupVault and lets AWS Backup of those accounts use the key', () => {
    const { template } = vaultStack({ allowCopyFromAccounts: ['222222222222'] });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCopyFromAccounts',
          Effect: 'Allow',
          Action: 'backup:CopyIntoBackupVault',
          Principal: { AWS: { 'Fn::Join': ['', Match.arrayWith([':iam::222222222222:root'])] } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCrossAccountBackupCopies',
          Condition: { StringEquals: { 'kms:ViaService': 'backup.us-east-1.amazonaws.com' } },
        })]),
      },
    });
  });

  test('allowCopyFromOrganization grants CopyIntoBackupVault on the organization condition', () => {
    const { template } = vaultStack({ allowCopyFromOrganization: 'o-a1b2c3d4e5' });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCopyFromOrganization',
          Action: 'backup:CopyIntoBackupVault',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCrossAccountBackupCopies',
          Condition: { StringEquals: { 'kms:ViaService': 'backup.us-east-1.amazonaws.com', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        })]),
      },
    });
  });

  test('notificationTopic and notificationEvents: the passed topic is used and no topic is created', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const topic = new sns.Topic(stack, 'OpsTopic');
    const vault = new AuditedVault(stack, 'Vault', {
      notificationTopic: topic,
      notificationEvents: [backup.BackupVaultEvents.COPY_JOB_FAILED],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      Notifications: { BackupVaultEvents: ['COPY_JOB_FAILED'], SNSTopicArn: { Ref: Match.stringLikeRegexp('^OpsTopic') } },
    });
    expect(vault.notificationTopic).toBe(topic);
    // AWS Backup still needs permission to publish to a topic it was given.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowAwsBackupToPublish' })]) },
    });
  });

  test('removalPolicy DESTROY applies to the vault and its keys', () => {
    const { template } = vaultStack({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Delete' });
    const keys = Object.values(template.findResources('AWS::KMS::Key')) as any[];
    expect(keys.map((k) => k.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });
});
