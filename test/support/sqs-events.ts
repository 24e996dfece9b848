/** SQS messages as Lambda's event source mapping delivers them, for the queue-driven handlers. */
import type { SQSEvent, SQSRecord } from 'aws-lambda';

export function sqsRecord(payload: unknown, messageId = 'msg-1', receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1762142400000',
      SenderId: 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: '1762142400000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:handler-queue',
    awsRegion: 'us-east-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** Whether a batch response reports `messageId` as failed (SQS then redelivers it, and in the end dead-letters it). */
export const failedBack = (response: { batchItemFailures: Array<{ itemIdentifier: string }> }, messageId = 'msg-1'): boolean =>
  response.batchItemFailures.some((f) => f.itemIdentifier === messageId);

/**
 * A batch response, also when the handler threw: Powertools' batch processor throws when every
 * message failed, and any thrown error makes SQS redeliver the whole batch, so every message of
 * it counts as failed back.
 */
export async function settleBatch(
  event: SQSEvent,
  run: (event: SQSEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>,
): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }>; thrown?: unknown }> {
  try {
    return await run(event);
  } catch (thrown) {
    return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })), thrown };
  }
}
