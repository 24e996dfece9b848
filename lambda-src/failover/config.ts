/**
 * Configuration of the `failover` handler, from environment variables set by `CrossRegionDr`.
 * All problems are reported at once, each naming the variable, the value and what is expected.
 *
 * - ACTIVE_REGION_PARAMETER (required): name of the SSM String parameter that holds the active
 *   region; the application reads it to decide where to send traffic and writes.
 * - ACTIVE_REGION_PARAMETER_REGION (optional, default DR_REGION): the region that parameter lives in.
 *   The DR region by default, so it can be flipped while the primary region is down.
 * - PRIMARY_REGION, DR_REGION (required, different AWS regions).
 * - TOPIC_ARN (required): SNS topic for the run report (its region is taken from the ARN).
 * - METRIC_NAMESPACE (required): CloudWatch namespace for FailoverStepSeconds / FailoverTotalSeconds
 *   (published in DR_REGION).
 * - RTO_SECONDS (required): the declared recovery time objective, a positive integer.
 * - RDS_REPLICAS (optional): JSON array of DB instance identifiers of cross-region read replicas
 *   in DR_REGION, promoted on failover/switchover to DR_REGION.
 * - AURORA_GLOBAL_CLUSTERS (optional): JSON array of
 *   `{ "globalClusterIdentifier": "...", "secondaryClusterArn": "arn:aws:rds:<dr>:<acct>:cluster:<id>" }`.
 * - POLL_INTERVAL_MS (optional, default 15000): how often a started Aurora switchover/failover or
 *   RDS promotion is polled until it has finished.
 * - FINISH_RESERVE_MS (optional, default 20000): time kept back from the invocation for flipping
 *   the parameter, notifying and publishing metrics; waiting stops (the step fails, a re-run
 *   resumes) when less than this is left.
 */

import { jsonArray, positiveInt, region, requiredMetricNamespace, show, type Env } from '../shared/env';
import { isObject } from '../shared/json';

export interface AuroraGlobalCluster {
  readonly globalClusterIdentifier: string;
  readonly secondaryClusterArn: string;
}

export interface FailoverConfig {
  readonly activeRegionParameter: string;
  readonly activeRegionParameterRegion: string;
  readonly primaryRegion: string;
  readonly drRegion: string;
  readonly topicArn: string;
  readonly topicRegion: string;
  readonly metricNamespace: string;
  readonly rtoSeconds: number;
  readonly rdsReplicas: readonly string[];
  readonly auroraGlobalClusters: readonly AuroraGlobalCluster[];
  readonly pollIntervalMs: number;
  readonly finishReserveMs: number;
}

