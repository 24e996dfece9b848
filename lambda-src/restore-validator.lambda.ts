/**
 * restore-validator: checks the resource a restore-testing job created and reports the verdict
 * to AWS Backup with PutRestoreValidationResult.
 *
 * Trigger: EventBridge rule (asynchronous invoke; the construct gives it a dead-letter queue),
 * source `aws.backup`, detail-type `Restore Job State Change`, `detail.status` COMPLETED, with
 * `detail.restoreTestingPlanArn` present (field names: see restore-validator/event.ts). Restore
 * jobs without a restore testing plan, FAILED jobs (AWS Backup marks them itself) and other
 * states are logged and ignored: no validation result is sent.
 *
 * Flow: created resource ARN from the event (else DescribeRestoreJob → CreatedResourceArn) →
 * one check per resource type (restore-validator/checks.ts): S3 bucket exists and a sample of
 * objects is readable; DynamoDB table ACTIVE and a Scan returns items; EBS volume available or
 * in-use; RDS DB instance / Aurora or Multi-AZ DB cluster available. A resource still becoming
 * available is polled until VALIDATION_WAIT_SECONDS (and never past the invocation's remaining
 * time minus TIME_RESERVE_MS), then reported TIMED_OUT. → PutRestoreValidationResult →
 * catalog item of the restore job updated (when TABLE_NAME is set).
 *
 * Resource types without a check (EC2 instances, EFS, FSx, ...): nothing is reported. The API
 * has no SKIPPED status, and SUCCESSFUL would claim a check that never ran; without a result the
 * restored resource stays for the selection's validation window, so a check of the user's own can
 * still report. Logged, and counted as RestoreValidationsSkipped.
 *
 * Failures: an error that prevents a verdict (access denied, throttling beyond the retries) is
 * thrown, never reported as FAILED — a validation status cannot be changed once set. Lambda
 * retries the event, then the DLQ keeps it. A retry after a successful Put finds the status
 * already set (DescribeRestoreJob) and only completes the catalog record.
 *
 * Metrics (EMF, namespace POWERTOOLS_METRICS_NAMESPACE, dimension ResourceType):
 * RestoreValidationsSucceeded, RestoreValidationsFailed, RestoreValidationsTimedOut,
 * RestoreValidationsSkipped.
 *
 * Environment:
 * - TABLE_NAME (optional): the catalog table (shared/catalog-schema.ts); unset: no catalog write.
 * - VALIDATION_WAIT_SECONDS (optional, default 120, 0 = check once): longest wait for a resource
 *   that is still becoming available. The function timeout should exceed it by about a minute.
 * - VALIDATION_POLL_SECONDS (optional, default 10): pause between two checks while waiting.
 * - ALLOW_EMPTY_S3, ALLOW_EMPTY_DYNAMODB (optional, `true` to enable): an empty restored bucket
 *   or table is SUCCESSFUL instead of FAILED.
 * - RETRY_BASE_DELAY_MS (optional, default 200): backoff base of the SDK retries (5 attempts).
 * - POWERTOOLS_SERVICE_NAME (default `restore-validator`), POWERTOOLS_METRICS_NAMESPACE,
 *   POWERTOOLS_LOG_LEVEL (optional).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  DescribeRestoreJobCommand,
  PutRestoreValidationResultCommand,
  type BackupClient,
  type DescribeRestoreJobCommandOutput,
} from '@aws-sdk/client-backup';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolveTarget } from './restore-validator/arn';
import {
  createBackupClient,
  createCatalogClient,
  createDynamoDbClient,
  createEc2Client,
  createRdsClient,
  createS3Client,
  DEFAULT_RETRY_BASE_DELAY_MS,
} from './restore-validator/aws';
import {
  checkUntilSettled,
  runCheck,
  type ValidationClients,
  type ValidationResult,
  type ValidationStatus,
} from './restore-validator/checks';
import { classifyEvent, type RestoreJobEvent } from './restore-validator/event';
import { buildPutInput, buildValidationUpdate, clampMessage, NOT_VALIDATED_METRIC, VALIDATION_METRICS } from './restore-validator/report';

/** Time kept back from the wait for PutRestoreValidationResult and the catalog write (with their retries). */
export const TIME_RESERVE_MS = 20_000;
export const DEFAULT_WAIT_SECONDS = 120;
export const DEFAULT_POLL_SECONDS = 10;

export interface ValidatorConfig {
  readonly tableName?: string;
  readonly waitMs: number;
  readonly pollIntervalMs: number;
  readonly allowEmptyS3: boolean;
  readonly allowEmptyDynamoDb: boolean;
}

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

