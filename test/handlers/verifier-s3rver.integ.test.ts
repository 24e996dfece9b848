/**
 * The verifier against a real S3 server (s3rver on 127.0.0.1 in a child process, a temporary
 * directory), so the SDK's HTTP stack, the HeadObject → GetObject fallback and the streaming hash
 * run for real.
 *
 * s3rver stores no checksums (and has no versioning or object lock), so every object here takes
 * the computed path: HeadObject answers without checksum headers and the body is streamed.
 * (s3rver also ignores `?attributes`: GetObjectAttributes gets the whole object back as a 200,
 * which the SDK would read into memory to parse as XML — one reason the verifier uses HeadObject.)
 *
 * Constant memory is shown by instrumentation, not by sampling RSS (which depends on the garbage
 * collector and on the load of the machine): the object's body is counted as the verifier reads
 * it, and every chunk is followed into SHA-256. A verifier that streams has hashed every chunk it
 * was given before it asks for the next; one that buffers the body would hold all of it first.
 * The figures (MB/s, peak RSS against object size) are the benchmarks' (bench/).
 *
 * Also here, the fault only a real server gives: s3rver killed in the middle of a streamed read.
 * DynamoDB and SNS are stubbed (aws-sdk-client-mock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, Hash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { hashStream } from '../../lambda-src/verifier/checksum';
import { createDocumentClient, createS3Client, createVerifierHandler, type VerifierDeps } from '../../lambda-src/verifier.lambda';
import { FAKE_CREDENTIALS } from '../support/fake-aws';
import { HANDED_BACK } from '../support/fault-alarms';
import { faultMatrix } from '../support/fault-matrix';
import { INTEG_TEST_TIMEOUT_MS } from '../support/integ';
import { settleBatch } from '../support/sqs-events';

jest.setTimeout(INTEG_TEST_TIMEOUT_MS);
const matrix = faultMatrix();

/**
 * s3rver runs in a child process started here, so that it can be killed in the middle of a read
 * (and so that its own file and socket work does not share the test's event loop). It listens on
 * 127.0.0.1, port 0, and reports the port on stdout.
 */
const SERVER_SCRIPT = `
const S3rver = require(process.argv[1]);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2] });
server.run().then(({ port }) => process.stdout.write(JSON.stringify({ port }) + '\\n'));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;
async function startS3rver(directory: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', SERVER_SCRIPT, require.resolve('s3rver'), directory], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.includes('\n')) resolve((JSON.parse(out) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
  });
  return { child, port };
}

async function stopS3rver(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

const REGION = 'us-east-1';
// s3rver checks SigV4 signatures against its built-in fake key pair.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const BUCKET = 'landing-integ';
const MiB = 1024 * 1024;

let server: ChildProcess;
let directory: string;
let s3: S3Client;
let port: number;

const ddb = createDocumentClient({ region: REGION, credentials: FAKE_CREDENTIALS });
const sns = new SNSClient({ region: REGION, credentials: FAKE_CREDENTIALS });
const ddbMock = mockClient(ddb);
const snsMock = mockClient(sns);

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'verifier-s3rver-'));
  const started = await startS3rver(directory);
  server = started.child;
  port = started.port;
  s3 = s3rverClient(port);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

/** The verifier's production S3 client, pointed at s3rver. */
function s3rverClient(serverPort: number): S3Client {
  return createS3Client({
    region: REGION,
    endpoint: `http://127.0.0.1:${serverPort}`,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    // A streamed PutObject would otherwise be sent aws-chunked with a trailing checksum
    // (STREAMING-UNSIGNED-PAYLOAD-TRAILER), which s3rver rejects. Test uploads only: the verifier
    // itself sends HeadObject and GetObject.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

