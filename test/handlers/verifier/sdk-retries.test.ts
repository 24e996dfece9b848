/** Verifier: retries through the real S3 client over a fake HTTP transport. */
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import 'aws-sdk-client-mock-jest';
import {
  REGION, BUCKET, HELLO_WORLD, HELLO_WORLD_SHA256, objectCreated, sqsRecord, sqsEvent, snsMock, deps, putItems, published, fakeTransport, slowDown,
  internalError, installVerifierStubs,
} from './fixtures';
import { createS3Client, createVerifierHandler } from '../../../lambda-src/verifier.lambda';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../../support/fake-aws';

installVerifierStubs();

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
