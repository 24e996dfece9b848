/** AuditedVault: what a vault with default props synthesizes. */
import { Match } from 'aws-cdk-lib/assertions';
import { vaultStack, policyStatements } from './fixtures';
import { NEWEST_NODE_RUNTIME } from '../support/runtime';

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
