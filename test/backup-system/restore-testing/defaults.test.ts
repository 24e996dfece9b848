/** RestoreTesting: what the defaults synthesize. */
import { Match } from 'aws-cdk-lib/assertions';
import { VAULT_ARN, restoreTesting, validatorStatements, actionsOf, BASE_ACTIONS } from './fixtures';
import { RestoreTestingResourceType as T } from '../../../src/backup-system/restore-testing-options';
import { NEWEST_NODE_RUNTIME } from '../../support/runtime';

describe('RestoreTesting defaults', () => {
  const { template, rt } = restoreTesting();

  test('the plan: weekly cron, 24 h start window, latest recovery point of the last 7 days from the given vaults', () => {
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 1);
    const [plan] = Object.values(template.findResources('AWS::Backup::RestoreTestingPlan')) as any[];
    expect(plan.Properties).toEqual({
      RestoreTestingPlanName: rt.planName,
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      StartWindowHours: 24,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [VAULT_ARN],
        RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        SelectionWindowDays: 7,
      },
    });
    expect(rt.planName).toMatch(/^[A-Za-z0-9_]{1,50}$/);
    expect(rt.planName).toMatch(/RestoreTesting/);
  });

  test('one selection per resource type: all protected EBS volumes carrying the selection tags, kept 4 h for validation', () => {
    template.resourceCountIs('AWS::Backup::RestoreTestingSelection', 1);
    const [selection] = Object.values(template.findResources('AWS::Backup::RestoreTestingSelection')) as any[];
    expect(selection.Properties).toEqual({
      RestoreTestingPlanName: { Ref: expect.stringMatching(/^RestoreTesting[0-9A-F]{8}$/) },
      RestoreTestingSelectionName: 'EBS_1',
      ProtectedResourceType: 'EBS',
      IamRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^RestoreRole/), 'Arn'] },
      ProtectedResourceArns: ['*'],
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/Backup', Value: 'true' }] },
      ValidationWindowHours: 4,
    });
  });

  test('completed restore jobs of this plan go to the validator, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        'detail': {
          status: ['COMPLETED'],
          restoreTestingPlanArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTesting[0-9A-F]{8}$'), 'RestoreTestingPlanArn'] }],
        },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingValidatorFunction'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingValidatorFunctionDeadLetterQueue'), 'Arn'] } },
        // No older than the validation window: the restored resource is gone after it.
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 4 * 3600 },
      })],
    });
  });

  test('the validator waits up to 300 s, times out a minute later, and writes no catalog without one', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    expect(fn.Properties.Timeout).toBe(360);
    expect(fn.Properties.Runtime).toBe(NEWEST_NODE_RUNTIME);
    expect(fn.Properties.Environment.Variables).toEqual({
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      VALIDATION_WAIT_SECONDS: '300',
      POWERTOOLS_SERVICE_NAME: 'restore-validator',
      POWERTOOLS_METRICS_NAMESPACE: 'CdkCompliantBackup',
    });
  });

  test('a dead-lettered validation alarms the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingValidatorFunctionDeadLetterQueue'), 'QueueName'] } }],
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
  });

  test('a FAILED or TIMED_OUT validation alarms the alarm topic: one alarm per tested type, on the validator\'s EMF dimensions', () => {
    const built = restoreTesting({
      selections: [{ resourceType: T.EBS }, { resourceType: T.DYNAMODB }, { resourceType: T.EBS, name: 'more_volumes' }],
    });
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties).filter((a) => a.Metrics);
    expect(built.rt.validationAlarms).toHaveLength(2);
    const expression = 'FILL(failed, 0) + FILL(timedOut, 0)';
    expect(alarms.map((a) => a.Metrics.find((m: any) => m.Expression).Expression)).toEqual([expression, expression]);
    const watched = alarms.map((a) => a.Metrics.filter((m: any) => m.MetricStat)
      .map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions, m.MetricStat.Stat]));
    const dims = (type: string) => [{ Name: 'ResourceType', Value: type }, { Name: 'service', Value: 'restore-validator' }];
    expect(watched).toEqual(['EBS', 'DynamoDB'].map((type) => [
      ['failed', 'RestoreValidationsFailed', dims(type), 'Sum'],
      ['timedOut', 'RestoreValidationsTimedOut', dims(type), 'Sum'],
    ]));
    for (const a of alarms) {
      expect(a).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopic/) }],
      });
      expect(a.AlarmDescription).toMatch(/failed validation or timed out: that backup did not restore/);
    }
  });

  test('the validator logs and dead letters are encrypted with a retained, rotating key of its own', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('restore validator') }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RestoreTestingKey'), 'Arn'] },
    });
  });

  test('IAM for EBS only: report the verdict and describe volumes; no wildcard actions, nothing inline', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const statements = validatorStatements(template);
    expect(actionsOf(statements)).toEqual([...BASE_ACTIONS, 'backup:ListScanJobs', 'ec2:DescribeVolumes'].sort());
    expect(statements).toEqual(expect.arrayContaining([
      { Sid: 'ReportValidation', Effect: 'Allow', Action: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'], Resource: '*' },
      { Sid: 'DescribeRestoredVolumes', Effect: 'Allow', Action: 'ec2:DescribeVolumes', Resource: '*' },
    ]));
    for (const s of statements) for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
  });
});
