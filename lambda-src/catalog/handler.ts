/**
 * The catalog handler over injected clients: one SQS message → at most one conditional write.
 * Parsing and record building are pure (./job-record.ts), enrichment is ./enrich.ts, the
 * conditional write ./writer.ts, the per-invocation counters ./metrics.ts.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describeJob, describeRecoveryPoint } from './enrich';
import {
  mergeDescribed,
  parseJobEvent,
  recordFromEvent,
  withRecoveryPoint,
  withTenant,
  type CatalogJobItem,
} from './job-record';
import { Tally } from './metrics';
import { isNewFailure, writeJobRecord, type WriteOutcome } from './writer';

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
