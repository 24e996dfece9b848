/**
 * Lambda allows 4 KB for all environment variables of a function together. The handlers'
 * other variables (table name, topic ARN, Powertools settings) take at most about 1 KB, so the
 * comma-separated tenant list gets the remaining 3 KB; a longer list is left out (see README).
 */
export const TENANTS_ENV_BUDGET = 3072;

/**
 * The TENANTS variable of the handlers that attribute objects to tenants (verifier, catalog,
 * reconciler): the tenant ids, or `*` when they do not fit, which the handlers read as "the
 * first path segment is the tenant" — what IAM guarantees, since tenants write only under
 * their own prefix. Nothing when there are no tenants.
 */
export function tenantsEnvironment(tenants: readonly string[]): { TENANTS?: string } {
  if (tenants.length === 0) return {};
  const list = tenants.join(',');
  return { TENANTS: list.length > TENANTS_ENV_BUDGET ? '*' : list };
}
