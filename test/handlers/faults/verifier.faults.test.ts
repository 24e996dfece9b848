/**
 * Faults in the verifier: each test injects one fault, observes what the handler did and records
 * the outcome in the fault matrix (test/support/fault-matrix.ts).
 *
 * S3 is a real SDK client over a real socket to a misbehaving endpoint on 127.0.0.1, so the
 * SDK's timeouts, retries and error parsing run for real; DynamoDB and SNS are stubbed. A body
 * cut off by a server that is really stopped mid-read is in verifier-s3rver.integ.test.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient, createS3Client, createVerifierHandler, type VerifierDeps } from '../../../lambda-src/verifier.lambda';
import { capturedMetrics } from '../../support/captured-metrics';
import { FAKE_CREDENTIALS, TEST_REGION } from '../../support/fake-aws';
import { ALERTS, HANDED_BACK } from '../../support/fault-alarms';
import { faultMatrix, type Evidence } from '../../support/fault-matrix';
import { PATIENT_TIMEOUTS, startFaultyEndpoint, timeoutsFor, type FaultyEndpoint, type Misbehaviour, type SeenRequest, type TestTimeouts } from '../../support/faulty-endpoint';
import { failedBack, settleBatch, sqsEvent, sqsRecord } from '../../support/sqs-events';

const matrix = faultMatrix();
// A hang is injected 5 times, 1 s each (HANG_TIMEOUTS), before the handler gives up on it: a
// generous bound for a busy machine, not a speed check.
jest.setTimeout(60_000);

const BUCKET = 'landing-111122223333';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:landing-alarms';
const BODY = 'hello world';
// SHA-256 of "hello world", base64 (a published test vector).
const BODY_SHA256 = 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=';

const ddb = createDocumentClient({ region: TEST_REGION, credentials: FAKE_CREDENTIALS });
const sns = new SNSClient({ region: TEST_REGION, credentials: FAKE_CREDENTIALS });
const ddbMock = mockClient(ddb);
const snsMock = mockClient(sns);
let endpoint: FaultyEndpoint | undefined;

beforeEach(() => {
  ddbMock.reset();
  snsMock.reset();
  ddbMock.on(PutCommand).resolves({});
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
});

afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

function objectCreated(key: string, size?: number) {
  return {
    'version': '0',
    'id': `evt-${key}`,
    'detail-type': 'Object Created',
    'source': 'aws.s3',
    'account': '111122223333',
    'time': '2026-11-03T04:00:00Z',
    'region': TEST_REGION,
    'resources': [`arn:aws:s3:::${BUCKET}`],
    'detail': { bucket: { name: BUCKET }, object: { key, 'version-id': 'v1', ...(size === undefined ? {} : { size }) }, reason: 'PutObject' },
  };
}

/** The verifier with S3 behind a misbehaving endpoint: the production client, with short timeouts. */
async function verifierBehind(script: readonly Misbehaviour[] | ((request: SeenRequest) => Misbehaviour), timeouts: TestTimeouts = PATIENT_TIMEOUTS) {
  endpoint = await startFaultyEndpoint(script);
  const s3: S3Client = createS3Client({
    region: TEST_REGION,
    endpoint: endpoint.url,
    forcePathStyle: true,
    credentials: FAKE_CREDENTIALS,
    requestHandler: timeouts,
  });
  const deps: VerifierDeps = {
    s3,
    ddb,
    sns,
    tableName: 'catalog',
    alarmTopicArn: TOPIC,
    tenants: ['acme'],
    logger: new Logger({ serviceName: 'verifier-faults' }),
    metrics: capturedMetrics('Test', 'verifier').metrics,
    now: () => new Date('2026-11-03T04:05:06.000Z'),
  };
  const handler = createVerifierHandler(deps);
  return { run: (event: SQSEvent) => settleBatch(event, handler), endpoint };
}

