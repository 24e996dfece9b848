/**
 * The readiness run over injected clients: observe recovery points, opt-in settings and lag
 * metrics (in parallel; a check that cannot be measured is UNKNOWN, never a failed run), judge
 * them (./evaluate.ts, pure) and publish the metrics the DR alarms read.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DescribeRegionSettingsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  type BackupClient,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import {
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { ReadinessConfig } from './config';
import {
  evaluateReadiness,
  newestRecoveryPoint,
  type MetricDatum,
  type OptInObservation,
  type ReadinessSummary,
  type RecoveryPointObservation,
} from './evaluate';
import { buildLagQueries, readingsFromResults, type Datapoint, type LagQuery, type RegionResults } from './lag-queries';
import { raceDeadline } from '../shared/deadline';
import { describeError } from '../shared/errors';

const LIST_CONCURRENCY = 4;
const LIST_PAGE_SIZE = 1000;
const GET_METRIC_DATA_MAX_QUERIES = 500;
const PUT_METRIC_DATA_MAX_METRICS = 1000;

export interface ReadinessDeps {
  /** The Backup client of a region (the DR region, and the primary for its opt-in settings). */
  readonly backup: (region: string) => BackupClient;
  /** The CloudWatch client of a region (metrics are read where they are emitted, published in the DR region). */
  readonly cloudWatch: (region: string) => CloudWatchClient;
  readonly config: ReadinessConfig;
  readonly logger: Logger;
}

/** One readiness run: the scheduled event itself carries nothing the run needs. */
export function createReadinessHandler(deps: ReadinessDeps): (event?: unknown) => Promise<ReadinessSummary> {
  return () => measure(deps);
}

async function measure(deps: ReadinessDeps): Promise<ReadinessSummary> {
  const { config, logger } = deps;
  const now = new Date();

  const measured = await withSourceBuckets(deps, config);
  const lagQueries = buildLagQueries(measured);
  const [recoveryPoints, optIn, metricResults] = await Promise.all([
    config.drVaultName ? observeRecoveryPoints(deps, config.drVaultName) : Promise.resolve(undefined),
    config.backupResourceTypes.length
      ? Promise.all([config.drRegion, config.primaryRegion].map((r) => observeOptIn(deps, r)))
      : Promise.resolve([]),
    readLagMetrics(deps, lagQueries, now),
  ]);
  const { replication, databases, endpoint } = readingsFromResults(measured, lagQueries, metricResults);

  const { summary, metricData } = evaluateReadiness(config, { recoveryPoints, replication, databases, optIn, endpoint }, now);

  const log = summary.breaches || summary.unknown || summary.optInMissing ? logger.warn.bind(logger) : logger.info.bind(logger);
  log('DR readiness measured', { ...summary });

  await publishMetrics(deps, metricData);
  return summary;
}

async function observeRecoveryPoints({ config, backup }: ReadinessDeps, vault: string): Promise<RecoveryPointObservation[]> {
  const client = backup(config.drRegion);
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

async function observeOptIn({ config, backup }: ReadinessDeps, region: string): Promise<OptInObservation> {
  const remote = region !== config.drRegion;
  try {
    const out = await withDeadline(remote ? config.primaryRegionTimeoutMs : undefined, (abortSignal) =>
      backup(region).send(new DescribeRegionSettingsCommand({}), { abortSignal }));
    return { region, preferences: out.ResourceTypeOptInPreference ?? {} };
  } catch (err) {
    return { region, error: describeError(err) };
  }
}

/** Source buckets found at run time, by destination and rule: they do not change within a container's life. */
const foundSources = new Map<string, string>();

/**
 * A replication rule whose source bucket CloudFormation named (REPLICATION without sourceBucket)
 * is measured through the metric S3 publishes for it: ListMetrics on AWS/S3 ReplicationLatency
 * filtered by the destination bucket and rule id (both known at synth) names the source. A rule
 * whose metric is not published yet stays without a source; its check is then UNKNOWN.
 */
async function withSourceBuckets(deps: ReadinessDeps, config: ReadinessConfig): Promise<ReadinessConfig> {
  if (config.replication.every((r) => r.sourceBucket)) return config;
  const replication = await Promise.all(config.replication.map(async (rule) => {
    if (rule.sourceBucket) return rule;
    const cacheKey = `${rule.destinationBucket}/${rule.ruleId}`;
    let source = foundSources.get(cacheKey);
    if (!source) {
      try {
        const cloudWatch = deps.cloudWatch(config.primaryRegion);
        const out = await withDeadline(config.primaryRegionTimeoutMs, (abortSignal) => cloudWatch.send(new ListMetricsCommand({
          Namespace: 'AWS/S3',
          MetricName: 'ReplicationLatency',
          Dimensions: [{ Name: 'DestinationBucket', Value: rule.destinationBucket }, { Name: 'RuleId', Value: rule.ruleId }],
        }), { abortSignal }));
        source = out.Metrics?.flatMap((m) => m.Dimensions ?? []).find((d) => d.Name === 'SourceBucket')?.Value;
        if (source) foundSources.set(cacheKey, source);
      } catch (err) {
        deps.logger.warn('Source bucket of a replication rule could not be looked up', { rule: cacheKey, error: describeError(err) });
      }
    }
    return source ? { ...rule, sourceBucket: source } : rule;
  }));
  return { ...config, replication };
}

async function readLagMetrics({ config, cloudWatch }: ReadinessDeps, queries: readonly LagQuery[], now: Date): Promise<Map<string, RegionResults>> {
  const regions = [...new Set(queries.map((q) => q.region))];
  const start = new Date(now.getTime() - config.metricLookbackSeconds * 1000);
  const entries = await Promise.all(regions.map(async (region): Promise<[string, RegionResults]> => {
    const own = queries.filter((q) => q.region === region);
    const remote = region !== config.drRegion;
    try {
      const datapoints = await withDeadline(remote ? config.primaryRegionTimeoutMs : undefined, (abortSignal) =>
        getNewestDatapoints(cloudWatch(region), own, start, now, abortSignal));
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

async function publishMetrics({ config, cloudWatch, logger }: ReadinessDeps, metricData: readonly MetricDatum[]): Promise<void> {
  const client = cloudWatch(config.drRegion);
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
