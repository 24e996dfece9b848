import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeDuration, fail } from './errors';

// --- Landing storage and tenants ---------------------------------------------

/** S3 Object Lock and lifecycle limits, and what a tenant id may look like. */
export const LANDING_LIMITS = {
  minObjectLockDays: 1,
  maxObjectLockDays: 36500,
  /**
   * 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.
   * No '/' (a tenant 'a/b' would live inside tenant 'a'), no IAM wildcards ('*', '?'),
   * no ',' (the verifier's tenant list is comma-separated); valid as an IAM tag value.
   */
  tenantIdPattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
} as const;

/** Whole days of an S3 Object Lock or lifecycle period. */
export function s3WholeDays(scope: IConstruct, prop: string, d: Duration): number {
  const days = d.toMilliseconds() / 86_400_000;
  if (!Number.isInteger(days)) {
    fail(scope, prop, describeDuration(d), 'S3 counts object lock and lifecycle periods in whole days (use Duration.days())');
  }
  return days;
}

/** The default Object Lock retention of a bucket, in days: 1-36500. */
export function checkObjectLockRetention(scope: IConstruct, prop: string, retention: Duration): number {
  const days = s3WholeDays(scope, prop, retention);
  if (days < LANDING_LIMITS.minObjectLockDays || days > LANDING_LIMITS.maxObjectLockDays) {
    fail(scope, prop, describeDuration(retention),
      `S3 Object Lock default retention is ${LANDING_LIMITS.minObjectLockDays}-${LANDING_LIMITS.maxObjectLockDays} days`);
  }
  return days;
}

/**
 * Noncurrent versions may expire only once their lock has run out: a version becomes
 * noncurrent after it landed, so an expiration at least as long as the lock never
 * targets a locked version.
 */
export function checkNoncurrentExpiration(scope: IConstruct, prop: string, expiration: Duration, lockProp: string, lockDays: number): number {
  const days = s3WholeDays(scope, prop, expiration);
  if (days < lockDays) {
    fail(scope, prop, describeDuration(expiration),
      `noncurrent versions must be kept at least as long as ${lockProp} (${lockDays} days): S3 cannot expire a locked version`);
  }
  return days;
}

/** Tenant ids: the safe pattern, no duplicates. */
export function checkTenantIds(scope: IConstruct, prop: string, tenants: readonly string[]): void {
  const seen = new Set<string>();
  for (const [i, tenant] of tenants.entries()) {
    if (Token.isUnresolved(tenant)) {
      fail(scope, `${prop}[${i}]`, '(token)', 'tenant ids must be known at synth: they become IAM tag values and key prefixes');
    }
    if (!LANDING_LIMITS.tenantIdPattern.test(tenant)) {
      fail(scope, `${prop}[${i}]`, `'${tenant}'`,
        'a tenant id is 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit');
    }
    if (seen.has(tenant)) fail(scope, `${prop}[${i}]`, `'${tenant}'`, 'tenant ids must be unique');
    seen.add(tenant);
  }
}

/** A tenant granted access must be one of the declared tenants. */
export function checkTenantGrant(scope: IConstruct, tenantId: string, tenants: readonly string[]): void {
  if (!tenants.includes(tenantId)) {
    const declared = tenants.length > 0 ? tenants.slice(0, 10).map((t) => `'${t}'`).join(', ') + (tenants.length > 10 ? ', ...' : '') : 'none';
    fail(scope, 'grantTenantAccess(tenantId)', `'${tenantId}'`, `it must be one of the declared tenants (${declared}); add it to tenants`);
  }
}

// --- Backup catalog ----------------------------------------------------------------

/** The catalog's TableV2 with a customer-managed key renders its replica per region, so the stack needs one. */
export function checkCatalogRegion(scope: IConstruct, region: string): void {
  if (Token.isUnresolved(region)) {
    fail(scope, 'the stack region', 'unresolved (an environment-agnostic stack)',
      "the backup catalog's table is encrypted with a customer-managed key, which needs a concrete region: set env: { region } on the stack");
  }
}
