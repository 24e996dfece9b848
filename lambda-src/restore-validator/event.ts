/**
 * Pure classification of the EventBridge event that invokes the restore validator.
 *
 * Field names come from the AWS Backup Developer Guide:
 * - "Restore testing validation" (docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html):
 *   the sample validator reads `event.detail.restoreTestingPlanArn`, `event.detail.resourceType`,
 *   `event.detail.createdResourceArn` and `event.detail.restoreJobId`, and the sample rule matches
 *   source `aws.backup`, detail-type `Restore Job State Change`, `detail.status` `COMPLETED`.
 * - "Monitoring AWS Backup events using Amazon EventBridge", Restore Job events
 *   (docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html): "if your restore job is part
 *   of a restore testing plan, the parameter `restoreTestingPlanArn` is included"; the COMPLETED
 *   example carries `restoreJobId`, `status`, `resourceType`, `createdResourceArn`,
 *   `sourceResourceArn`, `recoveryPointArn`, `completionDate`; the CREATED example says `state`
 *   instead of `status`.
 */
import { isObject } from '../shared/json';

export const RESTORE_DETAIL_TYPE = 'Restore Job State Change';

/** The restore job fields the handler uses, as the event states them. */
export interface RestoreJobEvent {
  readonly restoreJobId: string;
  readonly restoreTestingPlanArn: string;
  readonly status: string;
  readonly resourceType?: string;
  readonly createdResourceArn?: string;
  readonly sourceResourceArn?: string;
  readonly recoveryPointArn?: string;
  /** ISO-8601 with milliseconds: the event time, else the job's completion time. */
  readonly eventTime: string;
}

export type EventClassification =
  | { readonly action: 'validate'; readonly job: RestoreJobEvent }
  | {
    readonly action: 'ignore';
    readonly reason: string;
    readonly restoreJobId?: string;
    readonly status?: string;
    /**
     * A restore job event that lacks what every such event carries (its detail, its job id):
     * nothing can be validated or reported, and it is not merely someone else's event.
     */
    readonly malformed?: true;
  };

/**
 * Decides whether an event asks for a validation. Only a COMPLETED restore job of a restore
 * testing plan does; a FAILED one is already marked failed by AWS Backup, and every other state
 * has nothing to validate yet.
 */
export function classifyEvent(event: unknown, now: () => Date = () => new Date()): EventClassification {
  if (!isObject(event)) return { action: 'ignore', reason: 'event is not an object' };
  if (event.source !== 'aws.backup' || event['detail-type'] !== RESTORE_DETAIL_TYPE) {
    return { action: 'ignore', reason: `not an aws.backup "${RESTORE_DETAIL_TYPE}" event (source ${JSON.stringify(event.source)}, detail-type ${JSON.stringify(event['detail-type'])})` };
  }
  const detail = event.detail;
  if (!isObject(detail)) return { action: 'ignore', reason: 'event has no detail', malformed: true };
  const restoreJobId = str(detail.restoreJobId);
  const status = str(detail.status) ?? str(detail.state);
  if (!restoreJobId) return { action: 'ignore', reason: 'event has no restoreJobId', status, malformed: true };
  const restoreTestingPlanArn = str(detail.restoreTestingPlanArn);
  if (!restoreTestingPlanArn) {
    return { action: 'ignore', reason: 'restore job is not from a restore testing plan (no restoreTestingPlanArn)', restoreJobId, status };
  }
  if (status === 'FAILED') {
    return { action: 'ignore', reason: 'restore job FAILED: AWS Backup marks it, there is no restored resource to validate', restoreJobId, status };
  }
  if (status !== 'COMPLETED') {
    return { action: 'ignore', reason: `restore job is ${status ?? 'in an unknown state'}, not COMPLETED`, restoreJobId, status };
  }
  return {
    action: 'validate',
    job: {
      restoreJobId,
      restoreTestingPlanArn,
      status,
      resourceType: str(detail.resourceType),
      createdResourceArn: str(detail.createdResourceArn),
      sourceResourceArn: str(detail.sourceResourceArn),
      recoveryPointArn: str(detail.recoveryPointArn),
      eventTime: isoTime(event.time) ?? isoTime(detail.completionDate) ?? now().toISOString(),
    },
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function isoTime(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