export class FailoverConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`failover: invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'FailoverConfigError';
  }
}

export { REGION_PATTERN } from '../shared/env';

const TOPIC_ARN_PATTERN = /^arn:[^:]+:sns:([^:]+):\d{12}:[^:]+$/;
const CLUSTER_ARN_PATTERN = /^arn:[^:]+:rds:([^:]+):\d{12}:cluster:[^:]+$/;
const PARAMETER_NAME_PATTERN = /^[a-zA-Z0-9_.\-/]{1,2048}$/;
const DB_INSTANCE_ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;

export function parseFailoverConfig(env: Env): FailoverConfig {
  const problems: string[] = [];

  const param = env.ACTIVE_REGION_PARAMETER?.trim() ?? '';
  if (!param) {
    problems.push('ACTIVE_REGION_PARAMETER is required (the SSM parameter name that holds the active region) but is not set');
  } else if (!PARAMETER_NAME_PATTERN.test(param)) {
    problems.push(`ACTIVE_REGION_PARAMETER must be an SSM parameter name (letters, digits, _ . - /), got "${param}"`);
  }

  const primaryRegion = region(env, 'PRIMARY_REGION', problems, true);
  const drRegion = region(env, 'DR_REGION', problems, true);
  if (primaryRegion && drRegion && primaryRegion === drRegion) {
    problems.push(`PRIMARY_REGION and DR_REGION must differ, both are "${drRegion}"`);
  }
  const paramRegion = region(env, 'ACTIVE_REGION_PARAMETER_REGION', problems, false) ?? drRegion;

  const topicArn = env.TOPIC_ARN?.trim() ?? '';
  const topicMatch = TOPIC_ARN_PATTERN.exec(topicArn);
  if (!topicArn) {
    problems.push('TOPIC_ARN is required (the SNS topic that receives the failover report) but is not set');
  } else if (!topicMatch) {
    problems.push(`TOPIC_ARN must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got "${topicArn}"`);
  }

  const metricNamespace = requiredMetricNamespace(env, problems, 'CloudWatch namespace for the failover metrics');

  const rtoSeconds = positiveInt(env, 'RTO_SECONDS', problems, undefined);

  const rdsReplicas: string[] = [];
  (jsonArray(env, 'RDS_REPLICAS', problems) ?? []).forEach((id, i) => {
    if (typeof id !== 'string' || !DB_INSTANCE_ID_PATTERN.test(id)) {
      problems.push(`RDS_REPLICAS[${i}] must be a DB instance identifier (a letter, then up to 62 letters, digits or hyphens), got ${show(id)}`);
    } else if (!rdsReplicas.includes(id)) {
      rdsReplicas.push(id);
    }
  });

  const auroraGlobalClusters: AuroraGlobalCluster[] = [];
  (jsonArray(env, 'AURORA_GLOBAL_CLUSTERS', problems) ?? []).forEach((item, i) => {
    const where = `AURORA_GLOBAL_CLUSTERS[${i}]`;
    if (!isObject(item)) {
      problems.push(`${where} must be an object { "globalClusterIdentifier", "secondaryClusterArn" }, got ${show(item)}`);
      return;
    }
    const { globalClusterIdentifier, secondaryClusterArn } = item;
    if (typeof globalClusterIdentifier !== 'string' || !globalClusterIdentifier) {
      problems.push(`${where}.globalClusterIdentifier must be a non-empty string, got ${show(globalClusterIdentifier)}`);
      return;
    }
    const m = typeof secondaryClusterArn === 'string' ? CLUSTER_ARN_PATTERN.exec(secondaryClusterArn) : null;
    if (!m) {
      problems.push(`${where}.secondaryClusterArn must be a DB cluster ARN (arn:<partition>:rds:<region>:<account>:cluster:<id>), got ${show(secondaryClusterArn)}`);
      return;
    }
    if (drRegion && m[1] !== drRegion) {
      problems.push(`${where}.secondaryClusterArn must be in DR_REGION (${drRegion}), got a cluster in ${m[1]}`);
      return;
    }
    auroraGlobalClusters.push({ globalClusterIdentifier, secondaryClusterArn: secondaryClusterArn as string });
  });

  const pollIntervalMs = positiveInt(env, 'POLL_INTERVAL_MS', problems, 15_000);
  const finishReserveMs = positiveInt(env, 'FINISH_RESERVE_MS', problems, 20_000);

  if (problems.length) {
    throw new FailoverConfigError(problems);
  }
  return {
    activeRegionParameter: param,
    activeRegionParameterRegion: paramRegion!,
    primaryRegion: primaryRegion!,
    drRegion: drRegion!,
    topicArn,
    topicRegion: topicMatch![1],
    metricNamespace,
    rtoSeconds: rtoSeconds!,
    rdsReplicas,
    auroraGlobalClusters,
    pollIntervalMs: pollIntervalMs!,
    finishReserveMs: finishReserveMs!,
  };
}

/** Region of an ARN (its fourth field), or undefined for a malformed ARN. */
export function regionOfArn(arn: string | undefined): string | undefined {
  const parts = arn?.split(':');
  return parts && parts.length > 4 && parts[0] === 'arn' ? parts[3] : undefined;
}
