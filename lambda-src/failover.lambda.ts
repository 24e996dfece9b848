/**
 * failover: the custom step of CrossRegionDr's ARC Region switch plan, and a standalone DR drill.
 *
 * Input: see failover/event.ts ({ action, targetRegion?, dryRun?, executionId? }, or a Region
 * switch invocation mapped onto it, with what AWS does and does not document about that contract).
 *
 * Steps, each checking state before acting so that re-running after a partial failure resumes:
 * 1. read-active-region: SSM GetParameter ACTIVE_REGION_PARAMETER.
 * 2. aurora:<global cluster> (all in parallel with 3): if the target region's cluster is not yet
 *    the writer, SwitchoverGlobalCluster (switchover, failback) or FailoverGlobalCluster with
 *    AllowDataLoss (failover), then poll DescribeGlobalClusters until it is the writer. Skipped
 *    when Region switch's own Aurora block (or anyone) already did it.
 * 3. rds:<instance>: PromoteReadReplica only while the DR instance still has
 *    ReadReplicaSourceDBInstanceIdentifier, then poll until it is standalone. Towards the primary
 *    region nothing is promoted, and a promoted DR instance stops the switch back (stale primary).
 * 4. flip-active-region: SSM PutParameter (Overwrite) to the target region; a no-op when it
 *    already holds it. Runs only after every database step succeeded, so the application is
 *    never pointed at a region whose databases cannot take writes.
 * Then an SNS report (what was done, per-step durations, whether RTO_SECONDS was exceeded) and
 * CloudWatch metrics FailoverStepSeconds (dim Step) and FailoverTotalSeconds in DR_REGION.
 *
 * dryRun / drill: only the reads are made; steps that would act are reported as `would-do` with
 * the measured read latency. The report is still published (a drill leaves evidence), metrics are
 * not (read latencies are not a recovery time).
 *
 * A failed step stops the run before the flip, is reported (SNS + result) and the handler throws
 * FailoverStepFailed, so the orchestrator marks its step failed; running it again resumes.
 *
 * Code: failover/handler.ts (the run over injected clients); event.ts, config.ts and plan.ts are pure.
 *
 * Environment (read on every invocation): failover/config.ts (ACTIVE_REGION_PARAMETER, ACTIVE_REGION_PARAMETER_REGION,
 * PRIMARY_REGION, DR_REGION, TOPIC_ARN, METRIC_NAMESPACE, RTO_SECONDS, RDS_REPLICAS,
 * AURORA_GLOBAL_CLUSTERS, POLL_INTERVAL_MS, FINISH_RESERVE_MS), plus POWERTOOLS_SERVICE_NAME
 * (default `failover`), POWERTOOLS_LOG_LEVEL, RETRY_BASE_DELAY_MS (default 200), AWS_REGION.
 *
 * IAM (Service Authorization Reference scoping):
 * - ssm:GetParameter, ssm:PutParameter on arn:<p>:ssm:<param region>:<acct>:parameter/<name>
 *   (PutParameter can also require condition ssm:Overwrite = true).
 * - rds:DescribeGlobalClusters on arn:<p>:rds::<acct>:global-cluster:<id>.
 * - rds:SwitchoverGlobalCluster, rds:FailoverGlobalCluster on that global-cluster ARN and the
 *   member cluster ARNs arn:<p>:rds:<region>:<acct>:cluster:<id> (both resource types required).
 * - rds:DescribeDBInstances, rds:PromoteReadReplica on arn:<p>:rds:<dr>:<acct>:db:<id>.
 * - sns:Publish on TOPIC_ARN (plus kms:GenerateDataKey* and kms:Decrypt on its key if encrypted).
 * - cloudwatch:PutMetricData on `*` with condition cloudwatch:namespace = METRIC_NAMESPACE.
 */
import { createCloudWatchClient, createRdsClient, createSnsClient, createSsmClient } from './failover/clients';
import { parseFailoverConfig } from './failover/config';
import { createFailoverHandler, type FailoverDeps } from './failover/handler';
import type { FailoverResult } from './failover/plan';
import { perRegion } from './shared/aws-clients';
import type { Env } from './shared/env';
import type { InvocationContext } from './shared/invocation';
import { createLogger } from './shared/powertools';

export { parseFailoverConfig, FailoverConfigError } from './failover/config';
export { normalizeEvent, FailoverEventError } from './failover/event';
export { createFailoverHandler, FailoverStepFailed, type FailoverDeps } from './failover/handler';
export { decideAurora, decideRdsReplica, formatReport, failoverMetricData } from './failover/plan';
export { MAX_ATTEMPTS } from './shared/aws-clients';

// One client per service and region, created once per container; exported for tests.
const logger = createLogger('failover');
export const rdsClient = perRegion((region) => createRdsClient({ region }));
export const ssmClient = perRegion((region) => createSsmClient({ region }));
export const snsClient = perRegion((region) => createSnsClient({ region }));
export const cloudWatchClient = perRegion((region) => createCloudWatchClient({ region }));

/** The module's clients and logger, with the configuration read from `env`. */
export function depsFromEnv(env: Env = process.env): FailoverDeps {
  return {
    rds: rdsClient,
    ssm: ssmClient,
    sns: snsClient,
    cloudWatch: cloudWatchClient,
    config: parseFailoverConfig(env),
    functionRegion: env.AWS_REGION,
    logger,
  };
}

export async function handler(event: unknown, context?: InvocationContext): Promise<FailoverResult> {
  return createFailoverHandler(depsFromEnv())(event, context);
}
