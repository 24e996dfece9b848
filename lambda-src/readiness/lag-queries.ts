/**
 * Which CloudWatch metric measures each replication rule and database, in which region, and how
 * the newest datapoints become lag readings in seconds. Pure: the handler runs the queries.
 *
 * Metrics (all Maximum over 60 s periods, newest datapoint in the lookback window):
 * - S3 replication with RTC: AWS/S3 `ReplicationLatency` (seconds), dimensions SourceBucket,
 *   DestinationBucket, RuleId, published in the source bucket's region (PRIMARY_REGION).
 * - Aurora global database secondary: AWS/RDS `AuroraGlobalDBRPOLag` (ms; Aurora PostgreSQL) and
 *   `AuroraGlobalDBReplicationLag` (ms; both engines), dimension DBClusterIdentifier, in the
 *   secondary's region. The RPO lag is used when it has data, else the replication lag.
 * - RDS cross-region read replica: AWS/RDS `ReplicaLag` (seconds), dimension DBInstanceIdentifier,
 *   in the replica's region.
 * - DynamoDB global table: AWS/DynamoDB `ReplicationLatency` (ms), dimensions TableName and
 *   ReceivingRegion (the replica being measured), emitted by the sending replica, so read in the
 *   other region.
 */
import type { ReadinessConfig } from './config';
import type { DatabaseObservation, EndpointObservation, MetricReading, ReplicationObservation } from './evaluate';

export interface LagQuery {
  /** GetMetricData query id: must start with a lower-case letter. */
  readonly id: string;
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { Name: string; Value: string }[];
  /** Multiply a datapoint by this to get seconds. */
  readonly toSeconds: number;
  readonly owner: { readonly kind: 'replication' | 'database' | 'endpoint'; readonly index: number };
}

export interface Datapoint {
  readonly value: number;
  readonly at: Date;
}

/** Per region: newest datapoint by query id (absent = no data), or why the region did not answer. */
export type RegionResults =
  | { readonly datapoints: ReadonlyMap<string, Datapoint> }
  | { readonly error: string };

export function buildLagQueries(config: ReadinessConfig): LagQuery[] {
  const queries: LagQuery[] = [];
  config.replication.forEach((rule, index) => {
    if (!rule.sourceBucket) return; // not found at run time: the reading says so
    queries.push({
      id: `s3_${index}`,
      region: config.primaryRegion,
      namespace: 'AWS/S3',
      metricName: 'ReplicationLatency',
      dimensions: [
        { Name: 'SourceBucket', Value: rule.sourceBucket },
        { Name: 'DestinationBucket', Value: rule.destinationBucket },
        { Name: 'RuleId', Value: rule.ruleId },
      ],
      toSeconds: 1,
      owner: { kind: 'replication', index },
    });
  });
  config.databases.forEach((db, index) => {
    const owner = { kind: 'database' as const, index };
    switch (db.kind) {
      case 'aurora-global':
        for (const [suffix, metricName] of [['rpo', 'AuroraGlobalDBRPOLag'], ['rep', 'AuroraGlobalDBReplicationLag']] as const) {
          queries.push({
            id: `aurora_${suffix}_${index}`,
            region: db.region,
            namespace: 'AWS/RDS',
            metricName,
            dimensions: [{ Name: 'DBClusterIdentifier', Value: db.identifier }],
            toSeconds: 0.001,
            owner,
          });
        }
        break;
      case 'rds-replica':
        queries.push({
          id: `rds_${index}`,
          region: db.region,
          namespace: 'AWS/RDS',
          metricName: 'ReplicaLag',
          dimensions: [{ Name: 'DBInstanceIdentifier', Value: db.identifier }],
          toSeconds: 1,
          owner,
        });
        break;
      case 'dynamodb-global':
        queries.push({
          id: `ddb_${index}`,
          region: db.region === config.drRegion ? config.primaryRegion : config.drRegion,
          namespace: 'AWS/DynamoDB',
          metricName: 'ReplicationLatency',
          dimensions: [
            { Name: 'TableName', Value: db.identifier },
            { Name: 'ReceivingRegion', Value: db.region },
          ],
          toSeconds: 0.001,
          owner,
        });
        break;
    }
  });
  if (config.healthCheckId) {
    // Route 53 publishes health-check metrics in us-east-1 only (1 healthy, 0 unhealthy).
    queries.push({
      id: 'endpoint_0',
      region: ROUTE53_METRICS_REGION,
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensions: [{ Name: 'HealthCheckId', Value: config.healthCheckId }],
      toSeconds: 1,
      owner: { kind: 'endpoint', index: 0 },
    });
  }
  return queries;
}

/** Route 53 health-check metrics exist only here. */
export const ROUTE53_METRICS_REGION = 'us-east-1';

/** Turns the per-region results back into one reading per replication rule and database. */
export function readingsFromResults(
  config: ReadinessConfig,
  queries: readonly LagQuery[],
  results: ReadonlyMap<string, RegionResults>,
): { replication: ReplicationObservation[]; databases: DatabaseObservation[]; endpoint?: EndpointObservation } {
  const readingFor = (kind: 'replication' | 'database' | 'endpoint', index: number): MetricReading => {
    const own = queries.filter((q) => q.owner.kind === kind && q.owner.index === index);
    if (own.length === 0 && kind === 'replication') {
      const rule = config.replication[index];
      return {
        metricName: 'ReplicationLatency',
        error: `no AWS/S3 ReplicationLatency metric for destination ${rule.destinationBucket} and rule ${rule.ruleId} in ${config.primaryRegion} `
          + 'names the source bucket yet (S3 publishes it once the rule has replicated; replication metrics must be enabled on the rule)',
      };
    }
    for (const q of own) {
      const r = results.get(q.region);
      if (!r) {
        return { error: `no CloudWatch result for ${q.region}` };
      }
      if ('error' in r) {
        return { error: r.error, metricName: q.metricName };
      }
      const dp = r.datapoints.get(q.id);
      if (dp) {
        return { valueSeconds: dp.value * q.toSeconds, at: dp.at, metricName: q.metricName };
      }
    }
    const names = own.map((q) => `${q.namespace} ${q.metricName}`).join(' or ');
    const where = own[0]?.region ?? 'the region';
    return { metricName: own[0]?.metricName, error: `no ${names} datapoint in ${where} in the last ${config.metricLookbackSeconds} s (is the metric published? for S3, replication metrics must be enabled on the rule)` };
  };
  return {
    replication: config.replication.map((rule, i) => ({ rule, ...readingFor('replication', i) })),
    databases: config.databases.map((target, i) => ({ target, ...readingFor('database', i) })),
    ...(config.healthCheckId ? { endpoint: { healthCheckId: config.healthCheckId, ...readingFor('endpoint', 0) } } : {}),
  };
}
