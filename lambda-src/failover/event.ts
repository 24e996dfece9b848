/**
 * The input of the failover handler, and how an invocation by ARC Region switch maps onto it.
 *
 * Direct input (documented by us; used for drills, manual runs and runbooks):
 *   { "action": "failover" | "switchover" | "failback" | "drill",
 *     "targetRegion"?: string, "dryRun"?: boolean, "executionId"?: string }
 * - switchover: planned and graceful (Aurora SwitchoverGlobalCluster, no data loss), default
 *   target DR_REGION.
 * - failover: the primary region is impaired (Aurora FailoverGlobalCluster with AllowDataLoss),
 *   default target DR_REGION.
 * - failback: graceful return to PRIMARY_REGION (the only allowed target).
 * - drill: reads only, reports what would be done (same as dryRun: true), default target DR_REGION.
 *
 * What AWS documents about the Region switch "custom action Lambda" execution block (checked
 * 2026; Amazon Application Recovery Controller developer guide "Custom action Lambda execution
 * block", ARC Region switch API reference `CustomActionLambdaConfiguration`, `LambdaUngraceful`,
 * `StartPlanExecution`, CloudFormation `AWS::ARCRegionSwitch::Plan CustomActionLambdaConfiguration`):
 * - The block names two functions, one in each of the plan's regions, and `regionToRun`
 *   (`activatingRegion` | `deactivatingRegion` for recovery workflows; `activeRegion` |
 *   `inactiveRegion` for post-recovery workflows). AWS advises against depending on the
 *   deactivating region, so CrossRegionDr runs the function in the activating region.
 * - `timeoutMinutes` (>= 1) and `retryIntervalMinutes` ("rerun the Lambda function if it does
 *   not succeed within this interval"): the step may be invoked again, possibly while an earlier
 *   invocation is still working, so every step here checks state before acting.
 * - Ungraceful mode: "In ungraceful execution mode, Region switch skips the Lambda execution
 *   block step" (developer guide); the API's `LambdaUngraceful.behavior` only accepts `skip`.
 * - Plans run as `activate` or `deactivate` (plus `postRecovery`) of a `targetRegion`, in
 *   `graceful` or `ungraceful` mode (StartPlanExecution); executions have an `executionId`.
 * - The block has no payload setting, and the event the function receives and the response it
 *   must return are NOT documented. Undocumented, so we accept a documented-by-us mapping:
 *   an event is taken to come from Region switch when it carries `planArn`, `executionAction`,
 *   `activateRegion`/`activatingRegion`/`deactivateRegion`/`deactivatingRegion`, or an `action`
 *   of `activate`/`deactivate`/`postRecovery`. Then:
 *     target = the activating region if named; else the other region when a deactivating region
 *              is named; else `targetRegion`/`region` for activate (the other one for deactivate);
 *              else the region this function runs in (it runs in the activating region);
 *     action = `failover` when mode/executionMode is `ungraceful`, `drill` when it is `practice`
 *              or the action is `postRecovery` (nothing to switch after recovery: report only),
 *              else `failback` when the target is PRIMARY_REGION, else `switchover`.
 *   Success is a normal return of the structured result; a failed step throws so the invocation
 *   reports a function error. Anything else is rejected with an error listing the keys received,
 *   so a changed payload fails loudly in a practice run instead of switching blindly.
 */

export type FailoverAction = 'failover' | 'switchover' | 'failback' | 'drill';
export const FAILOVER_ACTIONS: readonly FailoverAction[] = ['failover', 'switchover', 'failback', 'drill'];

export interface FailoverRequest {
  readonly action: FailoverAction;
  readonly targetRegion: string;
  readonly dryRun: boolean;
  readonly executionId?: string;
  readonly invokedBy: 'direct' | 'region-switch';
  /** The Region switch fields we recognised, for the report. */
  readonly regionSwitch?: { readonly planArn?: string; readonly action?: string; readonly mode?: string };
}

export interface EventContext {
  readonly primaryRegion: string;
  readonly drRegion: string;
  /** AWS_REGION of the running function. */
  readonly functionRegion?: string;
}

export class FailoverEventError extends Error {
  constructor(message: string) {
    super(`failover: ${message}`);
    this.name = 'FailoverEventError';
  }
}

const REGION_SWITCH_KEYS = ['planArn', 'executionAction', 'activateRegion', 'activatingRegion', 'deactivateRegion', 'deactivatingRegion'] as const;
const REGION_SWITCH_ACTIONS = ['activate', 'deactivate', 'postrecovery'];

