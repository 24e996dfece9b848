/**
 * Faults in the catalog handler, recorded in the fault matrix (test/support/fault-matrix.ts).
 *
 * The Backup client, and for write faults the DynamoDB client, are the handler's production
 * clients (short timeouts) over real sockets to misbehaving endpoints on 127.0.0.1; otherwise
 * DynamoDB is stubbed and its writes are inspected.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createBackupClient, createDocumentClient } from '../../../lambda-src/catalog/clients';
import { createCatalogHandler } from '../../../lambda-src/catalog/handler';
import { bare5xx, json10, jsonError, restJson, restJsonError } from '../../support/aws-wire';
import { capturedMetrics } from '../../support/captured-metrics';
import { FAKE_CREDENTIALS, TEST_REGION } from '../../support/fake-aws';
import { HANDED_BACK } from '../../support/fault-alarms';
import { faultMatrix, type Evidence } from '../../support/fault-matrix';
import { PATIENT_TIMEOUTS, startFaultyEndpoint, timeoutsFor, type FaultyEndpoint, type Misbehaviour, type Script, type TestTimeouts } from '../../support/faulty-endpoint';
import { failedBack, settleBatch, sqsEvent, sqsRecord } from '../../support/sqs-events';

const matrix = faultMatrix();
// Adaptive retry mode's client-side rate limiter slows sending after throttling (it waits about 2 s
// before each of the later attempts here, with a real clock): a generous bound, not a speed check.
jest.setTimeout(60_000);

const ACCOUNT = '111122223333';
const VAULT_ARN = `arn:aws:backup:${TEST_REGION}:${ACCOUNT}:backup-vault:primary-vault`;
const EBS_ARN = `arn:aws:ec2:${TEST_REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;

const endpoints: FaultyEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

/** A RUNNING backup job event that names no resource: a written resourceArn proves the Describe answer was used. */
const runningJob = (jobId = 'b-1') => JSON.stringify({
  'version': '0',
  'id': `evt-${jobId}`,
  'detail-type': 'Backup Job State Change',
  'source': 'aws.backup',
  'account': ACCOUNT,
  'time': '2026-03-01T01:05:00Z',
  'region': TEST_REGION,
  'resources': [],
  'detail': { backupJobId: jobId, backupVaultArn: VAULT_ARN, backupVaultName: 'primary-vault', state: 'RUNNING' },
});
const describedJob = restJson({ BackupJobId: 'b-1', State: 'RUNNING', ResourceArn: EBS_ARN, BackupVaultName: 'primary-vault', CreationDate: 1772326800.5 });


/**
 * The handler with Backup behind a misbehaving endpoint, and DynamoDB either stubbed (writes are
 * inspected) or, given a script, behind its own misbehaving endpoint.
 */
async function catalogBehind(backupScript: Script, dynamoScript?: Script, timeouts: TestTimeouts = PATIENT_TIMEOUTS) {
  const common = { region: TEST_REGION, credentials: FAKE_CREDENTIALS, requestHandler: timeouts };
  const backupEndpoint = await startFaultyEndpoint(backupScript);
  endpoints.push(backupEndpoint);
  let doc: DynamoDBDocumentClient;
  let dynamoEndpoint: FaultyEndpoint | undefined;
  const stubbed = DynamoDBDocumentClient.from(new DynamoDBClient(common));
  const ddbMock = mockClient(stubbed);
  ddbMock.on(UpdateCommand).resolves({});
  if (dynamoScript) {
    dynamoEndpoint = await startFaultyEndpoint(dynamoScript);
    endpoints.push(dynamoEndpoint);
    doc = createDocumentClient({ ...common, endpoint: dynamoEndpoint.url });
  } else {
    doc = stubbed;
  }
  const m = capturedMetrics('CatalogFaults', 'catalog');
  const handler = createCatalogHandler({
    backup: createBackupClient({ ...common, endpoint: backupEndpoint.url }),
    doc,
    tableName: 'catalog',
    tenants: [],
    logger: new Logger({ serviceName: 'catalog-faults' }),
    metrics: m.metrics,
  });
  const writes = () => ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input as UpdateCommandInput);
  return { run: (event: SQSEvent) => settleBatch(event, handler), backupEndpoint, dynamoEndpoint, writes, m };
}

