/**
 * Tests for lambda-src/verifier.lambda.ts: checksums of object versions pushed to landing storage.
 *
 * Most tests stub the SDK clients with aws-sdk-client-mock (instance stubs, one client each). A
 * stubbed `send` skips the SDK's middleware, so the retry tests instead give a real S3 client an
 * in-process fake HTTP transport: the real serializer, retry strategy and error parser run, and
 * nothing leaves the process. Real streaming against a real S3 server is in
 * verifier-s3rver.integ.test.ts.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { storedChecksum } from '../../lambda-src/verifier/checksum';
import { keyCandidates, parseMessageBody, MalformedMessageError } from '../../lambda-src/verifier/event';
import { classifyS3Error, failureAlarm, failed } from '../../lambda-src/verifier/outcome';
import {
  createDocumentClient,
  createS3Client,
  depsFromEnv,
  handler,
  createVerifierHandler,
  parseTenants,
  type VerifierDeps,
} from '../../lambda-src/verifier.lambda';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../support/fake-aws';

const REGION = 'us-east-1';
const TABLE = 'catalog';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:backup-alarms';
const BUCKET = 'landing-111122223333';
const VERSION = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY';
const TENANTS = ['acme', 'globex'];
const NOW = new Date('2026-11-03T04:05:06.000Z');

// SHA-256 of "hello world", base64: a published test vector, not computed by the code under test.
const HELLO_WORLD = 'hello world';
const HELLO_WORLD_SHA256 = 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=';

// Shaped like the "Object Created" example in the S3 user guide (EventBridge event message structure).
function objectCreated(key: string, opts: { size?: number; versionId?: string | null; bucket?: string } = {}) {
  const object: Record<string, unknown> = { key, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '617f08299329d189' };
  if (opts.size !== undefined) object.size = opts.size;
  if (opts.versionId !== null) object['version-id'] = opts.versionId ?? VERSION;
  return {
    'version': '0',
    'id': '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    'source': 'aws.s3',
    'account': '111122223333',
    'time': '2026-11-03T04:00:00Z',
    'region': REGION,
    'resources': [`arn:aws:s3:::${opts.bucket ?? BUCKET}`],
    'detail': {
      'version': '0',
      'bucket': { name: opts.bucket ?? BUCKET },
      'object': object,
      'request-id': 'N4N7GDK58NMKJ12R',
      'requester': '111122223333',
      'source-ip-address': '1.2.3.4',
      'reason': 'PutObject',
    },
  };
}

function sqsRecord(payload: unknown, messageId = 'msg-1'): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1762142400000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1762142400000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:verifier',
    awsRegion: REGION,
  };
}

const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}

function body(...chunks: string[]): GetObjectCommandOutput['Body'] {
  return Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as GetObjectCommandOutput['Body'];
}

// Metrics go to stdout as EMF; off here, except in the test that reads them.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const s3 = new S3Client({ region: REGION, credentials: CREDENTIALS });
const ddb = createDocumentClient({ region: REGION, credentials: CREDENTIALS });
const sns = new SNSClient({ region: REGION, credentials: CREDENTIALS });
const s3Mock = mockClient(s3);
const ddbMock = mockClient(ddb);
const snsMock = mockClient(sns);

function deps(overrides: Partial<VerifierDeps> = {}): VerifierDeps {
  return {
    s3,
    ddb,
    sns,
    tableName: TABLE,
    alarmTopicArn: TOPIC,
    tenants: TENANTS,
    logger: new Logger({ serviceName: 'verifier-test' }),
    metrics: new Metrics({ namespace: 'Test', serviceName: 'verifier' }),
    now: () => NOW,
    ...overrides,
  };
}

const putItems = () => ddbMock.commandCalls(PutCommand).map((c) => (c.args[0].input as PutCommandInput).Item as Record<string, unknown>);
const published = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);

beforeEach(() => {
  s3Mock.reset();
  ddbMock.reset();
  snsMock.reset();
  ddbMock.on(PutCommand).resolves({});
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
});

// Object lock and least privilege: whatever a test does, the verifier only ever reads objects.
afterEach(() => {
  const writes = s3Mock.calls().filter((c) => !(c.args[0] instanceof HeadObjectCommand || c.args[0] instanceof GetObjectCommand));
  expect(writes).toEqual([]);
});

describe('stored checksum (no body read)', () => {
  test('a stored full-object SHA-256 is recorded as s3-stored and GetObject is never called', async () => {
    s3Mock.on(HeadObjectCommand).resolves({
      ContentLength: 11,
      ETag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"',
      ChecksumSHA256: HELLO_WORLD_SHA256,
      ChecksumType: 'FULL_OBJECT',
      VersionId: VERSION,
    });

    const result = await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/exports/docs.tar', { size: 11 }))));

    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(s3Mock).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: BUCKET,
      Key: 'acme/exports/docs.tar',
      VersionId: VERSION,
      ChecksumMode: 'ENABLED',
    });
    expect(putItems()).toEqual([
      {
        pk: `OBJECT#${BUCKET}/acme/exports/docs.tar`,
        sk: `VERSION#${VERSION}`,
        kind: 'LANDING_OBJECT',
        bucket: BUCKET,
        key: 'acme/exports/docs.tar',
        versionId: VERSION,
        resourceArn: `arn:aws:s3:::${BUCKET}/acme/exports/docs.tar`,
        tenantId: 'acme',
        sizeBytes: 11,
        etag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"',
        status: 'VERIFIED',
        checksumAlgorithm: 'SHA256',
        checksum: HELLO_WORLD_SHA256,
        checksumSource: 's3-stored',
        checksumType: 'FULL_OBJECT',
        eventTime: '2026-11-03T04:00:00Z',
        updatedAt: NOW.toISOString(),
      },
    ]);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  test('a CRC64NVME (S3 default since 2024) counts as a stored checksum too', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 11, ChecksumCRC64NVME: 'jC0zW4yDYz0=', ChecksumType: 'FULL_OBJECT' });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin', { size: 11 }))));

    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(putItems()[0]).toMatchObject({ checksumAlgorithm: 'CRC64NVME', checksum: 'jC0zW4yDYz0=', checksumSource: 's3-stored' });
  });

  test('a composite multipart checksum is recorded as stored and marked COMPOSITE, not as the SHA-256 of the body', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 3 * 8 * 1024 * 1024, ChecksumSHA256: 'KkAoHFpWi4Ii0uGHUbZ1Ub0m4ad5QjsuD0bCXFm0ARg=-3', ChecksumType: 'COMPOSITE' });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/big.tar'))));

    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(putItems()[0]).toMatchObject({
      status: 'VERIFIED',
      checksumAlgorithm: 'SHA256',
      checksum: 'KkAoHFpWi4Ii0uGHUbZ1Ub0m4ad5QjsuD0bCXFm0ARg=-3',
      checksumSource: 's3-stored',
      checksumType: 'COMPOSITE',
    });
  });

  test('storedChecksum prefers the strongest algorithm and spots a composite value without ChecksumType', () => {
    expect(storedChecksum({ ChecksumCRC32: 'AAAAAA==', ChecksumSHA1: 'sha1=' })).toEqual({ algorithm: 'SHA1', value: 'sha1=', type: 'FULL_OBJECT' });
    expect(storedChecksum({ ChecksumCRC32C: 'abcd-12' })).toEqual({ algorithm: 'CRC32C', value: 'abcd-12', type: 'COMPOSITE' });
    expect(storedChecksum({ ChecksumType: 'FULL_OBJECT' })).toBeUndefined();
    expect(storedChecksum({ ChecksumSHA256: '' })).toBeUndefined();
  });
});

describe('computed checksum (streamed body)', () => {
  test('with no stored checksum the body is streamed and its SHA-256 recorded as computed', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 11, ETag: '"e"' });
    s3Mock.on(GetObjectCommand).resolves({ ContentLength: 11, Body: body('hello', ' ', 'world') });

    const result = await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('globex/hello.txt', { size: 11 }))));

    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: 'globex/hello.txt', VersionId: VERSION });
    expect(putItems()[0]).toMatchObject({
      status: 'VERIFIED',
      checksumAlgorithm: 'SHA256',
      checksum: HELLO_WORLD_SHA256,
      checksumSource: 'computed',
      sizeBytes: 11,
      tenantId: 'globex',
    });
    expect(putItems()[0]).not.toHaveProperty('checksumType');
  });

  test('fewer bytes than the object size is a FAILED record and an alarm, and the message succeeds', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 11 });
    s3Mock.on(GetObjectCommand).resolves({ ContentLength: 11, Body: body('hello wo') });

    const result = await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/cut.bin', { size: 11 }))));

    expect(result.batchItemFailures).toEqual([]);
    expect(putItems()).toHaveLength(1);
    expect(putItems()[0]).toMatchObject({ status: 'FAILED', error: 'size mismatch: read 8 bytes, object size is 11', sizeBytes: 11 });
    expect(putItems()[0]).not.toHaveProperty('checksum');
    expect(published()).toHaveLength(1);
    expect(published()[0]).toMatchObject({ TopicArn: TOPIC, Subject: `Landing object verification FAILED: s3://${BUCKET}/acme/cut.bin` });
    expect(published()[0].Message).toContain('Reason:      size mismatch: read 8 bytes, object size is 11');
    expect(published()[0].Message).toContain(`Version:     ${VERSION}`);
  });

  test('an event size that disagrees with S3 is a FAILED record without reading the body', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 12, ChecksumSHA256: HELLO_WORLD_SHA256 });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin', { size: 11 }))));

    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(putItems()[0]).toMatchObject({ status: 'FAILED', error: 'size mismatch: event says 11 bytes, S3 says 12' });
    expect(published()).toHaveLength(1);
  });
});

describe('objects that cannot be verified', () => {
  test.each([
    ['HeadObject', 'NotFound', 404],
    ['HeadObject', 'NoSuchVersion', 404],
    ['GetObject', 'NoSuchKey', 404],
    ['GetObject', 'NoSuchVersion', 404],
  ])('%s %s (deleted before verification) is FAILED + alarm, not a retry', async (op, name, status) => {
    if (op === 'HeadObject') {
      s3Mock.on(HeadObjectCommand).rejects(s3Error(name, status));
    } else {
      s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 11 });
      s3Mock.on(GetObjectCommand).rejects(s3Error(name, status));
    }

    const result = await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/gone.bin', { size: 11 }))));

    expect(result.batchItemFailures).toEqual([]);
    expect(putItems()).toHaveLength(1);
    expect(putItems()[0]).toMatchObject({ status: 'FAILED', key: 'acme/gone.bin', versionId: VERSION, sizeBytes: 11 });
    expect(String(putItems()[0].error)).toMatch(new RegExp(`not found: ${name} \\(HTTP 404\\)`));
    expect(published()).toHaveLength(1);
    expect(published()[0].Message).toContain(`Object:      s3://${BUCKET}/acme/gone.bin`);
  });

  test('access denied is FAILED + alarm that names the likely cause', async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error('Forbidden', 403));

    const result = await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/locked.bin'))));

    expect(result.batchItemFailures).toEqual([]);
    expect(putItems()[0]).toMatchObject({ status: 'FAILED' });
    expect(String(putItems()[0].error)).toContain('access denied');
    expect(published()[0].Message).toContain('s3:GetObjectVersion, kms:Decrypt');
  });

  test('a throttling or 5xx error that outlasts the SDK retries fails the message and writes nothing', async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error('SlowDown', 503));
    s3Mock.on(HeadObjectCommand, { Key: 'acme/fine.bin' }).resolves({ ContentLength: 11, ChecksumSHA256: HELLO_WORLD_SHA256 });

    const result = await createVerifierHandler(deps())(
      sqsEvent(sqsRecord(objectCreated('acme/busy.bin'), 'busy'), sqsRecord(objectCreated('acme/fine.bin'), 'fine')),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'busy' }]);
    expect(putItems().map((i) => i.key)).toEqual(['acme/fine.bin']);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  test('classifyS3Error: verdicts on the object are permanent, everything else is retried', () => {
    expect(classifyS3Error(s3Error('NoSuchKey', 404))).toMatchObject({ kind: 'missing', permanent: true });
    expect(classifyS3Error(s3Error('MethodNotAllowed', 405))).toMatchObject({ kind: 'missing', permanent: true });
    expect(classifyS3Error(s3Error('AccessDenied', 403))).toMatchObject({ kind: 'access-denied', permanent: true });
    expect(classifyS3Error(s3Error('InvalidObjectState', 403))).toMatchObject({ kind: 'not-readable', permanent: true });
    expect(classifyS3Error(s3Error('KMS.DisabledException', 400))).toMatchObject({ kind: 'not-readable', permanent: true });
    expect(classifyS3Error(s3Error('InvalidArgument', 400))).toMatchObject({ kind: 'invalid-request', permanent: true });
    expect(classifyS3Error(s3Error('SlowDown', 503))).toMatchObject({ permanent: false });
    expect(classifyS3Error(s3Error('InternalError', 500))).toMatchObject({ permanent: false });
    expect(classifyS3Error(s3Error('RequestTimeout', 400))).toMatchObject({ permanent: false });
    expect(classifyS3Error(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({ permanent: false });
    expect(classifyS3Error(undefined)).toMatchObject({ permanent: false });
  });
});

describe('messages', () => {
  test('poison messages fail alone and the good message in the same batch is verified', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 11, ChecksumSHA256: HELLO_WORLD_SHA256 });
    const noKey = objectCreated('x');
    delete (noKey.detail.object as Record<string, unknown>).key;

    const result = await createVerifierHandler(deps())(
      sqsEvent(
        sqsRecord('this is not JSON', 'not-json'),
        sqsRecord({ hello: 'world' }, 'unknown-shape'),
        sqsRecord(noKey, 'no-key'),
        sqsRecord(objectCreated('acme/ok.bin', { size: -1 }), 'bad-size'),
        sqsRecord(objectCreated('acme/ok.bin'), 'good'),
      ),
    );

    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: 'not-json' },
      { itemIdentifier: 'unknown-shape' },
      { itemIdentifier: 'no-key' },
      { itemIdentifier: 'bad-size' },
    ]);
    expect(putItems().map((i) => [i.key, i.status])).toEqual([['acme/ok.bin', 'VERIFIED']]);
  });

  test('a batch in which every message fails throws, so SQS retries all of it', async () => {
    await expect(createVerifierHandler(deps())(sqsEvent(sqsRecord('nope', 'a'), sqsRecord('nope', 'b')))).rejects.toThrow(/All records failed/);
  });

  test('other EventBridge events, S3 test events and non-create notifications are skipped, not failed', async () => {
    const deleted = { ...objectCreated('acme/a.bin'), 'detail-type': 'Object Deleted' };
    const result = await createVerifierHandler(deps())(
      sqsEvent(
        sqsRecord(deleted, 'deleted'),
        sqsRecord({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: BUCKET }, 'test-event'),
        sqsRecord({ Records: [{ eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: BUCKET }, object: { key: 'a' } } }] }, 'removed'),
      ),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock.calls()).toHaveLength(0);
    expect(ddbMock.calls()).toHaveLength(0);
  });

  test('an S3 event notification delivered straight to SQS is understood, URL-encoded key included', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 5, ChecksumCRC32: 'NhCmhg==' });
    const notification = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'cn-north-1',
          eventTime: '2026-11-03T04:00:00.000Z',
          eventName: 'ObjectCreated:Put',
          s3: {
            s3SchemaVersion: '1.0',
            bucket: { name: BUCKET, arn: `arn:aws-cn:s3:::${BUCKET}` },
            object: { key: 'acme/red+flower.jpg', size: 5, eTag: 'x', versionId: VERSION, sequencer: '0A1B' },
          },
        },
      ],
    };

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(notification)));

    expect(s3Mock).toHaveReceivedCommandWith(HeadObjectCommand, { Key: 'acme/red flower.jpg', VersionId: VERSION });
    expect(putItems()[0]).toMatchObject({
      key: 'acme/red flower.jpg',
      resourceArn: `arn:aws-cn:s3:::${BUCKET}/acme/red flower.jpg`,
      eventTime: '2026-11-03T04:00:00.000Z',
    });
  });

  test('parseMessageBody: malformed messages are MalformedMessageError; version "null" means unversioned', () => {
    expect(() => parseMessageBody('[1]')).toThrow(MalformedMessageError);
    expect(() => parseMessageBody(JSON.stringify({ ...objectCreated('a'), detail: { bucket: {} } }))).toThrow(/detail.bucket and detail.object/);
    const parsed = parseMessageBody(JSON.stringify(objectCreated('acme/a', { versionId: 'null' })));
    expect(parsed).toMatchObject({ kind: 'objects', objects: [{ bucket: BUCKET, keyCandidates: ['acme/a'], partition: 'aws' }] });
    expect(parsed.kind === 'objects' && parsed.objects[0].versionId).toBeUndefined();
  });
});

describe('object keys from the event', () => {
  test('a form-URL-encoded key is decoded before S3 is asked', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/nightly+dump+%282%29%3A%C3%A9.tar'))));

    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
    expect(s3Mock).toHaveReceivedCommandWith(HeadObjectCommand, { Key: 'acme/nightly dump (2):é.tar' });
    expect(putItems()[0]).toMatchObject({ key: 'acme/nightly dump (2):é.tar', pk: `OBJECT#${BUCKET}/acme/nightly dump (2):é.tar` });
  });

  test('when the decoded key does not exist, the key as written is tried (an unencoded "+")', async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    s3Mock.on(HeadObjectCommand, { Key: 'acme/c++.tar' }).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/c++.tar'))));

    expect(s3Mock.commandCalls(HeadObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['acme/c  .tar', 'acme/c++.tar']);
    expect(putItems()[0]).toMatchObject({ key: 'acme/c++.tar', status: 'VERIFIED' });
    expect(published()).toHaveLength(0);
  });

  test('when neither spelling exists the decoded key is reported', async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a+b.tar'))));

    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 2);
    expect(putItems()[0]).toMatchObject({ key: 'acme/a b.tar', status: 'FAILED' });
  });

  test('keyCandidates: decoded then raw; a key that does not decode is taken literally', () => {
    expect(keyCandidates('acme/plain.tar')).toEqual(['acme/plain.tar']);
    expect(keyCandidates('acme/a+b')).toEqual(['acme/a b', 'acme/a+b']);
    expect(keyCandidates('acme/100%.tar')).toEqual(['acme/100%.tar']);
  });
});

describe('tenants', () => {
  test.each([
    ['acme/exports/2026-11-03.tar', 'acme'],
    ['globex/db.dump', 'globex'],
    ['initech/db.dump', undefined],
    ['acme', undefined],
  ])('key %s belongs to tenant %s', async (key, tenant) => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated(key))));

    expect(putItems()[0].tenantId).toBe(tenant);
  });

  test('TENANTS is a comma-separated list; blanks are ignored', () => {
    expect(parseTenants(' acme, globex ,,')).toEqual(['acme', 'globex']);
    expect(parseTenants(undefined)).toEqual([]);
  });
});

describe('idempotency and object lock', () => {
  test('the write is conditional: it may create the item or replace a FAILED one, never a VERIFIED one', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin'))));

    const input = ddbMock.commandCalls(PutCommand)[0].args[0].input as PutCommandInput;
    expect(input).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'FAILED' },
    });
  });

  test('a redelivered event for a verified version keeps the first record and succeeds', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    const result = await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin'))));

    expect(result.batchItemFailures).toEqual([]);
    expect(published()).toHaveLength(0);
  });

  test('a version that became unreadable after it was verified still raises the alarm; the VERIFIED item stays', async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NoSuchVersion', 404));
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    const result = await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin'))));

    expect(result.batchItemFailures).toEqual([]);
    expect(published()).toHaveLength(1);
  });

  test('a DynamoDB failure fails the message (retried), and no alarm is sent for an unrecorded verdict', async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NoSuchVersion', 404));
    ddbMock.on(PutCommand).rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));

    await expect(createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin'))))).rejects.toThrow(/All records failed/);
    expect(published()).toHaveLength(0);
  });

  test('works on the event\'s version id and only ever reads (HeadObject, GetObject)', async () => {
    const older = '0ld3rV3rs10nXXXXXXXXXXXXXXXXXXXX';
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 11, VersionId: older });
    s3Mock.on(GetObjectCommand).resolves({ ContentLength: 11, Body: body(HELLO_WORLD), VersionId: older });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/locked.tar', { versionId: older }))));

    expect(s3Mock).toHaveReceivedCommandWith(HeadObjectCommand, { VersionId: older });
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { VersionId: older });
    expect(putItems()[0]).toMatchObject({ sk: `VERSION#${older}`, versionId: older, status: 'VERIFIED' });
    const calls = s3Mock.calls().map((c) => c.args[0]);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBeInstanceOf(HeadObjectCommand);
    expect(calls[1]).toBeInstanceOf(GetObjectCommand);
  });

  test('an unversioned object is catalogued under VERSION#null', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });

    await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin', { versionId: null }))));

    expect(s3Mock.commandCalls(HeadObjectCommand)[0].args[0].input.VersionId).toBeUndefined();
    expect(putItems()[0]).toMatchObject({ sk: 'VERSION#null', versionId: 'null' });
  });
});

describe('alarm text', () => {
  test('the SNS subject is printable ASCII of at most 100 characters', () => {
    const item = failed(
      { bucket: BUCKET, key: `acme/${'très-long-nom-'.repeat(10)}.tar`, partition: 'aws', sizeBytes: 1, eventTime: 't', updatedAt: 'u' },
      'object version not found',
    );
    const { subject, message } = failureAlarm(item);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith('...')).toBe(true);
    expect(message).toContain('très-long-nom-');
    expect(message).toContain('Version:     null');
  });
});

describe('metrics and configuration', () => {
  test('ObjectsVerified, ObjectsFailed and BytesHashed are published as EMF', async () => {
    const previous = process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    const metrics = new Metrics({ namespace: 'CompliantBackup', serviceName: 'verifier' });
    process.env.POWERTOOLS_METRICS_DISABLED = previous;
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      s3Mock.on(HeadObjectCommand, { Key: 'acme/ok.txt' }).resolves({ ContentLength: 11 });
      s3Mock.on(GetObjectCommand, { Key: 'acme/ok.txt' }).resolves({ ContentLength: 11, Body: body(HELLO_WORLD) });
      s3Mock.on(HeadObjectCommand, { Key: 'acme/gone.txt' }).rejects(s3Error('NotFound', 404));

      await createVerifierHandler(deps({ metrics }))(
        sqsEvent(sqsRecord(objectCreated('acme/ok.txt'), 'ok'), sqsRecord(objectCreated('acme/gone.txt'), 'gone')),
      );
    } finally {
      write.mockRestore();
    }

    const emf = lines.map((l) => JSON.parse(l)).find((o) => o._aws);
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('CompliantBackup');
    expect(emf._aws.CloudWatchMetrics[0].Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'ObjectsVerified', Unit: 'Count' },
        { Name: 'ObjectsFailed', Unit: 'Count' },
        { Name: 'BytesHashed', Unit: 'Bytes' },
      ]),
    );
    expect(emf).toMatchObject({ ObjectsVerified: 1, ObjectsFailed: 1, BytesHashed: 11, service: 'verifier' });
  });

  test('TABLE_NAME and ALARM_TOPIC_ARN are required; clients retry 5 attempts', async () => {
    expect(() => depsFromEnv({ ALARM_TOPIC_ARN: TOPIC })).toThrow('TABLE_NAME is not set');
    expect(() => depsFromEnv({ TABLE_NAME: TABLE })).toThrow('ALARM_TOPIC_ARN is not set');
    const d = depsFromEnv({ TABLE_NAME: TABLE, ALARM_TOPIC_ARN: TOPIC, TENANTS: 'acme,globex', AWS_REGION: REGION });
    expect(d).toMatchObject({ tableName: TABLE, alarmTopicArn: TOPIC, tenants: ['acme', 'globex'] });
    expect(await d.s3.config.maxAttempts()).toBe(5);
    expect(await d.sns.config.maxAttempts()).toBe(5);
    expect(await d.ddb.config.maxAttempts()).toBe(5);
  });
});

test('the exported handler builds its clients from the environment on first use', async () => {
  const env = { TABLE_NAME: 'env-table', ALARM_TOPIC_ARN: TOPIC, TENANTS: 'globex', AWS_REGION: REGION };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const s3Class = mockClient(S3Client);
  const ddbClass = mockClient(DynamoDBDocumentClient);
  const snsClass = mockClient(SNSClient);
  try {
    s3Class.on(HeadObjectCommand).resolves({ ContentLength: 1, ChecksumSHA256: 'x=' });
    ddbClass.on(PutCommand).resolves({});

    const result = await handler(sqsEvent(sqsRecord(objectCreated('globex/a.bin'))), {} as Context);

    expect(result.batchItemFailures).toEqual([]);
    const input = ddbClass.commandCalls(PutCommand)[0].args[0].input as PutCommandInput;
    expect(input.TableName).toBe('env-table');
    expect(input.Item).toMatchObject({ tenantId: 'globex', status: 'VERIFIED' });
    expect(snsClass.calls()).toHaveLength(0);
  } finally {
    s3Class.restore();
    ddbClass.restore();
    snsClass.restore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('an object S3 reports without a size is FAILED rather than guessed', async () => {
  s3Mock.on(HeadObjectCommand).resolves({ ChecksumSHA256: 'x=' });

  await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin'))));

  expect(putItems()[0]).toMatchObject({ status: 'FAILED', error: 'S3 reported no object size', sizeBytes: 0 });
});

/**
 * A fake HTTP transport for a real S3 client: each request takes the next scripted response for
 * its method. The SDK's retry strategy, deserializers and checksum handling all run for real.
 */
