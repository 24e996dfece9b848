/** Verifier: idempotency and object lock. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import {
  TABLE, HELLO_WORLD, objectCreated, sqsRecord, sqsEvent, s3Error, body, s3Mock, ddbMock, deps, putItems, published, installVerifierStubs,
} from './fixtures';
import { createVerifierHandler } from '../../../lambda-src/verifier.lambda';

installVerifierStubs();

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
