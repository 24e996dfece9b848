/**
 * vault-alert: turns a failed AWS Backup job into one readable SNS alert.
 *
 * Trigger: EventBridge rule, source `aws.backup`, detail-type `Backup Job State Change`
 * (FAILED, ABORTED, EXPIRED) or `Copy Job State Change` (FAILED) of one vault. Anything else
 * is logged and ignored.
 *
 * Flow: describe the job (DescribeBackupJob / DescribeCopyJob) for the status message,
 * resource name, plan and times — best effort, within a time budget; if that fails the alert
 * still goes out, built from the event, and says why. Then SNS Publish. A failed publish
 * throws, so Lambda's asynchronous retries and the rule's dead-letter queue keep the event.
 *
 * Environment:
 * - TOPIC_ARN (required): SNS topic that receives the alerts. Missing: the function fails at
 *   cold start with a clear message.
 * - VAULT_NAME (optional): the vault the rule watches; names the vault when the event does not.
 * - POWERTOOLS_SERVICE_NAME (optional, default `vault-alert`), POWERTOOLS_LOG_LEVEL (optional).
 * - RETRY_BASE_DELAY_MS (optional, default 200): base of the full-jitter exponential backoff
 *   of both SDK clients (5 attempts each; delays capped at 5 s).
 * - ENRICHMENT_TIMEOUT_MS (optional, default 20000): most time spent describing the job;
 *   always leaves PUBLISH_RESERVE_MS of the invocation for publishing.
 * - AWS_REGION: set by Lambda.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BackupClient, DescribeBackupJobCommand, DescribeCopyJobCommand } from '@aws-sdk/client-backup';
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { DEFAULT_RETRY_BASE_DELAY_MS, jitterRetryStrategy } from './shared/aws-clients';
import { raceDeadline } from './shared/deadline';
import {
  classifyEvent,
  formatAlert,
  fromBackupJob,
  fromCopyJob,
  type BackupJobEvent,
  type EnrichmentError,
  type JobDetails,
  type JobType,
} from './vault-alert/format';

export { formatAlert, classifyEvent } from './vault-alert/format';
export { MAX_ATTEMPTS } from './shared/aws-clients';

/** Time kept back from the enrichment budget for Publish (with its own retries). */
export const PUBLISH_RESERVE_MS = 10_000;

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'vault-alert' });

const TOPIC_ARN = requiredTopicArn(process.env.TOPIC_ARN);
const VAULT_NAME = process.env.VAULT_NAME?.trim() || undefined;
const RETRY_BASE_DELAY_MS = positiveInt('RETRY_BASE_DELAY_MS', DEFAULT_RETRY_BASE_DELAY_MS);
const ENRICHMENT_TIMEOUT_MS = positiveInt('ENRICHMENT_TIMEOUT_MS', 20_000);

/** Exported so tests can observe (or swap the transport of) the clients the handler uses. */
export const backupClient = new BackupClient({
  retryStrategy: jitterRetryStrategy(RETRY_BASE_DELAY_MS),
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
});
export const snsClient = new SNSClient({
  retryStrategy: jitterRetryStrategy(RETRY_BASE_DELAY_MS),
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
});

export type AlertResult =
  | { readonly published: true; readonly messageId?: string; readonly enriched: boolean }
  | { readonly published: false; readonly reason: string };