/** The part of the Lambda context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
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

export function createRestoreValidator(deps: ValidatorDeps): (event: unknown, context?: InvocationContext) => Promise<ValidatorResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { logger } = deps;

  return async (event, context) => {
    const classified = classifyEvent(event, () => new Date(now()));
    if (classified.action === 'ignore') {
      logger.info('Restore event ignored', { reason: classified.reason, restoreJobId: classified.restoreJobId, status: classified.status });
      return { outcome: 'ignored', reason: classified.reason };
    }
    const job = classified.job;
    const restoreJobId = job.restoreJobId;

    let createdResourceArn = job.createdResourceArn;
    let resourceType = job.resourceType;
    if (!createdResourceArn) {
      const described = await describeRestoreJob(deps.backup, restoreJobId);
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
    if (!resolution.supported) {
      return notValidated(deps, restoreJobId, resolution.resourceType, resolution.reason);
    }
    resourceType = resolution.resourceType;

    const started = now();
    const deadline = started + waitBudget(deps.config.waitMs, context);
    let result: ValidationResult;
    try {
      result = await checkUntilSettled(
        () => runCheck(deps, resolution.target, deps.config),
        { deadline, pollIntervalMs: deps.config.pollIntervalMs, now, sleep },
      );
    } catch (err) {
      // No verdict: report nothing (it would be final), let Lambda retry and then dead-letter.
      logger.error('Could not check the restored resource; nothing reported', { restoreJobId, resourceType, createdResourceArn, error: err as Error });
      throw err;
    }
    logger.info('Restored resource checked', { restoreJobId, resourceType, createdResourceArn, validationStatus: result.status, attempts: result.attempts, message: result.message });

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
      logger.info('Validation already reported; keeping the reported status', { restoreJobId, validationStatus: existing.status, putError: errorName(err) });
      const recorded = await record(deps, job, existing, { resourceType, createdResourceArn }, now);
      return { outcome: 'already-reported', restoreJobId, resourceType, status: existing.status, message: existing.message, recorded };
    }
    // Counted once, when the result is sent; a retry that finds it already set does not count again.
    publishMetric(deps.metrics, VALIDATION_METRICS[result.status], resourceType);

    const recorded = await record(deps, job, { status: result.status, message: put.ValidationStatusMessage ?? '' }, { resourceType, createdResourceArn }, now);
    return { outcome: 'reported', restoreJobId, resourceType, status: result.status, message: put.ValidationStatusMessage ?? '', attempts: result.attempts, recorded };
  };
}

/** The wait budget: VALIDATION_WAIT_SECONDS, cut to what the invocation has left minus the reserve. */
export function waitBudget(waitMs: number, context?: InvocationContext): number {
  const remaining = context?.getRemainingTimeInMillis();
  if (remaining === undefined || !Number.isFinite(remaining)) return Math.max(0, waitMs);
  return Math.max(0, Math.min(waitMs, remaining - TIME_RESERVE_MS));
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

function errorName(err: unknown): string {
  const name = (err as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : 'Error';
}

// ---------- configuration and module-scope clients ----------

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'restore-validator' });
export const metrics = new Metrics({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'restore-validator' });

/** Reads the configuration (see the header). Optional knobs with a bad value fall back to their default, with a warning. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, log: Pick<Logger, 'warn'> = logger): ValidatorConfig {
  return {
    tableName: env.TABLE_NAME?.trim() || undefined,
    waitMs: intEnv(env, 'VALIDATION_WAIT_SECONDS', DEFAULT_WAIT_SECONDS, 0, log) * 1000,
    pollIntervalMs: intEnv(env, 'VALIDATION_POLL_SECONDS', DEFAULT_POLL_SECONDS, 1, log) * 1000,
    allowEmptyS3: flagEnv(env, 'ALLOW_EMPTY_S3'),
    allowEmptyDynamoDb: flagEnv(env, 'ALLOW_EMPTY_DYNAMODB'),
  };
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, log: Pick<Logger, 'warn'>): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    log.warn(`Ignoring ${name}: not an integer >= ${min}`, { value: raw, using: fallback });
    return fallback;
  }
  return n;
}

function flagEnv(env: NodeJS.ProcessEnv, name: string): boolean {
  return env[name]?.trim().toLowerCase() === 'true';
}

const clientOptions = { retryBaseDelayMs: intEnv(process.env, 'RETRY_BASE_DELAY_MS', DEFAULT_RETRY_BASE_DELAY_MS, 1, logger) };
/** Created once per container; exported so tests can observe them. */
export const backupClient = createBackupClient(clientOptions);
export const s3Client = createS3Client(clientOptions);
export const dynamoDbClient = createDynamoDbClient(clientOptions);
export const ec2Client = createEc2Client(clientOptions);
export const rdsClient = createRdsClient(clientOptions);
export const catalogClient = createCatalogClient(clientOptions);

let defaultHandler: ReturnType<typeof createRestoreValidator> | undefined;

export async function handler(event: unknown, context?: InvocationContext): Promise<ValidatorResult> {
  defaultHandler ??= createRestoreValidator({
    backup: backupClient,
    s3: s3Client,
    dynamodb: dynamoDbClient,
    ec2: ec2Client,
    rds: rdsClient,
    catalog: catalogClient,
    config: configFromEnv(),
    logger,
    metrics,
  });
  return defaultHandler(event, context);
}
