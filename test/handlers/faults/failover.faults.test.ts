/**
 * Faults in the failover runbook step, recorded in the fault matrix (test/support/fault-matrix.ts).
 *
 * SSM (the active-region parameter) and RDS are the handler's production clients (short timeouts)
 * over real sockets to misbehaving endpoints on 127.0.0.1; SNS (the report) and CloudWatch are
 * stubbed, so the report each run sends can be read.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createRdsClient, createSsmClient } from '../../../lambda-src/failover/clients';
import { parseFailoverConfig } from '../../../lambda-src/failover/config';
import { createFailoverHandler } from '../../../lambda-src/failover/handler';
import type { FailoverResult } from '../../../lambda-src/failover/plan';
import { bare5xx, json11, jsonError, queryError } from '../../support/aws-wire';
import { FAKE_CREDENTIALS } from '../../support/fake-aws';
import { ALERTS, HANDED_BACK } from '../../support/fault-alarms';
import { faultMatrix, type Evidence } from '../../support/fault-matrix';
import { PATIENT_TIMEOUTS, startFaultyEndpoint, timeoutsFor, type FaultyEndpoint, type Misbehaviour, type SeenRequest, type TestTimeouts } from '../../support/faulty-endpoint';

const matrix = faultMatrix();
// A hang is injected 5 times, 1 s each (HANG_TIMEOUTS), before the handler gives up on it: a
// generous bound for a busy machine, not a speed check.
jest.setTimeout(60_000);

const PRIMARY = 'us-east-1';
const DR = 'eu-central-1';
const ACCOUNT = '111122223333';
const PARAM = '/orders/active-region';

const endpoints: FaultyEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

const ssmTarget = (r: SeenRequest) => String(r.headers['x-amz-target'] ?? '');
const parameterHolds = (value: string) => json11({ Parameter: { Name: PARAM, Value: value, Type: 'String', Version: 3 } });
const parameterSet = json11({ Version: 4 });
/** SSM answers: GetParameter follows `get` (step n for the n-th call); PutParameter succeeds. */
const ssmScript = (get: readonly Misbehaviour[]) => {
  let n = 0;
  return (r: SeenRequest) => (ssmTarget(r).endsWith('.PutParameter') ? parameterSet : get[Math.min(n++, get.length - 1)]);
};

async function failoverBehind(
  ssm: (r: SeenRequest) => Misbehaviour,
  options: { rds?: (r: SeenRequest) => Misbehaviour; replicas?: string[]; timeouts?: TestTimeouts } = {},
) {
  const ssmEndpoint = await startFaultyEndpoint(ssm);
  const rdsEndpoint = await startFaultyEndpoint(options.rds ?? (() => bare5xx(500)));
  endpoints.push(ssmEndpoint, rdsEndpoint);
  const common = { credentials: FAKE_CREDENTIALS, requestHandler: options.timeouts ?? PATIENT_TIMEOUTS };
  const sns = new SNSClient({ region: DR, credentials: FAKE_CREDENTIALS });
  const cloudWatch = new CloudWatchClient({ region: DR, credentials: FAKE_CREDENTIALS });
  const snsMock = mockClient(sns);
  const cwMock = mockClient(cloudWatch);
  snsMock.on(PublishCommand).resolves({ MessageId: 'report-1' });
  cwMock.on(PutMetricDataCommand).resolves({});
  const handler = createFailoverHandler({
    rds: (region) => createRdsClient({ ...common, region, endpoint: rdsEndpoint.url }),
    ssm: (region) => createSsmClient({ ...common, region, endpoint: ssmEndpoint.url }),
    sns: () => sns,
    cloudWatch: () => cloudWatch,
    config: parseFailoverConfig({
      ACTIVE_REGION_PARAMETER: PARAM,
      PRIMARY_REGION: PRIMARY,
      DR_REGION: DR,
      TOPIC_ARN: `arn:aws:sns:${DR}:${ACCOUNT}:dr-alerts`,
      METRIC_NAMESPACE: 'CdkCompliantBackup/DR',
      RTO_SECONDS: '900',
      POLL_INTERVAL_MS: '1',
      ...(options.replicas ? { RDS_REPLICAS: JSON.stringify(options.replicas) } : {}),
    }),
    functionRegion: DR,
    logger: new Logger({ serviceName: 'failover-faults' }),
  });
  const run = async (event: unknown): Promise<{ result?: FailoverResult; thrown?: unknown }> => {
    try {
      return { result: await handler(event) };
    } catch (thrown) {
      return { thrown };
    }
  };
  const reports = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);
  const flips = () => ssmEndpoint.requests.filter((r) => ssmTarget(r).endsWith('.PutParameter'));
  return { run, ssmEndpoint, rdsEndpoint, reports, flips };
}

function evidence(
  outcome: { result?: FailoverResult; thrown?: unknown },
  attempts: number,
  reports: PublishCommandInput[],
  extra: Partial<Evidence> = {},
): Evidence {
  const back = outcome.thrown !== undefined;
  const failedSteps = (outcome.thrown as { result?: FailoverResult } | undefined)?.result?.steps.filter((s) => s.status === 'failed') ?? [];
  return {
    failedBack: back,
    attempts,
    completed: !back && outcome.result?.steps.every((s) => s.status !== 'failed') === true && reports.length === 1,
    partialRecord: false,
    ...(failedSteps.length > 0 && reports.length > 0 ? { failureRecorded: `failed step ${failedSteps.map((s) => s.name).join(', ')} in the report` } : {}),
    ...(back ? { alarm: reports.length > 0 ? `${HANDED_BACK.failover}; ${ALERTS.failoverReport}` : HANDED_BACK.failover } : {}),
    ...extra,
  };
}

