/**
 * Faults in the restore validator, recorded in the fault matrix (test/support/fault-matrix.ts).
 *
 * The restored resource is a DynamoDB table. The DynamoDB client (the check) and the Backup client
 * (PutRestoreValidationResult) are the handler's production clients (short timeouts) over real
 * sockets to misbehaving endpoints on 127.0.0.1; the catalog write is stubbed and inspected.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createBackupClient, createDynamoDbClient } from '../../../lambda-src/restore-validator/clients';
import { createRestoreValidatorHandler, type ValidatorResult } from '../../../lambda-src/restore-validator/handler';
import { bare5xx, json10, jsonError, restJsonError } from '../../support/aws-wire';
import { capturedMetrics } from '../../support/captured-metrics';
import { FAKE_CREDENTIALS, TEST_REGION } from '../../support/fake-aws';
import { ALERTS, HANDED_BACK } from '../../support/fault-alarms';
import { faultMatrix, type Evidence } from '../../support/fault-matrix';
import {
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

const ACCOUNT = '111122223333';
const JOB_ID = 'AB123456-78C9-0123-456D-789012E34567';
const TABLE_ARN = `arn:aws:dynamodb:${TEST_REGION}:${ACCOUNT}:table/awsbackup-restore-test-orders`;
const PLAN_ARN = `arn:aws:backup:${TEST_REGION}:${ACCOUNT}:restore-testing-plan:nightly-1`;

const endpoints: FaultyEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

const restoreCompleted = (detail: Record<string, unknown> = {}) => ({
  'version': '0',
  'id': 'evt-1',
  'detail-type': 'Restore Job State Change',
  'source': 'aws.backup',
  'account': ACCOUNT,
  'time': '2026-03-01T03:15:00Z',
  'region': TEST_REGION,
  'resources': [],
  'detail': { restoreJobId: JOB_ID, status: 'COMPLETED', resourceType: 'DynamoDB', createdResourceArn: TABLE_ARN, restoreTestingPlanArn: PLAN_ARN, ...detail },
});

const target = (r: SeenRequest) => String(r.headers['x-amz-target'] ?? '');
const activeTable = json10({ Table: { TableName: 'awsbackup-restore-test-orders', TableStatus: 'ACTIVE' } });
const scanned = json10({ Count: 1, ScannedCount: 1, Items: [{ pk: { S: 'k' } }] });
/** DynamoDB answers: DescribeTable follows `describe` (step n for the n-th call), Scan finds an item. */
const dynamoScript = (describe: readonly Misbehaviour[]) => {
  let n = 0;
  return (r: SeenRequest) => (target(r).endsWith('.Scan') ? scanned : describe[Math.min(n++, describe.length - 1)]);
};
const accepted: Misbehaviour = { kind: 'reply', status: 204 };

async function validatorBehind(
  dynamo: (r: SeenRequest) => Misbehaviour,
  backup: readonly Misbehaviour[] | ((r: SeenRequest) => Misbehaviour) = [accepted],
  catalogError?: Error,
  timeouts: TestTimeouts = PATIENT_TIMEOUTS,
) {
  const common = { region: TEST_REGION, credentials: FAKE_CREDENTIALS, requestHandler: timeouts };
  const dynamoEndpoint = await startFaultyEndpoint(dynamo);
  const backupEndpoint = await startFaultyEndpoint(backup);
  endpoints.push(dynamoEndpoint, backupEndpoint);
  const catalog = DynamoDBDocumentClient.from(new DynamoDBClient(common));
  const catalogMock = mockClient(catalog);
  if (catalogError) catalogMock.on(UpdateCommand).rejects(catalogError);
  else catalogMock.on(UpdateCommand).resolves({});
  const m = capturedMetrics('RestoreValidatorFaults', 'restore-validator');
  let t = Date.parse('2026-03-01T03:20:00.000Z');
  const handler = createRestoreValidatorHandler({
    backup: createBackupClient({ ...common, endpoint: backupEndpoint.url }),
    dynamodb: createDynamoDbClient({ ...common, endpoint: dynamoEndpoint.url }),
    // Not reached for a DynamoDB table: clients of nowhere.
    s3: new S3Client(common),
    ec2: new EC2Client(common),
    rds: new RDSClient(common),
    catalog,
    config: { tableName: 'catalog', waitMs: 120_000, pollIntervalMs: 10_000, allowEmptyS3: false, allowEmptyDynamoDb: false },
    logger: new Logger({ serviceName: 'restore-validator-faults' }),
    metrics: m.metrics,
    // The wait for a table still being created runs on a fake clock.
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  });
  const run = async (event: unknown): Promise<{ result?: ValidatorResult; thrown?: unknown }> => {
    try {
      return { result: await handler(event) };
    } catch (thrown) {
      return { thrown };
    }
  };
  const puts = () => backupEndpoint.requests.filter((r) => r.method === 'PUT' && r.url.endsWith('/validations'));
  const records = () => catalogMock.commandCalls(UpdateCommand).map((c) => c.args[0].input as UpdateCommandInput);
  return { run, dynamoEndpoint, backupEndpoint, puts, records, m };
}

function evidence(
  outcome: { result?: ValidatorResult; thrown?: unknown },
  attempts: number,
  records: UpdateCommandInput[],
  extra: Partial<Evidence> = {},
): Evidence {
  const back = outcome.thrown !== undefined;
  return {
    failedBack: back,
    attempts,
    completed: !back && outcome.result?.outcome === 'reported' && outcome.result.status === 'SUCCESSFUL' && records.length === 1,
    partialRecord: records.some((r) => r.ExpressionAttributeValues?.[':validationStatus'] === undefined),
    ...(back ? { alarm: HANDED_BACK['restore-validator'] } : {}),
    ...extra,
  };
}

