/**
 * Pure evaluation of the readiness handler: what was observed (recovery points, replication
 * latency, database lag, AWS Backup opt-in) → one verdict per check + the CloudWatch metric data
 * to publish. No I/O here, so every rule is unit-tested with plain objects.
 *
 * A check is OK, BREACH (measured and above the RPO, missing, or not opted in) or UNKNOWN (could
 * not be measured: the API did not answer or there was no datapoint). UNKNOWN is never counted
 * as OK nor as a breach: it has its own metric, ChecksUnknown.
 */
import type { DatabaseKind, DatabaseTarget, ReadinessConfig, ReplicationRule } from './config';

export type CheckStatus = 'OK' | 'BREACH' | 'UNKNOWN';
export type CheckType = 'recovery-point' | 'replication' | 'database' | 'backup-opt-in' | 'primary-endpoint';

export interface Check {
  readonly type: CheckType;
  /** What was checked: a resource ARN, `source -> destination (rule)`, a database, `TYPE in region`. */
  readonly target: string;
  readonly status: CheckStatus;
  /** Measured age or lag in seconds; null when missing or unknown. Absent for opt-in checks. */
  readonly valueSeconds?: number | null;
  readonly thresholdSeconds?: number;
  readonly detail: string;
}

/** Newest usable recovery point of one resource in the DR vault, or none, or the lookup failed. */
export interface RecoveryPointObservation {
  readonly resourceArn: string;
  readonly resourceType?: string;
  readonly newest?: { readonly recoveryPointArn?: string; readonly dataTime: Date };
  readonly error?: string;
}

/** Newest datapoint of a latency/lag metric (already converted to seconds), or why there is none. */
export interface MetricReading {
  readonly valueSeconds?: number;
  readonly at?: Date;
  readonly metricName?: string;
  readonly error?: string;
}

export interface ReplicationObservation extends MetricReading {
  readonly rule: ReplicationRule;
}

export interface DatabaseObservation extends MetricReading {
  readonly target: DatabaseTarget;
}

/** DescribeRegionSettings of one region, or why it could not be read. */
export interface OptInObservation {
  readonly region: string;
  readonly preferences?: Readonly<Record<string, boolean>>;
  readonly error?: string;
}

/** Route 53's verdict on the primary endpoint (HealthCheckStatus: 1 healthy, 0 not), or why there is none. */
export interface EndpointObservation extends MetricReading {
  readonly healthCheckId: string;
}

export interface ReadinessObservations {
  /** Undefined when no DR vault is configured (no recovery point checks). */
  readonly recoveryPoints?: readonly RecoveryPointObservation[];
  /** Undefined when no health check is configured. */
  readonly endpoint?: EndpointObservation;
  readonly replication: readonly ReplicationObservation[];
  readonly databases: readonly DatabaseObservation[];
  readonly optIn: readonly OptInObservation[];
}

/** The subset of CloudWatch's MetricDatum that this handler publishes. */
export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions?: { Name: string; Value: string }[];
  readonly Value: number;
  readonly Unit: 'Seconds' | 'Count';
  readonly Timestamp: Date;
}

export interface ReadinessSummary {
  /** Checks above RPO_SECONDS or with no recovery point: the RpoBreaches metric. */
  readonly breaches: number;
  readonly missingRecoveryPoints: number;
  /** (resource type, region) pairs not opted in: the BackupOptInMissing metric. */
  readonly optInMissing: number;
  readonly unknown: number;
  readonly rpoSeconds: number;
  readonly checks: readonly Check[];
}

export interface Evaluation {
  readonly summary: ReadinessSummary;
  readonly metricData: readonly MetricDatum[];
}

export const METRICS = {
  recoveryPointAge: 'RecoveryPointAgeSeconds',
  maxRecoveryPointAge: 'MaxRecoveryPointAgeSeconds',
  missingRecoveryPoints: 'MissingRecoveryPoints',
  replicationLatency: 'ReplicationLatencySeconds',
  databaseLag: 'DatabaseLagSeconds',
  backupOptInMissing: 'BackupOptInMissing',
  rpoBreaches: 'RpoBreaches',
  checksUnknown: 'ChecksUnknown',
  primaryEndpointUnhealthy: 'PrimaryEndpointUnhealthy',
} as const;

