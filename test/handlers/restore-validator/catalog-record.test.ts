import { GetCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import { JOB_ID, RP_ARN, BUCKET_ARN, restoreEvent, setup, stubHealthyBucket } from './fixtures';
import type { CatalogJobItem } from '../../../lambda-src/catalog/job-record';
import { writeJobRecord } from '../../../lambda-src/catalog/writer';
import { createCatalogClient } from '../../../lambda-src/restore-validator/clients';
import { createRestoreValidatorHandler } from '../../../lambda-src/restore-validator.lambda';
import { jobKey } from '../../../lambda-src/shared/catalog-schema';
import { catalogTablePerTest } from '../../support/dynalite';

// ---------- the catalog item, against dynalite, together with the catalog handler's writer ----------

describe('catalog record against dynalite', () => {
  const local = catalogTablePerTest('catalog', { client: createCatalogClient });

  const pk = jobKey('RESTORE_JOB', JOB_ID);
  const item = async () => (await local.doc.send(new GetCommand({ TableName: local.table, Key: { pk, sk: 'JOB' } }))).Item;

  /** What the catalog handler writes for this same COMPLETED event. */
  const catalogRecord: CatalogJobItem = {
    pk,
    sk: 'JOB',
    kind: 'RESTORE_JOB',
    jobId: JOB_ID,
    state: 'COMPLETED',
    stateRank: 4,
    eventTime: '2026-03-01T03:15:00.000Z',
    source: 'event',
    updatedAt: '2026-03-01T03:16:00.000Z',
    resourceType: 'S3',
    resourceArn: 'arn:aws:s3:::orders-bucket',
    recoveryPointArn: RP_ARN,
    vaultName: 'primary',
    completionTime: '2026-03-01T03:14:53.128Z',
  };

  function validator() {
    const { mocks, deps } = setup({ tableName: local.table });
    stubHealthyBucket(mocks);
    mocks.catalog.restore();
    return createRestoreValidatorHandler({ ...deps, catalog: local.doc });
  }

  test('validator first: the item is created without a stateRank, and the catalog handler\'s write of the same event still lands', async () => {
    await validator()(restoreEvent());

    const created = await item();
    expect(created).toMatchObject({ kind: 'RESTORE_JOB', jobId: JOB_ID, state: 'COMPLETED', source: 'restore-validator', validationStatus: 'SUCCESSFUL' });
    expect(created).not.toHaveProperty('stateRank');

    const write = await writeJobRecord(local.doc, local.table, catalogRecord);

    expect(write.result).toBe('updated');
    expect(await item()).toMatchObject({ source: 'event', stateRank: 4, vaultName: 'primary', completionTime: '2026-03-01T03:14:53.128Z', validationStatus: 'SUCCESSFUL' });
  });

  test('catalog first: the validation is added and nothing the catalog handler wrote is changed', async () => {
    await writeJobRecord(local.doc, local.table, { ...catalogRecord, resourceArn: 'arn:aws:s3:::from-catalog' });
    const before = await item();

    await validator()(restoreEvent());

    const after = await item();
    expect(after).toEqual({
      ...before,
      validationStatus: 'SUCCESSFUL',
      validationMessage: expect.stringMatching(/^S3 bucket .*: exists;/),
      updatedAt: '2026-03-01T03:20:00.000Z',
      createdResourceArn: BUCKET_ARN,
    });
    expect(after).toMatchObject({ source: 'event', stateRank: 4, resourceArn: 'arn:aws:s3:::from-catalog', eventTime: '2026-03-01T03:15:00.000Z' });
  });
});
