/**
 * Faults in vault-alert, recorded in the fault matrix (test/support/fault-matrix.ts).
 *
 * Both clients are the handler's production clients (short timeouts) over real sockets to
 * misbehaving endpoints on 127.0.0.1: AWS Backup (REST-JSON) for the best-effort description,
 * SNS (Query) for the alert that must not be lost.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createBackupClient, createSnsClient } from '../../../lambda-src/vault-alert/clients';
import { createVaultAlertHandler, type AlertResult } from '../../../lambda-src/vault-alert/handler';
import { bare5xx, queryError, restJson, restJsonError, snsPublished } from '../../support/aws-wire';
import { FAKE_CREDENTIALS, TEST_REGION } from '../../support/fake-aws';
import { ALERTS, HANDED_BACK } from '../../support/fault-alarms';
import { faultMatrix, type Evidence } from '../../support/fault-matrix';
import { PATIENT_TIMEOUTS, startFaultyEndpoint, timeoutsFor, type FaultyEndpoint, type Misbehaviour, type Script, type TestTimeouts } from '../../support/faulty-endpoint';

const matrix = faultMatrix();
// A hang is injected 5 times, 1 s each (HANG_TIMEOUTS), before the handler gives up on it: a
// generous bound for a busy machine, not a speed check.
jest.setTimeout(60_000);

const ACCOUNT = '111122223333';
const JOB_ID = 'a1b2c3d4-5678-90ab-cdef-111111111111';
const TOPIC_ARN = `arn:aws:sns:${TEST_REGION}:${ACCOUNT}:backup-alerts`;
const VAULT_ARN = `arn:aws:backup:${TEST_REGION}:${ACCOUNT}:backup-vault:prod-vault`;

const endpoints: FaultyEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

const failedBackupJob = (detail: Record<string, unknown> = {}) => ({
  'version': '0',
  'id': 'evt-1',
  'detail-type': 'Backup Job State Change',
  'source': 'aws.backup',
  'account': ACCOUNT,
  'time': '2026-11-03T03:12:09Z',
  'region': TEST_REGION,
  'resources': [],
  'detail': { backupJobId: JOB_ID, backupVaultArn: VAULT_ARN, backupVaultName: 'prod-vault', resourceType: 'RDS', state: 'FAILED', statusMessage: 'from the event', ...detail },
});

const described = restJson({ BackupJobId: JOB_ID, BackupVaultName: 'prod-vault', State: 'FAILED', StatusMessage: 'Described: KMS key disabled', ResourceName: 'orders-db' });

/** The handler over both misbehaving endpoints; `run` never throws, it reports what happened. */
async function vaultAlertBehind(backupScript: Script, snsScript: Script, timeouts: TestTimeouts = PATIENT_TIMEOUTS) {
  const backupEndpoint = await startFaultyEndpoint(backupScript);
  const snsEndpoint = await startFaultyEndpoint(snsScript);
  endpoints.push(backupEndpoint, snsEndpoint);
  const common = { region: TEST_REGION, credentials: FAKE_CREDENTIALS, requestHandler: timeouts };
  const handler = createVaultAlertHandler({
    backup: createBackupClient({ ...common, endpoint: backupEndpoint.url }),
    sns: createSnsClient({ ...common, endpoint: snsEndpoint.url }),
    config: { topicArn: TOPIC_ARN, vaultName: 'prod-vault', enrichmentTimeoutMs: 20_000, region: TEST_REGION },
    logger: new Logger({ serviceName: 'vault-alert-faults' }),
  });
  const run = async (event: unknown): Promise<{ result?: AlertResult; thrown?: unknown }> => {
    try {
      return { result: await handler(event) };
    } catch (thrown) {
      return { thrown };
    }
  };
  return { run, backupEndpoint, snsEndpoint };
}

/** The alert text of the last Publish request, as sent (a form-encoded Query request). */
const lastMessage = (endpoint: FaultyEndpoint) => new URLSearchParams(endpoint.requests[endpoint.requests.length - 1]?.body ?? '').get('Message') ?? '';

function evidence(outcome: { result?: AlertResult; thrown?: unknown }, attempts: number, extra: Partial<Evidence> = {}): Evidence {
  const published = outcome.result?.published === true;
  return {
    failedBack: outcome.thrown !== undefined,
    attempts,
    completed: published,
    partialRecord: false,
    ...(outcome.thrown !== undefined ? { alarm: HANDED_BACK['vault-alert'] } : {}),
    ...extra,
  };
}

