/**
 * Shared set-up and helpers for the *.test.ts files of this folder (one file per concern).
 *
 * Tests for lambda-src/verifier.lambda.ts: checksums of object versions pushed to landing storage.
 *
 * Most tests stub the SDK clients with aws-sdk-client-mock (instance stubs, one client each). A
 * stubbed `send` skips the SDK's middleware, so the retry tests instead give a real S3 client an
 * in-process fake HTTP transport: the real serializer, retry strategy and error parser run, and
 * nothing leaves the process. Real streaming against a real S3 server is in
 * verifier-s3rver.integ.test.ts.
 */
import { Readable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createDocumentClient, type VerifierDeps } from '../../../lambda-src/verifier.lambda';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../../support/fake-aws';

export const REGION = 'us-east-1';
export const TABLE = 'catalog';
export const TOPIC = 'arn:aws:sns:us-east-1:111122223333:backup-alarms';
export const BUCKET = 'landing-111122223333';
export const VERSION = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY';
export const TENANTS = ['acme', 'globex'];
export const NOW = new Date('2026-11-03T04:05:06.000Z');

// SHA-256 of "hello world", base64: a published test vector, not computed by the code under test.
export const HELLO_WORLD = 'hello world';
export const HELLO_WORLD_SHA256 = 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=';

// Shaped like the "Object Created" example in the S3 user guide (EventBridge event message structure).
export function objectCreated(key: string, opts: { size?: number; versionId?: string | null; bucket?: string } = {}) {
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

export function sqsRecord(payload: unknown, messageId = 'msg-1'): SQSRecord {
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

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

export function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}

export function body(...chunks: string[]): GetObjectCommandOutput['Body'] {
  return Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as GetObjectCommandOutput['Body'];
}

// Metrics go to stdout as EMF; off here, except in the test that reads them.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

export const s3 = new S3Client({ region: REGION, credentials: CREDENTIALS });
export const ddb = createDocumentClient({ region: REGION, credentials: CREDENTIALS });
export const sns = new SNSClient({ region: REGION, credentials: CREDENTIALS });
export const s3Mock = mockClient(s3);
export const ddbMock = mockClient(ddb);
export const snsMock = mockClient(sns);

export function deps(overrides: Partial<VerifierDeps> = {}): VerifierDeps {
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

export const putItems = () => ddbMock.commandCalls(PutCommand).map((c) => (c.args[0].input as PutCommandInput).Item as Record<string, unknown>);
export const published = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);

/**
 * A fake HTTP transport for a real S3 client: each request takes the next scripted response for
 * its method. The SDK's retry strategy, deserializers and checksum handling all run for real.
 */
export function fakeTransport(script: Record<'HEAD' | 'GET', Array<{ status: number; headers?: Record<string, string>; body?: string }>>) {
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

export const slowDown = { status: 503, body: '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' };
export const internalError = { status: 500, body: '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' };

/** Gives every test fresh client stubs and a clean environment. */
export function installVerifierStubs(): void {
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
}