describe.each([
  ['throttling', jsonError(400, 'ThrottlingException', '1.1')],
  ['5xx', bare5xx(500)],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on SSM GetParameter (reading the active region)', (fault, misbehaviour) => {
  test('once: the SDK retries; the parameter is flipped and the run reported', async () => {
    const { run, ssmEndpoint, reports, flips } = await
    failoverBehind(ssmScript([misbehaviour, parameterHolds(PRIMARY)]), { timeouts: timeoutsFor(misbehaviour) });

    const outcome = await run({ action: 'switchover' });

    expect(outcome.result?.steps.map((s) => [s.name, s.status])).toEqual([['read-active-region', 'done'], ['flip-active-region', 'done']]);
    expect(flips()).toHaveLength(1);
    const attempts = ssmEndpoint.requests.filter((r) => ssmTarget(r).endsWith('.GetParameter')).length;
    matrix.expectOutcome('failover', fault, `${fault} once on GetParameter`, 'retry-succeeded', evidence(outcome, attempts, reports()));
  });

  test('on every attempt: nothing is flipped; the failed step is reported and the step fails', async () => {
    const { run, ssmEndpoint, reports, flips } = await failoverBehind(ssmScript([misbehaviour]), { timeouts: timeoutsFor(misbehaviour) });

    const outcome = await run({ action: 'switchover' });

    expect(outcome.thrown).toMatchObject({ name: 'FailoverStepFailed' });
    expect(ssmEndpoint.requests).toHaveLength(5);
    expect(flips()).toEqual([]);
    expect(reports()).toHaveLength(1);
    expect(reports()[0].MessageAttributes?.outcome?.StringValue).toBe('failed');
    matrix.expectOutcome('failover', fault, `${fault} on every GetParameter attempt (5)`, 'handed-back', evidence(outcome, 5, reports()));
  });
});

test('malformed event: an unknown action is refused before anything is read or changed', async () => {
  const { run, ssmEndpoint, reports } = await failoverBehind(ssmScript([parameterHolds(PRIMARY)]));

  const outcome = await run({ action: 'explode' });

  expect(outcome.thrown).toMatchObject({ name: 'FailoverEventError' });
  expect(ssmEndpoint.requests).toEqual([]);
  matrix.expectOutcome('failover', 'malformed event', '{"action":"explode"}', 'handed-back', evidence(outcome, 1, reports()));
});

test('unexpected event: an event meant for another function is refused, naming what was received', async () => {
  const { run, ssmEndpoint, reports } = await failoverBehind(ssmScript([parameterHolds(PRIMARY)]));

  const outcome = await run({ 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'detail': {} });

  expect(outcome.thrown).toMatchObject({ name: 'FailoverEventError', message: expect.stringContaining('unrecognised event (keys: source, detail-type, detail)') });
  expect(ssmEndpoint.requests).toEqual([]);
  matrix.expectOutcome('failover', 'unexpected event', 'an EventBridge scheduled event', 'handed-back', evidence(outcome, 1, reports()));
});

test('resource gone: a DR replica that no longer exists stops the run before the flip; the report names it', async () => {
  const { run, reports, flips } = await failoverBehind(ssmScript([parameterHolds(PRIMARY)]), {
    replicas: ['orders-replica'],
    rds: () => queryError(404, 'DBInstanceNotFound'),
  });

  const outcome = await run({ action: 'failover' });

  expect(outcome.thrown).toMatchObject({ name: 'FailoverStepFailed' });
  expect(flips()).toEqual([]);
  expect(reports()[0].Message).toContain('rds:orders-replica');
  matrix.expectOutcome('failover', 'resource gone', 'RDS replica deleted (DescribeDBInstances DBInstanceNotFound)', 'handed-back', evidence(outcome, 1, reports()));
});

test('partial batch: one of two databases fails its check; neither is changed, nothing is flipped', async () => {
  const stillAReplica = '<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance><DBInstanceIdentifier>orders-b</DBInstanceIdentifier>'
    + '<DBInstanceStatus>available</DBInstanceStatus><ReadReplicaSourceDBInstanceIdentifier>arn:aws:rds:us-east-1:111122223333:db:orders-b-src</ReadReplicaSourceDBInstanceIdentifier>'
    + '</DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>';
  const { run, rdsEndpoint, reports, flips } = await failoverBehind(ssmScript([parameterHolds(PRIMARY)]), {
    replicas: ['orders-a', 'orders-b'],
    rds: (r) => (r.body.includes('orders-a') ? queryError(404, 'DBInstanceNotFound') : { kind: 'reply', status: 200, headers: { 'content-type': 'text/xml' }, body: stillAReplica }),
  });

  const outcome = await run({ action: 'failover' });

  expect(outcome.thrown).toMatchObject({ name: 'FailoverStepFailed' });
  expect(rdsEndpoint.requests.some((r) => r.body.includes('Action=PromoteReadReplica'))).toBe(false);
  expect(flips()).toEqual([]);
  expect((outcome.thrown as { result: FailoverResult }).result.steps.map((s) => [s.name, s.status])).toEqual([
    ['read-active-region', 'done'], ['rds:orders-a', 'failed'], ['rds:orders-b', 'skipped'],
  ]);
  matrix.expectOutcome('failover', 'partial batch', 'one of two RDS replicas is gone', 'handed-back', evidence(outcome, 1, reports()));
});