// S3's answers. HEAD carries no body, so its errors are only a status.
const head: Misbehaviour = { kind: 'reply', status: 200, headers: { 'content-length': String(BODY.length), 'etag': '"e"' } };
const get: Misbehaviour = { kind: 'reply', status: 200, body: BODY };
/** S3 stores a checksum for the object: HEAD alone verifies it. */
const headStored: Misbehaviour = { kind: 'reply', status: 200, headers: { 'content-length': String(BODY.length), 'x-amz-checksum-sha256': BODY_SHA256 } };
const headStatus = (status: number): Misbehaviour => ({ kind: 'reply', status });
const xmlError = (status: number, code: string): Misbehaviour => ({
  kind: 'reply', status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
});

const items = () => ddbMock.commandCalls(PutCommand).map((c) => (c.args[0].input as PutCommandInput).Item as Record<string, unknown>);
const alarms = () => snsMock.commandCalls(PublishCommand).length;
/** A catalog item is whole when it holds its verdict and what backs it. */
const whole = (item: Record<string, unknown>) => (item.status === 'VERIFIED'
  ? ['pk', 'sk', 'checksum', 'checksumAlgorithm', 'checksumSource', 'sizeBytes'].every((k) => item[k] !== undefined)
  : item.status === 'FAILED' && typeof item.error === 'string');

function evidence(response: { batchItemFailures: Array<{ itemIdentifier: string }> }, attempts: number, extra: Partial<Evidence> = {}): Evidence {
  const written = items();
  return {
    failedBack: failedBack(response),
    attempts,
    completed: written.some((i) => i.status === 'VERIFIED') && !failedBack(response),
    partialRecord: written.some((i) => !whole(i)),
    ...(failedBack(response) ? { alarm: HANDED_BACK.verifier } : {}),
    ...extra,
  };
}

/** HEAD then GET: the object has no stored checksum, so its body is read and hashed. */
const byMethod = (heads: Misbehaviour[], gets: Misbehaviour[]) => {
  let h = 0;
  let g = 0;
  return (request: SeenRequest) => (request.method === 'HEAD' ? heads[Math.min(h++, heads.length - 1)] : gets[Math.min(g++, gets.length - 1)]);
};

describe.each([
  ['throttling', xmlError(503, 'SlowDown')],
  ['5xx', xmlError(500, 'InternalError')],
  ['timeout', { kind: 'hang' } as Misbehaviour],
  ['connection reset', { kind: 'reset' } as Misbehaviour],
] as const)('%s on GetObject', (fault, misbehaviour) => {
  test('once: the SDK retries and the object is verified', async () => {
    const { run, endpoint: ep } = await verifierBehind(byMethod([head], [misbehaviour, get]), timeoutsFor(misbehaviour));

    const response = await run(sqsEvent(sqsRecord(objectCreated('acme/a.bin', BODY.length))));

    const gets = ep.requests.filter((r) => r.method === 'GET').length;
    expect(gets).toBeGreaterThanOrEqual(2);
    expect(items()).toEqual([expect.objectContaining({ status: 'VERIFIED', checksum: BODY_SHA256, checksumSource: 'computed' })]);
    matrix.expectOutcome('verifier', fault, `${fault} once on GetObject`, 'retry-succeeded', evidence(response, gets));
  });

  test('on every attempt: the message is failed back, nothing is written and nothing alarms', async () => {
    const { run, endpoint: ep } = await verifierBehind(byMethod([head], [misbehaviour]), timeoutsFor(misbehaviour));

    const response = await run(sqsEvent(sqsRecord(objectCreated('acme/a.bin', BODY.length))));

    const gets = ep.requests.filter((r) => r.method === 'GET').length;
    expect(gets).toBe(5);
    expect(items()).toEqual([]);
    expect(alarms()).toBe(0);
    matrix.expectOutcome('verifier', fault, `${fault} on every GetObject attempt (5)`, 'handed-back', evidence(response, gets));
  });
});

