import { BackupClient, ResourceNotFoundException } from '@aws-sdk/client-backup';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { REGION, RP_ARN, backupEvent, restoreEvent, sqsEvent, capturedMetrics, silentLogger } from './fixtures';
import { createCatalogHandler } from '../../../lambda-src/catalog.lambda';
import { jobKey } from '../../../lambda-src/shared/catalog-schema';
import { catalogTablePerTest } from '../../support/dynalite';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../../support/fake-aws';

// ---------- conditional-write semantics against real DynamoDB (dynalite) ----------

describe('conditional writes against dynalite', () => {
  const local = catalogTablePerTest('catalog');

  /** Handler with a stubbed Backup client (not found: records come from events) and the real table. */
  function realTableHandler() {
    const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
    mockClient(backup).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const m = capturedMetrics();
    const run = createCatalogHandler({ backup, doc: local.doc, tableName: local.table, tenants: [], logger: silentLogger(), metrics: m.metrics });
    return { run, m };
  }

  const items = async () => (await local.doc.send(new ScanCommand({ TableName: local.table }))).Items ?? [];

  test('redelivery of the same event: one item, the second delivery is skipped as stale', async () => {
    const { run, m } = realTableHandler();
    const body = backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN]);

    expect((await run(sqsEvent(body))).batchItemFailures).toEqual([]);
    expect((await run(sqsEvent(body))).batchItemFailures).toEqual([]);

    expect(await items()).toHaveLength(1);
    expect(m.value('RecordsWritten')).toBe(1);
    expect(m.value('StaleEventsSkipped')).toBe(1);
  });

  test('out of order: COMPLETED then RUNNING leaves COMPLETED; the RUNNING event is skipped', async () => {
    const { run, m } = realTableHandler();

    await run(sqsEvent(backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN])));
    await run(sqsEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z')));

    const all = await items();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ state: 'COMPLETED', stateRank: 4, eventTime: '2026-03-01T01:10:00.000Z' });
    expect(m.value('StaleEventsSkipped')).toBe(1);
  });

  test('in order and equal rank: a later event of the same rank replaces the earlier one', async () => {
    const { run } = realTableHandler();

    await run(sqsEvent(backupEvent('b-1', 'CREATED', '2026-03-01T01:00:01Z')));
    await run(sqsEvent(backupEvent('b-1', 'PENDING', '2026-03-01T01:00:02Z')));
    await run(sqsEvent(backupEvent('b-1', 'CREATED', '2026-03-01T01:00:01Z'))); // late duplicate

    expect((await items())[0]).toMatchObject({ state: 'PENDING', eventTime: '2026-03-01T01:00:02.000Z' });
  });

  test('all transitions of a job in one batch, processed concurrently: the newest state wins', async () => {
    const { run, m } = realTableHandler();
    const result = await run(sqsEvent(
      backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z'),
      backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN]),
      backupEvent('b-1', 'CREATED', '2026-03-01T01:00:00Z'),
      backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN]),
    ));

    expect(result.batchItemFailures).toEqual([]);
    const all = await items();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ state: 'COMPLETED', eventTime: '2026-03-01T01:10:00.000Z' });
    expect(m.value('RecordsWritten') + m.value('StaleEventsSkipped')).toBe(4);
    expect(m.value('NewJobsRecorded')).toBe(1);
  });

  test('an item another writer created without a stateRank is updated, and its own attributes survive', async () => {
    const pk = jobKey('RESTORE_JOB', 'r-1');
    await local.doc.send(new PutCommand({ TableName: local.table, Item: { pk, sk: 'JOB', validationStatus: 'SUCCESSFUL', validationMessage: 'row counts match' } }));
    const { run } = realTableHandler();

    await run(sqsEvent(restoreEvent('r-1', 'COMPLETED', '2026-03-01T03:14:58Z')));

    const item = (await local.doc.send(new GetCommand({ TableName: local.table, Key: { pk, sk: 'JOB' } }))).Item;
    expect(item).toMatchObject({ state: 'COMPLETED', stateRank: 4, validationStatus: 'SUCCESSFUL', validationMessage: 'row counts match' });
  });

});
