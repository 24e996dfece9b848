/**
 * Configuration of the `readiness` handler, read from environment variables set by
 * `CrossRegionDr`. Every problem is collected and reported in one error, naming the variable,
 * the value received and what is expected, so a bad deployment fails at the first run with a
 * message that says what to fix.
 *
 * Variables (JSON values are arrays; an empty or unset optional variable means "none"):
 * - DR_REGION (required): the region this function runs in and measures, e.g. `eu-central-1`.
 * - PRIMARY_REGION (required): the region the data comes from; must differ from DR_REGION.
 * - RPO_SECONDS (required): the declared recovery point objective, a positive integer.
 * - METRIC_NAMESPACE (required): CloudWatch namespace for the published metrics, e.g.
 *   `CdkCompliantBackup/DR` (not `AWS/...`, which is reserved).
 * - DR_VAULT_NAME (optional): the DR backup vault that receives copies. Unset: no recovery
 *   point checks.
 * - PROTECTED_RESOURCES (optional): `[{ "arn": "...", "resourceType": "RDS" }]`, resources whose
 *   newest recovery point in the DR vault must be younger than the RPO. Needs DR_VAULT_NAME.
 *   Unset: every resource that has a recovery point in the DR vault is measured.
 * - BACKUP_RESOURCE_TYPES (optional): `["RDS","S3","DynamoDB","Aurora","EBS"]`, AWS Backup
 *   resource types whose opt-in must be on in both regions.
 * - REPLICATION (optional): `[{ "sourceBucket": "...", "destinationBucket": "...", "ruleId": "..." }]`,
 *   S3 replication rules with RTC. Their `ReplicationLatency` is published in the source bucket's
 *   region (PRIMARY_REGION). `sourceBucket` may be left out (a bucket CloudFormation names): the
 *   handler then finds it at run time among the metrics of the destination bucket and rule.
 * - HEALTH_CHECK_ID (optional): a Route 53 health check of the primary endpoint. Its AWS/Route53
 *   HealthCheckStatus (published in us-east-1 only, whatever the regions) is read and published as
 *   PrimaryEndpointUnhealthy in the DR region, where the DR alarm watches it.
 * - DATABASES (optional): `[{ "kind": "aurora-global" | "rds-replica" | "dynamodb-global",
 *   "identifier": "...", "region": "..." }]`. `region` is the region of the replica whose lag is
 *   measured (normally DR_REGION; must be DR_REGION or PRIMARY_REGION). For Aurora (secondary
 *   cluster identifier) and RDS (replica instance identifier) the lag metric is published in
 *   that region. For DynamoDB (table name) `region` is the receiving replica: the
 *   `ReplicationLatency` metric with `ReceivingRegion=<region>` is emitted by the sending
 *   replica, so it is read in the other configured region.
 * - METRIC_LOOKBACK_SECONDS (optional, default 900): how far back to look for the newest
 *   replication/lag datapoint; none in the window = UNKNOWN.
 * - PRIMARY_REGION_TIMEOUT_MS (optional, default 8000): most time spent waiting for the primary
 *   region's APIs, which may be down.
 */

import { jsonArray, positiveInt, region, requiredMetricNamespace, show, type Env } from '../shared/env';
import { isObject } from '../shared/json';

export type DatabaseKind = 'aurora-global' | 'rds-replica' | 'dynamodb-global';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['aurora-global', 'rds-replica', 'dynamodb-global'];

export interface ProtectedResource {
  readonly arn: string;
  readonly resourceType?: string;
}

export interface ReplicationRule {
  /** Unset when CloudFormation names the source bucket: found at run time (see handler.ts). */
  readonly sourceBucket?: string;
  readonly destinationBucket: string;
  readonly ruleId: string;
}

export interface DatabaseTarget {
  readonly kind: DatabaseKind;
  readonly identifier: string;
  /** Region of the replica whose lag is measured. */
  readonly region: string;
}

export interface ReadinessConfig {
  readonly drRegion: string;
  readonly primaryRegion: string;
  readonly rpoSeconds: number;
  readonly metricNamespace: string;
  readonly drVaultName?: string;
  /** Undefined: measure every resource found in the DR vault. */
  readonly protectedResources?: readonly ProtectedResource[];
  readonly backupResourceTypes: readonly string[];
  readonly replication: readonly ReplicationRule[];
  readonly databases: readonly DatabaseTarget[];
  readonly metricLookbackSeconds: number;
  readonly primaryRegionTimeoutMs: number;
  /** A Route 53 health check of the primary endpoint, whose status is published. */
  readonly healthCheckId?: string;
}

