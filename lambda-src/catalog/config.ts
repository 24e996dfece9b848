/**
 * Configuration of the catalog handlers from their environment (pure). Unlike tuning knobs
 * elsewhere, a bad value here throws: the catalog is evidence, and a run with a wrong table or
 * window must fail visibly (dead-letter queue, alarm) rather than go on with a guess.
 *
 * Both: TABLE_NAME (required), TENANTS (optional, comma-separated tenant ids).
 * Reconciler: LOOKBACK_HOURS (default 25), MAX_PAGES (default 100), VAULT_NAMES (comma-separated).
 */
import { positiveIntOrThrow, splitList, type Env } from '../shared/env';

export const DEFAULT_LOOKBACK_HOURS = 25;
export const DEFAULT_MAX_PAGES = 100;

export interface CatalogConfig {
  readonly tableName: string;
  readonly tenants: readonly string[];
}

export interface ReconcilerConfig extends CatalogConfig {
  readonly lookbackHours: number;
  readonly maxPages: number;
  readonly vaultNames: readonly string[];
}

/** `who` names the handler in the error. */
export function parseCatalogConfig(env: Env, who = 'catalog handler'): CatalogConfig {
  const tableName = env.TABLE_NAME?.trim();
  if (!tableName) throw new Error(`TABLE_NAME is not set: the ${who} needs the catalog table name`);
  return { tableName, tenants: splitList(env.TENANTS) };
}

export function parseReconcilerConfig(env: Env): ReconcilerConfig {
  return {
    ...parseCatalogConfig(env, 'catalog reconciler'),
    lookbackHours: positiveIntOrThrow(env, 'LOOKBACK_HOURS', DEFAULT_LOOKBACK_HOURS),
    vaultNames: splitList(env.VAULT_NAMES),
    maxPages: positiveIntOrThrow(env, 'MAX_PAGES', DEFAULT_MAX_PAGES),
  };
}
