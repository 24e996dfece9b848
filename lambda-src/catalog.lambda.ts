/**
 * catalog: records every AWS Backup job (backup, copy, restore, malware scan) in the catalog table, once per job,
 * holding its newest known state.
 *
 * Trigger: SQS queue fed by an EventBridge rule (source `aws.backup`, detail-types
 * `Backup Job State Change`, `Copy Job State Change`, `Restore Job State Change`, `Scan Job State Change`); the
 * queue's redrive policy moves a message that keeps failing to its dead-letter queue. The
 * event source mapping must enable ReportBatchItemFailures: a poison message (not JSON, no
 * detail, no state) or one whose processing fails is reported alone, the rest of the batch succeeds.
 *
 * Per event: DescribeBackupJob / DescribeCopyJob / DescribeRestoreJob / DescribeScanJob (not found → the record
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
 * dimension JobKind (a job newly recorded in FAILED, ABORTED, EXPIRED or PARTIAL; a scan job in FAILED,
 * CANCELED or COMPLETED_WITH_ISSUES, or with scan result THREATS_FOUND).
 *
 * Code: catalog/handler.ts (the flow over injected clients), catalog/job-record.ts (pure parsing
 * and record building), catalog/enrich.ts, catalog/writer.ts, catalog/metrics.ts.
 *
 * Environment:
 * - TABLE_NAME (required): the catalog table (layout in shared/catalog-schema.ts).
 * - TENANTS (optional): comma-separated tenant ids; a job whose resource is an S3 object under
 *   `<tenant>/` is tagged with that tenant.
 * - POWERTOOLS_METRICS_NAMESPACE (required for metrics), POWERTOOLS_SERVICE_NAME (default `catalog`),
 *   POWERTOOLS_LOG_LEVEL (optional).
 * - RETRY_BASE_DELAY_MS (optional, default 200): backoff base of the adaptive retries (5 attempts).
 * Read on every invocation: a missing TABLE_NAME fails it, and SQS retries then dead-letters the batch.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createBackupClient, createDocumentClient } from './catalog/clients';
import { parseCatalogConfig } from './catalog/config';
import { createCatalogHandler, type CatalogDeps } from './catalog/handler';
import type { Env } from './shared/env';
import { createLogger, createMetrics } from './shared/powertools';

export { createCatalogHandler, processMessage, CATALOG_METRICS, type CatalogDeps, type MessageResult } from './catalog/handler';

// Created once per container; exported so tests can observe them.
const logger = createLogger('catalog');
export const metrics = createMetrics('catalog');
export const backupClient = createBackupClient();
export const documentClient = createDocumentClient();

/** The module's clients, logger and metrics, with the configuration read from `env` (see the header). */
export function depsFromEnv(env: Env = process.env): CatalogDeps {
  return { backup: backupClient, doc: documentClient, ...parseCatalogConfig(env), logger, metrics };
}

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  return createCatalogHandler(depsFromEnv())(event, context);
}
