/** AuditedVault: grants, metrics and events. */
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV, vaultStack } from './fixtures';
import { AuditedVault } from '../../src';
import { testApp } from '../support/compliance';

describe('AuditedVault grants, metrics and events', () => {
  test('grant() grants the given actions on the vault', () => {
    const { stack, vault } = vaultStack();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    vault.grant(role, 'backup:DescribeBackupVault');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'backup:DescribeBackupVault', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vault'), 'BackupVaultArn'] } }] },
    });
  });

  test('grantRestore() grants restore actions and use of the vault key', () => {
    const { stack, vault } = vaultStack();
    const role = new iam.Role(stack, 'Restorer', { assumedBy: new iam.AccountRootPrincipal() });
    vault.grantRestore(role);
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Restorer') }] },
    })) as any[];
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining([
      'backup:StartRestoreJob', 'backup:DescribeRecoveryPoint', 'backup:GetRecoveryPointRestoreMetadata',
      'backup:ListRecoveryPointsByBackupVault', 'backup:DescribeRestoreJob', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant',
    ]));
  });

  test('metrics live in AWS/Backup with the BackupVaultName dimension and 5-minute periods', () => {
    const { stack, vault } = vaultStack({ vaultName: 'm-vault' });
    const cases: Array<[() => any, string]> = [
      [() => vault.metricBackupJobsFailed(), 'NumberOfBackupJobsFailed'],
      [() => vault.metricBackupJobsCompleted(), 'NumberOfBackupJobsCompleted'],
      [() => vault.metricCopyJobsFailed(), 'NumberOfCopyJobsFailed'],
      [() => vault.metricCopyJobsCompleted(), 'NumberOfCopyJobsCompleted'],
      [() => vault.metricRestoreJobsFailed(), 'NumberOfRestoreJobsFailed'],
      [() => vault.metricRecoveryPointsCompleted(), 'NumberOfRecoveryPointsCompleted'],
    ];
    for (const [make, name] of cases) {
      const metric = make();
      expect(metric.namespace).toBe('AWS/Backup');
      expect(metric.metricName).toBe(name);
      expect(metric.period.toMinutes()).toBe(5);
      expect(metric.statistic).toBe('Sum');
      expect(stack.resolve(metric.dimensions)).toEqual({ BackupVaultName: { Ref: expect.stringMatching(/^Vault/) } });
    }
  });

  test('onBackupJobFailed() and onCopyJobFailed() return rules scoped to this vault', () => {
    const { stack, vault } = vaultStack();
    const topic = new sns.Topic(stack, 'Ops');
    const rule = vault.onBackupJobFailed('Failed', { target: { bind: () => ({ id: 'T', arn: topic.topicArn }) } as events.IRuleTarget });
    vault.onCopyJobFailed('CopyFailed');
    expect(rule).toBeInstanceOf(events.Rule);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Backup Job State Change'],
        'detail': { state: ['FAILED', 'ABORTED', 'EXPIRED'], backupVaultName: [{ Ref: Match.stringLikeRegexp('^Vault') }] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Ops') } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['Copy Job State Change'],
        'detail': { state: ['FAILED'], $or: [{ sourceBackupVaultArn: Match.anyValue() }, { destinationBackupVaultArn: Match.anyValue() }] },
      },
    });
  });

  test('fromVaultArn() imports by ARN and parses the name', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const vault = AuditedVault.fromVaultArn(stack, 'Imported', 'arn:aws:backup:us-west-2:222222222222:backup-vault:dr-vault');
    expect(vault.backupVaultName).toBe('dr-vault');
    expect(vault.backupVaultRef).toEqual({ backupVaultName: 'dr-vault', backupVaultArn: 'arn:aws:backup:us-west-2:222222222222:backup-vault:dr-vault' });
    expect(vault.env).toEqual({ account: '222222222222', region: 'us-west-2' });
    expect(vault.airGapped).toBe(false);
  });

  test('fromVaultArn() rejects an ARN without a vault name', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    expect(() => AuditedVault.fromVaultArn(stack, 'Bad', 'arn:aws:backup:us-west-2:222222222222:backup-vault'))
      .toThrow(/S: backupVaultArn is 'arn:aws:backup:us-west-2:222222222222:backup-vault'; expected arn:<partition>:backup/);
  });

  test('plugs into an aws-cdk-lib BackupPlan as its target vault (newest aws-cdk-lib IBackupVault)', () => {
    const { stack, vault } = vaultStack();
    const plan = backup.BackupPlan.daily35DayRetention(stack, 'Plan', vault);
    plan.addSelection('Sel', { resources: [backup.BackupResource.fromTag('Backup', 'true')] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ TargetBackupVault: { Ref: Match.stringLikeRegexp('^Vault') } })] },
    });
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
