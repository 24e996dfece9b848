/** Verifier: stored and computed checksums, and objects that cannot be verified. */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import 'aws-sdk-client-mock-jest';
import {
  TOPIC, BUCKET, VERSION, NOW, HELLO_WORLD, HELLO_WORLD_SHA256, objectCreated, sqsRecord, sqsEvent, s3Error, body, s3Mock, snsMock, deps, putItems,
  published, installVerifierStubs,
} from './fixtures';
import { storedChecksum } from '../../../lambda-src/verifier/checksum';
import { classifyS3Error } from '../../../lambda-src/verifier/outcome';
import { createVerifierHandler } from '../../../lambda-src/verifier.lambda';

installVerifierStubs();

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

test('an object S3 reports without a size is FAILED rather than guessed', async () => {
  s3Mock.on(HeadObjectCommand).resolves({ ChecksumSHA256: 'x=' });

  await createVerifierHandler(deps())(sqsEvent(sqsRecord(objectCreated('acme/a.bin'))));

  expect(putItems()[0]).toMatchObject({ status: 'FAILED', error: 'S3 reported no object size', sizeBytes: 0 });
});

test('the SHA-256 test vector used above is right', () => {
  expect(createHash('sha256').update(HELLO_WORLD).digest('base64')).toBe(HELLO_WORLD_SHA256);
});
