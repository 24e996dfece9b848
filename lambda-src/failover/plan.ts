/**
 * Pure decisions of the failover handler: given what DescribeGlobalClusters / DescribeDBInstances
 * say now, what to do next (nothing, act, wait, or stop), plus the report and metrics of a run.
 * Every decision starts from the observed state, so a re-run after a partial failure resumes:
 * what is already done is skipped, what is in progress is waited for, nothing is done twice.
 */
import type { AuroraGlobalCluster, FailoverConfig } from './config';
import { regionOfArn } from './config';
import type { FailoverAction, FailoverRequest } from './event';

export type StepStatus = 'done' | 'skipped' | 'would-do' | 'failed';

export interface StepResult {
  readonly name: string;
  readonly status: StepStatus;
  readonly seconds: number;
  readonly detail: string;
}

export interface FailoverResult {
  readonly action: FailoverAction;
  readonly targetRegion: string;
  readonly dryRun: boolean;
  readonly executionId?: string;
  readonly invokedBy: FailoverRequest['invokedBy'];
  /** The active region read at the start; null when the parameter does not exist or could not be read. */
  readonly previousActiveRegion: string | null;
  readonly steps: readonly StepResult[];
  readonly totalSeconds: number;
  readonly rtoSeconds: number;
  readonly exceededRto: boolean;
  /** Whether the SNS report went out (filled in after publishing). */
  readonly notified?: boolean;
}

export type Decision =
  | { readonly kind: 'done'; readonly detail: string }
  | { readonly kind: 'issue'; readonly detail: string; readonly targetArn?: string }
  | { readonly kind: 'wait'; readonly detail: string }
  | { readonly kind: 'error'; readonly detail: string };

/** The parts of RDS's GlobalCluster that the decision reads. */
export interface GlobalClusterState {
  readonly GlobalClusterIdentifier?: string;
  readonly Status?: string;
  readonly GlobalClusterMembers?: readonly { readonly DBClusterArn?: string; readonly IsWriter?: boolean }[];
  readonly FailoverState?: { readonly Status?: string; readonly FromDbClusterArn?: string; readonly ToDbClusterArn?: string };
}

/** The parts of RDS's DBInstance that the decision reads. */
export interface DbInstanceState {
  readonly DBInstanceIdentifier?: string;
  readonly DBInstanceStatus?: string;
  readonly ReadReplicaSourceDBInstanceIdentifier?: string;
}

const IN_PROGRESS = new Set(['pending', 'failing-over', 'cancelling']);

/** Which Aurora operation an action uses: only an outage (failover) accepts data loss. */
export function auroraOperation(action: FailoverAction): 'switchover' | 'failover' {
  return action === 'failover' ? 'failover' : 'switchover';
}

/**
 * Next move for one Aurora global database. `issued`: this run already asked for the switch
 * (so a state that does not show it yet is waited for, not asked again).
 */
export function decideAurora(
  gc: GlobalClusterState | undefined,
  cluster: AuroraGlobalCluster,
  targetRegion: string,
  issued: boolean,
): Decision {
  const id = cluster.globalClusterIdentifier;
  if (!gc) {
    return { kind: 'error', detail: `global cluster ${id} was not found` };
  }
  const members = gc.GlobalClusterMembers ?? [];
  const inTarget = members.filter((m) => regionOfArn(m.DBClusterArn) === targetRegion);
  const preferred = regionOfArn(cluster.secondaryClusterArn) === targetRegion ? cluster.secondaryClusterArn : undefined;
  const target = preferred ? members.find((m) => m.DBClusterArn === preferred) : inTarget.length === 1 ? inTarget[0] : undefined;
  if (!target?.DBClusterArn) {
    const want = preferred ?? `a member cluster in ${targetRegion}`;
    return {
      kind: 'error',
      detail: `${want} is not a member of global cluster ${id} (members: ${members.map((m) => m.DBClusterArn).join(', ') || 'none'}); `
        + 'after an ungraceful failover the old primary may need to rejoin before a switch back',
    };
  }
  const targetArn = target.DBClusterArn;
  const fs = gc.FailoverState;
  const inProgress = fs?.Status !== undefined && IN_PROGRESS.has(fs.Status);

  if (target.IsWriter === true) {
    return inProgress
      ? { kind: 'wait', detail: `${targetArn} is the writer; Aurora is finishing (${fs!.Status})` }
      : { kind: 'done', detail: `${targetArn} is the writer of ${id}` };
  }
  if (inProgress) {
    if (fs!.ToDbClusterArn === targetArn || fs!.Status === 'cancelling') {
      return { kind: 'wait', detail: `a switch of ${id} to ${fs!.ToDbClusterArn ?? 'unknown'} is ${fs!.Status}` };
    }
    return { kind: 'error', detail: `another switch of ${id} is ${fs!.Status}: from ${fs!.FromDbClusterArn ?? '?'} to ${fs!.ToDbClusterArn ?? '?'}` };
  }
  if (issued) {
    return { kind: 'wait', detail: `requested; waiting for ${targetArn} to become the writer (global cluster status ${gc.Status ?? 'unknown'})` };
  }
  return { kind: 'issue', targetArn, detail: `${targetArn} is not the writer of ${id}` };
}

/**
 * Next move for one cross-region read replica in the DR region. Towards the DR region it is
 * promoted once (only while it still has ReadReplicaSourceDBInstanceIdentifier and is
 * `available`). Towards the primary nothing can be undone: a replica still replicating is fine,
 * a promoted one means the primary's copy is stale and the switch back must stop.
 */