test('connection reset mid-stream: the cut body is not recorded; the redelivered message is verified', async () => {
  const cut: Misbehaviour = { kind: 'cut', status: 200, body: Buffer.from(BODY), sendBytes: 5 };
  const { run } = await verifierBehind(byMethod([head], [cut, get]));
  const message = sqsRecord(objectCreated('acme/a.bin', BODY.length));

  const first = await run(sqsEvent(message));
  expect(failedBack(first)).toBe(true);
  expect(items().filter((i) => i.key === 'acme/a.bin')).toEqual([]);
  matrix.expectOutcome('verifier', 'connection reset', 'body cut off mid-stream (socket destroyed after 5 of 11 bytes)', 'handed-back', evidence(first, 1));

  const redelivered = await run(sqsEvent(sqsRecord(message.body, 'msg-1', 2)));
  expect(items().filter((i) => i.key === 'acme/a.bin')).toEqual([expect.objectContaining({ status: 'VERIFIED', checksum: BODY_SHA256 })]);
  matrix.expectOutcome('verifier', 'connection reset', 'the message redelivered after the cut', 'retry-succeeded', evidence(redelivered, 2));
});

test('malformed message: failed back alone, the rest of the batch is verified', async () => {
  const { run } = await verifierBehind([headStored]);

  const response = await run(sqsEvent(sqsRecord('{"source":"aws.s3","detail-type":"Object Created","detail":{}}'), sqsRecord(objectCreated('acme/ok.bin'), 'ok')));

  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
  expect(items().map((i) => i.key)).toEqual(['acme/ok.bin']);
  matrix.expectOutcome('verifier', 'malformed event', 'Object Created event without detail.bucket and detail.object', 'handed-back',
    { ...evidence(response, 1), completed: false });
});

test('unexpected event: an Object Deleted event is skipped, nothing read or written', async () => {
  const { run, endpoint: ep } = await verifierBehind([get]);

  const response = await run(sqsEvent(sqsRecord({ ...objectCreated('acme/a.bin'), 'detail-type': 'Object Deleted' })));

  expect(response.batchItemFailures).toEqual([]);
  expect(ep.requests).toEqual([]);
  expect(items()).toEqual([]);
  matrix.expectOutcome('verifier', 'unexpected event', 'EventBridge "Object Deleted" event', 'skipped',
    { ...evidence(response, 1), skipped: 'not an S3 Object Created event' });
});

test('resource gone: an object version deleted before verification is a FAILED item and an alarm', async () => {
  const { run } = await verifierBehind([headStatus(404)]);

  const response = await run(sqsEvent(sqsRecord(objectCreated('acme/gone.bin', 11))));

  expect(items()).toEqual([expect.objectContaining({ status: 'FAILED', error: 'object version not found: NotFound (HTTP 404)' })]);
  expect(alarms()).toBe(1);
  matrix.expectOutcome('verifier', 'resource gone', 'object version deleted (HeadObject 404)', 'recorded-and-alarmed', {
    ...evidence(response, 1),
    failureRecorded: 'catalog item with status FAILED and the reason',
    alarm: ALERTS.verifierAlarmTopic,
  });
});

test('resource gone: a catalog table that no longer exists fails the message back; no alarm for an unrecorded verdict', async () => {
  const { run } = await verifierBehind([headStatus(404)]);
  ddbMock.on(PutCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: { httpStatusCode: 400 } }));

  const response = await run(sqsEvent(sqsRecord(objectCreated('acme/gone.bin', 11))));

  expect(failedBack(response)).toBe(true);
  expect(alarms()).toBe(0);
  matrix.expectOutcome('verifier', 'resource gone', 'catalog table deleted (PutItem ResourceNotFoundException)', 'handed-back', evidence(response, 1));
});

test('partial batch: the message whose object keeps failing is failed back; the other is verified and kept', async () => {
  const { run, endpoint: ep } = await verifierBehind((request) => (request.url.includes('/acme/ok.bin') ? headStored : headStatus(503)));

  const response = await run(sqsEvent(sqsRecord(objectCreated('acme/busy.bin')), sqsRecord(objectCreated('acme/ok.bin'), 'ok')));

  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
  expect(items()).toEqual([expect.objectContaining({ key: 'acme/ok.bin', status: 'VERIFIED', checksumSource: 's3-stored' })]);
  const busy = ep.requests.filter((r) => r.url.includes('/acme/busy.bin')).length;
  expect(busy).toBe(5);
  matrix.expectOutcome('verifier', 'partial batch', 'one message of two throttled on every attempt', 'handed-back', evidence(response, busy));
});
