/**
 * The catalog's one conditional writer, shared by the event handler and the reconciler.
 *
 * A job has exactly one item (pk = jobKey(kind, jobId), sk = 'JOB'). A write lands only when
 * - the item does not exist, or
 * - it has no stateRank yet (another writer, e.g. restore validation, created it first), or
 * - its stateRank is lower than the new one, or
 * - the ranks are equal and its eventTime is earlier than the new one.
 * So a redelivered event and an out-of-order older event are both refused by DynamoDB itself
 * (ConditionalCheckFailedException → outcome `stale`), even when they race each other.
 *
 * The update SETs only the attributes this record knows and never removes any, so attributes
 * written by others (validationStatus from restore validation) or learnt earlier (a recovery
 * point ARN that a later, event-only record lacks) survive.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { isFailure, type CatalogJobItem } from './job-record';

export type WriteOutcome =
  /** The job had no item: this write created it. */
  | { readonly result: 'created' }
  /** The item existed and was older: this write replaced its state. */
  | { readonly result: 'updated'; readonly previousState?: string }
  /** The item already holds this state or a newer one: nothing was written. */
  | { readonly result: 'stale' };

export const WRITE_CONDITION =
  'attribute_not_exists(#pk) OR attribute_not_exists(#rank) OR #rank < :rank OR (#rank = :rank AND #time < :time)';

/** The UpdateItem request for one record (pure, so the condition can be inspected in tests). */
export function buildJobUpdate(tableName: string, record: CatalogJobItem): UpdateCommandInput {
  const { pk, sk, ...attributes } = record;
  const names: Record<string, string> = { '#pk': 'pk', '#rank': 'stateRank', '#time': 'eventTime' };
  const values: Record<string, unknown> = { ':rank': record.stateRank, ':time': record.eventTime };
  const sets: string[] = [];
  Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .forEach(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
    });
  return {
    TableName: tableName,
    Key: { pk, sk },
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: WRITE_CONDITION,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    // The old item tells "created" from "updated" and what state it replaced, in the same call.
    ReturnValues: 'ALL_OLD',
  };
}

/** Writes one record conditionally. A refused condition is the normal "older or duplicate" outcome, not an error. */
export async function writeJobRecord(doc: DynamoDBDocumentClient, tableName: string, record: CatalogJobItem): Promise<WriteOutcome> {
  try {
    const out = await doc.send(new UpdateCommand(buildJobUpdate(tableName, record)));
    const old = out.Attributes;
    if (!old || Object.keys(old).length === 0) return { result: 'created' };
    return { result: 'updated', previousState: typeof old.state === 'string' ? old.state : undefined };
  } catch (err) {
    if (isConditionalCheckFailed(err)) return { result: 'stale' };
    throw err;
  }
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException
    || (err instanceof Error && err.name === 'ConditionalCheckFailedException');
}

/**
 * A job newly recorded in a failure state (or a scan newly recorded with threats found): counted
 * once per job, however often its events arrive.
 */
export function isNewFailure(record: CatalogJobItem, write: WriteOutcome): boolean {
  if (!isFailure(record)) return false;
  return write.result === 'created' || (write.result === 'updated' && write.previousState !== record.state);
}
