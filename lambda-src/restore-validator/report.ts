/**
 * Pure shaping of what the validator sends: the PutRestoreValidationResult input, the catalog
 * update, and the metric names.
 *
 * PutRestoreValidationResult (AWS Backup API Reference,
 * docs.aws.amazon.com/aws-backup/latest/devguide/API_PutRestoreValidationResult.html):
 * RestoreJobId and ValidationStatus are required; ValidationStatus is one of
 * `FAILED | SUCCESSFUL | TIMED_OUT | VALIDATING` (there is no SKIPPED); ValidationStatusMessage is
 * an optional string for which the API documents no maximum length. "Once a validation status
 * is set, it cannot be changed" (restore-testing-validation.html).
 */
import type { PutRestoreValidationResultCommandInput } from '@aws-sdk/client-backup';
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ValidationResult, ValidationStatus } from './checks';
import { jobKey, type JobRecord } from '../shared/catalog-schema';

/**
 * Our own bound on ValidationStatusMessage (the API documents none): long enough for every
 * message the checks write, short enough to read in the console and to keep catalog items small.
 */
export const MAX_MESSAGE_LENGTH = 1024;

export function clampMessage(message: string, max: number = MAX_MESSAGE_LENGTH): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

export function buildPutInput(restoreJobId: string, result: Pick<ValidationResult, 'status' | 'message'>): PutRestoreValidationResultCommandInput {
  return {
    RestoreJobId: restoreJobId,
    ValidationStatus: result.status,
    ValidationStatusMessage: clampMessage(result.message),
  };
}

/** EMF metrics, one data point per reported validation, with dimension ResourceType. */
export const VALIDATION_METRICS: Readonly<Record<ValidationStatus, string>> = {
  SUCCESSFUL: 'RestoreValidationsSucceeded',
  FAILED: 'RestoreValidationsFailed',
  TIMED_OUT: 'RestoreValidationsTimedOut',
};
/** A completed restore-testing job whose resource type has no check: nothing was reported. */
export const NOT_VALIDATED_METRIC = 'RestoreValidationsSkipped';

export interface CatalogValidation {
  readonly restoreJobId: string;
  readonly status: ValidationStatus;
  readonly message: string;
  /** The state the event announced (COMPLETED): used only when the catalog has no item yet. */
  readonly state: string;
  readonly eventTime: string;
  readonly updatedAt: string;
  readonly resourceType?: string;
  readonly createdResourceArn?: string;
  /** The resource that was backed up (the catalog's resourceArn for a restore job). */
  readonly sourceResourceArn?: string;
  readonly recoveryPointArn?: string;
}

/**
 * One UpdateItem on the restore job's catalog item (shared/catalog-schema.ts JobRecord,
 * pk `JOB#RESTORE_JOB#<id>`, sk `JOB`). It creates the item when the catalog handler has not
 * written it yet, and never regresses what that handler wrote:
 * - validationStatus, validationMessage, updatedAt are always set (they are ours);
 * - kind, jobId, state, eventTime, source and the descriptive ARNs only `if_not_exists`;
 * - stateRank is never written. The catalog writer accepts an item without a stateRank
 *   unconditionally (catalog/writer.ts: `attribute_not_exists(#rank)`), so its own write of this
 *   same COMPLETED event still lands. Writing rank 4 here with the event's time would make that
 *   write look like a duplicate (equal rank, equal time) and be refused, leaving the item
 *   without the recovery point, vault and times the catalog handler adds.
 * No condition: the validation status is final in AWS Backup, and this is the value it holds.
 */
export function buildValidationUpdate(tableName: string, v: CatalogValidation): UpdateCommandInput {
  const always: Array<[keyof JobRecord | string, unknown]> = [
    ['validationStatus', v.status],
    ['validationMessage', clampMessage(v.message)],
    ['updatedAt', v.updatedAt],
  ];
  const ifMissing: Array<[keyof JobRecord | string, unknown]> = [
    ['kind', 'RESTORE_JOB'],
    ['jobId', v.restoreJobId],
    ['state', v.state],
    ['eventTime', v.eventTime],
    ['source', 'restore-validator'],
    ['resourceType', v.resourceType],
    ['createdResourceArn', v.createdResourceArn],
    ['resourceArn', v.sourceResourceArn],
    ['recoveryPointArn', v.recoveryPointArn],
  ];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  for (const [name, value] of always) {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  for (const [name, value] of ifMissing) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = if_not_exists(#${name}, :${name})`);
  }
  return {
    TableName: tableName,
    Key: { pk: jobKey('RESTORE_JOB', v.restoreJobId), sk: 'JOB' },
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
