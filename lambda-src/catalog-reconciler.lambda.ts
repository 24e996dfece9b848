/**
 * catalog-reconciler: re-reads AWS Backup jobs by time window and writes them to the catalog,
 * so a job whose events were lost (EventBridge delivery of `aws.backup` events is best effort)
 * is still recorded.
 *
 * Trigger: EventBridge schedule (e.g. hourly). The lookback window (default 25 h) overlaps
 * the previous run, so no job falls between two runs.
 *
 * Per run: ListBackupJobs, ListCopyJobs and ListRestoreJobs through the SDK paginators, each
 * twice — jobs created in the window and jobs completed in it (a job created before the window
 * that finished inside it is found by the second) — and every job through the same conditional
 * writer as the event handler (source `reconciler`, eventTime = the job's completion time when
 * finished, else its creation time). A record an event already wrote with the same or a newer
 * state is left alone; a missing one is created (RecordsRecoveredByReconciler).
 * Listings are read round-robin, one page at a time, up to MAX_PAGES pages per run in all; a
 * run that stops there logs which listings it did not finish (the next run, overlapping, goes on).
 * Malware scan jobs: ListScanJobs by completion window only (it has no creation filter).
 * Vault filter (VAULT_NAMES): backup and scan jobs by ByBackupVaultName; copy jobs by destination
 * vault and restore jobs by source vault, client-side (a restore job that names no vault is left out).
 *
 * Metrics (EMF): JobsReconciled, RecordsRecoveredByReconciler, RecordsUpdatedByReconciler,
 * ReconcilerPagesRead, ReconcilerTruncated, FailedJobs (dimension JobKind, jobs newly recorded in
 * a failure state, as in the event handler).
 *
 * Environment:
 * - TABLE_NAME (required): the catalog table.
 * - LOOKBACK_HOURS (optional, default 25).
 * - VAULT_NAMES (optional): comma-separated vault names; unset = every vault.
 * - MAX_PAGES (optional, default 100): most List* pages read per run, all listings together.
 * - TENANTS (optional): as in the catalog handler.
 * - POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME (default `catalog-reconciler`), POWERTOOLS_LOG_LEVEL.
 * - RETRY_BASE_DELAY_MS (optional, default 200): backoff base of the adaptive retries (5 attempts).
 * Read on every invocation (catalog/config.ts): a bad value fails the run, which EventBridge
 * retries and then dead-letters.
 *
 * Code: catalog-reconciler/handler.ts (the run over injected clients), and the catalog's own
 * record building and conditional writer (catalog/job-record.ts, catalog/writer.ts).
 */
import { createBackupClient, createDocumentClient } from './catalog/clients';
import { parseReconcilerConfig } from './catalog/config';
import { createReconcilerHandler, type ReconcileSummary, type ReconcilerDeps } from './catalog-reconciler/handler';
import type { Env } from './shared/env';
import { createLogger, createMetrics } from './shared/powertools';

export {
  buildListings,
  createReconcilerHandler,
  DEFAULT_PAGE_SIZE,
  forEachBounded,
  reconcile,
  RECONCILER_METRICS,
  type ReconcileSummary,
  type ReconcilerDeps,
} from './catalog-reconciler/handler';
export { DEFAULT_LOOKBACK_HOURS, DEFAULT_MAX_PAGES } from './catalog/config';

// Created once per container; exported so tests can observe them.
const logger = createLogger('catalog-reconciler');
export const metrics = createMetrics('catalog-reconciler');
export const backupClient = createBackupClient();
export const documentClient = createDocumentClient();

/** The module's clients, logger and metrics, with the configuration read from `env` (see the header). */
export function depsFromEnv(env: Env = process.env): ReconcilerDeps {
  return { backup: backupClient, doc: documentClient, ...parseReconcilerConfig(env), logger, metrics };
}

export async function handler(): Promise<ReconcileSummary> {
  return createReconcilerHandler(depsFromEnv())();
}
