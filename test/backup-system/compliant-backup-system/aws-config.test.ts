/** CompliantBackupSystem: AWS Config. */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { build, only } from './fixtures';
import { KeyStrategy } from '../../../src';

// ---------------------------------------------------------------------------------------------

describe('AWS Config', () => {
  test('configRecorder: true records the five resource types the framework evaluates, delivering to the report bucket', () => {
    const { stack, template } = build({ audit: { configRecorder: true }, keyStrategy: KeyStrategy.PER_PURPOSE });
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: {
        AllSupported: false,
        IncludeGlobalResourceTypes: false,
        ResourceTypes: ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection', 'AWS::Backup::BackupVault',
          'AWS::Backup::RecoveryPoint', 'AWS::Config::ResourceCompliance'],
      },
    });
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsReportKey');
    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: bucketId }, S3KeyPrefix: 'config', S3KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('AWS::Config::ResourceCompliance'));
  });

  test('without a recorder: no Config resources and a synth warning naming what must be recorded', () => {
    const { stack, template } = build();
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    template.resourceCountIs('AWS::Config::DeliveryChannel', 0);
    Annotations.fromStack(stack).hasWarning('/Sys/Backups', Match.stringLikeRegexp('AWS::Config::ResourceCompliance'));
    Annotations.fromStack(stack).hasWarning('/Sys/Backups', Match.stringLikeRegexp('audit.configRecorder'));
  });
});
