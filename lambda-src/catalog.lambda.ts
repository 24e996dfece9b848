/**
 * catalog: records every AWS Backup job (backup, copy, restore) in the catalog table, once per job,
 * holding its newest known state.
 *
 * Trigger: SQS queue fed by an EventBridge rule (source `aws.backup`, detail-types
 * `Backup Job State Change`, `Copy Job State Change`, `Restore Job State Change`); the
 * queue's redrive policy moves a message that keeps failing to its dead-letter queue. The
 * event source mapping must enable ReportBatchItemFailures: a poison message (not JSON, no
 * detail, no state) or one whose processing fails is reported alone, the rest of the batch succeeds.
 *
 * Per event: DescribeBackupJob / DescribeCopyJob / DescribeRestoreJob (not found → the record
 * is built from the event alone), then DescribeRecoveryPoint for a completed job's recovery point,
 * then one conditional UpdateItem (see catalog/writer.ts): redelivered or out-of-order events
 * are refused by the condition and counted as StaleEventsSkipped — a success, not a failure.
 * An event without a job id (AWS sends a copy job's CREATED event without one) is logged and skipped.
 *
 * Describe calls that are refused (4xx other than throttling, e.g. a missing permission) do not
 * fail the message: it is recorded without that enrichment and counted (EnrichmentRefused).
 * Throttling and 5xx that outlast 5 adaptive attempts fail the message, which SQS redelivers.
 *
 * Metrics (EMF, namespace POWERTOOLS_METRICS_NAMESPACE): RecordsWritten, StaleEventsSkipped,
 * NewJobsRecorded, RecordsFailed, EventsWithoutJobId, EnrichmentRefused, and FailedJobs with
 * dimension JobKind (a job newly recorded in FAILED, ABORTED, EXPIRED or PARTIAL).
 *
 * Environment:
 * - TABLE_NAME (required): the catalog table (layout in shared/catalog-schema.ts).
 * - TENANTS (optional): comma-separated tenant ids; a job whose resource is an S3 object under
 *   `<tenant>/` is tagged with that tenant.
 * - POWERTOOLS_METRICS_NAMESPACE (required for metrics), POWERTOOLS_SERVICE_NAME (default `catalog`),
 *   POWERTOOLS_LOG_LEVEL (optional).
 * - RETRY_BASE_DELAY_MS (optional, default 200): backoff base of the adaptive retries (5 attempts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { clientsFromEnv, listEnv, tableNameFromEnv } from './catalog/aws';
import { describeJob, describeRecoveryPoint } from './catalog/enrich';
import {
  mergeDescribed,
  parseJobEvent,
  recordFromEvent,
  withRecoveryPoint,
  withTenant,
  type CatalogJobItem,
} from './catalog/job-record';
import { Tally } from './catalog/metrics';
import { isNewFailure, writeJobRecord, type WriteOutcome } from './catalog/writer';

export interface CatalogDeps {
  readonly backup: BackupClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly tenants: readonly string[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now?: () => Date;
}

export type MessageResult =
  | { readonly outcome: 'skipped'; readonly reason: string }
  | {
    readonly outcome: WriteOutcome['result'];
    readonly record: CatalogJobItem;
    readonly write: WriteOutcome;
    /** A Describe call refused (not "not found", not retryable): the record lacks what it would have added. */
    readonly enrichmentRefused: boolean;
  };

export const CATALOG_METRICS = ['RecordsWritten', 'StaleEventsSkipped', 'NewJobsRecorded', 'RecordsFailed'] as const;

/** One SQS message → at most one conditional write. Throws for poison messages and unrecoverable errors. */
export async function processMessage(deps: CatalogDeps, body: string): Promise<MessageResult> {
  const event = parseJobEvent(body);
  if (!event.jobId) {
    deps.logger.warn('job event without a job id; nothing to key it by', { kind: event.kind, state: event.state, eventTime: event.eventTime });
    return { outcome: 'skipped', reason: 'no job id' };
  }
  const updatedAt = (deps.now?.() ?? new Date()).toISOString();
  const fromEvent = recordFromEvent(event, updatedAt);
  const job = await describeJob(deps.backup, event, { source: 'event', updatedAt, eventTime: event.eventTime });
  if (job.problem) deps.logger.warn('DescribeX refused; recording the event alone', { pk: fromEvent.pk, error: job.problem });
  else if (!job.value) deps.logger.info('job not found by the Backup API; recording the event alone', { pk: fromEvent.pk });
  let record = mergeDescribed(fromEvent, job.value);
  const rp = await describeRecoveryPoint(deps.backup, record, { region: event.region, account: event.account });
  if (rp.problem) deps.logger.warn('DescribeRecoveryPoint refused; recording without it', { pk: record.pk, error: rp.problem });
  record = withRecoveryPoint(record, rp.value);
  record = withTenant(record, deps.tenants);
  const write = await writeJobRecord(deps.doc, deps.tableName, record);
  return { outcome: write.result, record, write, enrichmentRefused: Boolean(job.problem ?? rp.problem) };
}

export function createCatalogHandler(deps: CatalogDeps): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const tally = new Tally(CATALOG_METRICS);
    // One processor per invocation: it holds the batch's state.
    const processor = new BatchProcessor(EventType.SQS);
    const recordHandler = async (message: SQSRecord): Promise<void> => {
      try {
        const result = await processMessage(deps, message.body);
        if (result.outcome === 'skipped') {
          tally.add('EventsWithoutJobId');
          return;
        }
        if (result.enrichmentRefused) tally.add('EnrichmentRefused');
        if (result.outcome === 'stale') {
          tally.add('StaleEventsSkipped');
          deps.logger.debug('older or duplicate event skipped', { pk: result.record.pk, state: result.record.state, eventTime: result.record.eventTime });
          return;
        }
        tally.add('RecordsWritten');
        if (result.outcome === 'created') tally.add('NewJobsRecorded');
        if (isNewFailure(result.record, result.write)) tally.addByKind('FailedJobs', result.record.kind);
      } catch (err) {
        tally.add('RecordsFailed');
        deps.logger.error('message failed; reported as a batch item failure', { messageId: message.messageId, error: err as Error });
        throw err;
      }
    };
    try {
      return await processPartialResponse(event, recordHandler, processor, { context });
    } finally {
      tally.publish(deps.metrics);
    }
  };
}

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'catalog' });
export const metrics = new Metrics({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'catalog' });

/** Created once per container; exported so tests can observe them. */
export const { backupClient, documentClient } = clientsFromEnv(process.env);

/** The handler's dependencies from the environment (see the header); throws when TABLE_NAME is missing. */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): CatalogDeps {
  const tableName = tableNameFromEnv(env, 'catalog handler');
  return { backup: backupClient, doc: documentClient, tableName, tenants: listEnv(env, 'TENANTS'), logger, metrics };
}

let defaultHandler: ReturnType<typeof createCatalogHandler> | undefined;

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  defaultHandler ??= createCatalogHandler(depsFromEnv());
  return defaultHandler(event, context);
}
