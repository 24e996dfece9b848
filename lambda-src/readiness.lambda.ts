/**
 * readiness: measures the real recovery point of the DR region and publishes it as CloudWatch
 * metrics, so `CrossRegionDr`'s alarms compare what is actually recoverable with the declared RPO.
 *
 * Trigger: EventBridge schedule (every 5-15 minutes) in the DR region. The event is ignored.
 *
 * Checks:
 * 1. Recovery points: per protected resource, the newest usable recovery point in the DR vault
 *    (ListRecoveryPointsByBackupVault with ByResourceArn, all pages). Chosen over
 *    ListRecoveryPointsByResource because it is scoped to the DR vault (a recovery point in any
 *    other vault of the region does not count for DR) and because IAM can scope it to the vault
 *    ARN, while ListRecoveryPointsByResource has no resource type and needs `*`. No recovery
 *    point is a breach counted in MissingRecoveryPoints.
 * 2. S3 replication latency (AWS/S3 ReplicationLatency, read in the PRIMARY region where S3
 *    publishes it). If the primary region does not answer, the check is UNKNOWN, the run goes on.
 * 3. Database lag (Aurora global, RDS replica, DynamoDB global table); see readiness/lag-queries.ts.
 * 4. AWS Backup opt-in (DescribeRegionSettings) for BACKUP_RESOURCE_TYPES in both regions.
 *
 * Metrics (PutMetricData to METRIC_NAMESPACE in the DR region, explicit names so alarms can use
 * them): RecoveryPointAgeSeconds (dim ResourceArn), MaxRecoveryPointAgeSeconds, MissingRecoveryPoints,
 * ReplicationLatencySeconds (dims SourceBucket, RuleId), DatabaseLagSeconds (dim Identifier),
 * BackupOptInMissing, RpoBreaches, ChecksUnknown. Returns and logs { breaches, unknown, checks, ... }.
 * MaxRecoveryPointAgeSeconds is left out when any protected resource's recovery points could not
 * be listed: the maximum is then unknown, and the age alarm treats the missing data as breaching.
 * A failed PutMetricData throws (the Lambda Errors metric then shows the readiness check itself
 * is broken); a check that cannot be measured is UNKNOWN and never fails the run.
 *
 * Code: readiness/handler.ts (the run over injected clients); config.ts, evaluate.ts and
 * lag-queries.ts are pure.
 *
 * Environment (read on every invocation): see readiness/config.ts (DR_REGION, PRIMARY_REGION, RPO_SECONDS, METRIC_NAMESPACE,
 * DR_VAULT_NAME, PROTECTED_RESOURCES, BACKUP_RESOURCE_TYPES, REPLICATION, DATABASES,
 * METRIC_LOOKBACK_SECONDS, PRIMARY_REGION_TIMEOUT_MS), plus POWERTOOLS_SERVICE_NAME (default
 * `readiness`), POWERTOOLS_LOG_LEVEL, RETRY_BASE_DELAY_MS (default 200: base of the full-jitter
 * backoff of every SDK client, 5 attempts, delays capped at 5 s).
 *
 * IAM: backup:ListRecoveryPointsByBackupVault on the DR vault ARN; backup:DescribeRegionSettings
 * on `*` (no resource type); cloudwatch:GetMetricData on `*`; cloudwatch:PutMetricData on `*`
 * with condition cloudwatch:namespace = METRIC_NAMESPACE.
 */
import { createBackupClient, createCloudWatchClient } from './readiness/clients';
import { parseReadinessConfig } from './readiness/config';
import type { ReadinessSummary } from './readiness/evaluate';
import { createReadinessHandler, type ReadinessDeps } from './readiness/handler';
import { perRegion } from './shared/aws-clients';
import type { Env } from './shared/env';
import { createLogger } from './shared/powertools';

export { parseReadinessConfig, ReadinessConfigError } from './readiness/config';
export { evaluateReadiness, newestRecoveryPoint } from './readiness/evaluate';
export { createReadinessHandler, type ReadinessDeps } from './readiness/handler';
export { MAX_ATTEMPTS } from './shared/aws-clients';

// One client per service and region, created once per container; exported so tests can stub
// (or swap the transport of) them.
const logger = createLogger('readiness');
export const backupClient = perRegion((region) => createBackupClient({ region }));
export const cloudWatchClient = perRegion((region) => createCloudWatchClient({ region }));

/** The module's clients and logger, with the configuration read from `env`. */
export function depsFromEnv(env: Env = process.env): ReadinessDeps {
  return { backup: backupClient, cloudWatch: cloudWatchClient, config: parseReadinessConfig(env), logger };
}

export async function handler(event?: unknown): Promise<ReadinessSummary> {
  return createReadinessHandler(depsFromEnv())(event);
}