afterAll(async () => {
  s3?.destroy();
  if (server) await stopS3rver(server);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

beforeEach(() => {
  ddbMock.reset();
  snsMock.reset();
  ddbMock.on(PutCommand).resolves({});
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
});

function deps(client: S3Client = s3): VerifierDeps {
  return {
    s3: client,
    ddb,
    sns,
    tableName: 'catalog',
    alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:backup-alarms',
    tenants: ['acme'],
    logger: new Logger({ serviceName: 'verifier-test' }),
    metrics: new Metrics({ namespace: 'Test', serviceName: 'verifier' }),
  };
}

function objectCreated(key: string, size?: number): SQSEvent {
  const detail = {
    'version': '0',
    'bucket': { name: BUCKET },
    'object': { key, ...(size === undefined ? {} : { size }), etag: 'x', sequencer: '1' },
    'request-id': 'R',
    'requester': '111122223333',
    'reason': 'PutObject',
  };
  const event = { 'version': '0', 'id': 'e', 'detail-type': 'Object Created', 'source': 'aws.s3', 'account': '111122223333', 'time': '2026-11-03T04:00:00Z', 'region': REGION, 'resources': [`arn:aws:s3:::${BUCKET}`], detail };
  return {
    Records: [
      {
        messageId: 'm-1',
        receiptHandle: 'rh',
        body: JSON.stringify(event),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'S', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:verifier',
        awsRegion: REGION,
      },
    ],
  };
}

const putItems = () => ddbMock.commandCalls(PutCommand).map((c) => (c.args[0].input as PutCommandInput).Item as Record<string, unknown>);

/** Pseudo-random bytes, produced 1 MiB at a time and hashed on the way out: never held whole. */
function generatedBody(size: number) {
  const hash = createHash('sha256');
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= size) {
        this.push(null);
        return;
      }
      const chunk = randomBytes(Math.min(MiB, size - produced));
      hash.update(chunk);
      produced += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('base64'), produced: () => produced };
}

test('a small object with no stored checksum is streamed, hashed and recorded (URL-encoded key in the event)', async () => {
  const content = 'hello world';
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'acme/hello world.txt', Body: content }));

  const result = await createVerifierHandler(deps())(objectCreated('acme/hello+world.txt', content.length));

  expect(result.batchItemFailures).toEqual([]);
  expect(putItems()).toHaveLength(1);
  expect(putItems()[0]).toMatchObject({
    key: 'acme/hello world.txt',
    tenantId: 'acme',
    status: 'VERIFIED',
    sizeBytes: 11,
    checksumAlgorithm: 'SHA256',
    checksumSource: 'computed',
    // SHA-256("hello world"), a published test vector.
    checksum: 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=',
  });
});

test('an object that is gone is a FAILED record and an alarm, from a real 404', async () => {
  const result = await createVerifierHandler(deps())(objectCreated('acme/never-uploaded.bin', 10));

  expect(result.batchItemFailures).toEqual([]);
  expect(putItems()[0]).toMatchObject({ status: 'FAILED', error: 'object version not found: NotFound (HTTP 404)' });
  const publish = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);
  expect(publish).toHaveLength(1);
  expect(publish[0].Message).toContain(`s3://${BUCKET}/acme/never-uploaded.bin`);
});

interface ReadStats {
  /** Body bytes the verifier was given. */
  bodyBytes: number;
  largestChunk: number;
  /** Of those, the bytes that went into a SHA-256 (Hash#update). */
  hashed: number;
  /** The most bytes the verifier had been given and not yet hashed, each time it asked for more. */
  heldMax: number;
}

/**
 * Wraps `client` so that every GetObject body is counted chunk by chunk as the verifier reads it,
 * and each chunk is followed into Hash#update. `onChunk` runs as a chunk is handed over.
 */
function instrumented(client: S3Client, onChunk: (stats: ReadStats) => void = () => undefined) {
  const stats: ReadStats = { bodyBytes: 0, largestChunk: 0, hashed: 0, heldMax: 0 };
  const handedOver = new WeakSet<object>();
  const update = Hash.prototype.update as (...args: unknown[]) => Hash;
  hashSpies.push(jest.spyOn(Hash.prototype, 'update').mockImplementation(function (this: Hash, ...args: unknown[]) {
    const data = args[0];
    if (typeof data === 'object' && data !== null && handedOver.has(data)) stats.hashed += (data as Uint8Array).byteLength;
    return update.apply(this, args);
  } as never));
  async function* counted(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      handedOver.add(chunk);
      stats.bodyBytes += chunk.byteLength;
      stats.largestChunk = Math.max(stats.largestChunk, chunk.byteLength);
      onChunk(stats);
      yield chunk;
      // The reader is back for more: what it was given and has not hashed, it is holding.
      stats.heldMax = Math.max(stats.heldMax, stats.bodyBytes - stats.hashed);
    }
    stats.heldMax = Math.max(stats.heldMax, stats.bodyBytes - stats.hashed);
  }
  const wrapped = {
    send: async (command: unknown, options?: unknown) => {
      const out = await client.send(command as never, options as never) as { Body?: unknown };
      if (command instanceof GetObjectCommand && out.Body) out.Body = counted(out.Body as AsyncIterable<Uint8Array>);
      return out;
    },
  } as unknown as S3Client;
  return { client: wrapped, stats };
}