export function evaluateReadiness(config: ReadinessConfig, obs: ReadinessObservations, now: Date): Evaluation {
  const rpo = config.rpoSeconds;
  const checks: Check[] = [];
  const metrics: MetricDatum[] = [];
  const datum = (name: string, value: number, unit: MetricDatum['Unit'], dims?: Record<string, string>): MetricDatum => ({
    MetricName: name,
    ...(dims ? { Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) } : {}),
    Value: value,
    Unit: unit,
    Timestamp: now,
  });

  // 1. Recovery points in the DR vault.
  let missing = 0;
  if (obs.recoveryPoints !== undefined) {
    let maxAge: number | undefined;
    for (const rp of obs.recoveryPoints) {
      const target = rp.resourceArn;
      if (rp.error !== undefined) {
        checks.push({ type: 'recovery-point', target, status: 'UNKNOWN', valueSeconds: null, thresholdSeconds: rpo, detail: `recovery points could not be listed: ${rp.error}` });
        continue;
      }
      if (!rp.newest) {
        missing++;
        checks.push({ type: 'recovery-point', target, status: 'BREACH', valueSeconds: null, thresholdSeconds: rpo, detail: 'no completed recovery point in the DR vault' });
        continue;
      }
      const age = ageSeconds(now, rp.newest.dataTime);
      maxAge = maxAge === undefined ? age : Math.max(maxAge, age);
      metrics.push(datum(METRICS.recoveryPointAge, age, 'Seconds', { ResourceArn: rp.resourceArn }));
      checks.push({
        type: 'recovery-point',
        target,
        status: age > rpo ? 'BREACH' : 'OK',
        valueSeconds: age,
        thresholdSeconds: rpo,
        detail: `newest recovery point${rp.newest.recoveryPointArn ? ` ${rp.newest.recoveryPointArn}` : ''} holds data from ${rp.newest.dataTime.toISOString()} (${formatSeconds(age)} old, RPO ${formatSeconds(rpo)})`,
      });
    }
    // A missing recovery point has no finite age, so it only shows in MissingRecoveryPoints and
    // RpoBreaches; the maximum is over the resources that have one. A resource whose recovery
    // points could not be listed has an unknown age, so the maximum is unknown too: it is not
    // published, and the age alarm (missing data is breaching) fires instead of a maximum over
    // the resources that happened to answer.
    const ageUnknown = obs.recoveryPoints.some((rp) => rp.error !== undefined);
    if (maxAge !== undefined && !ageUnknown) {
      metrics.push(datum(METRICS.maxRecoveryPointAge, maxAge, 'Seconds'));
    }
    metrics.push(datum(METRICS.missingRecoveryPoints, missing, 'Count'));
  }

  // 2. S3 replication latency.
  for (const r of obs.replication) {
    const target = `s3://${r.rule.sourceBucket ?? '(source not found yet)'} -> s3://${r.rule.destinationBucket} (rule ${r.rule.ruleId})`;
    const check = lagCheck('replication', target, r, rpo, 'S3 ReplicationLatency');
    checks.push(check);
    if (check.valueSeconds !== null && check.valueSeconds !== undefined) {
      metrics.push(datum(METRICS.replicationLatency, check.valueSeconds, 'Seconds', { SourceBucket: r.rule.sourceBucket!, RuleId: r.rule.ruleId }));
    }
  }

  // 3. Database lag.
  for (const d of obs.databases) {
    const target = `${d.target.kind} ${d.target.identifier} (${d.target.region})`;
    if (d.target.kind === 'rds-replica' && d.valueSeconds !== undefined && d.valueSeconds < 0) {
      // RDS reports ReplicaLag -1 when replication is not running: no data is reaching the replica.
      checks.push({ type: 'database', target, status: 'BREACH', valueSeconds: null, thresholdSeconds: rpo, detail: `ReplicaLag is ${d.valueSeconds}: replication is not running` });
      continue;
    }
    const check = lagCheck('database', target, d, rpo, d.metricName ?? defaultMetricName(d.target.kind));
    checks.push(check);
    if (check.valueSeconds !== null && check.valueSeconds !== undefined) {
      metrics.push(datum(METRICS.databaseLag, check.valueSeconds, 'Seconds', { Identifier: d.target.identifier }));
    }
  }

  // 4. AWS Backup opt-in, per resource type and region.
  let optInMissing = 0;
  if (config.backupResourceTypes.length) {
    for (const o of obs.optIn) {
      for (const type of config.backupResourceTypes) {
        const target = `${type} in ${o.region}`;
        if (o.error !== undefined) {
          checks.push({ type: 'backup-opt-in', target, status: 'UNKNOWN', detail: `DescribeRegionSettings in ${o.region} failed: ${o.error}` });
          continue;
        }
        const pref = o.preferences?.[type];
        if (pref === true) {
          checks.push({ type: 'backup-opt-in', target, status: 'OK', detail: `AWS Backup is opted in for ${type} in ${o.region}` });
        } else {
          optInMissing++;
          checks.push({
            type: 'backup-opt-in',
            target,
            status: 'BREACH',
            detail: pref === false
              ? `AWS Backup is not opted in for ${type} in ${o.region}: turn it on in the AWS Backup settings of ${o.region} (UpdateRegionSettings); CloudFormation cannot set it`
              : `${type} is not listed by DescribeRegionSettings in ${o.region}: the type name is wrong or AWS Backup does not offer it there`,
          });
        }
      }
    }
    metrics.push(datum(METRICS.backupOptInMissing, optInMissing, 'Count'));
  }

  // 5. The primary endpoint, as Route 53's checkers see it (not an RPO breach: a failover signal).
  if (obs.endpoint) {
    const e = obs.endpoint;
    const target = `Route 53 health check ${e.healthCheckId}`;
    if (e.error !== undefined || e.valueSeconds === undefined) {
      checks.push({ type: 'primary-endpoint', target, status: 'UNKNOWN', detail: e.error ?? 'no AWS/Route53 HealthCheckStatus datapoint in us-east-1' });
    } else {
      const unhealthy = e.valueSeconds < 1;
      checks.push({ type: 'primary-endpoint', target, status: unhealthy ? 'BREACH' : 'OK', detail: `Route 53 reports the primary endpoint ${unhealthy ? 'unhealthy' : 'healthy'}${e.at ? ` at ${e.at.toISOString()}` : ''}` });
      metrics.push(datum(METRICS.primaryEndpointUnhealthy, unhealthy ? 1 : 0, 'Count'));
    }
  }

  const breaches = checks.filter((c) => c.status === 'BREACH' && c.type !== 'backup-opt-in' && c.type !== 'primary-endpoint').length;
  const unknown = checks.filter((c) => c.status === 'UNKNOWN').length;
  metrics.push(datum(METRICS.rpoBreaches, breaches, 'Count'));
  metrics.push(datum(METRICS.checksUnknown, unknown, 'Count'));

  return {
    summary: { breaches, missingRecoveryPoints: missing, optInMissing, unknown, rpoSeconds: rpo, checks },
    metricData: metrics,
  };
}

