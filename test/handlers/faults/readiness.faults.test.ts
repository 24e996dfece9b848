/**
 * Faults in the readiness check, recorded in the fault matrix (test/support/fault-matrix.ts).
 *
 * The Backup and CloudWatch clients are the handler's production clients (short timeouts) over
 * real sockets to misbehaving endpoints on 127.0.0.1, one pair per region. What the run publishes
 * is read from the PutMetricData requests it sends: the DR alarms see exactly that.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createBackupClient, createCloudWatchClient } from '../../../lambda-src/readiness/clients';
import { parseReadinessConfig } from '../../../lambda-src/readiness/config';
import type { ReadinessSummary } from '../../../lambda-src/readiness/evaluate';
import { createReadinessHandler } from '../../../lambda-src/readiness/handler';
import { bare5xx, json10, jsonError, restJson, restJsonError } from '../../support/aws-wire';
import { FAKE_CREDENTIALS } from '../../support/fake-aws';
import { ALERTS, HANDED_BACK } from '../../support/fault-alarms';
import { faultMatrix, type Evidence } from '../../support/fault-matrix';
import {
  HANG_TIMEOUTS,
  PATIENT_TIMEOUTS,
  startFaultyEndpoint,
  timeoutsFor,
  type FaultyEndpoint,
  type Misbehaviour,
  type SeenRequest,
  type TestTimeouts,
} from '../../support/faulty-endpoint';

const matrix = faultMatrix();
// A hang is injected 5 times, 1 s each (HANG_TIMEOUTS), before the handler gives up on it: a
// generous bound for a busy machine, not a speed check.
jest.setTimeout(60_000);

const DR = 'eu-central-1';
const PRIMARY = 'us-east-1';
const ACCOUNT = '111122223333';
const DB_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:orders-db`;
const TABLE_ARN = `arn:aws:dynamodb:${PRIMARY}:${ACCOUNT}:table/orders`;
const NOW = Date.now();

const endpoints: FaultyEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

const recoveryPoint = (resourceArn: string, secondsAgo: number) => ({
  RecoveryPointArn: `arn:aws:backup:${DR}:${ACCOUNT}:recovery-point:${secondsAgo}`,
  ResourceArn: resourceArn,
  Status: 'COMPLETED',
  CreationDate: (NOW - secondsAgo * 1000) / 1000,
});
const listedFor = (arn: string) => restJson({ RecoveryPoints: [recoveryPoint(arn, 600)] });
const resourceOf = (r: SeenRequest) => new URL(r.url, 'http://x').searchParams.get('resourceArn') ?? '';
const putAccepted = json10({});

interface Scripts {
  readonly backup: (r: SeenRequest) => Misbehaviour;
  readonly drCloudWatch?: (r: SeenRequest) => Misbehaviour;
  readonly primaryCloudWatch?: (r: SeenRequest) => Misbehaviour;
}

async function readinessBehind(scripts: Scripts, env: Record<string, string> = {}, timeouts: TestTimeouts = PATIENT_TIMEOUTS) {
  const start = (script: (r: SeenRequest) => Misbehaviour) => startFaultyEndpoint(script).then((e) => {
    endpoints.push(e);
    return e;
  });
  const backupEndpoint = await start(scripts.backup);
  const drCloudWatch = await start(scripts.drCloudWatch ?? (() => putAccepted));
  const primaryCloudWatch = await start(scripts.primaryCloudWatch ?? (() => json10({ MetricDataResults: [] })));
  const common = { credentials: FAKE_CREDENTIALS, requestHandler: timeouts };
  const config = parseReadinessConfig({
    DR_REGION: DR,
    PRIMARY_REGION: PRIMARY,
    RPO_SECONDS: '3600',
    METRIC_NAMESPACE: 'CdkCompliantBackup/DR',
    DR_VAULT_NAME: 'dr-vault',
    PROTECTED_RESOURCES: JSON.stringify([{ arn: DB_ARN, resourceType: 'RDS' }]),
    PRIMARY_REGION_TIMEOUT_MS: '2000',
    ...env,
  });
  const handler = createReadinessHandler({
    backup: (region) => createBackupClient({ ...common, region, endpoint: backupEndpoint.url }),
    cloudWatch: (region) => createCloudWatchClient({ ...common, region, endpoint: region === DR ? drCloudWatch.url : primaryCloudWatch.url }),
    config,
    logger: new Logger({ serviceName: 'readiness-faults' }),
  });
  const run = async (): Promise<{ summary?: ReadinessSummary; thrown?: unknown }> => {
    try {
      return { summary: await handler() };
    } catch (thrown) {
      return { thrown };
    }
  };
  /** Metric name → value, from the PutMetricData requests the DR CloudWatch endpoint answered. */
  const published = () => new Map<string, number>(drCloudWatch.requests
    .filter((r) => String(r.headers['x-amz-target']).endsWith('.PutMetricData'))
    .flatMap((r) => (JSON.parse(r.body) as { MetricData: Array<{ MetricName: string; Value: number }> }).MetricData)
    .map((d) => [d.MetricName, d.Value]));
  return { run, backupEndpoint, drCloudWatch, published };
}

