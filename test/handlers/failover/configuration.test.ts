/** Failover handler: configuration from the environment and the pure parts. */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import {
  PRIMARY, DR, PARAM, NS, GLOBAL_ID, PRIMARY_CLUSTER, SECONDARY_CLUSTER, setConfig, mod, rdsDr, ssm, sns, cw, installFailoverStubs,
} from './fixtures';
import { FailoverConfigError, parseFailoverConfig } from '../../../lambda-src/failover/config';
import { decideAurora, failoverMetricData, formatReport, type FailoverResult } from '../../../lambda-src/failover/plan';

installFailoverStubs();

describe('configuration and pure parts', () => {
  test('every configuration problem is reported at once', () => {
    let error: unknown;
    try {
      parseFailoverConfig({
        PRIMARY_REGION: 'us-east-1',
        DR_REGION: 'Frankfurt',
        TOPIC_ARN: 'dr-alerts',
        METRIC_NAMESPACE: NS,
        RTO_SECONDS: '0',
        RDS_REPLICAS: '["ok-id", "1bad"]',
        AURORA_GLOBAL_CLUSTERS: '[{"globalClusterIdentifier":"g","secondaryClusterArn":"orders-secondary"}]',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FailoverConfigError);
    expect((error as FailoverConfigError).problems).toEqual([
      'ACTIVE_REGION_PARAMETER is required (the SSM parameter name that holds the active region) but is not set',
      'DR_REGION must be an AWS region such as "eu-central-1", got "Frankfurt"',
      'TOPIC_ARN must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got "dr-alerts"',
      'RTO_SECONDS must be a positive whole number, got "0"',
      'RDS_REPLICAS[1] must be a DB instance identifier (a letter, then up to 62 letters, digits or hyphens), got "1bad"',
      'AURORA_GLOBAL_CLUSTERS[0].secondaryClusterArn must be a DB cluster ARN (arn:<partition>:rds:<region>:<account>:cluster:<id>), got "orders-secondary"',
    ]);
  });

  test('invalid JSON is a clear error and the handler makes no call', async () => {
    setConfig({ RDS_REPLICAS: '[orders-replica]' });
    await expect(mod.handler({ action: 'switchover' })).rejects.toThrow(/RDS_REPLICAS is not valid JSON \(.+\); got \[orders-replica\]/);
    expect(ssm.calls()).toHaveLength(0);
    expect(rdsDr.calls()).toHaveLength(0);
  });

  test('a secondary cluster that is not a member of the global cluster is an error, not a guess', () => {
    const d = decideAurora(
      { GlobalClusterMembers: [{ DBClusterArn: PRIMARY_CLUSTER, IsWriter: true }] },
      { globalClusterIdentifier: GLOBAL_ID, secondaryClusterArn: SECONDARY_CLUSTER },
      DR,
      false,
    );
    expect(d).toMatchObject({ kind: 'error', detail: expect.stringContaining(`${SECONDARY_CLUSTER} is not a member of global cluster ${GLOBAL_ID}`) });
  });

  test('a run slower than RTO_SECONDS says so in the subject, the body and exceededRto', () => {
    const result: FailoverResult = {
      action: 'failover',
      targetRegion: DR,
      dryRun: false,
      invokedBy: 'direct',
      previousActiveRegion: PRIMARY,
      steps: [
        { name: 'read-active-region', status: 'done', seconds: 0.1, detail: 'read' },
        { name: `aurora:${GLOBAL_ID}`, status: 'done', seconds: 1000, detail: 'switched' },
        { name: 'flip-active-region', status: 'done', seconds: 0.2, detail: 'flipped' },
      ],
      totalSeconds: 1000.3,
      rtoSeconds: 900,
      exceededRto: true,
    };
    const report = formatReport(result, { activeRegionParameter: PARAM });
    expect(report.subject).toBe('[DR] failover to eu-central-1 done in 1000.3 s (RTO 900 s EXCEEDED)');
    expect(report.message).toContain('RTO 900 s: EXCEEDED by 100.3 s');
    const now = new Date('2026-11-03T12:00:00Z');
    expect(failoverMetricData(result, now)).toEqual([
      { MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: 'read-active-region' }], Value: 0.1, Unit: 'Seconds', Timestamp: now },
      { MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: `aurora:${GLOBAL_ID}` }], Value: 1000, Unit: 'Seconds', Timestamp: now },
      { MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: 'flip-active-region' }], Value: 0.2, Unit: 'Seconds', Timestamp: now },
      { MetricName: 'FailoverTotalSeconds', Value: 1000.3, Unit: 'Seconds', Timestamp: now },
    ]);
  });

  test('a lost SNS report does not turn a completed switch into a failure', async () => {
    setConfig({ RDS_REPLICAS: undefined, AURORA_GLOBAL_CLUSTERS: undefined });
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Parameter not found'), { name: 'ParameterNotFound' }));
    sns.on(PublishCommand).rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));

    const result = await mod.handler({ action: 'switchover' });

    expect(result.notified).toBe(false);
    expect(result.previousActiveRegion).toBeNull();
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: PARAM, Value: DR, Type: 'String', Overwrite: true });
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  });
});
