/** CompliantBackupSystem: monitoring, and monitoring of tiers added later. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DR_ARN, LOCAL_ARN, Built, build, only, metricWidgets } from './fixtures';
import { AuditedVault, BackupTier, KeyStrategy } from '../../../src';

// ---------------------------------------------------------------------------------------------

describe('monitoring', () => {
  let built: Built;
  beforeAll(() => {
    built = build((stack) => ({
      keyStrategy: KeyStrategy.PER_PURPOSE,
      tiers: [BackupTier.daily({
        copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', DR_ARN), AuditedVault.fromVaultArn(stack, 'Local', LOCAL_ARN)],
      })],
    }), undefined, 'Mon');
  });

  test('one dashboard with backup, restore and recovery point widgets for the primary vault', () => {
    const { template } = built;
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [vaultId] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    const widgets = metricWidgets(template);
    const byTitle = (title: string) => widgets.find((w) => w.title === title);
    const vault = `<Ref:${vaultId}>`;
    expect(byTitle('Backup jobs into primary')?.metrics.map(([n, v]) => [n, v])).toEqual([
      ['NumberOfBackupJobsCompleted', vault], ['NumberOfBackupJobsFailed', vault],
      ['NumberOfBackupJobsAborted', vault], ['NumberOfBackupJobsExpired', vault],
    ]);
    expect(byTitle('Restore jobs from primary')?.metrics.map(([n, v]) => [n, v])).toEqual([
      ['NumberOfRestoreJobsCompleted', vault], ['NumberOfRestoreJobsFailed', vault],
    ]);
    expect(byTitle('Recovery points in primary')?.metrics.map(([n, v]) => [n, v])).toEqual([
      ['NumberOfRecoveryPointsCompleted', vault], ['NumberOfRecoveryPointsPartial', vault], ['NumberOfRecoveryPointsExpired', vault],
    ]);
  });

  test('copy-job metrics are read under the destination vault, in its region when that is another one', () => {
    const widgets = metricWidgets(built.template);
    const dr = widgets.find((w) => w.title === 'Copy jobs into Mon/Dr');
    expect(dr?.metrics.map(([n, v, o]) => [n, v, o.region])).toEqual([
      ['NumberOfCopyJobsCompleted', 'dr', 'us-west-2'], ['NumberOfCopyJobsFailed', 'dr', 'us-west-2'],
    ]);
    const local = widgets.find((w) => w.title === 'Copy jobs into Mon/Local');
    expect(local?.metrics.map(([n, v, o]) => [n, v, o.region])).toEqual([
      ['NumberOfCopyJobsCompleted', 'local', undefined], ['NumberOfCopyJobsFailed', 'local', undefined],
    ]);
    // Backup jobs do not land in a copy destination.
    expect(widgets.filter((w) => w.metrics.some(([n, v]) => n === 'NumberOfBackupJobsFailed' && (v === 'dr' || v === 'local')))).toEqual([]);
  });

  function backupAlarms(template: Template): Array<{ metric: string; vault: unknown; props: any }> {
    return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties)
      .filter((p: any) => p.Metrics?.[0]?.MetricStat?.Metric?.Namespace === 'AWS/Backup' || p.Namespace === 'AWS/Backup')
      .map((p: any) => {
        const m = p.Metrics?.[0]?.MetricStat?.Metric ?? p;
        return { metric: m.MetricName, vault: m.Dimensions.find((d: any) => d.Name === 'BackupVaultName').Value, props: p };
      });
  }

  test('alarms: failed backup jobs per vault, failed copy jobs per same-region destination; none for the other region', () => {
    const { template } = built;
    const [vaultId] = only(template, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
    expect(backupAlarms(template).map(({ metric, vault }) => [metric, vault])).toEqual([
      ['NumberOfBackupJobsFailed', { Ref: vaultId }],
      ['NumberOfCopyJobsFailed', 'local'],
    ]);
  });

  test('alarms: 5-minute sums, at least one, missing data is not breaching, to the alarm topic', () => {
    const { template } = built;
    const [topicId] = only(template, 'AWS::SNS::Topic', 'BackupsAlarmTopic');
    const alarms = backupAlarms(template);
    expect(alarms.length).toBe(2);
    for (const { props } of alarms) {
      expect(props).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
      });
      expect(props.Metrics[0].MetricStat).toMatchObject({ Period: 300, Stat: 'Sum' });
    }
  });

  test('failed restore jobs go to the alarm topic through an EventBridge rule', () => {
    const { template } = built;
    const [topicId] = only(template, 'AWS::SNS::Topic', 'BackupsAlarmTopic');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.backup'], 'detail-type': ['Restore Job State Change'], 'detail': { status: ['FAILED'] } },
      Targets: [Match.objectLike({ Arn: { Ref: topicId } })],
    });
  });

  test('the alarm topic is KMS-encrypted with a key of its own', () => {
    const { template } = built;
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsAlarmKey');
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('alarm topic'), EnableKeyRotation: true });
  });

  test('a passed alarmTopic is used for alarms, the restore rule and the vault notifications; none is created', () => {
    let topic: sns.Topic | undefined;
    const { system, template } = build((stack) => {
      topic = new sns.Topic(stack, 'Ops', { enforceSSL: true });
      return { alarmTopic: topic };
    });
    expect(system.alarmTopic).toBe(topic);
    const [opsId] = only(template, 'AWS::SNS::Topic');
    expect(opsId).toMatch(/^Ops/);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    for (const { props } of backupAlarms(template)) expect(props.AlarmActions).toEqual([{ Ref: opsId }]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['Restore Job State Change'] }),
      Targets: [Match.objectLike({ Arn: { Ref: opsId } })],
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', { Notifications: Match.objectLike({ SNSTopicArn: { Ref: opsId } }) });
    expect(Object.keys(template.findResources('AWS::KMS::Key')).filter((id) => id.startsWith('BackupsAlarmKey'))).toEqual([]);
  });
});

describe('monitoring follows addTier()', () => {
  test('a copy destination added with addTier() gets its failed-copy alarm and widget', () => {
    const { template } = build({}, (system, stack) => {
      system.addTier(BackupTier.weekly({ copyTo: [AuditedVault.fromVaultArn(stack, 'Local', LOCAL_ARN)] }));
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [Match.objectLike({
        MetricStat: Match.objectLike({
          Metric: Match.objectLike({ MetricName: 'NumberOfCopyJobsFailed', Dimensions: [{ Name: 'BackupVaultName', Value: 'local' }] }),
        }),
      })],
    });
    expect(metricWidgets(template).map((w) => w.title)).toContain('Copy jobs into Sys/Local');
  });
});