/**
 * What the DR alarms see: an unknown recovery-point age is a missing maximum (RecoveryPointAgeAlarm
 * treats it as breaching); an unknown lag check raises ChecksUnknown, which ChecksUnknownAlarm watches.
 */
function evidence(
  outcome: { summary?: ReadinessSummary; thrown?: unknown },
  attempts: number,
  published: Map<string, number>,
  extra: Partial<Evidence> = {},
): Evidence {
  const back = outcome.thrown !== undefined;
  const unknown = outcome.summary?.unknown ?? 0;
  const ageMissing = published.size > 0 && !published.has('MaxRecoveryPointAgeSeconds');
  return {
    failedBack: back,
    attempts,
    completed: !back && unknown === 0 && published.has('RpoBreaches'),
    partialRecord: false,
    ...(unknown > 0 ? { failureRecorded: `${unknown} check(s) UNKNOWN; ChecksUnknown=${published.get('ChecksUnknown')} published` } : {}),
    ...(unknown > 0 ? { alarm: ageMissing ? `${ALERTS.checksUnknown}; ${ALERTS.recoveryPointAgeMissing}` : ALERTS.checksUnknown } : {}),
    ...(back ? { alarm: `${HANDED_BACK.readiness} (${ALERTS.rpoBreachesMissing})` } : {}),
    ...extra,
  };
}

describe.each([
  ['throttling', restJsonError(429, 'ThrottlingException')],
  ['5xx', bare5xx(503)],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on ListRecoveryPointsByBackupVault', (fault, misbehaviour) => {
  test('once: the SDK retries, the recovery point is measured and every metric published', async () => {
    let n = 0;
    const { run, backupEndpoint, published } = await
    readinessBehind({ backup: () => (n++ === 0 ? misbehaviour : listedFor(DB_ARN)) }, {}, timeoutsFor(misbehaviour));

    const outcome = await run();

    expect(outcome.summary).toMatchObject({ breaches: 0, unknown: 0 });
    expect(published().get('MaxRecoveryPointAgeSeconds')).toBeGreaterThan(0);
    matrix.expectOutcome('readiness', fault, `${fault} once on ListRecoveryPointsByBackupVault`, 'retry-succeeded',
      evidence(outcome, backupEndpoint.requests.length, published()));
  });

  test('on every attempt: the check is UNKNOWN and the age is not published, so the age alarm fires', async () => {
    const { run, backupEndpoint, published } = await readinessBehind({ backup: () => misbehaviour }, {}, timeoutsFor(misbehaviour));

    const outcome = await run();

    expect(backupEndpoint.requests).toHaveLength(5);
    expect(outcome.summary).toMatchObject({ unknown: 1 });
    expect(published().get('ChecksUnknown')).toBe(1);
    expect(published().has('MaxRecoveryPointAgeSeconds')).toBe(false);
    matrix.expectOutcome('readiness', fault, `${fault} on every ListRecoveryPointsByBackupVault attempt (5)`, 'recorded-and-alarmed',
      evidence(outcome, 5, published()));
  });
});

