/** Verifier: the messages it publishes and the alarm text. */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-jest';
import {
  BUCKET, VERSION, HELLO_WORLD_SHA256, objectCreated, sqsRecord, sqsEvent, s3Mock, ddbMock, deps, putItems, installVerifierStubs,
} from './fixtures';
import { parseMessageBody, MalformedMessageError } from '../../../lambda-src/verifier/event';
import { failureAlarm, failed } from '../../../lambda-src/verifier/outcome';
import { createVerifierHandler } from '../../../lambda-src/verifier.lambda';

installVerifierStubs();

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