/** The part of the Lambda context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export async function handler(event: unknown, context?: InvocationContext): Promise<AlertResult> {
  const classification = classifyEvent(event);
  const ev = (event ?? {}) as BackupJobEvent;
  if (!classification.alert) {
    logger.info('Ignoring event', { reason: classification.reason, eventId: ev.id, detailType: ev['detail-type'] });
    return { published: false, reason: classification.reason };
  }
  const { jobType, jobId, state } = classification;
  const operation = jobType === 'COPY_JOB' ? 'DescribeCopyJob' : 'DescribeBackupJob';

  let details: JobDetails | undefined;
  let enrichmentError: EnrichmentError | undefined;
  if (!jobId) {
    enrichmentError = { operation, name: 'MissingJobId', message: `the event has no ${jobType === 'COPY_JOB' ? 'copyJobId' : 'backupJobId'}` };
  } else {
    const budgetMs = enrichmentBudget(context);
    try {
      details = await withDeadline(budgetMs, (abortSignal) => describeJob(jobType, jobId, abortSignal));
    } catch (err) {
      enrichmentError = toEnrichmentError(operation, err, budgetMs);
    }
  }
  if (enrichmentError) {
    logger.warn('Job details unavailable; alerting from the event alone', { eventId: ev.id, jobId, enrichmentError });
  }

  const alert = formatAlert(ev, details, enrichmentError, {
    configuredVaultName: VAULT_NAME,
    fallbackRegion: process.env.AWS_REGION,
  });
  const messageAttributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(alert.attributes)) {
    messageAttributes[name] = { DataType: 'String', StringValue: value };
  }

  try {
    const out = await snsClient.send(new PublishCommand({
      TopicArn: TOPIC_ARN,
      Subject: alert.subject,
      Message: alert.message,
      MessageAttributes: messageAttributes,
    }));
    logger.info('Alert published', { eventId: ev.id, jobId, state, jobType, messageId: out.MessageId, enriched: details !== undefined });
    return { published: true, messageId: out.MessageId, enriched: details !== undefined };
  } catch (err) {
    // Rethrow: a lost alert is worse than a duplicate, so let Lambda retry and then dead-letter.
    logger.error('Publishing the alert failed', { eventId: ev.id, jobId, topicArn: TOPIC_ARN, error: err as Error });
    throw err;
  }
}

async function describeJob(jobType: JobType, jobId: string, abortSignal: AbortSignal): Promise<JobDetails> {
  if (jobType === 'COPY_JOB') {
    const out = await backupClient.send(new DescribeCopyJobCommand({ CopyJobId: jobId }), { abortSignal });
    if (!out.CopyJob) {
      throw Object.assign(new Error('DescribeCopyJob returned no CopyJob'), { name: 'EmptyResponse' });
    }
    return fromCopyJob(out.CopyJob);
  }
  const out = await backupClient.send(new DescribeBackupJobCommand({ BackupJobId: jobId }), { abortSignal });
  return fromBackupJob(out);
}

function enrichmentBudget(context?: InvocationContext): number {
  const remaining = context?.getRemainingTimeInMillis();
  if (remaining === undefined || !Number.isFinite(remaining)) {
    return ENRICHMENT_TIMEOUT_MS;
  }
  return Math.max(0, Math.min(ENRICHMENT_TIMEOUT_MS, remaining - PUBLISH_RESERVE_MS));
}

class DeadlineExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`no answer within the ${budgetMs} ms enrichment budget`);
    this.name = 'Timeout';
  }
}

// A budget already spent fails at once, before any request.
async function withDeadline<T>(budgetMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (budgetMs <= 0) {
    throw new DeadlineExceeded(0);
  }
  return raceDeadline(budgetMs, run, () => new DeadlineExceeded(budgetMs));
}

function toEnrichmentError(operation: string, err: unknown, budgetMs: number): EnrichmentError {
  if (err instanceof DeadlineExceeded) {
    return { operation, name: err.name, message: err.message };
  }
  const e = err as { name?: unknown; message?: unknown; $metadata?: { attempts?: unknown } };
  const attempts = typeof e?.$metadata?.attempts === 'number' ? e.$metadata.attempts : undefined;
  const name = typeof e?.name === 'string' && e.name ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (name === 'AbortError') {
    return { operation, name: 'Timeout', message: `no answer within the ${budgetMs} ms enrichment budget`, attempts };
  }
  return { operation, name, message, attempts };
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

// Optional tuning knobs: a bad value must not stop alerts, so fall back and say so.
function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    logger.warn(`Ignoring ${name}: not a positive integer`, { value: raw, using: fallback });
    return fallback;
  }
  return n;
}
