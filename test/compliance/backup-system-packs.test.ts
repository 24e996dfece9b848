import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { AuditedVault, BackupTier, ComplianceProfile, CompliantBackupSystem } from '../../src';
import { Finding, describeFindings, synthFindings, testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

// The four cdk-nag packs and cfn-guard over three shapes of the system, in one app
// synthesized once (a synth with every plugin is the slow part).
describe('CompliantBackupSystem against cdk-nag (4 packs) and cfn-guard', () => {
  let findings: Finding[] = [];
  const stacks: Record<string, Stack> = {};

  beforeAll(() => {
    const app = testApp();

    stacks.Defaults = new Stack(app, 'Defaults', { env: ENV });
    new CompliantBackupSystem(stacks.Defaults, 'Backups');

    const sox = stacks.SoxLike = new Stack(app, 'SoxLike', { env: ENV });
    new CompliantBackupSystem(sox, 'Backups', {
      profile: ComplianceProfile.sox(),
      tiers: [
        BackupTier.daily({
          retention: Duration.days(2555),
          moveToColdStorageAfter: Duration.days(90),
          copyTo: [AuditedVault.fromVaultArn(sox, 'Dr', 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr')],
          copyRetention: Duration.days(90),
        }),
        BackupTier.hourly({ name: 'critical', schedule: events.Schedule.cron({ minute: '0', hour: '*/4' }), retention: Duration.days(365), airGapped: true }),
      ],
      audit: { configRecorder: true, maxRestoreTime: Duration.hours(4) },
    });

    const protectOnly = stacks.ProtectOnly = new Stack(app, 'ProtectOnly', { env: ENV });
    const system = new CompliantBackupSystem(protectOnly, 'Backups', { selectionTags: {} });
    const table = new dynamodb.TableV2(protectOnly, 'Ledger', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
    });
    system.protect(backup.BackupResource.fromDynamoDbTable(table));

    findings = synthFindings(app);
  });

  const of = (stackName: string) => findings.filter((f) => f.paths.some((p) => p.startsWith(`${stackName}/`) || p.startsWith(`/${stackName}/`)));

  test('defaults: zero unacknowledged findings', () => {
    expect(describeFindings(of('Defaults'))).toEqual([]);
  });

  test('SOX-like with an air-gapped tier, a cross-region copy and the Config recorder: zero findings', () => {
    expect(describeFindings(of('SoxLike'))).toEqual([]);
    const template = Template.fromStack(stacks.SoxLike);
    template.resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 1);
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
  });

  test('selectionTags {} with protect(): zero findings', () => {
    expect(describeFindings(of('ProtectOnly'))).toEqual([]);
    Template.fromStack(stacks.ProtectOnly).resourcePropertiesCountIs('AWS::Backup::BackupSelection',
      { BackupSelection: { SelectionName: 'tagged' } } as any, 0);
  });

  test('nothing at all is reported, attributed to a stack or not', () => {
    expect(describeFindings(findings)).toEqual([]);
  });
});
