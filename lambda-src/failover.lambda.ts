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
 * Environment: failover/config.ts (ACTIVE_REGION_PARAMETER, ACTIVE_REGION_PARAMETER_REGION,
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
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient, type ParameterType } from '@aws-sdk/client-ssm';
import { parseFailoverConfig, type AuroraGlobalCluster, type FailoverConfig } from './failover/config';
import { normalizeEvent, type FailoverRequest } from './failover/event';
import {
  auroraOperation,
  decideAurora,
  decideRdsReplica,
  failoverMetricData,
  FLIP_STEP,
  formatReport,
  READ_STEP,
  round,
  type Decision,
  type DbInstanceState,
  type FailoverResult,
  type GlobalClusterState,
  type StepResult,
} from './failover/plan';
import { jitterRetryStrategy, perRegion, retryBaseDelayFromEnv } from './shared/aws-clients';

export { parseFailoverConfig, FailoverConfigError } from './failover/config';
export { normalizeEvent, FailoverEventError } from './failover/event';
export { decideAurora, decideRdsReplica, formatReport, failoverMetricData } from './failover/plan';
export { MAX_ATTEMPTS } from './shared/aws-clients';

/** Without a Lambda context (tests, local runs) waiting is bounded by Lambda's 15-minute maximum. */
const DEFAULT_BUDGET_MS = 15 * 60 * 1000;

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'failover' });

// Full-jitter exponential backoff; RETRY_BASE_DELAY_MS is read for every delay.
const retryStrategy = () => jitterRetryStrategy(() => retryBaseDelayFromEnv());
const requestHandler = { connectionTimeout: 3_000, requestTimeout: 10_000 };

// One client per service and region, created once per container; exported for tests.
export const rdsClient = perRegion((region) => new RDSClient({ region, retryStrategy: retryStrategy(), requestHandler }));
export const ssmClient = perRegion((region) => new SSMClient({ region, retryStrategy: retryStrategy(), requestHandler }));
export const snsClient = perRegion((region) => new SNSClient({ region, retryStrategy: retryStrategy(), requestHandler }));
export const cloudWatchClient = perRegion((region) => new CloudWatchClient({ region, retryStrategy: retryStrategy(), requestHandler }));

/** The part of the Lambda context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Thrown when a step failed; carries the structured result that was reported. */
export class FailoverStepFailed extends Error {
  constructor(readonly result: FailoverResult) {
    const failed = result.steps.find((s) => s.status === 'failed');
    super(`failover: step ${failed?.name} failed: ${failed?.detail} (reported to SNS; re-run to resume)`);
    this.name = 'FailoverStepFailed';
  }
}

interface Run {
  readonly config: FailoverConfig;
  readonly request: FailoverRequest;
  readonly deadline: number;
}

export async function handler(event: unknown, context?: InvocationContext): Promise<FailoverResult> {
  const config = parseFailoverConfig(process.env);
  const request = normalizeEvent(event, {
    primaryRegion: config.primaryRegion,
    drRegion: config.drRegion,
    functionRegion: process.env.AWS_REGION,
  });
  const started = Date.now();
  const remaining = context?.getRemainingTimeInMillis();
  const budget = remaining !== undefined && Number.isFinite(remaining) ? remaining : DEFAULT_BUDGET_MS;
  const run: Run = { config, request, deadline: started + budget - config.finishReserveMs };
  logger.info('Failover run starting', { request });

  const steps: StepResult[] = [];
  const read = await readActiveRegion(run);
  steps.push(read.step);

  if (read.step.status !== 'failed') {
    const dbSteps = await databaseSteps(run, [
      ...config.auroraGlobalClusters.map((c) => auroraStep(run, c)),
      ...config.rdsReplicas.map((id) => rdsStep(run, id)),
    ]);
    steps.push(...dbSteps);
    if (!dbSteps.some((s) => s.status === 'failed')) {
      steps.push(await flipStep(run, read.current, read.type));
    }
  }

  const totalSeconds = round((Date.now() - started) / 1000);
  let result: FailoverResult = {
    action: request.action,
    targetRegion: request.targetRegion,
    dryRun: request.dryRun,
    ...(request.executionId ? { executionId: request.executionId } : {}),
    invokedBy: request.invokedBy,
    previousActiveRegion: read.current,
    steps,
    totalSeconds,
    rtoSeconds: config.rtoSeconds,
    exceededRto: totalSeconds > config.rtoSeconds,
  };
  const notified = await notify(run, result);
  result = { ...result, notified };
  await publishMetrics(run, result);

  if (steps.some((s) => s.status === 'failed')) {
    logger.error('Failover run failed', { result });
    throw new FailoverStepFailed(result);
  }
  logger.info('Failover run finished', { result });
  return result;
}

