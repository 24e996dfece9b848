/**
 * One measured operation against the benchmark's s3rver, in a fresh process (bundled
 * by bench/verifier.ts with esbuild, as the deployed handler is, so the process holds
 * what a Lambda would and no TypeScript compiler). Prints one line
 * `BENCH_RESULT {"seconds":…,"bytes":…,…}`; peak RSS is read from outside.
 *
 * Modes:
 * - verifier:  the real verifier handler (lambda-src/verifier.lambda.ts) on one
 *              "Object Created" event; S3 is s3rver, the catalog write and the SNS
 *              publish are stubbed (they are not the part measured);
 * - naive:     what a naive handler does: GetObject, buffer the whole body, SHA-256;
 * - discard:   read limit: GetObject and drop every chunk;
 * - sha256:    hash limit: SHA-256 of the same number of bytes from memory.
 *
 * argv: mode endpoint bucket key size expectedSha256Base64
 */
import { createHash, randomBytes } from 'crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { createDocumentClient, createS3Client } from '../../lambda-src/verifier/clients';
import { createVerifierHandler } from '../../lambda-src/verifier/handler';

const [mode, endpoint, bucket, key, sizeArg, expected] = process.argv.slice(2);
const size = Number(sizeArg);
const REGION = 'us-east-1';
// s3rver checks SigV4 signatures against its built-in key pair.
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const FAKE_CREDENTIALS = { accessKeyId: 'AKIDBENCHFAKE', secretAccessKey: 'fake' };
const MiB = 1024 * 1024;

interface Outcome { seconds: number; bytes: number; correct: boolean; detail?: string }

const s3 = () => createS3Client({ region: REGION, endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });

async function timed(fn: () => Promise<{ bytes: number; correct: boolean; detail?: string }>): Promise<Outcome> {
  const started = process.hrtime.bigint();
  const r = await fn();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, ...r };
}

function objectCreated(): SQSEvent {
  const event = {
    'version': '0',
    'id': 'bench',
    'detail-type': 'Object Created',
    'source': 'aws.s3',
    'account': '111122223333',
    'time': '2026-12-01T00:00:00Z',
    'region': REGION,
    'resources': [`arn:aws:s3:::${bucket}`],
    'detail': { version: '0', bucket: { name: bucket }, object: { key, size, etag: 'x', sequencer: '1' }, reason: 'PutObject' },
  };
  return {
    Records: [{
      messageId: 'm-1',
      receiptHandle: 'rh',
      body: JSON.stringify(event),
      messageAttributes: {},
      md5OfBody: '',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'S', ApproximateFirstReceiveTimestamp: '0' },
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:111122223333:verifier`,
      awsRegion: REGION,
    }],
  };
}

async function verifier(): Promise<Outcome> {
  const ddb = createDocumentClient({ region: REGION, credentials: FAKE_CREDENTIALS, endpoint: 'http://127.0.0.1:9' });
  const sns = new SNSClient({ region: REGION, credentials: FAKE_CREDENTIALS, endpoint: 'http://127.0.0.1:9' });
  const written: Array<Record<string, any>> = [];
  // The catalog write and the alarm are not measured: record what would be written.
  ddb.send = (async (command: any) => { written.push(command.input.Item); return {}; }) as any;
  sns.send = (async () => ({})) as any;
  const handler = createVerifierHandler({
    s3: s3(),
    ddb,
    sns,
    tableName: 'catalog',
    alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:alarms',
    tenants: [],
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Bench', serviceName: 'verifier' }),
  });
  return timed(async () => {
    const result = await handler(objectCreated());
    const item = written[0] ?? {};
    const correct = result.batchItemFailures.length === 0 && item.status === 'VERIFIED' && item.checksum === expected;
    return { bytes: size, correct, detail: `${item.status} ${item.checksumSource ?? ''}`.trim() };
  });
}

async function naive(): Promise<Outcome> {
  const client = s3();
  return timed(async () => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await object.Body!.transformToByteArray();
    const digest = createHash('sha256').update(body).digest('base64');
    return { bytes: body.byteLength, correct: digest === expected };
  });
}

async function discard(): Promise<Outcome> {
  const client = s3();
  return timed(async () => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    let bytes = 0;
    for await (const chunk of object.Body as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
    return { bytes, correct: bytes === size };
  });
}

async function sha256(): Promise<Outcome> {
  const block = randomBytes(Math.min(size, 16 * MiB));
  return timed(async () => {
    const hash = createHash('sha256');
    let left = size;
    while (left > 0) {
      const n = Math.min(left, block.length);
      hash.update(n === block.length ? block : block.subarray(0, n));
      left -= n;
    }
    hash.digest();
    return { bytes: size, correct: true };
  });
}

const MODES: Record<string, () => Promise<Outcome>> = { verifier, naive, discard, sha256 };

MODES[mode]().then((outcome) => {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(outcome)}\n`);
}).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
