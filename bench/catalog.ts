/**
 * Issue 12.7: the catalog handler under a burst of 10,000 and 100,000 AWS Backup job
 * events with duplicates and reordering, against dynalite on 127.0.0.1.
 *
 * Method: dynalite runs in its own process (bench/catalog/dynalite-server.ts) and
 * counts the DynamoDB requests it serves. The real handler (createCatalogHandler of
 * lambda-src/catalog.lambda.ts) gets the events in SQS batches of 10 with 16
 * invocations in flight; only the Backup API is stubbed (aws-sdk-client-mock, every
 * job in its final state, 2% of jobs unknown to it). After the burst the table is
 * scanned: every job must have exactly one item holding its final state and time.
 * Messages the handler reports as failed are redelivered as SQS would (up to 5 receives).
 * Runs: BENCH_CATALOG_RUNS (default 3) for 10,000 events, BENCH_CATALOG_BIG_RUNS
 * (default 1) for 100,000; a fresh table each run.
 */
import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  BackupClient, DescribeBackupJobCommand, DescribeCopyJobCommand, DescribeRecoveryPointCommand, DescribeRestoreJobCommand,
  ResourceNotFoundException, type DescribeBackupJobInput, type DescribeCopyJobInput, type DescribeRestoreJobInput,
} from '@aws-sdk/client-backup';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, Job, REGION, TENANTS, TRANSITIONS, VAULT_ARN, burst, eventTimeOf } from './catalog/job-events';
import { intKnob, QUICK } from './support/knobs';
import { writePart } from './support/results';
import { summarize, Summary } from './support/stats';
import { createDocumentClient } from '../lambda-src/catalog/clients';
import { createCatalogHandler } from '../lambda-src/catalog.lambda';
import { CATALOG_INDEXES, jobKey, stateRank } from '../lambda-src/shared/catalog-schema';

const BATCH_SIZE = 10;
const IN_FLIGHT = 16;
/** maxReceiveCount of the catalog queue's redrive policy (src/backup-system/catalog.ts). */
const MAX_RECEIVES = 5;
const SEED = 20261206;
const CREDENTIALS = { accessKeyId: 'AKIDBENCHFAKE', secretAccessKey: 'fake' };
const SIZES = QUICK ? [{ events: 2_000, runs: 1 }] : [
  { events: 10_000, runs: intKnob('BENCH_CATALOG_RUNS', 3) },
  { events: 100_000, runs: intKnob('BENCH_CATALOG_BIG_RUNS', 1) },
];

interface Dynalite { child: ChildProcess; port: number; call: (m: object) => Promise<Record<string, number>> }

async function startDynalite(): Promise<Dynalite> {
  const child = fork(path.join(__dirname, 'catalog', 'dynalite-server.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(JSON.parse(out).port);
    });
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
  });
  let id = 0;
  const call = (message: object) => new Promise<Record<string, number>>((resolve) => {
    const mine = ++id;
    const onMessage = (m: any) => {
      if (m.type === 'ack' && m.id === mine) {
        child.off('message', onMessage);
        resolve(m.counts);
      }
    };
    child.on('message', onMessage);
    child.send({ ...message, id: mine });
  });
  return { child, port, call };
}

/** The Backup API after the burst: every job in its final state. */
function stubBackupApi(backup: BackupClient, jobs: ReadonlyMap<string, Job>): void {
  const mock = mockClient(backup);
  const find = (id: string | undefined) => {
    const job = jobs.get(id ?? '');
    if (!job || job.unknownToApi) throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
    return job;
  };
  const final = (job: Job) => job.states[job.states.length - 1];
  mock.on(DescribeBackupJobCommand).callsFake((input: DescribeBackupJobInput) => {
    const job = find(input.BackupJobId);
    return {
      BackupJobId: job.id,
      State: final(job),
      BackupVaultName: 'primary-vault',
      BackupVaultArn: VAULT_ARN,
      ResourceArn: job.resourceArn,
      ResourceType: 'EBS',
      RecoveryPointArn: job.recoveryPointArn,
      AccountId: ACCOUNT,
    };
  });
  mock.on(DescribeCopyJobCommand).callsFake((input: DescribeCopyJobInput) => {
    const job = find(input.CopyJobId);
    return {
      CopyJob: {
        CopyJobId: job.id,
        State: final(job),
        DestinationBackupVaultArn: VAULT_ARN,
        SourceBackupVaultArn: VAULT_ARN,
        DestinationRecoveryPointArn: job.recoveryPointArn,
        ResourceArn: job.resourceArn,
        ResourceType: 'EBS',
      },
    };
  });
  mock.on(DescribeRestoreJobCommand).callsFake((input: DescribeRestoreJobInput) => {
    const job = find(input.RestoreJobId);
    return {
      RestoreJobId: job.id,
      Status: final(job),
      BackupVaultArn: VAULT_ARN,
      RecoveryPointArn: job.recoveryPointArn,
      SourceResourceArn: job.resourceArn,
      ResourceType: 'EBS',
    };
  });
  mock.on(DescribeRecoveryPointCommand).resolves({ Status: 'COMPLETED', IsEncrypted: true });
}