const hashSpies: jest.SpyInstance[] = [];
afterEach(() => {
  hashSpies.splice(0).forEach((spy) => spy.mockRestore());
});

async function upload(key: string, size: number): Promise<string> {
  const generated = generatedBody(size);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: generated.stream, ContentLength: size }));
  expect(generated.produced()).toBe(size);
  return generated.digest();
}

test('the instrument sees a reader that holds the body before hashing it (so the bound below can fail)', async () => {
  const size = 8 * MiB;
  await upload('acme/held.bin', size);
  const { client, stats } = instrumented(s3);

  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'acme/held.bin' }));
  const chunks: Uint8Array[] = [];
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  hash.digest();

  expect(stats.bodyBytes).toBe(size);
  expect(stats.hashed).toBe(size);
  expect(stats.heldMax).toBe(size);
  expect(stats.heldMax).toBeGreaterThan(stats.largestChunk);
});

test.each([8 * MiB + 123, 48 * MiB])('a %d-byte object is read once and hashed as it streams: never more than one chunk held', async (size) => {
  const key = `acme/exports/streamed-${size}.bin`;
  const expected = await upload(key, size);
  const { client, stats } = instrumented(s3);

  const result = await createVerifierHandler(deps(client))(objectCreated(key, size));

  expect(result.batchItemFailures).toEqual([]);
  expect(putItems()).toEqual([expect.objectContaining({ key, status: 'VERIFIED', sizeBytes: size, checksumSource: 'computed', checksum: expected })]);
  // Every byte read exactly once, and every byte read went through SHA-256.
  expect(stats.bodyBytes).toBe(size);
  expect(stats.hashed).toBe(size);
  // Constant buffering: what the verifier holds does not grow with the object, it is at most the chunk in hand.
  expect(stats.heldMax).toBeLessThanOrEqual(stats.largestChunk);
});

test('s3rver killed in the middle of a streamed read: the message is failed back and nothing recorded; redelivered, it is verified', async () => {
  const size = 32 * MiB;
  const key = 'acme/exports/interrupted.bin';
  const expected = await upload(key, size);
  // A second server over the same directory, to be killed without stopping the one the other tests use.
  const victim = await startS3rver(directory);
  const victimClient = s3rverClient(victim.port);
  let killed = false;
  const { client, stats } = instrumented(victimClient, () => {
    if (!killed) {
      killed = true;
      victim.child.kill('SIGKILL');
    }
  });

  try {
    const first = await settleBatch(objectCreated(key, size), createVerifierHandler(deps(client)));

    expect(killed).toBe(true);
    expect(stats.bodyBytes).toBeLessThan(size);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(putItems()).toEqual([]);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    matrix.expectOutcome('verifier', 'connection reset', 's3rver killed during a streamed GetObject', 'handed-back', {
      failedBack: true, attempts: 1, completed: false, partialRecord: false, alarm: HANDED_BACK.verifier,
    });

    const redelivered = await createVerifierHandler(deps())(objectCreated(key, size));

    expect(redelivered.batchItemFailures).toEqual([]);
    expect(putItems()).toEqual([expect.objectContaining({ key, status: 'VERIFIED', sizeBytes: size, checksum: expected })]);
    matrix.expectOutcome('verifier', 'connection reset', 'the message redelivered after s3rver was killed', 'retry-succeeded', {
      failedBack: false, attempts: 2, completed: true, partialRecord: false,
    });
  } finally {
    victimClient.destroy();
    await stopS3rver(victim.child, 'SIGKILL');
  }
});
test('hashStream alone on a fresh GetObject stream gives the same digest (the function the handler uses)', async () => {
  const generated = generatedBody(8 * MiB + 123);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'acme/odd.bin', Body: generated.stream, ContentLength: 8 * MiB + 123 }));
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'acme/odd.bin' }));

  const { digest, bytes } = await hashStream(object.Body as AsyncIterable<Uint8Array>);

  expect(bytes).toBe(8 * MiB + 123);
  expect(digest).toBe(generated.digest());
});