/** Newest usable recovery point from a list, by the time its data was taken. */
export function newestRecoveryPoint(points: readonly {
  RecoveryPointArn?: string;
  Status?: string;
  CreationDate?: Date;
  InitiationDate?: Date;
}[]): { recoveryPointArn?: string; dataTime: Date } | undefined {
  let best: { recoveryPointArn?: string; dataTime: Date } | undefined;
  for (const p of points) {
    if (!isUsable(p.Status)) continue;
    const dataTime = dataTimeOf(p);
    if (!dataTime) continue;
    if (!best || dataTime.getTime() > best.dataTime.getTime()) {
      best = { ...(p.RecoveryPointArn ? { recoveryPointArn: p.RecoveryPointArn } : {}), dataTime };
    }
  }
  return best;
}

/**
 * COMPLETED is what the list APIs report for a finished backup or copy; the AWS Backup API
 * reference also documents AVAILABLE as "successfully created ... ready for use". Both can be
 * restored; PARTIAL, CREATING, EXPIRED, DELETING and STOPPED cannot be relied on.
 */
export function isUsable(status: string | undefined): boolean {
  return status === 'COMPLETED' || status === 'AVAILABLE';
}

/**
 * The point in time whose data the recovery point holds. For a copy in the DR vault the
 * creation and initiation dates may describe the copy rather than the original backup, so the
 * older of the two is used: the age can only be overstated, never understated.
 */
function dataTimeOf(p: { CreationDate?: Date; InitiationDate?: Date }): Date | undefined {
  const times = [p.CreationDate, p.InitiationDate]
    .filter((d): d is Date => d instanceof Date && !Number.isNaN(d.getTime()));
  if (!times.length) return undefined;
  return new Date(Math.min(...times.map((d) => d.getTime())));
}

function lagCheck(type: 'replication' | 'database', target: string, r: MetricReading, rpo: number, metricName: string): Check {
  if (r.error !== undefined) {
    return { type, target, status: 'UNKNOWN', valueSeconds: null, thresholdSeconds: rpo, detail: r.error };
  }
  if (r.valueSeconds === undefined) {
    return { type, target, status: 'UNKNOWN', valueSeconds: null, thresholdSeconds: rpo, detail: `no ${metricName} datapoint in the lookback window` };
  }
  const v = round3(r.valueSeconds);
  return {
    type,
    target,
    status: v > rpo ? 'BREACH' : 'OK',
    valueSeconds: v,
    thresholdSeconds: rpo,
    detail: `${metricName} ${formatSeconds(v)}${r.at ? ` at ${r.at.toISOString()}` : ''} (RPO ${formatSeconds(rpo)})`,
  };
}

function defaultMetricName(kind: DatabaseKind): string {
  switch (kind) {
    case 'aurora-global': return 'AuroraGlobalDBRPOLag';
    case 'rds-replica': return 'ReplicaLag';
    case 'dynamodb-global': return 'ReplicationLatency';
  }
}

function ageSeconds(now: Date, then: Date): number {
  return Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function formatSeconds(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 6) / 10} min`;
  return `${Math.round(s / 360) / 10} h`;
}
