/**
 * The vault-alert handler over injected clients: describe the failed job (best effort, within a
 * time budget), then publish one alert. What to alert on and the alert's text are decided in
 * ./format.ts; the configuration comes from ./config.ts.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { DescribeBackupJobCommand, DescribeCopyJobCommand, type BackupClient } from '@aws-sdk/client-backup';
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import type { VaultAlertConfig } from './config';
import {
  classifyEvent,
  formatAlert,
  fromBackupJob,
  fromCopyJob,
  type BackupJobEvent,
  type EnrichmentError,
  type JobDetails,
  type JobType,
} from './format';
import { raceDeadline } from '../shared/deadline';
import { attempts, errorMessage, errorName } from '../shared/errors';
import { budgetMs, type InvocationContext } from '../shared/invocation';

/** Time kept back from the enrichment budget for Publish (with its own retries). */
export const PUBLISH_RESERVE_MS = 10_000;

export interface VaultAlertDeps {
  readonly backup: BackupClient;
  readonly sns: SNSClient;
  readonly config: VaultAlertConfig;
  readonly logger: Logger;
}

export type AlertResult =
  | { readonly published: true; readonly messageId?: string; readonly enriched: boolean }
  | { readonly published: false; readonly reason: string };

export function createVaultAlertHandler(deps: VaultAlertDeps): (event: unknown, context?: InvocationContext) => Promise<AlertResult> {
  const { logger, config } = deps;
  return async (event, context) => {
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
      const budget = budgetMs(config.enrichmentTimeoutMs, PUBLISH_RESERVE_MS, context);
      try {
        details = await withDeadline(budget, (abortSignal) => describeJob(deps.backup, jobType, jobId, abortSignal));
      } catch (err) {
        enrichmentError = toEnrichmentError(operation, err, budget);
      }
    }
    if (enrichmentError) {
      logger.warn('Job details unavailable; alerting from the event alone', { eventId: ev.id, jobId, enrichmentError });
    }

    const alert = formatAlert(ev, details, enrichmentError, { configuredVaultName: config.vaultName, fallbackRegion: config.region });
    const messageAttributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(alert.attributes)) {
      messageAttributes[name] = { DataType: 'String', StringValue: value };
    }

    try {
      const out = await deps.sns.send(new PublishCommand({
        TopicArn: config.topicArn,
        Subject: alert.subject,
        Message: alert.message,
        MessageAttributes: messageAttributes,
      }));
      logger.info('Alert published', { eventId: ev.id, jobId, state, jobType, messageId: out.MessageId, enriched: details !== undefined });
      return { published: true, messageId: out.MessageId, enriched: details !== undefined };
    } catch (err) {
      // Rethrow: a lost alert is worse than a duplicate, so let Lambda retry and then dead-letter.
      logger.error('Publishing the alert failed', { eventId: ev.id, jobId, topicArn: config.topicArn, error: err as Error });
      throw err;
    }
  };
}

async function describeJob(backup: BackupClient, jobType: JobType, jobId: string, abortSignal: AbortSignal): Promise<JobDetails> {
  if (jobType === 'COPY_JOB') {
    const out = await backup.send(new DescribeCopyJobCommand({ CopyJobId: jobId }), { abortSignal });
    if (!out.CopyJob) {
      throw Object.assign(new Error('DescribeCopyJob returned no CopyJob'), { name: 'EmptyResponse' });
    }
    return fromCopyJob(out.CopyJob);
  }
  const out = await backup.send(new DescribeBackupJobCommand({ BackupJobId: jobId }), { abortSignal });
  return fromBackupJob(out);
}

class DeadlineExceeded extends Error {
  constructor(readonly budget: number) {
    super(`no answer within the ${budget} ms enrichment budget`);
    this.name = 'Timeout';
  }
}

// A budget already spent fails at once, before any request.
async function withDeadline<T>(budget: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (budget <= 0) {
    throw new DeadlineExceeded(0);
  }
  return raceDeadline(budget, run, () => new DeadlineExceeded(budget));
}

function toEnrichmentError(operation: string, err: unknown, budget: number): EnrichmentError {
  if (err instanceof DeadlineExceeded) {
    return { operation, name: err.name, message: err.message };
  }
  const name = errorName(err) ?? 'Error';
  if (name === 'AbortError') {
    return { operation, name: 'Timeout', message: `no answer within the ${budget} ms enrichment budget`, attempts: attempts(err) };
  }
  return { operation, name, message: errorMessage(err), attempts: attempts(err) };
}
