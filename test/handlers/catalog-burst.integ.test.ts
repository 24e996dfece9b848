/**
 * Burst test of the catalog handler against a real DynamoDB implementation (dynalite on
 * 127.0.0.1): 10,000 job state-change events for 2,000 jobs, every job with four state
 * transitions, 20% of the events delivered twice, all shuffled, fed through the real handler
 * in SQS batches of 10 with several invocations in flight. Only the Backup API is stubbed.
 *
 * It proves that the conditional writer keeps exactly one item per job holding the job's final
 * state, whatever the order and however often an event arrives. It asserts correctness only; the
 * events per second of the same burst are measured by the benchmarks (the generator is shared:
 * test/support/job-event-burst.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BackupClient } from '@aws-sdk/client-backup';
import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambda-src/catalog/clients';
import { FAILURE_STATES } from '../../lambda-src/catalog/job-record';
import { createCatalogHandler } from '../../lambda-src/catalog.lambda';
import { jobKey, stateRank } from '../../lambda-src/shared/catalog-schema';
import { createCatalogTable, startDynalite, type LocalDynamo } from '../support/dynalite';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../support/fake-aws';
import { INTEG_TEST_TIMEOUT_MS } from '../support/integ';
import {
  BURST_REGION as REGION,
  BURST_TENANTS as TENANTS,
  eventTimeOf,
  makeBurst,
  pool,
  sqsBatches,
  stubBackupApiAfterBurst,
  TRANSITIONS,
} from '../support/job-event-burst';

jest.setTimeout(INTEG_TEST_TIMEOUT_MS);

const JOBS = 2_000;
const TOTAL_EVENTS = 10_000; // JOBS * TRANSITIONS unique events + duplicates
const BATCH_SIZE = 10; // SQS batch size of the event source mapping
const INVOCATIONS_IN_FLIGHT = 16;
const SEED = 20260301;
const TABLE = 'catalog-burst';

describe('catalog burst against dynalite', () => {
  let dynamo: LocalDynamo;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynalite();
    doc = createDocumentClient(dynamo.clientConfig);
    await createCatalogTable(doc, TABLE, { withIndexes: true });
  });

  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  test('10,000 shuffled events with duplicates for 2,000 jobs: one item per job, each in its final state', async () => {
    const { jobs, bodies, duplicates } = makeBurst(JOBS, TOTAL_EVENTS, SEED);
    expect(bodies).toHaveLength(TOTAL_EVENTS);
    expect(duplicates).toHaveLength(TOTAL_EVENTS - JOBS * TRANSITIONS);
    const batches = sqsBatches(bodies, BATCH_SIZE);

    const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
    stubBackupApiAfterBurst(backup, jobs);
    const metrics = new Metrics({ namespace: 'CatalogBurst', serviceName: 'catalog' });
    const counted = new Map<string, number>();
    jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
      if (metrics.hasStoredMetrics()) {
        const blob = metrics.serializeMetrics() as unknown as Record<string, unknown>;
        for (const name of ['RecordsWritten', 'StaleEventsSkipped', 'NewJobsRecorded', 'RecordsFailed', 'FailedJobs', 'EventsWithoutJobId']) {
          if (name in blob) counted.set(name, (counted.get(name) ?? 0) + Number(blob[name]));
        }
      }
      metrics.clearMetrics();
      metrics.clearDimensions();
      return metrics;
    });
    const run = createCatalogHandler({
      backup, doc, tableName: TABLE, tenants: TENANTS, logger: new Logger({ serviceName: 'catalog-burst' }), metrics,
    });

    const responses = await pool(batches, INVOCATIONS_IN_FLIGHT, (batch) => run(batch));

    const items: Array<Record<string, unknown>> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);

    const byPk = new Map(items.map((item) => [item.pk as string, item]));
    const expected = new Map(jobs.map((job, i) => [jobKey(job.kind, job.id), { job, index: i }]));
    const lost = [...expected.keys()].filter((pk) => !byPk.has(pk));
    const duplicated = items.length - byPk.size + items.filter((item) => !expected.has(item.pk as string)).length;
    const wrongState = [...expected].filter(([pk, { job, index }]) => {
      const item = byPk.get(pk);
      const last = TRANSITIONS - 1;
      return item !== undefined && (item.state !== job.states[last]
        || item.stateRank !== stateRank(job.states[last])
        || item.eventTime !== eventTimeOf(index, last).toISOString());
    });
    const failures = responses.flatMap((r) => r.batchItemFailures);
    const failedJobs = jobs.filter((j) => FAILURE_STATES.has(j.states[TRANSITIONS - 1])).length;

    expect(failures).toEqual([]);
    expect(items).toHaveLength(JOBS);
    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    expect(wrongState.map(([pk]) => pk)).toEqual([]);
    // Every event is accounted for exactly once: written, or refused as older/duplicate.
    expect((counted.get('RecordsWritten') ?? 0) + (counted.get('StaleEventsSkipped') ?? 0)).toBe(TOTAL_EVENTS);
    expect(counted.get('NewJobsRecorded')).toBe(JOBS);
    expect(counted.get('RecordsFailed') ?? 0).toBe(0);
    expect(failedJobs).toBeGreaterThan(0);
    expect(counted.get('FailedJobs') ?? 0).toBe(failedJobs);

    // Enrichment and tenancy survived the burst, and the sparse indexes answer.
    const completedCopy = jobs.find((j) => j.kind === 'COPY_JOB' && !j.unknownToApi && j.states[TRANSITIONS - 1] === 'COMPLETED')!;
    expect(byPk.get(jobKey('COPY_JOB', completedCopy.id))).toMatchObject({ recoveryPointArn: completedCopy.recoveryPointArn, recoveryPointEncrypted: true });
    const byRp = await doc.send(new QueryCommand({
      TableName: TABLE,
      IndexName: 'byRecoveryPoint',
      KeyConditionExpression: 'recoveryPointArn = :rp',
      ExpressionAttributeValues: { ':rp': completedCopy.recoveryPointArn },
    }));
    expect(byRp.Items?.map((i) => i.pk)).toEqual([jobKey('COPY_JOB', completedCopy.id)]);
    for (const tenant of TENANTS) {
      const owned = jobs.filter((j) => j.tenantId === tenant).length;
      let count = 0;
      let key: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new QueryCommand({
          TableName: TABLE,
          IndexName: 'byTenant',
          KeyConditionExpression: 'tenantId = :t',
          ExpressionAttributeValues: { ':t': tenant },
          Select: 'COUNT',
          ExclusiveStartKey: key,
        }));
        count += page.Count ?? 0;
        key = page.LastEvaluatedKey;
      } while (key);
      expect(owned).toBeGreaterThan(0);
      expect(count).toBe(owned);
    }
  });
});
