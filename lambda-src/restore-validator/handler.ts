/**
 * The restore validator over injected clients: classify the event, find the created resource,
 * run its check until it settles (./checks.ts), report the verdict with PutRestoreValidationResult
 * and record it in the catalog. What is validated (./event.ts, ./arn.ts) and what is sent
 * (./report.ts) are pure.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import {
  DescribeRestoreJobCommand,
  PutRestoreValidationResultCommand,
  type BackupClient,
  type DescribeRestoreJobCommandOutput,
} from '@aws-sdk/client-backup';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolveTarget } from './arn';
import {
  checkUntilSettled,
  runCheck,
  type ValidationClients,
  type ValidationResult,
  type ValidationStatus,
} from './checks';
import type { ValidatorConfig } from './config';
import { classifyEvent, type RestoreJobEvent } from './event';
import { buildPutInput, buildValidationUpdate, clampMessage, NOT_VALIDATED_METRIC, VALIDATION_METRICS } from './report';
import { SCANNABLE_RESOURCE_TYPES } from './scan';
import { checkRecoveryPointScan } from './scan-check';
import { errorName } from '../shared/errors';
import { budgetMs, type InvocationContext } from '../shared/invocation';

/** A restore job event without its detail or job id (see event.ts): it goes to the dead-letter queue. */
export class MalformedRestoreEventError extends Error {
  constructor(reason: string) {
    super(`restore-validator: malformed Restore Job State Change event: ${reason}`);
    this.name = 'MalformedRestoreEventError';
  }
}

/** Time kept back from the wait for PutRestoreValidationResult and the catalog write (with their retries). */
export const TIME_RESERVE_MS = 20_000;
export interface ValidatorDeps extends ValidationClients {
  readonly backup: BackupClient;
  /** Needed when config.tableName is set. */
  readonly catalog?: DynamoDBDocumentClient;
  readonly config: ValidatorConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Clock and pause of the wait loop (tests pass a fake clock whose sleep advances it). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type ValidatorResult =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'not-validated'; readonly restoreJobId: string; readonly resourceType: string; readonly reason: string }
  | {
    readonly outcome: 'reported';
    readonly restoreJobId: string;
    readonly resourceType: string;
    readonly status: ValidationStatus;
    readonly message: string;
    readonly attempts: number;
    readonly recorded: boolean;
  }
  | {
    readonly outcome: 'already-reported';
    readonly restoreJobId: string;
    readonly resourceType: string;
    readonly status: ValidationStatus;
    readonly message: string;
    readonly recorded: boolean;
  };

export function createRestoreValidatorHandler(deps: ValidatorDeps): (event: unknown, context?: InvocationContext) => Promise<ValidatorResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { logger } = deps;

  return async (event, context) => {
    const classified = classifyEvent(event, () => new Date(now()));
    if (classified.action === 'ignore') {
      if (classified.malformed) {
        // Thrown, not ignored: Lambda retries it, then the dead-letter queue keeps it and its alarm fires.
        logger.error('Malformed restore job event; nothing can be validated', { reason: classified.reason, status: classified.status });
        throw new MalformedRestoreEventError(classified.reason);
      }
      logger.info('Restore event ignored', { reason: classified.reason, restoreJobId: classified.restoreJobId, status: classified.status });
      return { outcome: 'ignored', reason: classified.reason };
    }
    const job = classified.job;
    const restoreJobId = job.restoreJobId;

    let createdResourceArn = job.createdResourceArn;
    let resourceType = job.resourceType;
    // DescribeRestoreJob at most once: for the created resource, or for the vault of the scan check.
    let describedJob: Promise<DescribeRestoreJobCommandOutput> | undefined;
    const describeOnce = () => (describedJob ??= describeRestoreJob(deps.backup, restoreJobId));
    if (!createdResourceArn) {
      const described = await describeOnce();
      createdResourceArn = described.CreatedResourceArn || undefined;
      resourceType ??= described.ResourceType || undefined;
      const existing = finalStatus(described);
      if (existing) {
        logger.info('Validation already reported', { restoreJobId, validationStatus: existing });
        const message = described.ValidationStatusMessage ?? '';
        const recorded = await record(deps, job, { status: existing, message }, { resourceType, createdResourceArn }, now);
        return { outcome: 'already-reported', restoreJobId, resourceType: resourceType ?? 'UNKNOWN', status: existing, message, recorded };
      }
    }
    if (!createdResourceArn) {
      return notValidated(deps, restoreJobId, resourceType ?? 'UNKNOWN', 'neither the event nor DescribeRestoreJob names a created resource');
    }

    const resolution = resolveTarget(resourceType, createdResourceArn);
    resourceType = resolution.resourceType;

    const started = now();
    const deadline = started + waitBudget(deps.config.waitMs, context);
    const wait = { deadline, pollIntervalMs: deps.config.pollIntervalMs, now, sleep };
    let result: ValidationResult;
    try {
      // First the recovery point's malware scan: one that did not scan clean fails the restore test.
      const scanInput = {
        restoreJobId,
        resourceType,
        recoveryPointArn: async () => job.recoveryPointArn ?? ((await describeOnce())?.RecoveryPointArn || undefined),
        rules: deps.config.scanRules ?? [],
        vaultArn: async () => (await describeOnce())?.BackupVaultArn,
      };
      const scan = isScannable(resourceType)
        ? await checkUntilSettled(async () => (await checkRecoveryPointScan(deps, scanInput))!, wait)
        : undefined;
      if (scan && scan.status !== 'SUCCESSFUL') {
        result = scan;
      } else if (!resolution.supported) {
        return notValidated(deps, restoreJobId, resolution.resourceType, resolution.reason);
      } else {
        const checked = await checkUntilSettled(() => runCheck(deps, resolution.target, deps.config), wait);
        result = scan?.message ? { ...checked, message: `${checked.message}; ${scan.message}` } : checked;
      }
    } catch (err) {
      // No verdict: report nothing (it would be final), let Lambda retry and then dead-letter.
      logger.error('Could not check the restored resource; nothing reported', { restoreJobId, resourceType, createdResourceArn, error: err as Error });
      throw err;
    }
    logger.info('Restored resource checked', { restoreJobId, resourceType, createdResourceArn, validationStatus: result.status, attempts: result.attempts, validationMessage: result.message });

    const put = buildPutInput(restoreJobId, result);
    try {
      await deps.backup.send(new PutRestoreValidationResultCommand(put));
    } catch (err) {
      // A redelivered event, or a retry after the catalog write failed: the status is already set.
      const existing = await existingStatus(deps.backup, restoreJobId);
      if (!existing) {
        logger.error('PutRestoreValidationResult failed', { restoreJobId, validationStatus: result.status, error: err as Error });
        throw err;
      }
      logger.info('Validation already reported; keeping the reported status', { restoreJobId, validationStatus: existing.status, putError: errorName(err) ?? 'Error' });
      const recorded = await record(deps, job, existing, { resourceType, createdResourceArn }, now);
      return { outcome: 'already-reported', restoreJobId, resourceType, status: existing.status, message: existing.message, recorded };
    }
    // Counted once, when the result is sent; a retry that finds it already set does not count again.
    publishMetric(deps.metrics, VALIDATION_METRICS[result.status], resourceType);

    const recorded = await record(deps, job, { status: result.status, message: put.ValidationStatusMessage ?? '' }, { resourceType, createdResourceArn }, now);
    return { outcome: 'reported', restoreJobId, resourceType, status: result.status, message: put.ValidationStatusMessage ?? '', attempts: result.attempts, recorded };
  };
}

