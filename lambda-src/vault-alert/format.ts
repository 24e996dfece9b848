/**
 * Pure logic of the `vault-alert` handler: which AWS Backup events are alerts, and the
 * SNS subject, body and message attributes an on-call engineer receives for one.
 *
 * No I/O here: the handler (../vault-alert.lambda.ts) describes the job and publishes.
 * Events are read defensively: every field may be missing, and an alert is still produced
 * from whatever is there.
 */
import type { CopyJob, DescribeBackupJobOutput } from '@aws-sdk/client-backup';
import { accountFromArn, isRecord, isResourceArnCandidate, isoTime, oneLine, regionFromArn, shortResourceId, str, truncate } from './values';

export const BACKUP_JOB_DETAIL_TYPE = 'Backup Job State Change';
export const COPY_JOB_DETAIL_TYPE = 'Copy Job State Change';

/** Job states that page someone, per detail-type (the EventBridge rule forwards the same set). */
export const FAILURE_STATES: Readonly<Record<JobType, readonly string[]>> = {
  BACKUP_JOB: ['FAILED', 'ABORTED', 'EXPIRED'],
  COPY_JOB: ['FAILED'],
};

/** SNS rejects subjects of 100 characters or more ("less than 100 characters long"). */
export const MAX_SUBJECT_LENGTH = 99;
/** Status messages are free text from the service; keep the body far below SNS's 256 KB. */
export const MAX_STATUS_MESSAGE_LENGTH = 8_000;

export type JobType = 'BACKUP_JOB' | 'COPY_JOB';

/** The parts of an EventBridge `aws.backup` event this handler reads; everything optional. */
export interface BackupJobEvent {
  readonly 'id'?: string;
  readonly 'detail-type'?: string;
  readonly 'source'?: string;
  readonly 'account'?: string;
  readonly 'region'?: string;
  readonly 'time'?: string;
  readonly 'resources'?: readonly string[];
  readonly 'detail'?: Record<string, unknown>;
}

/** What the handler needs to know about an event before doing any I/O. */
export type EventClassification =
  | { readonly alert: true; readonly jobType: JobType; readonly state: string; readonly jobId?: string }
  | { readonly alert: false; readonly reason: string };

/** Job facts from DescribeBackupJob / DescribeCopyJob, normalised to one shape. */
export interface JobDetails {
  readonly jobType: JobType;
  readonly jobId?: string;
  readonly state?: string;
  readonly statusMessage?: string;
  readonly messageCategory?: string;
  readonly accountId?: string;
  readonly resourceArn?: string;
  readonly resourceName?: string;
  readonly resourceType?: string;
  /** Backup jobs: the vault the recovery point lands in. */
  readonly vaultName?: string;
  readonly vaultArn?: string;
  /** Copy jobs. */
  readonly sourceVaultArn?: string;
  readonly destinationVaultArn?: string;
  readonly recoveryPointArn?: string;
  readonly sourceRecoveryPointArn?: string;
  readonly destinationRecoveryPointArn?: string;
  readonly backupPlanId?: string;
  readonly backupPlanName?: string;
  readonly backupRuleId?: string;
  readonly backupRuleName?: string;
  readonly iamRoleArn?: string;
  readonly creationDate?: Date;
  readonly startBy?: Date;
  readonly completionDate?: Date;
  readonly parentJobId?: string;
}

/** Why DescribeBackupJob / DescribeCopyJob did not give us details. */
export interface EnrichmentError {
  readonly operation: string;
  /** Error name, e.g. ResourceNotFoundException, AccessDeniedException, ThrottlingException. */
  readonly name: string;
  readonly message: string;
  /** SDK attempts made (from the error's $metadata), when known. */
  readonly attempts?: number;
}

export interface FormatOptions {
  /** Vault this alert is configured for (VAULT_NAME); used when the event names none. */
  readonly configuredVaultName?: string;
  /** Region of the function (AWS_REGION); used when the event carries none. */
  readonly fallbackRegion?: string;
}