async function readActiveRegion(run: Run): Promise<{ step: StepResult; current: string | null; type?: ParameterType }> {
  const { config } = run;
  const t0 = Date.now();
  try {
    const out = await ssmClient(config.activeRegionParameterRegion).send(new GetParameterCommand({ Name: config.activeRegionParameter }));
    const current = out.Parameter?.Value ?? null;
    return {
      step: step(READ_STEP, 'done', t0, `${config.activeRegionParameter} in ${config.activeRegionParameterRegion} holds ${current ?? 'nothing'}`),
      current,
      ...(out.Parameter?.Type ? { type: out.Parameter.Type } : {}),
    };
  } catch (err) {
    if (errorName(err) === 'ParameterNotFound') {
      return { step: step(READ_STEP, 'done', t0, `${config.activeRegionParameter} does not exist yet in ${config.activeRegionParameterRegion}`), current: null };
    }
    return { step: step(READ_STEP, 'failed', t0, `GetParameter ${config.activeRegionParameter} failed: ${describeError(err)}`), current: null };
  }
}

function auroraStep(run: Run, cluster: AuroraGlobalCluster): NamedConvergence {
  const { request } = run;
  const name = `aurora:${cluster.globalClusterIdentifier}`;
  const client = rdsClient(request.targetRegion);
  const op = auroraOperation(request.action);
  const apiName = op === 'failover' ? 'FailoverGlobalCluster (AllowDataLoss)' : 'SwitchoverGlobalCluster';
  return {
    name,
    observe: async () => {
      try {
        const out = await client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: cluster.globalClusterIdentifier }));
        return out.GlobalClusters?.[0];
      } catch (err) {
        if (errorName(err) === 'GlobalClusterNotFoundFault') return undefined;
        throw err;
      }
    },
    decide: (gc, issued) => decideAurora(gc, cluster, request.targetRegion, issued),
    wouldDo: (d) => `would call ${apiName} to make ${d.targetArn} the writer (${d.detail})`,
    act: async (d) => {
      if (op === 'failover') {
        await client.send(new FailoverGlobalClusterCommand({
          GlobalClusterIdentifier: cluster.globalClusterIdentifier,
          TargetDbClusterIdentifier: d.targetArn,
          AllowDataLoss: true,
        }));
      } else {
        await client.send(new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: cluster.globalClusterIdentifier,
          TargetDbClusterIdentifier: d.targetArn,
        }));
      }
      return `${apiName} to ${d.targetArn} requested`;
    },
    // A switch that another caller (Region switch's Aurora block, an earlier run) started a
    // moment ago may not show yet: the next describe tells.
    inProgressError: 'InvalidGlobalClusterStateFault',
  } satisfies Convergence<GlobalClusterState>;
}

function rdsStep(run: Run, id: string): NamedConvergence {
  const { config, request } = run;
  const client = rdsClient(config.drRegion);
  const toPrimary = request.targetRegion === config.primaryRegion;
  return {
    name: `rds:${id}`,
    observe: async () => {
      try {
        const out = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
        return out.DBInstances?.[0];
      } catch (err) {
        if (errorName(err) === 'DBInstanceNotFoundFault') return undefined;
        throw err;
      }
    },
    decide: (inst, issued) => decideRdsReplica(inst, id, toPrimary, issued),
    wouldDo: (d) => `would call PromoteReadReplica (${d.detail})`,
    act: async () => {
      await client.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: id }));
      return `PromoteReadReplica ${id} requested`;
    },
    inProgressError: 'InvalidDBInstanceStateFault',
  } satisfies Convergence<DbInstanceState>;
}

interface Convergence<S> {
  name: string;
  /** The error name with which the service refuses a request because one is already running. */
  inProgressError: string;
  observe(): Promise<S | undefined>;
  decide(state: S | undefined, issued: boolean): Decision;
  wouldDo(d: Extract<Decision, { kind: 'issue' }>): string;
  act(d: Extract<Decision, { kind: 'issue' }>): Promise<string>;
}
// The state type only matters inside one convergence; the runner treats them alike.
type NamedConvergence = Convergence<unknown>;

/**
 * Two phases. First every database is read and checked (in parallel): if any check fails,
 * nothing is changed anywhere, so a switch is never half-made because of a problem that was
 * visible up front (e.g. failing back with a promoted RDS instance must not switch Aurora
 * back). Then each database converges on its own, in parallel. A dry run stops after phase one.
 */
async function databaseSteps(run: Run, targets: readonly NamedConvergence[]): Promise<StepResult[]> {
  const checked = await Promise.all(targets.map(async (c) => {
    const t0 = Date.now();
    let first: Decision;
    try {
      first = c.decide(await c.observe(), false);
    } catch (err) {
      first = { kind: 'error', detail: `reading state failed: ${describeError(err)}` };
    }
    return { c, t0, first };
  }));
  const blocked = checked.filter((x) => x.first.kind === 'error').map((x) => x.c.name);
  if (blocked.length) {
    return checked.map(({ c, t0, first }) => (first.kind === 'error'
      ? step(c.name, 'failed', t0, first.detail)
      : step(c.name, 'skipped', t0, `not started: ${blocked.join(', ')} failed its check, so nothing was changed`)));
  }
  return Promise.all(checked.map(({ c, t0, first }) => converge(run, c, t0, first)));
}

