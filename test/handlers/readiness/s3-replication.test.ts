/** Readiness check: S3 replication latency, for named and CloudFormation-named buckets. */
import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import 'aws-sdk-client-mock-jest';
import { NS, NOW, ago, setConfig, mod, cwDr, cwPrimary, putMetricInput, count, metricAnswers, installReadinessStubs } from './fixtures';

installReadinessStubs();

describe('S3 replication latency (read in the primary region)', () => {
  const RULE = { sourceBucket: 'orders-src', destinationBucket: 'orders-dr', ruleId: 'rtc-all' };
  beforeEach(() => {
    setConfig({ DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined, REPLICATION: JSON.stringify([RULE]) });
  });

  test('the newest datapoint is published as ReplicationLatencySeconds with SourceBucket and RuleId', async () => {
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({ s3_0: [42, 900] }));

    const summary = await mod.handler();

    const query = cwPrimary.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(query.MetricDataQueries).toEqual([{
      Id: 's3_0',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/S3',
          MetricName: 'ReplicationLatency',
          Dimensions: [
            { Name: 'SourceBucket', Value: 'orders-src' },
            { Name: 'DestinationBucket', Value: 'orders-dr' },
            { Name: 'RuleId', Value: 'rtc-all' },
          ],
        },
        Period: 60,
        Stat: 'Maximum',
      },
      ReturnData: true,
    }]);
    expect(query.StartTime).toEqual(ago(900));
    expect(query.EndTime).toEqual(NOW);
    expect(cwDr).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(summary.checks).toEqual([expect.objectContaining({ type: 'replication', status: 'OK', valueSeconds: 42 })]);
    expect(putMetricInput()).toEqual({
      Namespace: NS,
      MetricData: [
        { MetricName: 'ReplicationLatencySeconds', Dimensions: [{ Name: 'SourceBucket', Value: 'orders-src' }, { Name: 'RuleId', Value: 'rtc-all' }], Value: 42, Unit: 'Seconds', Timestamp: NOW },
        count('RpoBreaches', 0),
        count('ChecksUnknown', 0),
      ],
    });
  });

  test('primary region CloudWatch unreachable: the check is UNKNOWN, ChecksUnknown=1, the run still succeeds', async () => {
    cwPrimary.on(GetMetricDataCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND monitoring.us-east-1.amazonaws.com'), {
      name: 'Error', code: 'ENOTFOUND', $metadata: { attempts: 5 },
    }));

    const summary = await mod.handler();

    expect(summary).toMatchObject({ breaches: 0, unknown: 1 });
    expect(summary.checks[0]).toMatchObject({ type: 'replication', status: 'UNKNOWN', valueSeconds: null });
    expect(summary.checks[0].detail).toBe('CloudWatch in us-east-1 did not answer (Error: getaddrinfo ENOTFOUND monitoring.us-east-1.amazonaws.com after 5 attempts)');
    expect(putMetricInput().MetricData).toEqual([count('RpoBreaches', 0), count('ChecksUnknown', 1)]);
  });

  test('a primary region that hangs is given up after PRIMARY_REGION_TIMEOUT_MS', async () => {
    process.env.PRIMARY_REGION_TIMEOUT_MS = '50';
    cwPrimary.on(GetMetricDataCommand).callsFake(() => new Promise(() => undefined));

    const summary = await mod.handler();

    expect(summary.checks[0]).toMatchObject({ status: 'UNKNOWN', detail: 'CloudWatch in us-east-1 did not answer (Timeout: no answer within 50 ms)' });
    expect(putMetricInput().MetricData).toContainEqual(count('ChecksUnknown', 1));
  });

  test('no datapoint in the lookback window is UNKNOWN and says why', async () => {
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({}));

    const summary = await mod.handler();

    expect(summary.checks[0].status).toBe('UNKNOWN');
    expect(summary.checks[0].detail).toContain('no AWS/S3 ReplicationLatency datapoint in us-east-1 in the last 900 s');
  });
});

describe('S3 replication of a bucket CloudFormation named (no sourceBucket in REPLICATION)', () => {
  const unnamed = (destinationBucket: string) => ({ destinationBucket, ruleId: 'dr-to-eu-central-1' });

  test('the source is found by ListMetrics on destination and rule, measured, and not looked up again', async () => {
    setConfig({ DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined, REPLICATION: JSON.stringify([unnamed('found-dr')]) });
    cwPrimary.on(ListMetricsCommand).resolves({
      Metrics: [{
        Namespace: 'AWS/S3',
        MetricName: 'ReplicationLatency',
        Dimensions: [{ Name: 'SourceBucket', Value: 'app-documents-1a2b3c' }, { Name: 'DestinationBucket', Value: 'found-dr' }, { Name: 'RuleId', Value: 'dr-to-eu-central-1' }],
      }],
    });
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({ s3_0: [30] }));

    const first = await mod.handler();
    await mod.handler();

    expect(cwPrimary).toHaveReceivedCommandTimes(ListMetricsCommand, 1);
    expect(cwPrimary).toHaveReceivedCommandWith(ListMetricsCommand, {
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Dimensions: [{ Name: 'DestinationBucket', Value: 'found-dr' }, { Name: 'RuleId', Value: 'dr-to-eu-central-1' }],
    });
    const query = cwPrimary.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries![0];
    expect(query.MetricStat!.Metric!.Dimensions).toContainEqual({ Name: 'SourceBucket', Value: 'app-documents-1a2b3c' });
    expect(first.checks).toEqual([expect.objectContaining({
      type: 'replication', status: 'OK', valueSeconds: 30, target: 's3://app-documents-1a2b3c -> s3://found-dr (rule dr-to-eu-central-1)',
    })]);
  });

  test('a rule whose metric S3 has not published yet is UNKNOWN and says why; no latency query is sent', async () => {
    setConfig({ DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined, REPLICATION: JSON.stringify([unnamed('quiet-dr')]) });
    cwPrimary.on(ListMetricsCommand).resolves({ Metrics: [] });

    const summary = await mod.handler();

    expect(cwPrimary).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(summary).toMatchObject({ breaches: 0, unknown: 1 });
    expect(summary.checks[0]).toMatchObject({ type: 'replication', status: 'UNKNOWN', target: 's3://(source not found yet) -> s3://quiet-dr (rule dr-to-eu-central-1)' });
    expect(summary.checks[0].detail).toContain('no AWS/S3 ReplicationLatency metric for destination quiet-dr and rule dr-to-eu-central-1 in us-east-1 names the source bucket yet');
    expect(putMetricInput().MetricData).toEqual([count('RpoBreaches', 0), count('ChecksUnknown', 1)]);
  });

  test('a failed lookup is UNKNOWN, logged, and retried on the next run', async () => {
    setConfig({ DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined, REPLICATION: JSON.stringify([unnamed('denied-dr')]) });
    cwPrimary.on(ListMetricsCommand).rejects(Object.assign(new Error('not authorized to perform cloudwatch:ListMetrics'), { name: 'AccessDenied' }));

    const first = await mod.handler();
    const second = await mod.handler();

    expect(first.checks[0].status).toBe('UNKNOWN');
    expect(second.checks[0].status).toBe('UNKNOWN');
    expect(cwPrimary).toHaveReceivedCommandTimes(ListMetricsCommand, 2);
  });
});