export function decideRdsReplica(inst: DbInstanceState | undefined, id: string, toPrimary: boolean, issued: boolean): Decision {
  if (!inst) {
    return { kind: 'error', detail: `DB instance ${id} was not found in the DR region` };
  }
  const source = inst.ReadReplicaSourceDBInstanceIdentifier;
  const status = inst.DBInstanceStatus ?? 'unknown';
  if (toPrimary) {
    return source
      ? { kind: 'done', detail: `${id} is still a read replica of ${source}; the primary copy is current, nothing to undo` }
      : {
        kind: 'error',
        detail: `${id} was promoted and has taken writes in the DR region; the primary's copy is stale. `
          + 'Recreate the primary from it (e.g. a cross-region replica back, then promote) and a new DR replica before failing back',
      };
  }
  if (!source) {
    return { kind: 'done', detail: `${id} is a standalone instance (promoted), status ${status}` };
  }
  if (!issued && status === 'available') {
    return { kind: 'issue', detail: `${id} is still a read replica of ${source}` };
  }
  return { kind: 'wait', detail: issued ? `promotion of ${id} requested, status ${status}` : `${id} is a read replica in status ${status}; waiting for it to be available or promoted` };
}

export interface ReportText {
  readonly subject: string;
  readonly message: string;
}

export function formatReport(result: FailoverResult, config: Pick<FailoverConfig, 'activeRegionParameter'>, request?: FailoverRequest): ReportText {
  const failed = result.steps.find((s) => s.status === 'failed');
  const tag = result.dryRun ? '[DR drill]' : '[DR]';
  const head = `${tag} ${result.action} to ${result.targetRegion}`;
  let subject: string;
  if (failed) {
    subject = `${head} FAILED at ${failed.name}`;
  } else if (result.dryRun) {
    const n = result.steps.filter((s) => s.status === 'would-do').length;
    subject = `${head}: ${n} step${n === 1 ? '' : 's'} would run`;
  } else if (result.steps.every((s) => s.status !== 'done' || s.name === READ_STEP)) {
    subject = `${head}: already in place, nothing to do`;
  } else {
    subject = `${head} done in ${result.totalSeconds} s (RTO ${result.rtoSeconds} s ${result.exceededRto ? 'EXCEEDED' : 'met'})`;
  }

  const lines = [
    `Action: ${result.action}${result.action === 'failover' ? ' (ungraceful: Aurora may lose the unreplicated tail)' : ''} to ${result.targetRegion}`,
    `Invoked by: ${result.invokedBy === 'region-switch'
      ? `ARC Region switch${request?.regionSwitch?.planArn ? ` plan ${request.regionSwitch.planArn}` : ''}${request?.regionSwitch?.mode ? ` (${request.regionSwitch.mode})` : ''}`
      : 'direct invocation'}${result.executionId ? `, execution ${result.executionId}` : ''}`,
    `Dry run: ${result.dryRun ? 'yes - only reads were made, nothing was changed' : 'no'}`,
    `Active region (${config.activeRegionParameter}) before: ${result.previousActiveRegion ?? 'unknown'}`,
    `Result: ${failed ? `FAILED at step ${failed.name}: ${failed.detail}. Re-run the same action to resume; steps already done are skipped.` : result.dryRun ? 'dry run complete' : 'completed'}`,
    `Time in this handler: ${result.totalSeconds} s; RTO ${result.rtoSeconds} s: ${result.exceededRto ? `EXCEEDED by ${round(result.totalSeconds - result.rtoSeconds)} s` : 'within'}`
      + (result.dryRun ? ' (read latencies only)' : ''),
    'This measures the handler only; orchestrator steps before it (approvals, other execution blocks) add to the real recovery time.',
    '',
    'Steps:',
    ...result.steps.map((s) => `  ${s.status.padEnd(8)} ${`${s.seconds} s`.padStart(9)}  ${s.name}: ${s.detail}`),
  ];
  return { subject: sanitizeSubject(subject), message: lines.join('\n') };
}

export const READ_STEP = 'read-active-region';
export const FLIP_STEP = 'flip-active-region';

export interface FailoverMetricDatum {
  readonly MetricName: 'FailoverStepSeconds' | 'FailoverTotalSeconds';
  readonly Dimensions?: { Name: 'Step'; Value: string }[];
  readonly Value: number;
  readonly Unit: 'Seconds';
  readonly Timestamp: Date;
}

/**
 * Step durations and the total, so the real RTO can be compared with RTO_SECONDS. A dry run
 * publishes nothing (its read latencies are not a recovery time); a failed run publishes its
 * steps but no total, since it did not recover.
 */
export function failoverMetricData(result: FailoverResult, now: Date): FailoverMetricDatum[] {
  if (result.dryRun) return [];
  const data: FailoverMetricDatum[] = result.steps
    .filter((s) => s.status !== 'would-do')
    .map((s) => ({ MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: s.name }], Value: s.seconds, Unit: 'Seconds', Timestamp: now }));
  if (!result.steps.some((s) => s.status === 'failed')) {
    data.push({ MetricName: 'FailoverTotalSeconds', Value: result.totalSeconds, Unit: 'Seconds', Timestamp: now });
  }
  return data;
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

// SNS subjects: ASCII, no line breaks, under 100 characters.
function sanitizeSubject(s: string): string {
  const ascii = s.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 99 ? `${ascii.slice(0, 96)}...` : ascii;
}