export interface FormattedAlert {
  readonly subject: string;
  readonly message: string;
  /** SNS string message attributes; only non-empty values (SNS rejects empty ones). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Decides whether an event is an alert, without I/O. */
export function classifyEvent(event: unknown): EventClassification {
  if (!isRecord(event)) {
    return { alert: false, reason: 'event is not an object' };
  }
  const detailType = event['detail-type'];
  let jobType: JobType;
  if (detailType === BACKUP_JOB_DETAIL_TYPE) {
    jobType = 'BACKUP_JOB';
  } else if (detailType === COPY_JOB_DETAIL_TYPE) {
    jobType = 'COPY_JOB';
  } else {
    return { alert: false, reason: `detail-type ${JSON.stringify(detailType ?? null)} is not a backup or copy job state change` };
  }
  const detail = isRecord(event.detail) ? event.detail : {};
  // AWS Backup events use `state` for jobs; some other detail-types use `status`.
  const state = (str(detail.state) ?? str(detail.status))?.toUpperCase();
  if (!state) {
    return { alert: false, reason: `${detailType} event has no state` };
  }
  if (!FAILURE_STATES[jobType].includes(state)) {
    return { alert: false, reason: `${detailType} state ${state} is not a failure` };
  }
  const jobId = jobType === 'BACKUP_JOB' ? str(detail.backupJobId) : str(detail.copyJobId);
  return { alert: true, jobType, state, jobId };
}

/** Normalises a DescribeBackupJob response. */
export function fromBackupJob(out: DescribeBackupJobOutput): JobDetails {
  return {
    jobType: 'BACKUP_JOB',
    jobId: out.BackupJobId,
    state: out.State,
    statusMessage: out.StatusMessage,
    messageCategory: out.MessageCategory,
    accountId: out.AccountId,
    resourceArn: out.ResourceArn,
    resourceName: out.ResourceName,
    resourceType: out.ResourceType,
    vaultName: out.BackupVaultName,
    vaultArn: out.BackupVaultArn,
    recoveryPointArn: out.RecoveryPointArn,
    backupPlanId: out.CreatedBy?.BackupPlanId,
    backupPlanName: out.CreatedBy?.BackupPlanName,
    backupRuleId: out.CreatedBy?.BackupRuleId,
    backupRuleName: out.CreatedBy?.BackupRuleName,
    iamRoleArn: out.IamRoleArn,
    creationDate: out.CreationDate,
    startBy: out.StartBy,
    completionDate: out.CompletionDate,
    parentJobId: out.ParentJobId,
  };
}

/** Normalises the CopyJob of a DescribeCopyJob response. */
export function fromCopyJob(job: CopyJob): JobDetails {
  return {
    jobType: 'COPY_JOB',
    jobId: job.CopyJobId,
    state: job.State,
    statusMessage: job.StatusMessage,
    messageCategory: job.MessageCategory,
    accountId: job.AccountId,
    resourceArn: job.ResourceArn,
    resourceName: job.ResourceName,
    resourceType: job.ResourceType,
    sourceVaultArn: job.SourceBackupVaultArn,
    destinationVaultArn: job.DestinationBackupVaultArn,
    sourceRecoveryPointArn: job.SourceRecoveryPointArn,
    destinationRecoveryPointArn: job.DestinationRecoveryPointArn,
    backupPlanId: job.CreatedBy?.BackupPlanId,
    backupPlanName: job.CreatedBy?.BackupPlanName,
    backupRuleId: job.CreatedBy?.BackupRuleId,
    backupRuleName: job.CreatedBy?.BackupRuleName,
    iamRoleArn: job.IamRoleArn,
    creationDate: job.CreationDate,
    completionDate: job.CompletionDate,
    parentJobId: job.ParentJobId,
  };
}

/**
 * Builds the alert for a failed backup or copy job.
 *
 * @param event the EventBridge event (already classified as an alert)
 * @param details the described job, or undefined when describing failed or was skipped
 * @param enrichmentError why there are no details, said in the message body
 */
export function formatAlert(
  event: BackupJobEvent,
  details: JobDetails | undefined,
  enrichmentError?: EnrichmentError,
  options: FormatOptions = {},
): FormattedAlert {
  const detail = isRecord(event.detail) ? event.detail : {};
  const classification = classifyEvent(event);
  const jobType: JobType = classification.alert
    ? classification.jobType
    : (details?.jobType ?? (event['detail-type'] === COPY_JOB_DETAIL_TYPE ? 'COPY_JOB' : 'BACKUP_JOB'));
  const isCopy = jobType === 'COPY_JOB';
  const jobLabel = isCopy ? 'copy job' : 'backup job';

  const state = (classification.alert ? classification.state : undefined)
    ?? str(detail.state)?.toUpperCase() ?? details?.state ?? 'FAILED';
  const jobId = str(isCopy ? detail.copyJobId : detail.backupJobId) ?? details?.jobId;
  const resourceArn = details?.resourceArn ?? str(detail.resourceArn) ?? event.resources?.find(isResourceArnCandidate);
  const resourceType = details?.resourceType ?? str(detail.resourceType);
  const resourceName = details?.resourceName ?? str(detail.resourceName);
  // The described job is current and often says more than the event's snapshot.
  const statusMessage = details?.statusMessage ?? str(detail.statusMessage);

  const vaultArn = details?.vaultArn ?? str(detail.backupVaultArn);
  const backupVaultName = details?.vaultName ?? str(detail.backupVaultName) ?? nameFromVaultArn(vaultArn);
  const sourceVaultArn = details?.sourceVaultArn ?? str(detail.sourceBackupVaultArn);
  const destinationVaultArn = details?.destinationVaultArn ?? str(detail.destinationBackupVaultArn);
  const sourceVaultName = nameFromVaultArn(sourceVaultArn);
  const destinationVaultName = nameFromVaultArn(destinationVaultArn);
  const vaultName = isCopy
    ? copyAlertVault(options.configuredVaultName, sourceVaultName, destinationVaultName)
    : (backupVaultName ?? options.configuredVaultName);

  const region = str(event.region) ?? regionFromArn(resourceArn) ?? regionFromArn(vaultArn ?? sourceVaultArn) ?? options.fallbackRegion;
  const account = str(event.account) ?? details?.accountId ?? accountFromArn(vaultArn ?? sourceVaultArn);
  const link = jobId && region ? consoleJobUrl(region, jobType, jobId) : undefined;

  const createdBy = isRecord(detail.createdBy) ? detail.createdBy : {};
  const planId = details?.backupPlanId ?? str(createdBy.backupPlanId);
  const ruleId = details?.backupRuleId ?? str(createdBy.backupRuleId);
  const plan = describeNamed(details?.backupPlanName, planId);
  const rule = describeNamed(details?.backupRuleName, ruleId);

  const resourceLabel = resourceName ?? (resourceArn ? shortResourceId(resourceArn) : undefined);
  const subject = sanitizeSubject(
    `[AWS Backup] ${state} ${jobLabel} in vault ${vaultName ?? 'unknown'}`
      + (resourceLabel ? ` - ${resourceType ? `${resourceType} ` : ''}${resourceLabel}` : ''),
  );

  const lines: string[] = [];
  const field = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') {
      lines.push(`${(label + ':').padEnd(24)}${value}`);
    }
  };

  lines.push(`AWS Backup: ${jobLabel} ${state}${vaultName ? ` in vault ${vaultName}` : ''}.`);
  lines.push('');
  field('What failed', `${jobLabel} ${jobId ?? '(job id not in the event)'} is ${state}`);
  field('Resource', resourceName ?? (resourceArn ? shortResourceId(resourceArn) : 'unknown'));
  field('Resource type', resourceType);
  field('Resource ARN', resourceArn ?? 'unknown');
  if (isCopy) {
    field('Source vault', vaultLine(sourceVaultName, sourceVaultArn));
    field('Destination vault', vaultLine(destinationVaultName, destinationVaultArn));
  } else {
    field('Vault', vaultLine(backupVaultName ?? vaultName, vaultArn));
  }
  field('Account', account ?? 'unknown');
  field('Region', region ?? 'unknown');
  field('Job ID', jobId ?? 'unknown');
  if (details?.parentJobId) {
    field('Parent job ID', details.parentJobId);
  }
  lines.push('');
  lines.push('Status message:');
  lines.push(`  ${statusMessage ? truncate(statusMessage, MAX_STATUS_MESSAGE_LENGTH) : '(none given)'}`);
  if (details?.messageCategory) {
    lines.push(`  (category: ${details.messageCategory})`);
  }
  lines.push('');
  if (isCopy) {
    field('Source recovery point', details?.sourceRecoveryPointArn ?? str(detail.sourceRecoveryPointArn));
    field('Dest. recovery point', details?.destinationRecoveryPointArn ?? str(detail.destinationRecoveryPointArn));
  } else {
    field('Recovery point', details?.recoveryPointArn ?? str(detail.recoveryPointArn));
  }
  field('Backup plan', plan);
  field('Backup rule', rule);
  field('IAM role', details?.iamRoleArn ?? str(detail.iamRoleArn));
  field('Job created', isoTime(details?.creationDate ?? detail.creationDate));
  field('Start by', isoTime(details?.startBy ?? detail.startBy));
  field('Job completed', isoTime(details?.completionDate ?? detail.completionDate));
  field('Event time', isoTime(event.time));
  field('Event ID', str(event.id));
  lines.push('');
  if (link) {
    lines.push('Open the job in the AWS Backup console:');
    lines.push(link);
  } else {
    lines.push('No console link: the event lacks the job id or region.');
  }
  if (enrichmentError) {
    lines.push('');
    lines.push(`Note: job details could not be fetched: ${describeEnrichmentError(enrichmentError)}.`);
    lines.push('The fields above come from the event alone.');
  }

  const attributes: Record<string, string> = {
    state,
    jobType,
    vaultName: vaultName ?? 'unknown',
  };
  if (resourceType) {
    attributes.resourceType = resourceType;
  }

  return { subject, message: lines.join('\n') + '\n', attributes };
}

