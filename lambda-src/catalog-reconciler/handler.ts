/**
 * The catalog reconciler over injected clients: every listing of the lookback window, read
 * round-robin a page at a time, each job through the catalog's conditional writer.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import {
  paginateListBackupJobs,
  paginateListCopyJobs,
  paginateListRestoreJobs,
  paginateListScanJobs,
  type BackupClient,
} from '@aws-sdk/client-backup';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_LOOKBACK_HOURS, DEFAULT_MAX_PAGES } from '../catalog/config';
import {
  recordFromBackupJob,
  recordFromCopyJob,
  recordFromRestoreJob,
  recordFromScanJob,
  withTenant,
  type CatalogJobItem,
  type RecordOrigin,
} from '../catalog/job-record';
import { Tally } from '../catalog/metrics';
import { isNewFailure, writeJobRecord } from '../catalog/writer';

/** ListBackupJobs / ListCopyJobs / ListRestoreJobs / ListScanJobs accept at most 1000 per page. */
export const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_WRITE_CONCURRENCY = 10;

export interface ReconcilerDeps {
  readonly backup: BackupClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly tenants: readonly string[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly lookbackHours?: number;
  readonly vaultNames?: readonly string[];
  readonly maxPages?: number;
  readonly pageSize?: number;
  readonly writeConcurrency?: number;
  readonly now?: () => Date;
}

export interface ReconcileSummary {
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly pagesRead: number;
  readonly jobsSeen: number;
  readonly recovered: number;
  readonly updated: number;
  readonly stale: number;
  /** Listings not read to the end because the page budget ran out. */
  readonly unfinished: readonly string[];
}

/** One page of a listing, mapped to catalog records (filtered, unparseable members dropped). */
export interface ListingPage {
  readonly records: CatalogJobItem[];
  /** The page carried a NextToken: the listing is not finished. */
  readonly more: boolean;
}

export interface Listing {
  readonly name: string;
  readonly pages: AsyncIterator<ListingPage>;
}

type Window = { readonly after: Date; readonly before: Date };

/**
 * Every listing a run reads: per job kind, by creation and by completion window; backup jobs per
 * vault. Scan jobs by completion only (ListScanJobs has no creation filter; a running scan's
 * record comes from its events, and its result from this listing once it completes), per vault.
 */
export function buildListings(deps: ReconcilerDeps, window: Window, origin: RecordOrigin): Listing[] {
  const config = { client: deps.backup, pageSize: deps.pageSize ?? DEFAULT_PAGE_SIZE };
  const vaults = deps.vaultNames && deps.vaultNames.length > 0 ? deps.vaultNames : undefined;
  const inVaults = (name: string | undefined) => !vaults || (name !== undefined && vaults.includes(name));
  const byCreated = { ByCreatedAfter: window.after, ByCreatedBefore: window.before };
  const byCompleted = { ByCompleteAfter: window.after, ByCompleteBefore: window.before };
  const listings: Listing[] = [];
  const safe = <T>(f: (job: T) => CatalogJobItem) => (job: T): CatalogJobItem[] => {
    try {
      return [f(job)];
    } catch (err) {
      deps.logger.warn('job without id or state skipped', { error: err as Error });
      return [];
    }
  };

  for (const [label, filter] of [['created', byCreated], ['completed', byCompleted]] as const) {
    for (const vault of vaults ?? [undefined]) {
      const toRecords = safe((j: Parameters<typeof recordFromBackupJob>[0]) => recordFromBackupJob(j, origin));
      listings.push({
        name: `backup jobs ${label}${vault ? ` in ${vault}` : ''}`,
        pages: mapPages(paginateListBackupJobs(config, { ...filter, ...(vault ? { ByBackupVaultName: vault } : {}) }),
          (page) => (page.BackupJobs ?? []).flatMap(toRecords)),
      });
    }
    const copyRecords = safe((j: Parameters<typeof recordFromCopyJob>[0]) => recordFromCopyJob(j, origin));
    listings.push({
      name: `copy jobs ${label}`,
      pages: mapPages(paginateListCopyJobs(config, filter),
        (page) => (page.CopyJobs ?? []).flatMap(copyRecords).filter((r) => inVaults(r.vaultName))),
    });
    const restoreRecords = safe((j: Parameters<typeof recordFromRestoreJob>[0]) => recordFromRestoreJob(j, origin));
    listings.push({
      name: `restore jobs ${label}`,
      pages: mapPages(paginateListRestoreJobs(config, filter),
        (page) => (page.RestoreJobs ?? []).flatMap(restoreRecords).filter((r) => inVaults(r.vaultName))),
    });
  }
  const scanRecords = safe((j: Parameters<typeof recordFromScanJob>[0]) => recordFromScanJob(j, origin));
  for (const vault of vaults ?? [undefined]) {
    listings.push({
      name: `scan jobs completed${vault ? ` in ${vault}` : ''}`,
      pages: mapPages(paginateListScanJobs(config, { ...byCompleted, ...(vault ? { ByBackupVaultName: vault } : {}) }),
        (page) => (page.ScanJobs ?? []).flatMap(scanRecords)),
    });
  }
  return listings;
}

async function* mapPages<P extends { NextToken?: string }>(pages: AsyncIterable<P>, map: (page: P) => CatalogJobItem[]): AsyncGenerator<ListingPage> {
  for await (const page of pages) yield { records: map(page), more: Boolean(page.NextToken) };
}

export async function reconcile(deps: ReconcilerDeps, tally: Tally): Promise<ReconcileSummary> {
  const now = deps.now?.() ?? new Date();
  const lookbackHours = deps.lookbackHours ?? DEFAULT_LOOKBACK_HOURS;
  const maxPages = deps.maxPages ?? DEFAULT_MAX_PAGES;
  const window = { after: new Date(now.getTime() - lookbackHours * 3_600_000), before: now };
  const origin: RecordOrigin = { source: 'reconciler', updatedAt: now.toISOString() };
  const active = buildListings(deps, window, origin);
  const written = new Set<string>();
  let pagesRead = 0;
  let jobsSeen = 0;
  let recovered = 0;
  let updated = 0;
  let stale = 0;

  // Round-robin, one page per listing per turn, so a long listing cannot starve the others.
  while (active.length > 0 && pagesRead < maxPages) {
    for (let i = 0; i < active.length && pagesRead < maxPages;) {
      const next = await active[i].pages.next();
      if (next.done) {
        active.splice(i, 1);
        continue;
      }
      pagesRead++;
      tally.add('ReconcilerPagesRead');
      // A job listed by creation and by completion window is written once per run.
      const records = next.value.records.filter((r) => !written.has(r.pk));
      records.forEach((r) => written.add(r.pk));
      jobsSeen += records.length;
      tally.add('JobsReconciled', records.length);
      await forEachBounded(records, deps.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY, async (job) => {
        const record = withTenant(job, deps.tenants);
        const write = await writeJobRecord(deps.doc, deps.tableName, record);
        if (write.result === 'created') {
          recovered++;
          tally.add('RecordsRecoveredByReconciler');
        } else if (write.result === 'updated') {
          updated++;
          tally.add('RecordsUpdatedByReconciler');
        } else {
          stale++;
        }
        if (isNewFailure(record, write)) tally.addByKind('FailedJobs', record.kind);
        if (write.result === 'created') deps.logger.info('job recorded by the reconciler: its events never arrived', { pk: record.pk, state: record.state });
      });
      // A listing whose last page had no NextToken is finished: drop it now, so `unfinished` is exact.
      if (next.value.more) i++;
      else active.splice(i, 1);
    }
  }

  const unfinished = active.map((l) => l.name);
  if (unfinished.length > 0) {
    deps.logger.warn('page budget reached; stopped before reading every listing to the end', { maxPages, pagesRead, unfinished });
  }
  tally.add('ReconcilerTruncated', unfinished.length > 0 ? 1 : 0);
  return {
    windowStart: window.after.toISOString(),
    windowEnd: window.before.toISOString(),
    pagesRead,
    jobsSeen,
    recovered,
    updated,
    stale,
    unfinished,
  };
}

/** Runs `fn` over `items` with at most `limit` in flight; the first error rejects (after in-flight work settles). */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

export const RECONCILER_METRICS = [
  'JobsReconciled', 'RecordsRecoveredByReconciler', 'RecordsUpdatedByReconciler', 'ReconcilerPagesRead', 'ReconcilerTruncated',
] as const;

export function createReconcilerHandler(deps: ReconcilerDeps): () => Promise<ReconcileSummary> {
  return async () => {
    const tally = new Tally(RECONCILER_METRICS);
    try {
      const summary = await reconcile(deps, tally);
      deps.logger.info('reconciliation finished', { ...summary });
      return summary;
    } finally {
      tally.publish(deps.metrics);
    }
  };
}
