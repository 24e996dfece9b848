/**
 * The failover run over injected clients: read the active region, check then converge every
 * database (in parallel), flip the parameter, report and measure. What to do with each database
 * is decided in ./plan.ts (pure); the request and configuration are ./event.ts and ./config.ts.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  PromoteReadReplicaCommand,
  SwitchoverGlobalClusterCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, type ParameterType, type SSMClient } from '@aws-sdk/client-ssm';
import type { AuroraGlobalCluster, FailoverConfig } from './config';
import { normalizeEvent, type FailoverRequest } from './event';
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
} from './plan';
import { describeError, errorName } from '../shared/errors';
import { budgetMs, type InvocationContext } from '../shared/invocation';

/** Without a Lambda context (tests, local runs) waiting is bounded by Lambda's 15-minute maximum. */
const DEFAULT_BUDGET_MS = 15 * 60 * 1000;

/** Thrown when a step failed; carries the structured result that was reported. */
export class FailoverStepFailed extends Error {
  constructor(readonly result: FailoverResult) {
    const failed = result.steps.find((s) => s.status === 'failed');
    super(`failover: step ${failed?.name} failed: ${failed?.detail} (reported to SNS; re-run to resume)`);
    this.name = 'FailoverStepFailed';
  }
}

export interface FailoverDeps {
  /** The SDK clients of a region (RDS in both regions; SSM, SNS and CloudWatch where configured). */
  readonly rds: (region: string) => RDSClient;
  readonly ssm: (region: string) => SSMClient;
  readonly sns: (region: string) => SNSClient;
  readonly cloudWatch: (region: string) => CloudWatchClient;
  readonly config: FailoverConfig;
  /** The function's own region (AWS_REGION): how a Region switch invocation is told apart. */
  readonly functionRegion?: string;
  readonly logger: Logger;
}

interface Run {
  readonly deps: FailoverDeps;
  readonly config: FailoverConfig;
  readonly request: FailoverRequest;
  readonly deadline: number;
  readonly logger: Logger;
}

export function createFailoverHandler(deps: FailoverDeps): (event: unknown, context?: InvocationContext) => Promise<FailoverResult> {
  return (event, context) => runFailover(deps, event, context);
}

async function runFailover(deps: FailoverDeps, event: unknown, context?: InvocationContext): Promise<FailoverResult> {
  const { config, logger } = deps;
  const request = normalizeEvent(event, {
    primaryRegion: config.primaryRegion,
    drRegion: config.drRegion,
    functionRegion: deps.functionRegion,
  });
  const started = Date.now();
  const run: Run = { deps, config, request, logger, deadline: started + budgetMs(DEFAULT_BUDGET_MS, config.finishReserveMs, context) };
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
    const out = await run.deps.ssm(config.activeRegionParameterRegion).send(new GetParameterCommand({ Name: config.activeRegionParameter }));
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
  const client = run.deps.rds(request.targetRegion);
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
  const client = run.deps.rds(config.drRegion);
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
          run.logger.info('Requested', { step: name, detail: issued });
        } catch (err) {
          if (errorName(err) !== c.inProgressError) {
            return step(name, 'failed', t0, `${d.detail}; the request failed: ${describeError(err)}`);
          }
          issued = `the request answered ${describeError(err)} (treated as already in progress)`;
          run.logger.warn('Request refused as in progress; waiting', { step: name, error: err as Error });
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
    await run.deps.ssm(config.activeRegionParameterRegion).send(new PutParameterCommand({
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
    await run.deps.sns(run.config.topicRegion).send(new PublishCommand({
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
    run.logger.error('Publishing the failover report failed', { topicArn: run.config.topicArn, error: err as Error, report });
    return false;
  }
}

async function publishMetrics(run: Run, result: FailoverResult): Promise<void> {
  const data = failoverMetricData(result, new Date());
  if (!data.length) return;
  try {
    await run.deps.cloudWatch(run.config.drRegion).send(new PutMetricDataCommand({
      Namespace: run.config.metricNamespace,
      MetricData: data.map((d) => ({ ...d, ...(d.Dimensions ? { Dimensions: d.Dimensions.map((x) => ({ ...x })) } : {}) })),
    }));
  } catch (err) {
    run.logger.error('Publishing failover metrics failed', { namespace: run.config.metricNamespace, error: err as Error });
  }
}

function step(name: string, status: StepResult['status'], t0: number, detail: string): StepResult {
  return { name, status, seconds: round((Date.now() - t0) / 1000), detail };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