/** The value an UpdateItem sets for `attribute`. */
function setValue(input: UpdateCommandInput, attribute: string): unknown {
  const placeholder = Object.entries(input.ExpressionAttributeNames ?? {}).find(([, v]) => v === attribute)?.[0];
  return placeholder ? input.ExpressionAttributeValues?.[`:${placeholder.slice(1)}`] : undefined;
}

/** A job item is whole when it holds its key, kind, state, rank and time. */
const whole = (input: UpdateCommandInput) => ['kind', 'jobId', 'state', 'stateRank', 'eventTime', 'source', 'updatedAt']
  .every((a) => setValue(input, a) !== undefined);

type BatchResponse = { batchItemFailures: Array<{ itemIdentifier: string }> };

function evidence(response: BatchResponse, attempts: number, writes: UpdateCommandInput[], extra: Partial<Evidence> = {}): Evidence {
  const back = failedBack(response);
  return {
    failedBack: back,
    attempts,
    completed: !back && writes.length > 0,
    partialRecord: writes.some((w) => !whole(w)),
    ...(back ? { alarm: HANDED_BACK.catalog } : {}),
    ...extra,
  };
}

describe.each([
  ['throttling', restJsonError(429, 'ThrottlingException')],
  ['5xx', bare5xx(503)],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on DescribeBackupJob', (fault, misbehaviour) => {
  test('once: the SDK retries, and the described job is recorded', async () => {
    const { run, backupEndpoint, writes } = await catalogBehind([misbehaviour, describedJob], undefined, timeoutsFor(misbehaviour));

    const response = await run(sqsEvent(sqsRecord(runningJob())));

    expect(backupEndpoint.requests.length).toBeGreaterThanOrEqual(2);
    expect(writes()).toHaveLength(1);
    expect(setValue(writes()[0], 'resourceArn')).toBe(EBS_ARN);
    matrix.expectOutcome('catalog', fault, `${fault} once on DescribeBackupJob`, 'retry-succeeded', evidence(response, backupEndpoint.requests.length, writes()));
  });

  test('on every attempt: the message is failed back and nothing is written (SQS redelivers it)', async () => {
    const { run, backupEndpoint, writes } = await catalogBehind([misbehaviour], undefined, timeoutsFor(misbehaviour));

    const response = await run(sqsEvent(sqsRecord(runningJob())));

    expect(backupEndpoint.requests).toHaveLength(5);
    expect(writes()).toEqual([]);
    matrix.expectOutcome('catalog', fault, `${fault} on every DescribeBackupJob attempt (5)`, 'handed-back', evidence(response, 5, writes()));
  });
});

