/**
 * Faults in the catalog reconciler, recorded in the fault matrix (test/support/fault-matrix.ts).
 *
 * The Backup client is the handler's production client (short timeouts) over a real socket to a
 * misbehaving endpoint on 127.0.0.1; DynamoDB is stubbed and its writes are inspected.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createBackupClient } from '../../../lambda-src/catalog/clients';
import { createReconcilerHandler, type ReconcileSummary } from '../../../lambda-src/catalog-reconciler/handler';
import { bare5xx, restJson, restJsonError } from '../../support/aws-wire';
import { capturedMetrics } from '../../support/captured-metrics';
import { FAKE_CREDENTIALS, TEST_REGION } from '../../support/fake-aws';
import { HANDED_BACK } from '../../support/fault-alarms';
import { faultMatrix, type Evidence } from '../../support/fault-matrix';
import { startFaultyEndpoint, timeoutsFor, type FaultyEndpoint, type Misbehaviour, type SeenRequest, type TestTimeouts } from '../../support/faulty-endpoint';

const matrix = faultMatrix();
// Adaptive retry mode's client-side rate limiter slows sending after throttling (about 2 s before
// each later attempt, on a real clock): a generous bound, not a speed check.
jest.setTimeout(60_000);

const NOW = new Date('2026-03-02T00:00:00.000Z');

let endpoint: FaultyEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

const job = (id: string) => ({ BackupJobId: id, State: 'COMPLETED', BackupVaultName: 'v', CreationDate: 1772326800, CompletionDate: 1772328600 });
const listed = restJson({ BackupJobs: [job('b-1'), job('b-2')] });
const isBackupListing = (r: SeenRequest) => r.url.startsWith('/backup-jobs');

/** Copy and restore listings are empty; backup listings follow `backupJobs` (the n-th backup listing request takes step n). */
async function reconcilerBehind(backupJobs: readonly Misbehaviour[], stub?: (mock: ReturnType<typeof mockClient>) => void) {
  const common = { region: TEST_REGION, credentials: FAKE_CREDENTIALS, requestHandler: timeoutsFor(...backupJobs) as TestTimeouts };
  let n = 0;
  endpoint = await startFaultyEndpoint((request) => {
    if (!isBackupListing(request)) return restJson(request.url.startsWith('/copy-jobs') ? { CopyJobs: [] } : { RestoreJobs: [] });
    return backupJobs[Math.min(n++, backupJobs.length - 1)];
  });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(common));
  const ddbMock = mockClient(doc);
  ddbMock.on(UpdateCommand).resolves({});
  stub?.(ddbMock);
  const run = createReconcilerHandler({
    backup: createBackupClient({ ...common, endpoint: endpoint.url }),
    doc,
    tableName: 'catalog',
    tenants: [],
    logger: new Logger({ serviceName: 'reconciler-faults' }),
    metrics: capturedMetrics('ReconcilerFaults', 'catalog-reconciler').metrics,
    now: () => NOW,
  });
  const settle = async (): Promise<{ summary?: ReconcileSummary; thrown?: unknown }> => {
    try {
      return { summary: await run() };
    } catch (thrown) {
      return { thrown };
    }
  };
  const writes = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input as UpdateCommandInput);
  return { run: settle, endpoint, writes };
}

const wholeWrite = (w: UpdateCommandInput) => ['kind', 'jobId', 'state', 'stateRank', 'eventTime', 'source']
  .every((a) => Object.values(w.ExpressionAttributeNames ?? {}).includes(a));

function evidence(
  outcome: { summary?: ReconcileSummary; thrown?: unknown },
  attempts: number,
  writes: UpdateCommandInput[],
  extra: Partial<Evidence> = {},
): Evidence {
  const back = outcome.thrown !== undefined;
  return {
    failedBack: back,
    attempts,
    completed: !back && writes.length > 0 && (outcome.summary?.unfinished.length ?? 1) === 0,
    partialRecord: writes.some((w) => !wholeWrite(w)),
    ...(back ? { alarm: HANDED_BACK['catalog-reconciler'] } : {}),
    ...extra,
  };
}

describe.each([
  ['throttling', restJsonError(429, 'ThrottlingException')],
  ['5xx', bare5xx(503)],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on ListBackupJobs', (fault, misbehaviour) => {
  test('once: the SDK retries and every listed job is written', async () => {
    const { run, endpoint: ep, writes } = await reconcilerBehind([misbehaviour, listed]);

    const outcome = await run();

    expect(outcome.summary).toMatchObject({ jobsSeen: 2, unfinished: [] });
    expect(writes().map((w) => w.Key?.pk).sort()).toEqual(['JOB#BACKUP_JOB#b-1', 'JOB#BACKUP_JOB#b-2']);
    const attempts = ep.requests.filter(isBackupListing).length;
    matrix.expectOutcome('catalog-reconciler', fault, `${fault} once on ListBackupJobs`, 'retry-succeeded', evidence(outcome, attempts, writes()));
  });

  test('on every attempt: the run fails (EventBridge retries it; the next hourly run overlaps the window)', async () => {
    const { run, endpoint: ep, writes } = await reconcilerBehind([misbehaviour]);

    const outcome = await run();

    expect(outcome.thrown).toBeDefined();
    expect(ep.requests.filter(isBackupListing)).toHaveLength(5);
    matrix.expectOutcome('catalog-reconciler', fault, `${fault} on every ListBackupJobs attempt (5)`, 'handed-back', evidence(outcome, 5, writes()));
  });
});

test('malformed data: a listed job without an id is skipped with a warning; the others are written', async () => {
  const { run, writes } = await reconcilerBehind([restJson({ BackupJobs: [job('b-1'), { State: 'COMPLETED' }] })]);

  const outcome = await run();

  expect(writes().map((w) => w.Key?.pk)).toEqual(['JOB#BACKUP_JOB#b-1']);
  matrix.expectOutcome('catalog-reconciler', 'malformed event', 'ListBackupJobs member without BackupJobId (the scheduled event itself is not read)', 'skipped',
    evidence(outcome, 1, writes(), { completed: false, skipped: 'a job without an id cannot be keyed; logged as a warning' }));
});

test('unexpected event: not applicable', () => {
  matrix.notApplicable('catalog-reconciler', 'unexpected event', 'the scheduled event carries nothing the run reads: any event starts the same run');
});

test('resource gone: a catalog table that no longer exists fails the run', async () => {
  const { run } = await reconcilerBehind([listed], (mock) => {
    mock.on(UpdateCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: { httpStatusCode: 400 } }));
  });

  const outcome = await run();

  expect(outcome.thrown).toMatchObject({ name: 'ResourceNotFoundException' });
  matrix.expectOutcome('catalog-reconciler', 'resource gone', 'catalog table deleted (UpdateItem ResourceNotFoundException)', 'handed-back',
    evidence(outcome, 1, []));
});

test('partial batch: one write of a page fails; the run fails after the others are written whole', async () => {
  const { run, writes } = await reconcilerBehind([listed], (mock) => {
    mock.on(UpdateCommand, { Key: { pk: 'JOB#BACKUP_JOB#b-2', sk: 'JOB' } })
      .rejects(Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }));
  });

  const outcome = await run();

  expect(outcome.thrown).toMatchObject({ name: 'InternalServerError' });
  expect(writes().map((w) => w.Key?.pk).sort()).toEqual(['JOB#BACKUP_JOB#b-1', 'JOB#BACKUP_JOB#b-2']);
  matrix.expectOutcome('catalog-reconciler', 'partial batch', 'one UpdateItem of a page of two fails', 'handed-back', evidence(outcome, 1, writes()));
});