export function normalizeEvent(event: unknown, ctx: EventContext): FailoverRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new FailoverEventError(`the event must be an object such as {"action":"switchover"}, got ${short(event)}`);
  }
  const e = event as Record<string, unknown>;
  const rawAction = firstString(e.action, e.executionAction)?.trim();

  if (rawAction && (FAILOVER_ACTIONS as readonly string[]).includes(rawAction)) {
    return direct(e, rawAction as FailoverAction, ctx);
  }
  const looksLikeRegionSwitch = REGION_SWITCH_KEYS.some((k) => e[k] !== undefined)
    || (rawAction !== undefined && REGION_SWITCH_ACTIONS.includes(rawAction.toLowerCase()));
  if (looksLikeRegionSwitch) {
    return fromRegionSwitch(e, rawAction?.toLowerCase(), ctx);
  }
  throw new FailoverEventError(
    `unrecognised event (keys: ${Object.keys(e).join(', ') || 'none'}); expected {"action": one of ${FAILOVER_ACTIONS.join(', ')}, `
    + '"targetRegion"?, "dryRun"?, "executionId"?} or an ARC Region switch invocation',
  );
}

function direct(e: Record<string, unknown>, action: FailoverAction, ctx: EventContext): FailoverRequest {
  const defaultTarget = action === 'failback' ? ctx.primaryRegion : ctx.drRegion;
  const targetRegion = e.targetRegion === undefined ? defaultTarget : e.targetRegion;
  if (typeof targetRegion !== 'string') {
    throw new FailoverEventError(`targetRegion must be a region name, got ${short(targetRegion)}`);
  }
  checkTarget(targetRegion, ctx);
  if (action === 'failback' && targetRegion !== ctx.primaryRegion) {
    throw new FailoverEventError(`failback returns to PRIMARY_REGION (${ctx.primaryRegion}); targetRegion ${targetRegion} is not allowed (use switchover)`);
  }
  if (e.dryRun !== undefined && typeof e.dryRun !== 'boolean') {
    throw new FailoverEventError(`dryRun must be true or false, got ${short(e.dryRun)}`);
  }
  if (e.executionId !== undefined && typeof e.executionId !== 'string') {
    throw new FailoverEventError(`executionId must be a string, got ${short(e.executionId)}`);
  }
  return {
    action,
    targetRegion,
    dryRun: action === 'drill' || e.dryRun === true,
    ...(e.executionId ? { executionId: e.executionId as string } : {}),
    invokedBy: 'direct',
  };
}

function fromRegionSwitch(e: Record<string, unknown>, rsAction: string | undefined, ctx: EventContext): FailoverRequest {
  const other = (r: string) => (r === ctx.primaryRegion ? ctx.drRegion : r === ctx.drRegion ? ctx.primaryRegion : undefined);
  const activating = firstString(e.activateRegion, e.activatingRegion);
  const deactivating = firstString(e.deactivateRegion, e.deactivatingRegion);
  const named = firstString(e.targetRegion, e.region);

  let targetRegion: string | undefined;
  let how: string;
  if (activating) {
    targetRegion = activating;
    how = 'the activating region of the event';
  } else if (deactivating) {
    targetRegion = other(deactivating);
    how = `the region other than the deactivating region ${deactivating}`;
  } else if (named && rsAction === 'deactivate') {
    targetRegion = other(named);
    how = `the region other than the deactivated target ${named}`;
  } else if (named) {
    targetRegion = named;
    how = 'the target region of the event';
  } else {
    targetRegion = ctx.functionRegion;
    how = 'the region this function runs in (Region switch runs it in the activating region)';
  }
  if (!targetRegion) {
    throw new FailoverEventError(`could not tell the target region from the Region switch event (${how}); keys: ${Object.keys(e).join(', ')}`);
  }
  checkTarget(targetRegion, ctx, how);

  const mode = firstString(e.mode, e.executionMode)?.toLowerCase();
  let action: FailoverAction;
  if (rsAction === 'postrecovery' || mode === 'practice') {
    action = 'drill';
  } else if (mode === 'ungraceful') {
    action = 'failover';
  } else if (targetRegion === ctx.primaryRegion) {
    action = 'failback';
  } else {
    action = 'switchover';
  }
  const executionId = firstString(e.executionId);
  const planArn = firstString(e.planArn);
  return {
    action,
    targetRegion,
    dryRun: action === 'drill',
    ...(executionId ? { executionId } : {}),
    invokedBy: 'region-switch',
    regionSwitch: {
      ...(planArn ? { planArn } : {}),
      ...(rsAction ? { action: rsAction } : {}),
      ...(mode ? { mode } : {}),
    },
  };
}

function checkTarget(targetRegion: string, ctx: EventContext, how?: string): void {
  if (targetRegion !== ctx.primaryRegion && targetRegion !== ctx.drRegion) {
    throw new FailoverEventError(
      `targetRegion must be PRIMARY_REGION (${ctx.primaryRegion}) or DR_REGION (${ctx.drRegion}), got "${targetRegion}"${how ? ` (taken from ${how})` : ''}`,
    );
  }
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) {
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}

function short(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 120)}...` : s;
}
