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
 * The big test streams a 256 MiB object, generated and uploaded as a stream, through the handler
 * and checks that memory stays flat. DynamoDB and SNS are stubbed (aws-sdk-client-mock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

/**
 * s3rver runs in a child process started here, so that the memory measured below is the
 * verifier's alone (the server's own file and socket buffers would otherwise count). It listens
 * on 127.0.0.1, port 0, and reports the port on stdout.
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

async function stopS3rver(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const REGION = 'us-east-1';
// s3rver checks SigV4 signatures against its built-in fake key pair.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const BUCKET = 'landing-integ';
const MiB = 1024 * 1024;
const BIG_SIZE = 256 * MiB;
// Bound on memory growth while the verifier hashes BIG_SIZE bytes. Chunks that were hashed and
// dropped still take memory until V8 collects them, which it does once roughly 64 MiB of them have
// piled up (measured here: 26-56 MiB of growth), so the bound leaves room above that. Holding the
// body would cost at least BIG_SIZE (256 MiB).
const MEMORY_BOUND = 96 * MiB;

process.env.POWERTOOLS_METRICS_DISABLED = 'true';

// A full collection before the baseline makes the growth figures about the hash, not old garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: ChildProcess;
let directory: string;
let s3: S3Client;

const ddb = createDocumentClient({ region: REGION, credentials: FAKE_CREDENTIALS });
const sns = new SNSClient({ region: REGION, credentials: FAKE_CREDENTIALS });
const ddbMock = mockClient(ddb);
const snsMock = mockClient(sns);

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'verifier-s3rver-'));
  const started = await startS3rver(directory);
  server = started.child;
  const port = started.port;
  s3 = createS3Client({
    region: REGION,
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    // A streamed PutObject would otherwise be sent aws-chunked with a trailing checksum
    // (STREAMING-UNSIGNED-PAYLOAD-TRAILER), which s3rver rejects. Test uploads only: the verifier
    // itself sends HeadObject and GetObject.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

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

function deps(): VerifierDeps {
  return {
    s3,
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

/**
 * Peak growth of RSS and of off-heap memory (Buffer contents live there) over a baseline,
 * sampled every 5 ms. V8 frees ArrayBuffer memory on a background thread after a collection,
 * so the baseline waits until `external` has settled: otherwise memory freed late by an earlier
 * test would hide growth here.
 */
async function memoryProbe() {
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 20; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 25));
    const external = process.memoryUsage().external;
    if (Math.abs(previous - external) < 256 * 1024) break;
    previous = external;
  }
  const base = process.memoryUsage();
  const peak = { rss: 0, external: 0, samples: 0 };
  const sample = () => {
    peak.samples++;
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss - base.rss);
    // `external` includes `arrayBuffers`.
    peak.external = Math.max(peak.external, now.external - base.external);
  };
  const timer = setInterval(sample, 5);
  return {
    stop: () => {
      sample();
      clearInterval(timer);
      return peak;
    },
  };
}

const mib = (bytes: number) => (bytes / MiB).toFixed(1);

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

test('the memory probe sees a body held in memory (so the bound below can fail)', async () => {
  const probe = await memoryProbe();
  const held = Buffer.alloc(128 * MiB, 1);
  const peak = probe.stop();
  expect(held.length).toBe(128 * MiB);
  expect(peak.external).toBeGreaterThan(MEMORY_BOUND);
  expect(peak.rss).toBeGreaterThan(MEMORY_BOUND);
});

test(`a ${BIG_SIZE / MiB} MiB object is hashed in constant memory and its SHA-256 matches the generator's`, async () => {
  const key = 'acme/exports/big.bin';
  const generated = generatedBody(BIG_SIZE);
  const uploadProbe = await memoryProbe();
  let started = Date.now();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: generated.stream, ContentLength: BIG_SIZE }));
  const uploadPeak = uploadProbe.stop();
  const uploadSeconds = (Date.now() - started) / 1000;
  expect(generated.produced()).toBe(BIG_SIZE);
  const expected = generated.digest();

  const probe = await memoryProbe();
  started = Date.now();
  const result = await createVerifierHandler(deps())(objectCreated(key, BIG_SIZE));
  const peak = probe.stop();
  const seconds = (Date.now() - started) / 1000;

  console.log(
    [
      `verifier streaming hash, ${mib(BIG_SIZE)} MiB object via s3rver:`,
      `  upload (streamed, not measured by the bound): ${uploadSeconds.toFixed(2)} s, peak growth rss ${mib(uploadPeak.rss)} MiB, external ${mib(uploadPeak.external)} MiB (${uploadPeak.samples} samples)`,
      `  verify (HeadObject + GetObject + SHA-256): ${seconds.toFixed(2)} s, ${(BIG_SIZE / MiB / seconds).toFixed(0)} MiB/s`,
      `  peak memory growth while verifying: rss ${mib(peak.rss)} MiB, external+arrayBuffers ${mib(peak.external)} MiB (bound ${mib(MEMORY_BOUND)} MiB each; ${peak.samples} samples)`,
    ].join('\n'),
  );

  expect(result.batchItemFailures).toEqual([]);
  expect(putItems()).toHaveLength(1);
  expect(putItems()[0]).toMatchObject({
    key,
    status: 'VERIFIED',
    sizeBytes: BIG_SIZE,
    checksumSource: 'computed',
    checksum: expected,
  });
  expect(peak.rss).toBeLessThan(MEMORY_BOUND);
  expect(peak.external).toBeLessThan(MEMORY_BOUND);
}, 60_000);

test('hashStream alone on a fresh GetObject stream gives the same digest (the function the handler uses)', async () => {
  const generated = generatedBody(8 * MiB + 123);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'acme/odd.bin', Body: generated.stream, ContentLength: 8 * MiB + 123 }));
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'acme/odd.bin' }));

  const { digest, bytes } = await hashStream(object.Body as AsyncIterable<Uint8Array>);

  expect(bytes).toBe(8 * MiB + 123);
  expect(digest).toBe(generated.digest());
});
