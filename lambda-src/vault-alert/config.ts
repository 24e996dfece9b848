/**
 * The vault-alert handler's configuration, read from its environment (pure).
 *
 * - TOPIC_ARN (required): SNS topic that receives the alerts; missing or not an SNS topic ARN
 *   fails the invocation with a message naming the variable (Lambda retries, then dead-letters).
 * - VAULT_NAME (optional): the vault the rule watches; names the vault when the event does not.
 * - ENRICHMENT_TIMEOUT_MS (optional, default 20000): most time spent describing the job; a bad
 *   value falls back to the default with a warning (a tuning knob must not stop alerts).
 */
import { intOrDefault, type Env } from '../shared/env';

export const DEFAULT_ENRICHMENT_TIMEOUT_MS = 20_000;

export interface VaultAlertConfig {
  readonly topicArn: string;
  readonly vaultName?: string;
  readonly enrichmentTimeoutMs: number;
  /** The function's region (AWS_REGION): used when the event names none. */
  readonly region?: string;
}

export function parseVaultAlertConfig(env: Env, warn: (message: string, attributes: Record<string, unknown>) => void): VaultAlertConfig {
  return {
    topicArn: requiredTopicArn(env.TOPIC_ARN),
    vaultName: env.VAULT_NAME?.trim() || undefined,
    enrichmentTimeoutMs: intOrDefault(env, 'ENRICHMENT_TIMEOUT_MS', DEFAULT_ENRICHMENT_TIMEOUT_MS, 1, warn),
    region: env.AWS_REGION?.trim() || undefined,
  };
}

function requiredTopicArn(value: string | undefined): string {
  const arn = value?.trim();
  if (!arn) {
    throw new Error('vault-alert: environment variable TOPIC_ARN is required (the SNS topic ARN that receives backup failure alerts) but is not set');
  }
  if (!/^arn:[^:]+:sns:[^:]+:\d{12}:[^:]+$/.test(arn)) {
    throw new Error(`vault-alert: environment variable TOPIC_ARN must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got "${arn}"`);
  }
  return arn;
}