export class ReadinessConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`readiness: invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ReadinessConfigError';
  }
}

const VAULT_NAME_PATTERN = /^[a-zA-Z0-9\-_]{2,50}$/;

export function parseReadinessConfig(env: Env): ReadinessConfig {
  const problems: string[] = [];

  const drRegion = region(env, 'DR_REGION', problems, true);
  const primaryRegion = region(env, 'PRIMARY_REGION', problems, true);
  if (drRegion && primaryRegion && drRegion === primaryRegion) {
    problems.push(`DR_REGION and PRIMARY_REGION must differ, both are "${drRegion}"`);
  }
  const rpoSeconds = positiveInt(env, 'RPO_SECONDS', problems, undefined, 'a positive whole number of seconds');

  const metricNamespace = requiredMetricNamespace(env, problems, 'the CloudWatch namespace for readiness metrics, e.g. "CdkCompliantBackup/DR"');

  const drVaultName = env.DR_VAULT_NAME?.trim() || undefined;
  if (drVaultName && !VAULT_NAME_PATTERN.test(drVaultName)) {
    problems.push(`DR_VAULT_NAME must be a backup vault name (2-50 letters, digits, - or _), got "${drVaultName}"`);
  }

  const protectedRaw = jsonArray(env, 'PROTECTED_RESOURCES', problems);
  let protectedResources: ProtectedResource[] | undefined;
  if (protectedRaw !== undefined) {
    protectedResources = [];
    protectedRaw.forEach((item, i) => {
      const where = `PROTECTED_RESOURCES[${i}]`;
      if (!isObject(item)) {
        problems.push(`${where} must be an object { "arn": "...", "resourceType": "..." }, got ${show(item)}`);
        return;
      }
      const arn = item.arn;
      if (typeof arn !== 'string' || !arn.startsWith('arn:')) {
        problems.push(`${where}.arn must be a resource ARN (starting with "arn:"), got ${show(arn)}`);
        return;
      }
      const resourceType = item.resourceType;
      if (resourceType !== undefined && (typeof resourceType !== 'string' || !resourceType)) {
        problems.push(`${where}.resourceType must be a non-empty string when given, got ${show(resourceType)}`);
        return;
      }
      protectedResources!.push({ arn, ...(resourceType ? { resourceType } : {}) });
    });
    if (!drVaultName) {
      problems.push('PROTECTED_RESOURCES is set but DR_VAULT_NAME is not: recovery points are measured in the DR vault, so name it');
    }
  }

  const typesRaw = jsonArray(env, 'BACKUP_RESOURCE_TYPES', problems) ?? [];
  const backupResourceTypes: string[] = [];
  typesRaw.forEach((t, i) => {
    if (typeof t !== 'string' || !t.trim()) {
      problems.push(`BACKUP_RESOURCE_TYPES[${i}] must be an AWS Backup resource type such as "RDS" or "S3", got ${show(t)}`);
    } else if (!backupResourceTypes.includes(t)) {
      backupResourceTypes.push(t);
    }
  });

  const replicationRaw = jsonArray(env, 'REPLICATION', problems) ?? [];
  const replication: ReplicationRule[] = [];
  replicationRaw.forEach((item, i) => {
    const where = `REPLICATION[${i}]`;
    if (!isObject(item)) {
      problems.push(`${where} must be an object { "sourceBucket", "destinationBucket", "ruleId" }, got ${show(item)}`);
      return;
    }
    const missing = (['destinationBucket', 'ruleId'] as const)
      .filter((k) => typeof item[k] !== 'string' || !(item[k] as string));
    if (item.sourceBucket !== undefined && (typeof item.sourceBucket !== 'string' || !item.sourceBucket)) missing.unshift('sourceBucket' as never);
    if (missing.length) {
      problems.push(`${where} needs non-empty string ${missing.join(', ')}, got ${show(item)}`);
      return;
    }
    replication.push({
      ...(item.sourceBucket ? { sourceBucket: item.sourceBucket as string } : {}),
      destinationBucket: item.destinationBucket as string,
      ruleId: item.ruleId as string,
    });
  });

  const databasesRaw = jsonArray(env, 'DATABASES', problems) ?? [];
  const databases: DatabaseTarget[] = [];
  databasesRaw.forEach((item, i) => {
    const where = `DATABASES[${i}]`;
    if (!isObject(item)) {
      problems.push(`${where} must be an object { "kind", "identifier", "region" }, got ${show(item)}`);
      return;
    }
    const { kind, identifier } = item;
    const dbRegion = item.region;
    if (typeof kind !== 'string' || !(DATABASE_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${where}.kind must be one of ${DATABASE_KINDS.join(', ')}, got ${show(kind)}`);
      return;
    }
    if (typeof identifier !== 'string' || !identifier) {
      problems.push(`${where}.identifier must be a non-empty string, got ${show(identifier)}`);
      return;
    }
    if (typeof dbRegion !== 'string' || (dbRegion !== drRegion && dbRegion !== primaryRegion)) {
      problems.push(`${where}.region must be DR_REGION (${drRegion ?? 'unset'}) or PRIMARY_REGION (${primaryRegion ?? 'unset'}), got ${show(dbRegion)}`);
      return;
    }
    databases.push({ kind: kind as DatabaseKind, identifier, region: dbRegion });
  });

  const healthCheckId = env.HEALTH_CHECK_ID?.trim() || undefined;
  if (healthCheckId !== undefined && !/^[0-9a-f-]{36}$/.test(healthCheckId)) {
    problems.push(`HEALTH_CHECK_ID must be a Route 53 health check id (a UUID), got ${show(healthCheckId)}`);
  }
  const metricLookbackSeconds = positiveInt(env, 'METRIC_LOOKBACK_SECONDS', problems, 900);
  const primaryRegionTimeoutMs = positiveInt(env, 'PRIMARY_REGION_TIMEOUT_MS', problems, 8_000);

  if (problems.length) {
    throw new ReadinessConfigError(problems);
  }
  return {
    drRegion: drRegion!,
    primaryRegion: primaryRegion!,
    rpoSeconds: rpoSeconds!,
    metricNamespace,
    ...(drVaultName ? { drVaultName } : {}),
    ...(protectedResources ? { protectedResources } : {}),
    backupResourceTypes,
    replication,
    databases,
    ...(healthCheckId ? { healthCheckId } : {}),
    metricLookbackSeconds: metricLookbackSeconds!,
    primaryRegionTimeoutMs: primaryRegionTimeoutMs!,
  };
}