describe.each([
  ['throttling', queryError(400, 'Throttling')],
  ['5xx', queryError(500, 'InternalError')],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on SNS Publish', (fault, misbehaviour) => {
  test('once: the SDK retries and the alert is published', async () => {
    const { run, snsEndpoint } = await vaultAlertBehind([described], [misbehaviour, snsPublished()], timeoutsFor(misbehaviour));

    const outcome = await run(failedBackupJob());

    expect(outcome.result).toEqual({ published: true, messageId: 'msg-1', enriched: true });
    expect(snsEndpoint.requests.length).toBeGreaterThanOrEqual(2);
    matrix.expectOutcome('vault-alert', fault, `${fault} once on Publish`, 'retry-succeeded', evidence(outcome, snsEndpoint.requests.length));
  });

  test('on every attempt: the invocation fails, so Lambda retries the event and then dead-letters it', async () => {
    const { run, snsEndpoint } = await vaultAlertBehind([described], [misbehaviour], timeoutsFor(misbehaviour));

    const outcome = await run(failedBackupJob());

    expect(outcome.thrown).toBeDefined();
    expect(snsEndpoint.requests).toHaveLength(5);
    matrix.expectOutcome('vault-alert', fault, `${fault} on every Publish attempt (5)`, 'handed-back', evidence(outcome, snsEndpoint.requests.length));
  });
});

describe.each([
  ['throttling', restJsonError(429, 'ThrottlingException')],
  ['5xx', bare5xx(503)],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on DescribeBackupJob, on every attempt', (fault, misbehaviour) => {
  test('the alert still goes out, built from the event, and says the details are missing', async () => {
    const { run, backupEndpoint, snsEndpoint } = await vaultAlertBehind([misbehaviour], [snsPublished()], timeoutsFor(misbehaviour));

    const outcome = await run(failedBackupJob());

    expect(backupEndpoint.requests).toHaveLength(5);
    expect(outcome.result).toEqual({ published: true, messageId: 'msg-1', enriched: false });
    expect(lastMessage(snsEndpoint)).toContain('Note: job details could not be fetched: DescribeBackupJob failed');
    expect(lastMessage(snsEndpoint)).toContain('from the event');
    matrix.expectOutcome('vault-alert', fault, `${fault} on every DescribeBackupJob attempt (5)`, 'completed-degraded', evidence(outcome, 5, {
      degraded: 'the alert is built from the event alone and says why the job details are missing',
    }));
  });
});

test('malformed event: a failure event with no job id alerts from what it has', async () => {
  const { run, backupEndpoint, snsEndpoint } = await vaultAlertBehind([described], [snsPublished()]);

  const outcome = await run({ 'detail-type': 'Backup Job State Change', 'detail': { state: 'FAILED' } });

  expect(backupEndpoint.requests).toHaveLength(0);
  expect(lastMessage(snsEndpoint)).toContain('MissingJobId: the event has no backupJobId');
  expect(outcome.result).toEqual({ published: true, messageId: 'msg-1', enriched: false });
  matrix.expectOutcome('vault-alert', 'malformed event', 'Backup Job State Change FAILED without job id, vault or time', 'completed-degraded',
    evidence(outcome, 1, { degraded: 'the alert names the configured vault and says the event has no job id' }));
});

test('unexpected event: a COMPLETED job is not an alert; nothing is described or published', async () => {
  const { run, backupEndpoint, snsEndpoint } = await vaultAlertBehind([described], [snsPublished()]);

  const outcome = await run(failedBackupJob({ state: 'COMPLETED' }));

  expect(outcome.result).toEqual({ published: false, reason: 'Backup Job State Change state COMPLETED is not a failure' });
  expect(backupEndpoint.requests.length + snsEndpoint.requests.length).toBe(0);
  matrix.expectOutcome('vault-alert', 'unexpected event', 'Backup Job State Change COMPLETED', 'skipped', evidence(outcome, 1, { skipped: 'not a failure state' }));
});

test('resource gone: a job the Backup API no longer knows still alerts, saying so', async () => {
  const { run, snsEndpoint } = await vaultAlertBehind([restJsonError(404, 'ResourceNotFoundException')], [snsPublished()]);

  const outcome = await run(failedBackupJob());

  expect(outcome.result).toEqual({ published: true, messageId: 'msg-1', enriched: false });
  expect(lastMessage(snsEndpoint)).toContain('DescribeBackupJob failed (ResourceNotFoundException');
  matrix.expectOutcome('vault-alert', 'resource gone', 'DescribeBackupJob ResourceNotFoundException', 'completed-degraded',
    evidence(outcome, 1, { degraded: 'the alert says the job details could not be fetched (ResourceNotFoundException)', alarm: ALERTS.vaultAlertTopic }));
});

test('resource gone: a deleted alert topic fails the invocation (retried, then dead-lettered), never a silent loss', async () => {
  const { run, snsEndpoint } = await vaultAlertBehind([described], [queryError(404, 'NotFound')]);

  const outcome = await run(failedBackupJob());

  expect(outcome.thrown).toMatchObject({ name: 'NotFoundException' });
  expect(snsEndpoint.requests).toHaveLength(1);
  matrix.expectOutcome('vault-alert', 'resource gone', 'SNS topic deleted (Publish NotFound)', 'handed-back', evidence(outcome, 1));
});

test('partial batch: not applicable', () => {
  matrix.notApplicable('vault-alert', 'partial batch', 'EventBridge invokes it with one event at a time');
});
