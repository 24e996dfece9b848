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
 * A failed PutMetricData throws (the Lambda Errors metric then shows the readiness check itself
 * is broken); a check that cannot be measured is UNKNOWN and never fails the run.
 *
 * Environment: see readiness/config.ts (DR_REGION, PRIMARY_REGION, RPO_SECONDS, METRIC_NAMESPACE,
 * DR_VAULT_NAME, PROTECTED_RESOURCES, BACKUP_RESOURCE_TYPES, REPLICATION, DATABASES,
 * METRIC_LOOKBACK_SECONDS, PRIMARY_REGION_TIMEOUT_MS), plus POWERTOOLS_SERVICE_NAME (default
 * `readiness`), POWERTOOLS_LOG_LEVEL, RETRY_BASE_DELAY_MS (default 200: base of the full-jitter
 * backoff of every SDK client, 5 attempts, delays capped at 5 s).
 *
 * IAM: backup:ListRecoveryPointsByBackupVault on the DR vault ARN; backup:DescribeRegionSettings
 * on `*` (no resource type); cloudwatch:GetMetricData on `*`; cloudwatch:PutMetricData on `*`
 * with condition cloudwatch:namespace = METRIC_NAMESPACE.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  BackupClient,
  DescribeRegionSettingsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { parseReadinessConfig, type ReadinessConfig } from './readiness/config';
import {
  evaluateReadiness,
  newestRecoveryPoint,
  type MetricDatum,
  type OptInObservation,
  type ReadinessSummary,
  type RecoveryPointObservation,
} from './readiness/evaluate';
import { buildLagQueries, readingsFromResults, type Datapoint, type LagQuery, type RegionResults } from './readiness/lag-queries';
import { jitterRetryStrategy, perRegion, retryBaseDelayFromEnv } from './shared/aws-clients';
import { raceDeadline } from './shared/deadline';

export { parseReadinessConfig, ReadinessConfigError } from './readiness/config';
export { evaluateReadiness, newestRecoveryPoint } from './readiness/evaluate';
export { MAX_ATTEMPTS } from './shared/aws-clients';

const LIST_CONCURRENCY = 4;
const LIST_PAGE_SIZE = 1000;
const GET_METRIC_DATA_MAX_QUERIES = 500;
const PUT_METRIC_DATA_MAX_METRICS = 1000;

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'readiness' });

// Full-jitter exponential backoff; RETRY_BASE_DELAY_MS is read for every delay.
const retryStrategy = () => jitterRetryStrategy(() => retryBaseDelayFromEnv());
const requestHandler = { connectionTimeout: 3_000, requestTimeout: 5_000 };

/** One client per service and region, created once per container; exported so tests can stub (or swap the transport of) them. */
export const backupClient = perRegion((region) => new BackupClient({ region, retryStrategy: retryStrategy(), requestHandler }));
export const cloudWatchClient = perRegion((region) => new CloudWatchClient({ region, retryStrategy: retryStrategy(), requestHandler }));

export async function handler(_event?: unknown): Promise<ReadinessSummary> {
  const config = parseReadinessConfig(process.env);
  const now = new Date();

  const lagQueries = buildLagQueries(config);
  const [recoveryPoints, optIn, metricResults] = await Promise.all([
    config.drVaultName ? observeRecoveryPoints(config, config.drVaultName) : Promise.resolve(undefined),
    config.backupResourceTypes.length
      ? Promise.all([config.drRegion, config.primaryRegion].map((r) => observeOptIn(config, r)))
      : Promise.resolve([]),
    readLagMetrics(config, lagQueries, now),
  ]);
  const { replication, databases } = readingsFromResults(config, lagQueries, metricResults);

  const { summary, metricData } = evaluateReadiness(config, { recoveryPoints, replication, databases, optIn }, now);

  const log = summary.breaches || summary.unknown || summary.optInMissing ? logger.warn.bind(logger) : logger.info.bind(logger);
  log('DR readiness measured', { ...summary });

  await publishMetrics(config, metricData);
  return summary;
}

async function observeRecoveryPoints(config: ReadinessConfig, vault: string): Promise<RecoveryPointObservation[]> {
  const client = backupClient(config.drRegion);
  if (config.protectedResources) {
    return mapLimit(config.protectedResources, LIST_CONCURRENCY, async (res) => {
      try {
        const points = await listVault(client, vault, res.arn);
        const newest = newestRecoveryPoint(points);
        return { resourceArn: res.arn, ...(res.resourceType ? { resourceType: res.resourceType } : {}), ...(newest ? { newest } : {}) };
      } catch (err) {
        return { resourceArn: res.arn, ...(res.resourceType ? { resourceType: res.resourceType } : {}), error: describeError(err) };
      }
    });
  }
  // No list given: measure every resource that has recovery points in the DR vault.
  let points: RecoveryPointByBackupVault[];
  try {
    points = await listVault(client, vault, undefined);
  } catch (err) {
    return [{ resourceArn: `backup vault ${vault}`, error: describeError(err) }];
  }
  const byResource = new Map<string, RecoveryPointByBackupVault[]>();
  for (const p of points) {
    if (!p.ResourceArn) continue;
    const list = byResource.get(p.ResourceArn) ?? [];
    list.push(p);
    byResource.set(p.ResourceArn, list);
  }
  return [...byResource.keys()].sort().map((arn) => {
    const list = byResource.get(arn)!;
    const newest = newestRecoveryPoint(list);
    const resourceType = list.find((p) => p.ResourceType)?.ResourceType;
    return { resourceArn: arn, ...(resourceType ? { resourceType } : {}), ...(newest ? { newest } : {}) };
  });
}

