/**
 * SDK clients for the catalog handlers, each with an explicit adaptive retry strategy:
 * adaptive mode adds a client-side rate limiter that slows down after throttling, which is
 * what a burst of events (or a reconciler run) against Backup's Describe/List quotas needs.
 */
import { BackupClient, type BackupClientConfig } from '@aws-sdk/client-backup';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AdaptiveRetryStrategy } from '@smithy/util-retry';
import { DEFAULT_RETRY_BASE_DELAY_MS, fullJitterDelay, MAX_ATTEMPTS } from '../shared/aws-clients';
import { splitList } from '../shared/env';

export { DEFAULT_RETRY_BASE_DELAY_MS, MAX_ATTEMPTS } from '../shared/aws-clients';

/**
 * Adaptive retries, `maxAttempts` in all, with full-jitter exponential backoff from one base
 * delay for every retryable error (throttling and 5xx alike; client errors such as
 * ResourceNotFoundException are never retried). Tests pass a small base to keep retries fast.
 */
export function adaptiveRetryStrategy(maxAttempts: number = MAX_ATTEMPTS, baseDelayMs: number = DEFAULT_RETRY_BASE_DELAY_MS): AdaptiveRetryStrategy {
  const backoff = {
    // The SDK sets a larger base for throttling; this strategy keeps the configured one.
    setDelayBase: (_ignored: number) => undefined,
    computeNextBackoffDelay: (retry: number) => fullJitterDelay(baseDelayMs, retry + 1),
  };
  return new AdaptiveRetryStrategy(maxAttempts, { maxAttempts, baseDelay: baseDelayMs, backoff });
}

export interface ClientOptions {
  readonly retryBaseDelayMs?: number;
  readonly maxAttempts?: number;
}

export function createBackupClient(options: ClientOptions = {}, config: BackupClientConfig = {}): BackupClient {
  return new BackupClient({
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
    ...config,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    retryStrategy: adaptiveRetryStrategy(options.maxAttempts, options.retryBaseDelayMs),
  });
}

export function createDocumentClient(options: ClientOptions = {}, config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
    ...config,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    retryStrategy: adaptiveRetryStrategy(options.maxAttempts, options.retryBaseDelayMs),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Backup's "no such job / recovery point" answer. */
export function isNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'ResourceNotFoundException';
}

/** The clients a catalog handler creates once per container, with RETRY_BASE_DELAY_MS from the environment. */
export function clientsFromEnv(env: NodeJS.ProcessEnv): { backupClient: BackupClient; documentClient: DynamoDBDocumentClient } {
  const options = { retryBaseDelayMs: positiveIntEnv(env, 'RETRY_BASE_DELAY_MS', DEFAULT_RETRY_BASE_DELAY_MS) };
  return { backupClient: createBackupClient(options), documentClient: createDocumentClient(options) };
}

/** TABLE_NAME, required: `who` names the handler in the error. */
export function tableNameFromEnv(env: NodeJS.ProcessEnv, who: string): string {
  const tableName = env.TABLE_NAME?.trim();
  if (!tableName) throw new Error(`TABLE_NAME is not set: the ${who} needs the catalog table name`);
  return tableName;
}

/** Reads a positive integer from the environment, or the default when unset. */
export function positiveIntEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Comma-separated list from the environment; blanks dropped. */
export function listEnv(env: NodeJS.ProcessEnv, name: string): string[] {
  return splitList(env[name]);
}
