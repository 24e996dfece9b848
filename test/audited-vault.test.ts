import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AuditedVault, AuditedVaultProps } from '../src';
import { testApp } from './support/compliance';
import { NEWEST_NODE_RUNTIME } from './support/runtime';

const ENV = { account: '111111111111', region: 'us-east-1' };

function vaultStack(props?: AuditedVaultProps): { stack: Stack; vault: AuditedVault; template: Template } {
  const app = testApp();
  const stack = new Stack(app, 'VaultStack', { env: ENV });
  const vault = new AuditedVault(stack, 'Vault', props);
  // Synthesized on first read, so tests may still add constructs before reading it.
  return { stack, vault, get template() { return Template.fromStack(stack); } };
}

/** The statements of the only resource of `type` whose properties match `props`. */
function policyStatements(template: Template, type: string, prop: string): any[] {
  const resources = Object.values(template.findResources(type));
  return resources.flatMap((r: any) => r.Properties[prop]?.Statement ?? []);
}

describe('AuditedVault defaults', () => {
  const { vault, template } = vaultStack();

  test('a customer-managed key with rotation, kept on delete, that allows grants only for AWS services', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('recovery points') }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('recovery points'),
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'kms:CreateGrant',
          Principal: { AWS: '*' },
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        })]),
      },
    });
  });

  test('the vault is encrypted with that key, retained, and locked in governance mode from day one', () => {
    template.hasResource('AWS::Backup::BackupVault', {
      Properties: Match.objectLike({
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VaultKey'), 'Arn'] },
        LockConfiguration: { MinRetentionDays: 1 },
      }),
      DeletionPolicy: 'Retain',
    });
    expect(vault.lockMode).toBe('GOVERNANCE');
    expect(vault.airGapped).toBe(false);
  });

  test('the access policy denies deleting recovery points and changing their lifecycle to everybody', () => {
    const [vaultResource] = Object.values(template.findResources('AWS::Backup::BackupVault')) as any[];
    const statements = vaultResource.Properties.AccessPolicy.Statement;
    expect(statements).toEqual([{
      Sid: 'DenyRecoveryPointDeletion',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
      Resource: '*',
    }]);
  });

  test('failure-focused notifications go to a KMS-encrypted, TLS-only topic that AWS Backup may publish to', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      Notifications: {
        BackupVaultEvents: ['BACKUP_JOB_COMPLETED', 'COPY_JOB_FAILED', 'RESTORE_JOB_COMPLETED', 'RECOVERY_POINT_MODIFIED',
          'S3_BACKUP_OBJECT_FAILED', 'S3_RESTORE_OBJECT_FAILED'],
        SNSTopicArn: { Ref: Match.stringLikeRegexp('^VaultNotificationTopic') },
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VaultAlertKey'), 'Arn'] },
    });
    const topicStatements = policyStatements(template, 'AWS::SNS::TopicPolicy', 'PolicyDocument');
    expect(topicStatements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Sid: 'AllowAwsBackupToPublish',
        Principal: { Service: 'backup.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    ]));
  });

  test('the topic key lets AWS Backup, EventBridge and CloudWatch encrypt messages', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('notifications'),
      KeyPolicy: {
        Statement: Match.arrayWith(['backup', 'events', 'cloudwatch'].map((service) => Match.objectLike({
          Principal: { Service: `${service}.amazonaws.com` },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        }))),
      },
    });
  });

  test('failed, aborted and expired backup jobs and failed copy jobs out of the vault reach the alert handler', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Backup Job State Change', 'Copy Job State Change'],
        'detail': {
          $or: [
            { state: ['FAILED', 'ABORTED', 'EXPIRED'], backupVaultName: [Match.stringLikeRegexp('^VaultStack-Vault')] },
            { state: ['FAILED'], sourceBackupVaultArn: [Match.anyValue()] },
          ],
        },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VaultAlertFunction'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VaultAlertFunctionDeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      })],
    });
  });

  test('the alert handler is the bundled asset on the newest Node.js runtime, with least privilege', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: NEWEST_NODE_RUNTIME,
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ TOPIC_ARN: { Ref: Match.stringLikeRegexp('^VaultNotificationTopic') } }) },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const statements = policyStatements(template, 'AWS::IAM::ManagedPolicy', 'PolicyDocument');
    for (const s of statements) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
    }
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['backup:DescribeBackupJob', 'backup:DescribeCopyJob'], Resource: '*' }),
      expect.objectContaining({ Action: 'sns:Publish' }),
    ]));
    template.resourceCountIs('AWS::IAM::Role', 1);
    const [role] = Object.values(template.findResources('AWS::IAM::Role')) as any[];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('the handler logs to a KMS-encrypted log group kept a year, and lost alerts raise an alarm', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^VaultNotificationTopic') }],
    });
  });
});

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