describe.each([
  ['throttling', jsonError(400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException')],
  ['5xx', bare5xx(500)],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on the catalog write (UpdateItem)', (fault, misbehaviour) => {
  test('once: the SDK retries and the record is written', async () => {
    const { run, dynamoEndpoint } = await catalogBehind([describedJob], [misbehaviour, json10({})], timeoutsFor(misbehaviour));

    const response = await run(sqsEvent(sqsRecord(runningJob())));

    expect(response.batchItemFailures).toEqual([]);
    const attempts = dynamoEndpoint!.requests.length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    // Every attempt carries the same whole item.
    expect(new Set(dynamoEndpoint!.requests.map((r) => r.body)).size).toBe(1);
    matrix.expectOutcome('catalog', fault, `${fault} once on UpdateItem`, 'retry-succeeded',
      { failedBack: false, attempts, completed: true, partialRecord: !dynamoEndpoint!.requests[0].body.includes('"stateRank"') });
  });

  test('on every attempt: the message is failed back (SQS redelivers it; the write is idempotent)', async () => {
    const { run, dynamoEndpoint } = await catalogBehind([describedJob], [misbehaviour], timeoutsFor(misbehaviour));

    const response = await run(sqsEvent(sqsRecord(runningJob())));

    expect(dynamoEndpoint!.requests).toHaveLength(5);
    matrix.expectOutcome('catalog', fault, `${fault} on every UpdateItem attempt (5)`, 'handed-back', evidence(response, 5, []));
  });
});

test('malformed event: a message that is not JSON is failed back alone (then dead-lettered)', async () => {
  const { run, writes } = await catalogBehind([describedJob]);

  const response = await run(sqsEvent(sqsRecord('{not json'), sqsRecord(runningJob(), 'good')));

  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
  expect(writes()).toHaveLength(1);
  matrix.expectOutcome('catalog', 'malformed event', 'message body is not JSON', 'handed-back', evidence(response, 1, []));
});

test('unexpected event: a detail-type the catalog does not record is failed back (the rule should never send it)', async () => {
  const { run, writes } = await catalogBehind([describedJob]);
  const vaultEvent = JSON.stringify({ 'detail-type': 'Backup Vault State Change', 'source': 'aws.backup', 'time': '2026-03-01T01:00:00Z', 'detail': { state: 'CREATED' } });

  const response = await run(sqsEvent(sqsRecord(vaultEvent)));

  expect(failedBack(response)).toBe(true);
  expect(writes()).toEqual([]);
  matrix.expectOutcome('catalog', 'unexpected event', 'Backup Vault State Change', 'handed-back', evidence(response, 1, []));
});

test('unexpected event: a copy job event without a job id is skipped and counted', async () => {
  const { run, writes, m } = await catalogBehind([describedJob]);
  const created = JSON.stringify({ 'detail-type': 'Copy Job State Change', 'source': 'aws.backup', 'time': '2026-03-01T02:00:01Z', 'detail': { state: 'CREATED' } });

  const response = await run(sqsEvent(sqsRecord(created)));

  expect(response.batchItemFailures).toEqual([]);
  expect(writes()).toEqual([]);
  expect(m.value('EventsWithoutJobId')).toBe(1);
  matrix.expectOutcome('catalog', 'unexpected event', 'Copy Job State Change CREATED without a job id (as AWS sends it)', 'skipped',
    evidence(response, 1, [], { skipped: 'no job id to key a record by; counted in EventsWithoutJobId' }));
});

test('resource gone: a job the Backup API no longer knows is recorded from its event alone', async () => {
  const { run, writes } = await catalogBehind([restJsonError(404, 'ResourceNotFoundException')]);
  const withResource = JSON.stringify({ ...JSON.parse(runningJob()), detail: { ...JSON.parse(runningJob()).detail, resourceArn: EBS_ARN } });

  const response = await run(sqsEvent(sqsRecord(withResource)));

  expect(writes()).toHaveLength(1);
  expect(setValue(writes()[0], 'resourceArn')).toBe(EBS_ARN);
  expect(setValue(writes()[0], 'source')).toBe('event');
  matrix.expectOutcome('catalog', 'resource gone', 'DescribeBackupJob ResourceNotFoundException', 'completed-degraded',
    evidence(response, 1, writes(), { degraded: 'recorded from the event alone, without the Backup API\'s details (logged)' }));
});

test('resource gone: a catalog table that no longer exists fails the message back', async () => {
  const { run, dynamoEndpoint } = await catalogBehind([describedJob], [jsonError(400, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException')]);

  const response = await run(sqsEvent(sqsRecord(runningJob())));

  expect(dynamoEndpoint!.requests).toHaveLength(1);
  matrix.expectOutcome('catalog', 'resource gone', 'catalog table deleted (UpdateItem ResourceNotFoundException)', 'handed-back', evidence(response, 1, []));
});

test('partial batch: the message whose job cannot be described is failed back; the other is recorded', async () => {
  const { run, backupEndpoint, writes } = await catalogBehind((request) => (request.url.includes('/b-ok') ? restJson({ BackupJobId: 'b-ok', State: 'RUNNING' }) : bare5xx(503)));

  const response = await run(sqsEvent(sqsRecord(runningJob('b-busy')), sqsRecord(runningJob('b-ok'), 'ok')));

  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
  expect(writes().map((w) => w.Key?.pk)).toEqual(['JOB#BACKUP_JOB#b-ok']);
  const busy = backupEndpoint.requests.filter((r) => r.url.includes('/b-busy')).length;
  matrix.expectOutcome('catalog', 'partial batch', 'one message of two meets a 503 on every attempt', 'handed-back', evidence(response, busy, writes()));
});