async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}

interface RunOutcome {
  seconds: number;
  eventsPerSecond: number;
  requests: Record<string, number>;
  requestsPerEvent: number;
  items: number;
  jobs: number;
  lost: number;
  duplicated: number;
  wrongState: number;
  /** Messages failed on their first delivery, redelivered (all receives), and still failing after MAX_RECEIVES (dead letters). */
  firstPassFailures: number;
  redeliveries: number;
  deadLettered: number;
}

async function runOnce(dynamo: Dynalite, events: number, run: number): Promise<RunOutcome> {
  const tableName = `catalog-${events}-${run}`;
  // A short retry base (RETRY_BASE_DELAY_MS, read by the handlers' client defaults) keeps throttling retries quick against dynalite.
  process.env.RETRY_BASE_DELAY_MS ??= '5';
  const doc = createDocumentClient({ endpoint: `http://127.0.0.1:${dynamo.port}`, region: REGION, credentials: CREDENTIALS });
  const indexes = Object.entries(CATALOG_INDEXES);
  const attributes = new Set(['pk', 'sk', ...indexes.flatMap(([, k]) => [k.partitionKey, k.sortKey])]);
  await doc.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: indexes.map(([IndexName, k]) => ({
      IndexName,
      KeySchema: [{ AttributeName: k.partitionKey, KeyType: 'HASH' as const }, { AttributeName: k.sortKey, KeyType: 'RANGE' as const }],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  }));

  const { jobs, bodies } = burst(events, SEED + run);
  const batches: SQSEvent[] = [];
  for (let i = 0; i < bodies.length; i += BATCH_SIZE) {
    batches.push({
      Records: bodies.slice(i, i + BATCH_SIZE).map((body, k) => ({
        messageId: `m-${i + k}`,
        receiptHandle: `rh-${i + k}`,
        body,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:catalog-events`,
        awsRegion: REGION,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'AIDAEVENTBRIDGE', ApproximateFirstReceiveTimestamp: '0' },
      })),
    });
  }
  const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
  stubBackupApi(backup, new Map(jobs.map((j) => [j.id, j])));
  const handler = createCatalogHandler({
    backup,
    doc,
    tableName,
    tenants: TENANTS,
    logger: new Logger({ serviceName: 'catalog-bench', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'CatalogBench', serviceName: 'catalog' }),
  });

  await dynamo.call({ type: 'reset' });
  const started = process.hrtime.bigint();
  const responses = await pool(batches, IN_FLIGHT, (batch) => handler(batch));
  // As SQS does: a message reported in batchItemFailures comes back (up to MAX_RECEIVES receives
  // in all, then the dead-letter queue), here in batches of the same size once the burst is done.
  let failedMessages = failedRecords(batches, responses);
  const firstPassFailures = failedMessages.length;
  let redeliveries = 0;
  for (let receive = 2; receive <= MAX_RECEIVES && failedMessages.length > 0; receive++) {
    redeliveries += failedMessages.length;
    const again: SQSEvent[] = [];
    for (let i = 0; i < failedMessages.length; i += BATCH_SIZE) again.push({ Records: failedMessages.slice(i, i + BATCH_SIZE) });
    failedMessages = failedRecords(again, await pool(again, IN_FLIGHT, (batch) => handler(batch)));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const requests = await dynamo.call({ type: 'stats' });

  // Read the table back: one item per job, in its final state.
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  doc.destroy();
  const byPk = new Map(items.map((item) => [item.pk as string, item]));
  const expected = new Map(jobs.map((job, i) => [jobKey(job.kind, job.id), { job, index: i }]));
  const last = TRANSITIONS - 1;
  const wrongState = [...expected].filter(([pk, { job, index }]) => {
    const item = byPk.get(pk);
    return item !== undefined && (item.state !== job.states[last] || item.stateRank !== stateRank(job.states[last])
      || item.eventTime !== eventTimeOf(index, last).toISOString());
  }).length;
  const total = Object.values(requests).reduce((a, b) => a + b, 0);
  return {
    seconds,
    eventsPerSecond: bodies.length / seconds,
    requests,
    requestsPerEvent: total / bodies.length,
    items: items.length,
    jobs: jobs.length,
    lost: [...expected.keys()].filter((pk) => !byPk.has(pk)).length,
    duplicated: items.length - byPk.size + items.filter((item) => !expected.has(item.pk as string)).length,
    wrongState,
    firstPassFailures,
    redeliveries,
    deadLettered: failedMessages.length,
  };
}

/** The records of `batches` that the handler reported as failed. */
function failedRecords(batches: readonly SQSEvent[], responses: ReadonlyArray<{ batchItemFailures: Array<{ itemIdentifier: string }> }>) {
  return batches.flatMap((batch, i) => {
    const failed = new Set(responses[i].batchItemFailures.map((f) => f.itemIdentifier));
    return batch.Records.filter((r) => failed.has(r.messageId));
  });
}

export interface CatalogSizeResult {
  readonly events: number;
  readonly jobs: number;
  readonly runs: number;
  readonly eventsPerSecond: Summary;
  readonly seconds: Summary;
  readonly requestsPerEvent: Summary;
  readonly requestsByOperation: Record<string, number>;
  readonly lost: number;
  readonly duplicated: number;
  readonly wrongState: number;
  readonly firstPassFailures: number;
  readonly redeliveries: number;
  readonly deadLettered: number;
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const dynamo = await startDynalite();
  const sizes: CatalogSizeResult[] = [];
  try {
    for (const { events, runs } of SIZES) {
      const outcomes: RunOutcome[] = [];
      for (let run = 0; run < runs; run++) {
        const o = await runOnce(dynamo, events, run);
        outcomes.push(o);
        console.log(`catalog ${events} events run ${run + 1}/${runs}: ${o.seconds.toFixed(1)} s, ${o.eventsPerSecond.toFixed(0)} events/s, `
          + `${o.requestsPerEvent.toFixed(2)} DynamoDB requests/event ${JSON.stringify(o.requests)}, items ${o.items}/${o.jobs}, `
          + `lost ${o.lost}, duplicated ${o.duplicated}, wrong state ${o.wrongState}, `
          + `failed first time ${o.firstPassFailures}, redelivered ${o.redeliveries}, dead-lettered ${o.deadLettered}`);
      }
      const sum = (k: 'lost' | 'duplicated' | 'wrongState' | 'firstPassFailures' | 'redeliveries' | 'deadLettered') => outcomes.reduce((n, o) => n + o[k], 0);
      sizes.push({
        events,
        jobs: outcomes[0].jobs,
        runs,
        eventsPerSecond: summarize(outcomes.map((o) => o.eventsPerSecond)),
        seconds: summarize(outcomes.map((o) => o.seconds)),
        requestsPerEvent: summarize(outcomes.map((o) => o.requestsPerEvent)),
        requestsByOperation: outcomes[outcomes.length - 1].requests,
        lost: sum('lost'),
        duplicated: sum('duplicated'),
        wrongState: sum('wrongState'),
        firstPassFailures: sum('firstPassFailures'),
        redeliveries: sum('redeliveries'),
        deadLettered: sum('deadLettered'),
      });
    }
  } finally {
    dynamo.child.kill('SIGTERM');
  }
  const clean = sizes.every((s) => s.lost + s.duplicated + s.wrongState + s.deadLettered === 0);
  writePart('catalog', {
    method: `dynalite in its own process counting requests; real handler, SQS batches of ${BATCH_SIZE}, ${IN_FLIGHT} invocations in flight; `
      + '80% unique state changes (4 per job) + 20% duplicates, shuffled; Backup API stubbed; table scanned afterwards',
    sizes,
    goals: [{ goal: 'lost, duplicated or wrong-state records, and dead-lettered events after SQS-style redelivery (all runs)', target: '0', measured: clean ? '0' : 'see sizes', met: clean }],
  });
  console.log('wrote catalog part');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