// From the first decision: act once, then poll until done, the deadline, or an error.
async function converge(run: Run, c: NamedConvergence, t0: number, first: Decision): Promise<StepResult> {
  const name = c.name;
  let issued: string | undefined;
  let waited = false;
  let d = first;
  for (;;) {
    switch (d.kind) {
      case 'done':
        if (issued) return step(name, 'done', t0, `${issued}; ${d.detail}`);
        return step(name, 'skipped', t0, waited ? `waited for a switch already in progress: ${d.detail}` : `already done: ${d.detail}`);
      case 'error':
        return step(name, 'failed', t0, d.detail);
      case 'issue':
        if (run.request.dryRun) return step(name, 'would-do', t0, c.wouldDo(d));
        try {
          issued = await c.act(d);
          logger.info('Requested', { step: name, detail: issued });
        } catch (err) {
          if (errorName(err) !== c.inProgressError) {
            return step(name, 'failed', t0, `${d.detail}; the request failed: ${describeError(err)}`);
          }
          issued = `the request answered ${describeError(err)} (treated as already in progress)`;
          logger.warn('Request refused as in progress; waiting', { step: name, error: err as Error });
        }
        break;
      case 'wait':
        if (run.request.dryRun) return step(name, 'would-do', t0, `would wait: ${d.detail}`);
        waited = true;
        if (Date.now() + run.config.pollIntervalMs > run.deadline) {
          return step(name, 'failed', t0, `not finished before the time budget ran out (${d.detail}); re-run to resume`);
        }
        break;
    }
    await sleep(run.config.pollIntervalMs);
    try {
      d = c.decide(await c.observe(), issued !== undefined);
    } catch (err) {
      return step(name, 'failed', t0, `${issued ? `${issued}; then ` : ''}reading state failed: ${describeError(err)}`);
    }
  }
}

async function flipStep(run: Run, current: string | null, type: ParameterType | undefined): Promise<StepResult> {
  const { config, request } = run;
  const t0 = Date.now();
  const target = request.targetRegion;
  if (current === target) {
    return step(FLIP_STEP, 'skipped', t0, `${config.activeRegionParameter} already holds ${target}`);
  }
  if (request.dryRun) {
    return step(FLIP_STEP, 'would-do', t0, `would set ${config.activeRegionParameter} from ${current ?? 'nothing'} to ${target}`);
  }
  try {
    await ssmClient(config.activeRegionParameterRegion).send(new PutParameterCommand({
      Name: config.activeRegionParameter,
      Value: target,
      Type: type ?? 'String',
      Overwrite: true,
    }));
    return step(FLIP_STEP, 'done', t0, `${config.activeRegionParameter} set from ${current ?? 'nothing'} to ${target}`);
  } catch (err) {
    return step(FLIP_STEP, 'failed', t0, `PutParameter ${config.activeRegionParameter} = ${target} failed: ${describeError(err)}`);
  }
}

async function notify(run: Run, result: FailoverResult): Promise<boolean> {
  const report = formatReport(result, run.config, run.request);
  try {
    await snsClient(run.config.topicRegion).send(new PublishCommand({
      TopicArn: run.config.topicArn,
      Subject: report.subject,
      Message: report.message,
      MessageAttributes: {
        action: { DataType: 'String', StringValue: result.action },
        outcome: {
          DataType: 'String',
          StringValue: result.steps.some((s) => s.status === 'failed') ? 'failed' : result.dryRun ? 'dry-run' : 'completed',
        },
        targetRegion: { DataType: 'String', StringValue: result.targetRegion },
      },
    }));
    return true;
  } catch (err) {
    // The switch itself is what matters here: a lost report is logged, not turned into a failed step.
    logger.error('Publishing the failover report failed', { topicArn: run.config.topicArn, error: err as Error, report });
    return false;
  }
}

async function publishMetrics(run: Run, result: FailoverResult): Promise<void> {
  const data = failoverMetricData(result, new Date());
  if (!data.length) return;
  try {
    await cloudWatchClient(run.config.drRegion).send(new PutMetricDataCommand({
      Namespace: run.config.metricNamespace,
      MetricData: data.map((d) => ({ ...d, ...(d.Dimensions ? { Dimensions: d.Dimensions.map((x) => ({ ...x })) } : {}) })),
    }));
  } catch (err) {
    logger.error('Publishing failover metrics failed', { namespace: run.config.metricNamespace, error: err as Error });
  }
}

function step(name: string, status: StepResult['status'], t0: number, detail: string): StepResult {
  return { name, status, seconds: round((Date.now() - t0) / 1000), detail };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorName(err: unknown): string | undefined {
  const n = (err as { name?: unknown })?.name;
  return typeof n === 'string' ? n : undefined;
}

function describeError(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown };
  const name = typeof e?.name === 'string' && e.name ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return `${name}: ${message}`;
}
