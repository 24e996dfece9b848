/**
 * Shared set-up and helpers for the *.test.ts files of this folder (one file per concern).
 *
 * Tests for lambda-src/readiness.lambda.ts: the scheduled check that measures the real RPO of
 * the DR region and publishes it as CloudWatch metrics.
 *
 * SDK clients are stubbed per region with aws-sdk-client-mock. Stubs skip the SDK middleware,
 * so the throttling test swaps the DR Backup client's HTTP transport for an in-process fake
 * instead: the real serializer, retry strategy and parser run, and nothing leaves the process.
 * Date is faked (timers are not) so ages and timestamps are exact.
 */
import { PutMetricDataCommand, type MetricDataQuery, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { replaceEnv, setHandlerEnv } from '../../support/fake-aws';

export type HandlerModule = typeof import('../../../lambda-src/readiness.lambda');

export const DR = 'eu-central-1';
export const PRIMARY = 'us-east-1';
export const ACCOUNT = '111122223333';
export const NS = 'CdkCompliantBackup/DR';
export const VAULT = 'dr-vault';
export const DB_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:orders-db`;
export const TABLE_ARN = `arn:aws:dynamodb:${PRIMARY}:${ACCOUNT}:table/orders`;
export const NOW = new Date('2026-11-03T12:00:00.000Z');
export const RPO = 3600;

export const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
export const rp = (id: string, createdSecondsAgo: number, status = 'COMPLETED', resourceArn = DB_ARN) => ({
  RecoveryPointArn: `arn:aws:backup:${DR}:${ACCOUNT}:recovery-point:${id}`,
  ResourceArn: resourceArn,
  ResourceType: 'RDS',
  BackupVaultName: VAULT,
  Status: status as 'COMPLETED',
  CreationDate: ago(createdSecondsAgo),
});

export const BASE_ENV: Record<string, string> = {
  DR_REGION: DR,
  PRIMARY_REGION: PRIMARY,
  RPO_SECONDS: String(RPO),
  METRIC_NAMESPACE: NS,
  DR_VAULT_NAME: VAULT,
  PROTECTED_RESOURCES: JSON.stringify([{ arn: DB_ARN, resourceType: 'RDS' }]),
};
export const CONFIG_KEYS = ['DR_REGION', 'PRIMARY_REGION', 'RPO_SECONDS', 'METRIC_NAMESPACE', 'DR_VAULT_NAME', 'PROTECTED_RESOURCES',
  'BACKUP_RESOURCE_TYPES', 'REPLICATION', 'DATABASES', 'METRIC_LOOKBACK_SECONDS', 'PRIMARY_REGION_TIMEOUT_MS', 'HEALTH_CHECK_ID'];

export function setConfig(overrides: Record<string, string | undefined> = {}) {
  replaceEnv(CONFIG_KEYS, { ...BASE_ENV, ...overrides });
}

export let mod: HandlerModule;
export let restoreEnv: () => void;
export let backupDr: AwsClientStub<any>;
export let backupPrimary: AwsClientStub<any>;
export let cwDr: AwsClientStub<any>;
export let cwPrimary: AwsClientStub<any>;

export function putMetricInput(): PutMetricDataCommandInput {
  const calls = cwDr.commandCalls(PutMetricDataCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

export const count = (MetricName: string, Value: number) => ({ MetricName, Value, Unit: 'Count', Timestamp: NOW });

// Answers GetMetricData with `values` (newest first) for the query ids given, nothing for others.
export function metricAnswers(values: Record<string, number[]>) {
  return (input: { MetricDataQueries: MetricDataQuery[] }) => ({
    MetricDataResults: input.MetricDataQueries.map((q) => ({
      Id: q.Id,
      StatusCode: 'Complete',
      Values: values[q.Id!] ?? [],
      Timestamps: (values[q.Id!] ?? []).map((_, i) => ago(60 * (i + 1))),
    })),
  });
}

/** Loads the handler with its environment once and gives every test fresh per-region client stubs. */
export function installReadinessStubs(): void {
  beforeAll(() => {
    restoreEnv = setHandlerEnv(DR, {}, CONFIG_KEYS);
    mod = jest.requireActual<HandlerModule>('../../../lambda-src/readiness.lambda');
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
}
