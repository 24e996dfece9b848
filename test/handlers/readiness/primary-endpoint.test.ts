/** Readiness check: the primary endpoint's Route 53 health check. */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import 'aws-sdk-client-mock-jest';
import { setConfig, mod, cwPrimary, putMetricInput, count, metricAnswers, installReadinessStubs } from './fixtures';

installReadinessStubs();

describe('the primary endpoint (Route 53 health check, read in us-east-1)', () => {
  const HEALTH_CHECK_ID = '0b7e1a52-5d3c-4c1e-9a57-4f2b8d0c6e11';
  beforeEach(() => {
    // A primary region other than us-east-1: the health-check metric is still read in us-east-1.
    setConfig({ DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined, PRIMARY_REGION: 'us-west-2', HEALTH_CHECK_ID });
  });

  test('HealthCheckStatus 0 is PrimaryEndpointUnhealthy=1, a failover signal that is not counted as an RPO breach', async () => {
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({ endpoint_0: [0, 1] }));

    const summary = await mod.handler();

    const query = cwPrimary.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries![0];
    expect(query.MetricStat!.Metric).toEqual({
      Namespace: 'AWS/Route53', MetricName: 'HealthCheckStatus', Dimensions: [{ Name: 'HealthCheckId', Value: HEALTH_CHECK_ID }],
    });
    expect(summary.checks).toEqual([expect.objectContaining({ type: 'primary-endpoint', status: 'BREACH', target: `Route 53 health check ${HEALTH_CHECK_ID}` })]);
    expect(summary.breaches).toBe(0);
    expect(putMetricInput().MetricData).toEqual([count('PrimaryEndpointUnhealthy', 1), count('RpoBreaches', 0), count('ChecksUnknown', 0)]);
  });

  test('HealthCheckStatus 1 publishes PrimaryEndpointUnhealthy=0', async () => {
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({ endpoint_0: [1] }));

    const summary = await mod.handler();

    expect(summary.checks[0]).toMatchObject({ type: 'primary-endpoint', status: 'OK' });
    expect(putMetricInput().MetricData).toContainEqual(count('PrimaryEndpointUnhealthy', 0));
  });

  test('no datapoint is UNKNOWN, not healthy', async () => {
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({}));

    const summary = await mod.handler();

    expect(summary.checks[0]).toMatchObject({ type: 'primary-endpoint', status: 'UNKNOWN' });
    expect(putMetricInput().MetricData).toEqual([count('RpoBreaches', 0), count('ChecksUnknown', 1)]);
  });
});