describe.each([
  ['throttling', jsonError(400, 'com.amazonaws.dynamodb.v20120810#ThrottlingException')],
  ['5xx', bare5xx(500)],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on the check (DescribeTable)', (fault, misbehaviour) => {
  test('once: the SDK retries; the verdict is reported and recorded', async () => {
    const { run, dynamoEndpoint, puts, records } = await
    validatorBehind(dynamoScript([misbehaviour, activeTable]), undefined, undefined, timeoutsFor(misbehaviour));

    const outcome = await run(restoreCompleted());

    expect(outcome.result).toMatchObject({ outcome: 'reported', status: 'SUCCESSFUL' });
    expect(puts()).toHaveLength(1);
    const attempts = dynamoEndpoint.requests.filter((r) => target(r).endsWith('.DescribeTable')).length;
    matrix.expectOutcome('restore-validator', fault, `${fault} once on DescribeTable`, 'retry-succeeded', evidence(outcome, attempts, records()));
  });

  test('on every attempt: no verdict is reported (it would be final); the invocation fails for a retry', async () => {
    const { run, dynamoEndpoint, puts, records } = await
    validatorBehind(dynamoScript([misbehaviour]), undefined, undefined, timeoutsFor(misbehaviour));

    const outcome = await run(restoreCompleted());

    expect(outcome.thrown).toBeDefined();
    expect(dynamoEndpoint.requests).toHaveLength(5);
    expect(puts()).toEqual([]);
    expect(records()).toEqual([]);
    matrix.expectOutcome('restore-validator', fault, `${fault} on every DescribeTable attempt (5)`, 'handed-back', evidence(outcome, 5, records()));
  });
});

test('throttling once on PutRestoreValidationResult: retried, reported once, recorded', async () => {
  const { run, puts, records } = await validatorBehind(dynamoScript([activeTable]), [restJsonError(429, 'ThrottlingException'), accepted]);

  const outcome = await run(restoreCompleted());

  expect(outcome.result).toMatchObject({ outcome: 'reported', status: 'SUCCESSFUL' });
  expect(puts()).toHaveLength(2);
  matrix.expectOutcome('restore-validator', 'throttling', 'throttling once on PutRestoreValidationResult', 'retry-succeeded', evidence(outcome, 2, records()));
});

test('malformed event: a restore job event without its job id fails the invocation (dead-lettered, alarmed)', async () => {
  const { run, dynamoEndpoint, backupEndpoint } = await validatorBehind(dynamoScript([activeTable]));

  const outcome = await run(restoreCompleted({ restoreJobId: undefined }));

  expect(outcome.thrown).toMatchObject({ name: 'MalformedRestoreEventError', message: expect.stringContaining('event has no restoreJobId') });
  expect(dynamoEndpoint.requests.length + backupEndpoint.requests.length).toBe(0);
  matrix.expectOutcome('restore-validator', 'malformed event', 'Restore Job State Change COMPLETED of a testing plan without restoreJobId', 'handed-back',
    evidence(outcome, 1, []));
});

test('unexpected event: a restore job of no restore testing plan is ignored: nothing checked, nothing reported', async () => {
  const { run, dynamoEndpoint, backupEndpoint } = await validatorBehind(dynamoScript([activeTable]));

  const outcome = await run(restoreCompleted({ restoreTestingPlanArn: undefined }));

  expect(outcome.result).toEqual({ outcome: 'ignored', reason: 'restore job is not from a restore testing plan (no restoreTestingPlanArn)' });
  expect(dynamoEndpoint.requests.length + backupEndpoint.requests.length).toBe(0);
  matrix.expectOutcome('restore-validator', 'unexpected event', 'restore job without restoreTestingPlanArn', 'skipped',
    evidence(outcome, 1, [], { skipped: 'not from a restore testing plan: its validation belongs to whoever started it' }));
});

test('resource gone: a restored table that does not exist is reported FAILED, recorded, and alarmed', async () => {
  const { run, puts, records, m } = await
  validatorBehind(dynamoScript([jsonError(400, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException')]));

  const outcome = await run(restoreCompleted());

  expect(outcome.result).toMatchObject({ outcome: 'reported', status: 'FAILED' });
  expect(JSON.parse(puts()[0].body)).toMatchObject({ ValidationStatus: 'FAILED' });
  expect(records()[0].ExpressionAttributeValues).toMatchObject({ ':validationStatus': 'FAILED' });
  expect(m.value('RestoreValidationsFailed', { ResourceType: 'DynamoDB' })).toBe(1);
  matrix.expectOutcome('restore-validator', 'resource gone', 'restored table missing (DescribeTable ResourceNotFoundException)', 'recorded-and-alarmed',
    evidence(outcome, 1, records(), {
      failureRecorded: 'validation status FAILED in AWS Backup and the catalog; RestoreValidationsFailed metric',
      alarm: ALERTS.restoreValidationFailed,
    }));
});

test('resource gone: a catalog table that no longer exists fails the invocation after the verdict is reported', async () => {
  const gone = new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: { httpStatusCode: 400 } });
  const { run, puts } = await validatorBehind(dynamoScript([activeTable]), [accepted], gone);

  const outcome = await run(restoreCompleted());

  expect(outcome.thrown).toMatchObject({ name: 'ResourceNotFoundException' });
  expect(puts()).toHaveLength(1);
  matrix.expectOutcome('restore-validator', 'resource gone', 'catalog table deleted (UpdateItem ResourceNotFoundException); a retry finds the result already set',
    'handed-back', evidence(outcome, 1, []));
});

test('partial batch: not applicable', () => {
  matrix.notApplicable('restore-validator', 'partial batch', 'EventBridge invokes it with one restore job event at a time');
});
