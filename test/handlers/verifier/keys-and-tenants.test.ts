/** Verifier: object keys read from the event and the tenant they belong to. */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-jest';
import { BUCKET, objectCreated, sqsRecord, sqsEvent, s3Error, s3Mock, deps, putItems, published, installVerifierStubs } from './fixtures';
import { keyCandidates } from '../../../lambda-src/verifier/event';
import { createVerifierHandler, parseTenants } from '../../../lambda-src/verifier.lambda';

installVerifierStubs();

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

describe('tenantOfKey', () => {
  // Imported here: the shared schema is what both the verifier and the catalog use.
  const { tenantOfKey, ANY_TENANT } = jest.requireActual('../../../lambda-src/shared/catalog-schema');

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
