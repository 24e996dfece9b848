/**
 * Tests for lambda-src/readiness.lambda.ts: the scheduled check that measures the real RPO of
 * the DR region and publishes it as CloudWatch metrics.
 *
 * SDK clients are stubbed per region with aws-sdk-client-mock. Stubs skip the SDK middleware,
 * so the throttling test swaps the DR Backup client's HTTP transport for an in-process fake
 * instead: the real serializer, retry strategy and parser run, and nothing leaves the process.
 * Date is faked (timers are not) so ages and timestamps are exact.
 */
import { DescribeRegionSettingsCommand, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import {
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDataQuery,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseReadinessConfig, ReadinessConfigError, type ReadinessConfig } from '../../lambda-src/readiness/config';
import { evaluateReadiness, newestRecoveryPoint } from '../../lambda-src/readiness/evaluate';
import { replaceEnv, setHandlerEnv } from '../support/fake-aws';
import { fakeTransport as jsonTransport, transportSwap, type ScriptedReply } from '../support/fake-transport';

type HandlerModule = typeof import('../../lambda-src/readiness.lambda');

const DR = 'eu-central-1';
const PRIMARY = 'us-east-1';
const ACCOUNT = '111122223333';
const NS = 'CdkCompliantBackup/DR';
const VAULT = 'dr-vault';
const DB_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:orders-db`;
const TABLE_ARN = `arn:aws:dynamodb:${PRIMARY}:${ACCOUNT}:table/orders`;
const NOW = new Date('2026-11-03T12:00:00.000Z');
const RPO = 3600;

const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const rp = (id: string, createdSecondsAgo: number, status = 'COMPLETED', resourceArn = DB_ARN) => ({
  RecoveryPointArn: `arn:aws:backup:${DR}:${ACCOUNT}:recovery-point:${id}`,
  ResourceArn: resourceArn,
  ResourceType: 'RDS',
  BackupVaultName: VAULT,
  Status: status as 'COMPLETED',
  CreationDate: ago(createdSecondsAgo),
});

const BASE_ENV: Record<string, string> = {
  DR_REGION: DR,
  PRIMARY_REGION: PRIMARY,
  RPO_SECONDS: String(RPO),
  METRIC_NAMESPACE: NS,
  DR_VAULT_NAME: VAULT,
  PROTECTED_RESOURCES: JSON.stringify([{ arn: DB_ARN, resourceType: 'RDS' }]),
};
const CONFIG_KEYS = ['DR_REGION', 'PRIMARY_REGION', 'RPO_SECONDS', 'METRIC_NAMESPACE', 'DR_VAULT_NAME', 'PROTECTED_RESOURCES',
  'BACKUP_RESOURCE_TYPES', 'REPLICATION', 'DATABASES', 'METRIC_LOOKBACK_SECONDS', 'PRIMARY_REGION_TIMEOUT_MS', 'HEALTH_CHECK_ID'];

function setConfig(overrides: Record<string, string | undefined> = {}) {
  replaceEnv(CONFIG_KEYS, { ...BASE_ENV, ...overrides });
}

let mod: HandlerModule;
let restoreEnv: () => void;
let backupDr: AwsClientStub<any>;
let backupPrimary: AwsClientStub<any>;
let cwDr: AwsClientStub<any>;
let cwPrimary: AwsClientStub<any>;

beforeAll(() => {
  restoreEnv = setHandlerEnv(DR, {}, CONFIG_KEYS);
  mod = jest.requireActual<HandlerModule>('../../lambda-src/readiness.lambda');
});

afterAll(() => {
  restoreEnv();
});

beforeEach(() => {
  // Only Date is faked: the SDK's retry delays and the primary-region deadline use real timers.
  jest.useFakeTimers({
    now: NOW,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
      'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval',
      'setTimeout', 'clearTimeout'],
  });
  setConfig();
  backupDr = mockClient(mod.backupClient(DR));
  backupPrimary = mockClient(mod.backupClient(PRIMARY));
  cwDr = mockClient(mod.cloudWatchClient(DR));
  cwPrimary = mockClient(mod.cloudWatchClient(PRIMARY));
  cwDr.on(PutMetricDataCommand).resolves({});
});

afterEach(() => {
  jest.useRealTimers();
  backupDr.restore();
  backupPrimary.restore();
  cwDr.restore();
  cwPrimary.restore();
});

function putMetricInput(): PutMetricDataCommandInput {
  const calls = cwDr.commandCalls(PutMetricDataCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

const count = (MetricName: string, Value: number) => ({ MetricName, Value, Unit: 'Count', Timestamp: NOW });

describe('recovery points in the DR vault', () => {
  test('a fresh recovery point is no breach, and the metrics are exactly the age, max, missing, breaches and unknown', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('old', 5000), rp('new', 600)] });

    const summary = await mod.handler();

    expect(backupDr).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: VAULT, ByResourceArn: DB_ARN });
    expect(summary.breaches).toBe(0);
    expect(summary.unknown).toBe(0);
    expect(summary.checks).toEqual([expect.objectContaining({
      type: 'recovery-point', target: DB_ARN, status: 'OK', valueSeconds: 600, thresholdSeconds: RPO,
    })]);
    expect(summary.checks[0].detail).toContain(`recovery-point:new holds data from ${ago(600).toISOString()}`);
    expect(putMetricInput()).toEqual({
      Namespace: NS,
      MetricData: [
        { MetricName: 'RecoveryPointAgeSeconds', Dimensions: [{ Name: 'ResourceArn', Value: DB_ARN }], Value: 600, Unit: 'Seconds', Timestamp: NOW },
        { MetricName: 'MaxRecoveryPointAgeSeconds', Value: 600, Unit: 'Seconds', Timestamp: NOW },
        count('MissingRecoveryPoints', 0),
        count('RpoBreaches', 0),
        count('ChecksUnknown', 0),
      ],
    });
    // Nothing configured for replication, databases or opt-in: no other API is touched.
    expect(cwDr).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(cwPrimary.calls()).toHaveLength(0);
    expect(backupPrimary.calls()).toHaveLength(0);
  });

  test('a recovery point older than the RPO is a breach: RpoBreaches=1', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('stale', RPO + 900)] });

    const summary = await mod.handler();

    expect(summary.breaches).toBe(1);
    expect(summary.checks[0]).toMatchObject({ status: 'BREACH', valueSeconds: RPO + 900 });
    const data = putMetricInput().MetricData!;
    expect(data).toContainEqual({ MetricName: 'RecoveryPointAgeSeconds', Dimensions: [{ Name: 'ResourceArn', Value: DB_ARN }], Value: 4500, Unit: 'Seconds', Timestamp: NOW });
    expect(data).toContainEqual({ MetricName: 'MaxRecoveryPointAgeSeconds', Value: 4500, Unit: 'Seconds', Timestamp: NOW });
    expect(data).toContainEqual(count('RpoBreaches', 1));
    expect(data).toContainEqual(count('MissingRecoveryPoints', 0));
  });

  test('no usable recovery point is a breach counted in MissingRecoveryPoints, with no age published', async () => {
    // Only a PARTIAL and a CREATING one: neither can be relied on for a restore.
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('p', 60, 'PARTIAL'), rp('c', 10, 'CREATING')] });

    const summary = await mod.handler();

    expect(summary).toMatchObject({ breaches: 1, missingRecoveryPoints: 1, unknown: 0 });
    expect(summary.checks[0]).toMatchObject({ status: 'BREACH', valueSeconds: null, detail: 'no completed recovery point in the DR vault' });
    expect(putMetricInput().MetricData).toEqual([
      count('MissingRecoveryPoints', 1),
      count('RpoBreaches', 1),
      count('ChecksUnknown', 0),
    ]);
  });

  test('all pages are read: the newest recovery point on the second page wins', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [rp('a', 9000)], NextToken: 'page-2' })
      .resolvesOnce({ RecoveryPoints: [rp('b', 120)] });

    const summary = await mod.handler();

    expect(backupDr).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 2);
    expect(backupDr).toHaveReceivedNthSpecificCommandWith(2, ListRecoveryPointsByBackupVaultCommand, { NextToken: 'page-2', ByResourceArn: DB_ARN });
    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 120 });
  });

  test('without PROTECTED_RESOURCES every resource in the DR vault is measured', async () => {
    setConfig({ PROTECTED_RESOURCES: undefined });
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [rp('db-1', 300), rp('t-1', 7200, 'COMPLETED', TABLE_ARN), rp('t-2', 60, 'EXPIRED', TABLE_ARN)],
    });

    const summary = await mod.handler();

    const call = backupDr.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0].input;
    expect(call.ByResourceArn).toBeUndefined();
    expect(summary.checks.map((c) => [c.target, c.status, c.valueSeconds])).toEqual([
      [TABLE_ARN, 'BREACH', 7200], // the EXPIRED newer one does not count
      [DB_ARN, 'OK', 300],
    ]);
    expect(putMetricInput().MetricData).toContainEqual({ MetricName: 'MaxRecoveryPointAgeSeconds', Value: 7200, Unit: 'Seconds', Timestamp: NOW });
  });

  test('a vault that cannot be listed makes the check UNKNOWN, not OK and not a crash', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    const summary = await mod.handler();

    expect(summary).toMatchObject({ breaches: 0, unknown: 1 });
    expect(summary.checks[0].detail).toContain('AccessDeniedException: User is not authorized');
    expect(putMetricInput().MetricData).toContainEqual(count('ChecksUnknown', 1));
  });
});

describe('AWS Backup opt-in', () => {
  test('a type not opted in in one region gives BackupOptInMissing=1 naming the type and the region', async () => {
    setConfig({ BACKUP_RESOURCE_TYPES: '["RDS","S3"]' });
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('new', 60)] });
    backupDr.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { RDS: true, S3: true, EFS: false } });
    backupPrimary.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { RDS: true, S3: false } });

    const summary = await mod.handler();

    expect(backupDr).toHaveReceivedCommandTimes(DescribeRegionSettingsCommand, 1);
    expect(backupPrimary).toHaveReceivedCommandTimes(DescribeRegionSettingsCommand, 1);
    expect(summary.optInMissing).toBe(1);
    expect(summary.breaches).toBe(0); // opt-in is its own metric, not an RPO breach
    const optIn = summary.checks.filter((c) => c.type === 'backup-opt-in');
    expect(optIn.map((c) => [c.target, c.status])).toEqual([
      ['RDS in eu-central-1', 'OK'], ['S3 in eu-central-1', 'OK'],
      ['RDS in us-east-1', 'OK'], ['S3 in us-east-1', 'BREACH'],
    ]);
    expect(optIn[3].detail).toContain('AWS Backup is not opted in for S3 in us-east-1');
    expect(putMetricInput().MetricData).toContainEqual(count('BackupOptInMissing', 1));
  });

  test('a type the region does not list counts as missing; an unanswered region is UNKNOWN', async () => {
    setConfig({ BACKUP_RESOURCE_TYPES: '["Aurora"]', DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined });
    backupDr.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { RDS: true } });
    backupPrimary.on(DescribeRegionSettingsCommand).rejects(Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' }));

    const summary = await mod.handler();

    expect(summary.checks).toEqual([
      expect.objectContaining({ target: 'Aurora in eu-central-1', status: 'BREACH', detail: expect.stringContaining('not listed by DescribeRegionSettings') }),
      expect.objectContaining({ target: 'Aurora in us-east-1', status: 'UNKNOWN', detail: expect.stringContaining('TimeoutError: connect ETIMEDOUT') }),
    ]);
    expect(backupDr).not.toHaveReceivedCommand(ListRecoveryPointsByBackupVaultCommand); // no DR vault configured
    expect(putMetricInput().MetricData).toEqual([count('BackupOptInMissing', 1), count('RpoBreaches', 0), count('ChecksUnknown', 1)]);
  });
});

// Answers GetMetricData with `values` (newest first) for the query ids given, nothing for others.
function metricAnswers(values: Record<string, number[]>) {
  return (input: { MetricDataQueries: MetricDataQuery[] }) => ({
    MetricDataResults: input.MetricDataQueries.map((q) => ({
      Id: q.Id,
      StatusCode: 'Complete',
      Values: values[q.Id!] ?? [],
      Timestamps: (values[q.Id!] ?? []).map((_, i) => ago(60 * (i + 1))),
    })),
  });
}

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

describe('database lag', () => {
  const dbEnv = (dbs: unknown[]) => setConfig({ DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined, DATABASES: JSON.stringify(dbs) });

  test('Aurora RPO lag above the RPO is a breach, read in the DR region and converted from ms', async () => {
    dbEnv([{ kind: 'aurora-global', identifier: 'orders-secondary', region: DR }]);
    cwDr.on(GetMetricDataCommand).callsFake(metricAnswers({ aurora_rpo_0: [4_000_000], aurora_rep_0: [900] }));

    const summary = await mod.handler();

    const queries = cwDr.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries!;
    expect(queries.map((q) => [q.Id, q.MetricStat!.Metric!.Namespace, q.MetricStat!.Metric!.MetricName, q.MetricStat!.Metric!.Dimensions])).toEqual([
      ['aurora_rpo_0', 'AWS/RDS', 'AuroraGlobalDBRPOLag', [{ Name: 'DBClusterIdentifier', Value: 'orders-secondary' }]],
      ['aurora_rep_0', 'AWS/RDS', 'AuroraGlobalDBReplicationLag', [{ Name: 'DBClusterIdentifier', Value: 'orders-secondary' }]],
    ]);
    expect(cwPrimary.calls()).toHaveLength(0);
    expect(summary.breaches).toBe(1);
    expect(summary.checks[0]).toMatchObject({ type: 'database', status: 'BREACH', valueSeconds: 4000 });
    expect(summary.checks[0].detail).toContain('AuroraGlobalDBRPOLag');
    expect(putMetricInput().MetricData).toEqual([
      { MetricName: 'DatabaseLagSeconds', Dimensions: [{ Name: 'Identifier', Value: 'orders-secondary' }], Value: 4000, Unit: 'Seconds', Timestamp: NOW },
      count('RpoBreaches', 1),
      count('ChecksUnknown', 0),
    ]);
  });

  test('Aurora MySQL has no RPO lag metric: the replication lag is used', async () => {
    dbEnv([{ kind: 'aurora-global', identifier: 'orders-secondary', region: DR }]);
    cwDr.on(GetMetricDataCommand).callsFake(metricAnswers({ aurora_rep_0: [1500] }));

    const summary = await mod.handler();

    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 1.5 });
    expect(summary.checks[0].detail).toContain('AuroraGlobalDBReplicationLag');
  });

  test('RDS ReplicaLag is in seconds; -1 (replication not running) is a breach', async () => {
    dbEnv([
      { kind: 'rds-replica', identifier: 'orders-replica', region: DR },
      { kind: 'rds-replica', identifier: 'billing-replica', region: DR },
    ]);
    cwDr.on(GetMetricDataCommand).callsFake(metricAnswers({ rds_0: [12], rds_1: [-1] }));

    const summary = await mod.handler();

    expect(summary.checks.map((c) => [c.target, c.status, c.valueSeconds])).toEqual([
      ['rds-replica orders-replica (eu-central-1)', 'OK', 12],
      ['rds-replica billing-replica (eu-central-1)', 'BREACH', null],
    ]);
    expect(summary.checks[1].detail).toContain('replication is not running');
    expect(putMetricInput().MetricData).toEqual([
      { MetricName: 'DatabaseLagSeconds', Dimensions: [{ Name: 'Identifier', Value: 'orders-replica' }], Value: 12, Unit: 'Seconds', Timestamp: NOW },
      count('RpoBreaches', 1),
      count('ChecksUnknown', 0),
    ]);
  });

  test('DynamoDB replication into the DR replica is read where it is emitted (the sending region)', async () => {
    dbEnv([{ kind: 'dynamodb-global', identifier: 'orders', region: DR }]);
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({ ddb_0: [850] }));

    const summary = await mod.handler();

    const q = cwPrimary.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries![0];
    expect(q.MetricStat!.Metric).toEqual({
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: [{ Name: 'TableName', Value: 'orders' }, { Name: 'ReceivingRegion', Value: DR }],
    });
    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 0.85 });
  });
});

describe('with the real SDK retry pipeline over an in-process transport', () => {
  const fakeTransport = (script: ScriptedReply[]) =>
    jsonTransport(script, { record: (request) => ({ method: request.method, path: request.path, query: { ...request.query } }) });
  beforeEach(() => {
    backupDr.restore(); // the real send, over the fake transport
  });
  const useTransport = transportSwap(() => mod.backupClient(DR));

  test('a throttled ListRecoveryPointsByBackupVault is retried by the SDK and then succeeds', async () => {
    const t = fakeTransport([
      { status: 400, errorType: 'ThrottlingException', body: { message: 'Rate exceeded' } },
      {
        status: 200,
        body: { RecoveryPoints: [{ RecoveryPointArn: 'rp-1', ResourceArn: DB_ARN, Status: 'COMPLETED', CreationDate: ago(300).getTime() / 1000 }] },
      },
    ]);
    useTransport(t);

    const summary = await mod.handler();

    expect(t.requests).toHaveLength(2);
    expect(t.requests[1].method).toBe('GET');
    expect(t.requests[1].path).toBe(`/backup-vaults/${VAULT}/recovery-points`);
    expect(t.requests[1].query).toMatchObject({ resourceArn: DB_ARN });
    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 300 });
    expect(summary.unknown).toBe(0);
  });
});

describe('configuration', () => {
  test('invalid JSON in an environment variable is a clear error, and the handler makes no call', async () => {
    setConfig({ PROTECTED_RESOURCES: '[{"arn": "arn:aws:rds:us-east-1:111122223333:db:orders"' });

    await expect(mod.handler()).rejects.toThrow(/PROTECTED_RESOURCES is not valid JSON \(.+\); got \[\{"arn"/);
    expect(backupDr.calls()).toHaveLength(0);
    expect(cwDr.calls()).toHaveLength(0);
  });

  test('every problem is reported at once, naming the variable and the value', () => {
    let error: unknown;
    try {
      parseReadinessConfig({
        DR_REGION: 'us-east-1',
        PRIMARY_REGION: 'us-east-1',
        RPO_SECONDS: '15m',
        METRIC_NAMESPACE: 'AWS/Backup',
        PROTECTED_RESOURCES: '[{"arn":"orders-db"}]',
        BACKUP_RESOURCE_TYPES: '"RDS"',
        REPLICATION: '[{"sourceBucket":"a"},{"sourceBucket":"","destinationBucket":"d","ruleId":"r"}]',
        DATABASES: '[{"kind":"oracle","identifier":"x","region":"us-east-1"}]',
        HEALTH_CHECK_ID: 'my-health-check',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ReadinessConfigError);
    const problems = (error as ReadinessConfigError).problems;
    expect(problems).toEqual([
      'DR_REGION and PRIMARY_REGION must differ, both are "us-east-1"',
      'RPO_SECONDS must be a positive whole number, got "15m"',
      'METRIC_NAMESPACE must be 1-255 letters, digits or . - _ / # : and must not start with "AWS/", got "AWS/Backup"',
      'PROTECTED_RESOURCES[0].arn must be a resource ARN (starting with "arn:"), got "orders-db"',
      'PROTECTED_RESOURCES is set but DR_VAULT_NAME is not: recovery points are measured in the DR vault, so name it',
      'BACKUP_RESOURCE_TYPES must be a JSON array, got "RDS"',
      'REPLICATION[0] needs non-empty string destinationBucket, ruleId, got {"sourceBucket":"a"}',
      'REPLICATION[1] needs non-empty string sourceBucket, got {"sourceBucket":"","destinationBucket":"d","ruleId":"r"}',
      'DATABASES[0].kind must be one of aurora-global, rds-replica, dynamodb-global, got "oracle"',
      'HEALTH_CHECK_ID must be a Route 53 health check id (a UUID), got "my-health-check"',
    ]);
    expect((error as Error).message).toMatch(/^readiness: invalid configuration:\n- DR_REGION and PRIMARY_REGION/);
  });

  test('a database in a third region is rejected: only the two DR regions are measured', () => {
    expect(() => parseReadinessConfig({ ...BASE_ENV, DATABASES: '[{"kind":"rds-replica","identifier":"r","region":"ap-south-1"}]' }))
      .toThrow('DATABASES[0].region must be DR_REGION (eu-central-1) or PRIMARY_REGION (us-east-1), got "ap-south-1"');
  });

  test('a valid environment parses with defaults', () => {
    expect(parseReadinessConfig(BASE_ENV)).toEqual({
      drRegion: DR,
      primaryRegion: PRIMARY,
      rpoSeconds: RPO,
      metricNamespace: NS,
      drVaultName: VAULT,
      protectedResources: [{ arn: DB_ARN, resourceType: 'RDS' }],
      backupResourceTypes: [],
      replication: [],
      databases: [],
      metricLookbackSeconds: 900,
      primaryRegionTimeoutMs: 8000,
    });
  });

  test('a failed PutMetricData fails the run, so the broken check itself is visible', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('new', 60)] });
    cwDr.on(PutMetricDataCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));

    await expect(mod.handler()).rejects.toThrow('not authorized');
  });
});

describe('pure evaluation', () => {
  const config: ReadinessConfig = parseReadinessConfig(BASE_ENV);

  test('the data time of a recovery point is the older of its creation and initiation dates', () => {
    const newest = newestRecoveryPoint([
      { RecoveryPointArn: 'copy', Status: 'COMPLETED', CreationDate: ago(60), InitiationDate: ago(3000) },
      { RecoveryPointArn: 'other', Status: 'AVAILABLE', CreationDate: ago(1200) },
    ]);
    expect(newest).toEqual({ recoveryPointArn: 'other', dataTime: ago(1200) });
  });

  test('an age exactly at the RPO is not a breach; one second more is', () => {
    const withAge = (seconds: number) => evaluateReadiness(config, {
      recoveryPoints: [{ resourceArn: DB_ARN, newest: { dataTime: ago(seconds) } }], replication: [], databases: [], optIn: [],
    }, NOW);
    const at = withAge(RPO);
    const over = withAge(RPO + 1);
    expect(at.summary.breaches).toBe(0);
    expect(over.summary.breaches).toBe(1);
  });
});