function fakeTransport(script: Record<'HEAD' | 'GET', Array<{ status: number; headers?: Record<string, string>; body?: string }>>) {
  const seen: Array<{ method: string; path: string }> = [];
  const requestHandler = {
    async handle(request: { method: string; path: string }) {
      seen.push({ method: request.method, path: request.path });
      const queue = script[request.method as 'HEAD' | 'GET'];
      const next = queue.length > 1 ? queue.shift()! : queue[0];
      return {
        response: {
          statusCode: next.status,
          headers: next.headers ?? {},
          body: Readable.from(next.body === undefined ? [] : [Buffer.from(next.body)]),
        },
      };
    },
  };
  return { requestHandler, seen };
}

const slowDown = { status: 503, body: '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' };
const internalError = { status: 500, body: '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' };

describe('SDK retries through the real S3 client (fake HTTP transport)', () => {
  const realS3 = (requestHandler: object) =>
    createS3Client({ region: REGION, credentials: CREDENTIALS, forcePathStyle: true, requestHandler: requestHandler as never });

  test('throttling, then success: the SDK retries and the object is verified', async () => {
    const t = fakeTransport({
      HEAD: [{ status: 200, headers: { 'content-length': '11', 'etag': '"e"' } }],
      GET: [slowDown, { status: 200, headers: { 'content-length': '11' }, body: HELLO_WORLD }],
    });

    const result = await createVerifierHandler(deps({ s3: realS3(t.requestHandler) }))(sqsEvent(sqsRecord(objectCreated('acme/a.txt', { size: 11 }))));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen.map((r) => r.method)).toEqual(['HEAD', 'GET', 'GET']);
    expect(t.seen[1].path).toBe(`/${BUCKET}/acme/a.txt`);
    expect(putItems()[0]).toMatchObject({ status: 'VERIFIED', checksum: HELLO_WORLD_SHA256, checksumSource: 'computed' });
  });

  test('persistent 5xx: 5 attempts, then that message fails and the other one in the batch succeeds', async () => {
    const failing = fakeTransport({ HEAD: [internalError], GET: [internalError] });
    const good = fakeTransport({
      HEAD: [{ status: 200, headers: { 'content-length': '11', 'x-amz-checksum-sha256': HELLO_WORLD_SHA256, 'x-amz-checksum-type': 'FULL_OBJECT' } }],
      GET: [internalError],
    });
    // One client per transport; route by key so each message meets its own server.
    const failingS3 = realS3(failing.requestHandler);
    const goodS3 = realS3(good.requestHandler);
    const routing = {
      send: (command: HeadObjectCommand | GetObjectCommand) =>
        (command.input.Key === 'acme/good.bin' ? goodS3 : failingS3).send(command as never),
    } as unknown as S3Client;

    const result = await createVerifierHandler(deps({ s3: routing }))(
      sqsEvent(sqsRecord(objectCreated('acme/bad.bin'), 'bad'), sqsRecord(objectCreated('acme/good.bin'), 'good')),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(failing.seen.map((r) => r.method)).toEqual(['HEAD', 'HEAD', 'HEAD', 'HEAD', 'HEAD']);
    expect(putItems()).toHaveLength(1);
    expect(putItems()[0]).toMatchObject({ key: 'acme/good.bin', checksumSource: 's3-stored', checksum: HELLO_WORLD_SHA256 });
    expect(good.seen.map((r) => r.method)).toEqual(['HEAD']);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  test('HeadObject checksum headers map to a stored checksum (no GET) through the real deserializer', async () => {
    const t = fakeTransport({
      HEAD: [{ status: 200, headers: { 'content-length': '25165824', 'x-amz-checksum-crc32c': 'yZRlqg==-3', 'x-amz-checksum-type': 'COMPOSITE' } }],
      GET: [internalError],
    });

    await createVerifierHandler(deps({ s3: realS3(t.requestHandler) }))(sqsEvent(sqsRecord(objectCreated('acme/mp.bin'))));

    expect(t.seen.map((r) => r.method)).toEqual(['HEAD']);
    expect(putItems()[0]).toMatchObject({ checksumAlgorithm: 'CRC32C', checksum: 'yZRlqg==-3', checksumType: 'COMPOSITE', sizeBytes: 25165824 });
  });

  test('a 404 on HeadObject (no body) is not retried and becomes a FAILED record', async () => {
    const t = fakeTransport({ HEAD: [{ status: 404 }], GET: [internalError] });

    await createVerifierHandler(deps({ s3: realS3(t.requestHandler) }))(sqsEvent(sqsRecord(objectCreated('acme/none.bin'))));

    expect(t.seen).toHaveLength(1);
    expect(putItems()[0]).toMatchObject({ status: 'FAILED', error: 'object version not found: NotFound (HTTP 404)' });
    expect(published()).toHaveLength(1);
  });
});

test('the SHA-256 test vector used above is right', () => {
  expect(createHash('sha256').update(HELLO_WORLD).digest('base64')).toBe(HELLO_WORLD_SHA256);
});

describe('tenantOfKey', () => {
  // Imported here: the shared schema is what both the verifier and the catalog use.
  const { tenantOfKey, ANY_TENANT } = jest.requireActual('../../lambda-src/shared/catalog-schema');

  test('a known tenant prefix names the tenant; an unknown one does not', () => {
    expect(tenantOfKey('tenant-a/2026/x.tar', ['tenant-a'])).toBe('tenant-a');
    expect(tenantOfKey('tenant-b/x', ['tenant-a'])).toBeUndefined();
    expect(tenantOfKey('no-prefix', ['no-prefix'])).toBeUndefined();
  });

  test('with the any-tenant marker, the first path segment is the tenant', () => {
    expect(tenantOfKey('tenant-0999/x', [ANY_TENANT])).toBe('tenant-0999');
    expect(tenantOfKey('/x', [ANY_TENANT])).toBeUndefined();
    expect(tenantOfKey('x', [ANY_TENANT])).toBeUndefined();
  });
});
