/**
 * restore-validator: checks the resource a restore-testing job created and reports the verdict
 * to AWS Backup with PutRestoreValidationResult.
 *
 * Trigger: EventBridge rule (asynchronous invoke; the construct gives it a dead-letter queue),
 * source `aws.backup`, detail-type `Restore Job State Change`, `detail.status` COMPLETED, with
 * `detail.restoreTestingPlanArn` present (field names: see restore-validator/event.ts). Restore
 * jobs without a restore testing plan, FAILED jobs (AWS Backup marks them itself) and other
 * states are logged and ignored: no validation result is sent. A restore job event without its
 * detail or job id is malformed: it is thrown (MalformedRestoreEventError), so it ends in the
 * dead-letter queue, whose alarm fires.
 *
 * Flow: created resource ARN from the event (else DescribeRestoreJob → CreatedResourceArn) →
 * one check per resource type (restore-validator/checks.ts): S3 bucket exists and a sample of
 * objects is readable; DynamoDB table ACTIVE and a Scan returns items; EBS volume available or
 * in-use; RDS DB instance / Aurora or Multi-AZ DB cluster available. A resource still becoming
 * available is polled until VALIDATION_WAIT_SECONDS (and never past the invocation's remaining
 * time minus TIME_RESERVE_MS), then reported TIMED_OUT. → PutRestoreValidationResult →
 * catalog item of the restore job updated (when TABLE_NAME is set).
 *
 * Malware scans (restore-validator/scan.ts): for EBS, EC2 and S3 the recovery point's scan jobs
 * are read first (ListScanJobs by recovery point ARN). Threats found, a scan that FAILED, was
 * CANCELED or COMPLETED_WITH_ISSUES, or no scan of a recovery point whose tier scans its type
 * (MALWARE_SCAN_RULES; tier from DescribeRecoveryPoint's CreatedBy.BackupRuleName) is reported
 * FAILED without checking the restored resource; a clean scan is added to the check's message.
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
 * Code: restore-validator/handler.ts (the flow over injected clients), checks.ts (one check per
 * resource type and the bounded wait); event.ts, arn.ts, report.ts and config.ts are pure.
 *
 * Environment (restore-validator/config.ts, read on every invocation):
 * - TABLE_NAME (optional): the catalog table (shared/catalog-schema.ts); unset: no catalog write.
 * - VALIDATION_WAIT_SECONDS (optional, default 120, 0 = check once): longest wait for a resource
 *   that is still becoming available. The function timeout should exceed it by about a minute.
 * - VALIDATION_POLL_SECONDS (optional, default 10): pause between two checks while waiting.
 * - ALLOW_EMPTY_S3, ALLOW_EMPTY_DYNAMODB (optional, `true` to enable): an empty restored bucket
 *   or table is SUCCESSFUL instead of FAILED.
 * - MALWARE_SCAN_RULES (optional): JSON list of `{plan?, rule, resourceTypes}`: the tiers whose
 *   recovery points must have a malware scan. A malformed value fails every invocation.
 * - RETRY_BASE_DELAY_MS (optional, default 200): backoff base of the SDK retries (5 attempts).
 * - POWERTOOLS_SERVICE_NAME (default `restore-validator`), POWERTOOLS_METRICS_NAMESPACE,
 *   POWERTOOLS_LOG_LEVEL (optional).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  createBackupClient,
  createCatalogClient,
  createDynamoDbClient,
  createEc2Client,
  createRdsClient,
  createS3Client,
} from './restore-validator/clients';
import { parseValidatorConfig, type ValidatorConfig } from './restore-validator/config';
import { createRestoreValidatorHandler, type ValidatorDeps, type ValidatorResult } from './restore-validator/handler';
import type { Env } from './shared/env';
import type { InvocationContext } from './shared/invocation';
import { createLogger, createMetrics } from './shared/powertools';

export {
  createRestoreValidatorHandler,
  MalformedRestoreEventError,
  TIME_RESERVE_MS,
  waitBudget,
  type ValidatorDeps,
  type ValidatorResult,
} from './restore-validator/handler';
export { DEFAULT_POLL_SECONDS, DEFAULT_WAIT_SECONDS, type ValidatorConfig } from './restore-validator/config';

// Created once per container; exported so tests can observe them.
const logger = createLogger('restore-validator');
export const metrics = createMetrics('restore-validator');
export const backupClient = createBackupClient();
export const s3Client = createS3Client();
export const dynamoDbClient = createDynamoDbClient();
export const ec2Client = createEc2Client();
export const rdsClient = createRdsClient();
export const catalogClient = createCatalogClient();

/** Reads the configuration (see the header); bad optional values fall back with a warning through `log`. */
export function configFromEnv(env: Env = process.env, log: Pick<Logger, 'warn'> = logger): ValidatorConfig {
  return parseValidatorConfig(env, (message, attributes) => log.warn(message, attributes));
}

/** The module's clients, logger and metrics, with the configuration read from `env`. */
export function depsFromEnv(env: Env = process.env): ValidatorDeps {
  return {
    backup: backupClient,
    s3: s3Client,
    dynamodb: dynamoDbClient,
    ec2: ec2Client,
    rds: rdsClient,
    catalog: catalogClient,
    config: configFromEnv(env),
    logger,
    metrics,
  };
}

/** Lambda entry point. */
export async function handler(event: unknown, context?: InvocationContext): Promise<ValidatorResult> {
  return createRestoreValidatorHandler(depsFromEnv())(event, context);
}