test('5xx on PutMetricData on every attempt: the run fails, and the RPO alarm fires on the missing data point', async () => {
  const { run, drCloudWatch } = await readinessBehind({ backup: () => listedFor(DB_ARN), drCloudWatch: () => bare5xx(500) });

  const outcome = await run();

  expect(outcome.thrown).toBeDefined();
  expect(drCloudWatch.requests).toHaveLength(5);
  matrix.expectOutcome('readiness', '5xx', '5xx on every PutMetricData attempt (5)', 'handed-back', evidence(outcome, 5, new Map()));
});

test('timeout on the primary region\'s CloudWatch: the replication check is UNKNOWN, and ChecksUnknown alarms', async () => {
  const { run, published } = await readinessBehind({ backup: () => listedFor(DB_ARN), primaryCloudWatch: () => ({ kind: 'hang' }) }, {
    REPLICATION: JSON.stringify([{ sourceBucket: 'orders', destinationBucket: 'orders-dr', ruleId: 'dr' }]),
  }, HANG_TIMEOUTS);

  const outcome = await run();

  expect(outcome.summary?.checks.find((c) => c.type === 'replication')).toMatchObject({ status: 'UNKNOWN' });
  expect(published().get('ChecksUnknown')).toBe(1);
  expect(published().get('RpoBreaches')).toBe(0);
  matrix.expectOutcome('readiness', 'timeout', 'the primary region\'s CloudWatch never answers (replication latency)', 'recorded-and-alarmed',
    evidence(outcome, 1, published()));
});

test('malformed and unexpected events: not applicable', () => {
  const reason = 'the scheduled event carries nothing the run reads: any event starts the same run';
  matrix.notApplicable('readiness', 'malformed event', reason);
  matrix.notApplicable('readiness', 'unexpected event', reason);
});

test('resource gone: a DR vault that no longer exists makes the check UNKNOWN, and the age alarm fires', async () => {
  const { run, published } = await readinessBehind({ backup: () => restJsonError(404, 'ResourceNotFoundException') });

  const outcome = await run();

  expect(outcome.summary?.checks[0].detail).toContain('ResourceNotFoundException');
  expect(published().has('MaxRecoveryPointAgeSeconds')).toBe(false);
  matrix.expectOutcome('readiness', 'resource gone', 'DR vault deleted (ResourceNotFoundException)', 'recorded-and-alarmed', evidence(outcome, 1, published()));
});

test('partial batch: one of two protected resources cannot be listed; the maximum age is not published over the other alone', async () => {
  const { run, published } = await readinessBehind(
    { backup: (r) => (resourceOf(r) === TABLE_ARN ? bare5xx(503) : listedFor(DB_ARN)) },
    { PROTECTED_RESOURCES: JSON.stringify([{ arn: DB_ARN }, { arn: TABLE_ARN }]) },
  );

  const outcome = await run();

  expect(outcome.summary?.checks.map((c) => c.status)).toEqual(['OK', 'UNKNOWN']);
  expect(published().has('RecoveryPointAgeSeconds')).toBe(true);
  expect(published().has('MaxRecoveryPointAgeSeconds')).toBe(false);
  matrix.expectOutcome('readiness', 'partial batch', 'one of two protected resources meets a 503 on every attempt', 'recorded-and-alarmed',
    evidence(outcome, 5, published()));
});

test('a known error type from CloudWatch is read as such (wire format check)', async () => {
  const { run } = await readinessBehind({ backup: () => listedFor(DB_ARN), drCloudWatch: () => jsonError(400, 'AccessDenied') });

  const outcome = await run();

  expect(outcome.thrown).toMatchObject({ name: 'AccessDenied' });
});