function isScannable(resourceType: string): boolean {
  return SCANNABLE_RESOURCE_TYPES.includes(resourceType);
}

/** The wait budget: VALIDATION_WAIT_SECONDS, cut to what the invocation has left minus the reserve. */
export function waitBudget(waitMs: number, context?: InvocationContext): number {
  return budgetMs(waitMs, TIME_RESERVE_MS, context);
}

async function describeRestoreJob(backup: BackupClient, restoreJobId: string): Promise<DescribeRestoreJobCommandOutput> {
  return backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
}

function finalStatus(job: DescribeRestoreJobCommandOutput): ValidationStatus | undefined {
  const s = job.ValidationStatus;
  return s === 'SUCCESSFUL' || s === 'FAILED' || s === 'TIMED_OUT' ? s : undefined;
}

/** The result AWS Backup already holds for the job, if any (best effort: undefined when it cannot tell). */
async function existingStatus(backup: BackupClient, restoreJobId: string): Promise<{ status: ValidationStatus; message: string } | undefined> {
  try {
    const job = await describeRestoreJob(backup, restoreJobId);
    const status = finalStatus(job);
    return status ? { status, message: job.ValidationStatusMessage ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

function notValidated(deps: ValidatorDeps, restoreJobId: string, resourceType: string, reason: string): ValidatorResult {
  deps.logger.warn('Restored resource not validated; no validation result reported', { restoreJobId, resourceType, reason });
  publishMetric(deps.metrics, NOT_VALIDATED_METRIC, resourceType);
  return { outcome: 'not-validated', restoreJobId, resourceType, reason };
}

async function record(
  deps: ValidatorDeps,
  job: RestoreJobEvent,
  result: { status: ValidationStatus; message: string },
  resource: { resourceType?: string; createdResourceArn?: string },
  now: () => number,
): Promise<boolean> {
  const tableName = deps.config.tableName;
  if (!tableName) return false;
  if (!deps.catalog) throw new Error('restore-validator: TABLE_NAME is set but no catalog client was given');
  await deps.catalog.send(new UpdateCommand(buildValidationUpdate(tableName, {
    restoreJobId: job.restoreJobId,
    status: result.status,
    message: clampMessage(result.message),
    state: job.status,
    eventTime: job.eventTime,
    updatedAt: new Date(now()).toISOString(),
    resourceType: resource.resourceType,
    createdResourceArn: resource.createdResourceArn,
    sourceResourceArn: job.sourceResourceArn,
    recoveryPointArn: job.recoveryPointArn,
  })));
  return true;
}

function publishMetric(metrics: Metrics, name: string, resourceType: string): void {
  metrics.addDimension('ResourceType', resourceType);
  metrics.addMetric(name, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