/** One line on why enrichment failed, e.g. "DescribeBackupJob failed after 5 attempts (ThrottlingException: Rate exceeded)". */
export function describeEnrichmentError(e: EnrichmentError): string {
  const attempts = e.attempts && e.attempts > 1 ? ` after ${e.attempts} attempts` : '';
  const message = e.message ? `: ${truncate(oneLine(e.message), 500)}` : '';
  return `${e.operation} failed${attempts} (${e.name}${message})`;
}

/**
 * Makes a string acceptable as an SNS subject: printable ASCII only (control characters and
 * line breaks become spaces, other characters '?'), no leading/trailing blanks, shorter than
 * 100 characters (cut with "...").
 */
export function sanitizeSubject(raw: string, max: number = MAX_SUBJECT_LENGTH): string {
  let s = raw
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/[^\u0020-\u007e]/gu, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (s.length > max) {
    s = s.slice(0, max - 3).trimEnd() + '...';
  }
  return s.length > 0 ? s : 'AWS Backup alert';
}

/** Console deep link to a backup or copy job, or undefined for partitions without a known console. */
export function consoleJobUrl(region: string, jobType: JobType, jobId: string): string | undefined {
  let host: string;
  if (region.startsWith('cn-')) {
    host = 'console.amazonaws.cn';
  } else if (region.startsWith('us-gov-')) {
    host = 'console.amazonaws-us-gov.com';
  } else if (/^[a-z]{2}-iso/.test(region) || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    return undefined;
  } else {
    host = `${region}.console.aws.amazon.com`;
  }
  const kind = jobType === 'COPY_JOB' ? 'copy' : 'backup';
  return `https://${host}/backup/home?region=${region}#/jobs/${kind}/details/${encodeURIComponent(jobId)}`;
}

/** `arn:aws:backup:eu-west-1:111122223333:backup-vault:prod` → `prod`. */
export function nameFromVaultArn(arn: string | undefined): string | undefined {
  const m = arn?.match(/^arn:[^:]+:backup:[^:]*:[^:]*:backup-vault:(.+)$/);
  return m ? m[1] : undefined;
}

// The vault a copy alert is about: the configured vault when it is either end of the copy,
// otherwise the destination (where AWS publishes copy-job metrics), then the source.
function copyAlertVault(configured?: string, source?: string, destination?: string): string | undefined {
  if (configured && (configured === source || configured === destination)) {
    return configured;
  }
  return destination ?? source ?? configured;
}

function vaultLine(name: string | undefined, arn: string | undefined): string {
  if (name && arn) return `${name} (${arn})`;
  return name ?? arn ?? 'unknown';
}

function describeNamed(name: string | undefined, id: string | undefined): string | undefined {
  if (name && id) return `${name} (${id})`;
  return name ?? id;
}
