/**
 * vault-alert: turns a failed AWS Backup job into one readable SNS alert.
 *
 * Trigger: EventBridge rule, source `aws.backup`, detail-type `Backup Job State Change`
 * (FAILED, ABORTED, EXPIRED) or `Copy Job State Change` (FAILED) of one vault; asynchronous
 * invocation with retries and a dead-letter queue. Anything else is logged and ignored.
 *
 * Flow (vault-alert/handler.ts): describe the job (DescribeBackupJob / DescribeCopyJob) for the
 * status message, resource name, plan and times — best effort, within a time budget; if that
 * fails the alert still goes out, built from the event, and says why. Then SNS Publish. A failed
 * publish throws, so Lambda's asynchronous retries and the rule's dead-letter queue keep the event.
 * What is an alert and the alert's text: vault-alert/format.ts (pure).
 *
 * Environment: vault-alert/config.ts (TOPIC_ARN, VAULT_NAME, ENRICHMENT_TIMEOUT_MS), plus
 * POWERTOOLS_SERVICE_NAME (default `vault-alert`), POWERTOOLS_LOG_LEVEL, RETRY_BASE_DELAY_MS
 * (default 200: base of the full-jitter backoff of both clients, 5 attempts, delays capped at
 * 5 s) and AWS_REGION (set by Lambda).
 */
import type { Env } from './shared/env';
import type { InvocationContext } from './shared/invocation';
import { createLogger } from './shared/powertools';
import { createBackupClient, createSnsClient } from './vault-alert/clients';
import { parseVaultAlertConfig } from './vault-alert/config';
import { createVaultAlertHandler, type AlertResult, type VaultAlertDeps } from './vault-alert/handler';

export { createVaultAlertHandler, PUBLISH_RESERVE_MS, type AlertResult, type VaultAlertDeps } from './vault-alert/handler';
export { formatAlert, classifyEvent } from './vault-alert/format';
export { MAX_ATTEMPTS } from './shared/aws-clients';

// Created once per container; exported so tests can stub them.
const logger = createLogger('vault-alert');
export const backupClient = createBackupClient();
export const snsClient = createSnsClient();

/** The module's clients and logger, with the configuration read from `env`. */
export function depsFromEnv(env: Env = process.env): VaultAlertDeps {
  return { backup: backupClient, sns: snsClient, config: parseVaultAlertConfig(env, (m, a) => logger.warn(m, a)), logger };
}

/** Lambda entry point. The configuration is read on every invocation: a bad one fails it, naming the variable. */
export async function handler(event: unknown, context?: InvocationContext): Promise<AlertResult> {
  return createVaultAlertHandler(depsFromEnv())(event, context);
}