async function listVault(client: BackupClient, vault: string, resourceArn: string | undefined): Promise<RecoveryPointByBackupVault[]> {
  const all: RecoveryPointByBackupVault[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new ListRecoveryPointsByBackupVaultCommand({
      BackupVaultName: vault,
      ...(resourceArn ? { ByResourceArn: resourceArn } : {}),
      MaxResults: LIST_PAGE_SIZE,
      ...(token ? { NextToken: token } : {}),
    }));
    all.push(...(out.RecoveryPoints ?? []));
    token = out.NextToken || undefined;
  } while (token);
  return all;
}

async function observeOptIn(config: ReadinessConfig, region: string): Promise<OptInObservation> {
  const remote = region !== config.drRegion;
  try {
    const out = await withDeadline(remote ? config.primaryRegionTimeoutMs : undefined, (abortSignal) =>
      backupClient(region).send(new DescribeRegionSettingsCommand({}), { abortSignal }));
    return { region, preferences: out.ResourceTypeOptInPreference ?? {} };
  } catch (err) {
    return { region, error: describeError(err) };
  }
}

async function readLagMetrics(config: ReadinessConfig, queries: readonly LagQuery[], now: Date): Promise<Map<string, RegionResults>> {
  const regions = [...new Set(queries.map((q) => q.region))];
  const start = new Date(now.getTime() - config.metricLookbackSeconds * 1000);
  const entries = await Promise.all(regions.map(async (region): Promise<[string, RegionResults]> => {
    const own = queries.filter((q) => q.region === region);
    const remote = region !== config.drRegion;
    try {
      const datapoints = await withDeadline(remote ? config.primaryRegionTimeoutMs : undefined, (abortSignal) =>
        getNewestDatapoints(cloudWatchClient(region), own, start, now, abortSignal));
      return [region, { datapoints }];
    } catch (err) {
      return [region, { error: `CloudWatch in ${region} did not answer (${describeError(err)})` }];
    }
  }));
  return new Map(entries);
}

async function getNewestDatapoints(
  client: CloudWatchClient,
  queries: readonly LagQuery[],
  start: Date,
  end: Date,
  abortSignal: AbortSignal | undefined,
): Promise<Map<string, Datapoint>> {
  const newest = new Map<string, Datapoint>();
  for (let i = 0; i < queries.length; i += GET_METRIC_DATA_MAX_QUERIES) {
    const chunk = queries.slice(i, i + GET_METRIC_DATA_MAX_QUERIES);
    const MetricDataQueries: MetricDataQuery[] = chunk.map((q) => ({
      Id: q.id,
      MetricStat: {
        Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: q.dimensions.map((d) => ({ ...d })) },
        Period: 60,
        Stat: 'Maximum',
      },
      ReturnData: true,
    }));
    let token: string | undefined;
    do {
      const out = await client.send(new GetMetricDataCommand({
        MetricDataQueries,
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampDescending',
        ...(token ? { NextToken: token } : {}),
      }), abortSignal ? { abortSignal } : {});
      for (const r of out.MetricDataResults ?? []) {
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        for (let k = 0; k < Math.min(ts.length, vs.length); k++) {
          const prev = r.Id ? newest.get(r.Id) : undefined;
          if (r.Id && (!prev || ts[k].getTime() > prev.at.getTime())) {
            newest.set(r.Id, { value: vs[k], at: ts[k] });
          }
        }
      }
      token = out.NextToken || undefined;
    } while (token);
  }
  return newest;
}

async function publishMetrics(config: ReadinessConfig, metricData: readonly MetricDatum[]): Promise<void> {
  const client = cloudWatchClient(config.drRegion);
  for (let i = 0; i < metricData.length; i += PUT_METRIC_DATA_MAX_METRICS) {
    const chunk = metricData.slice(i, i + PUT_METRIC_DATA_MAX_METRICS);
    try {
      await client.send(new PutMetricDataCommand({
        Namespace: config.metricNamespace,
        MetricData: chunk.map((m) => ({ ...m, ...(m.Dimensions ? { Dimensions: m.Dimensions.map((d) => ({ ...d })) } : {}) })),
      }));
    } catch (err) {
      logger.error('Publishing readiness metrics failed', { namespace: config.metricNamespace, error: err as Error });
      throw err;
    }
  }
}

class DeadlineExceeded extends Error {
  constructor(budgetMs: number) {
    super(`no answer within ${budgetMs} ms`);
    this.name = 'Timeout';
  }
}

// Bounds the time spent on a region that may be down, retries included. No budget: the Lambda
// timeout is the bound.
async function withDeadline<T>(budgetMs: number | undefined, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (budgetMs === undefined) {
    return run(undefined);
  }
  return raceDeadline(budgetMs, run, () => new DeadlineExceeded(budgetMs));
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function describeError(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown; $metadata?: { attempts?: unknown } };
  const name = typeof e?.name === 'string' && e.name ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const attempts = typeof e?.$metadata?.attempts === 'number' ? ` after ${e.$metadata.attempts} attempts` : '';
  return `${name}: ${message}${attempts}`;
}
