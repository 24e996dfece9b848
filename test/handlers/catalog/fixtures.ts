/**
 * Shared set-up and helpers for the *.test.ts files of this folder (one file per concern).
 *
 * Tests for lambda-src/catalog.lambda.ts (and its shared logic in lambda-src/catalog/).
 *
 * Most tests stub the SDK clients with aws-sdk-client-mock (instance stubs). A stubbed `send`
 * skips the SDK middleware, so the retry tests give a real Backup client an in-process fake
 * HTTP transport instead: the real serializer, adaptive retry strategy and error parser run.
 * The conditional-write semantics (redelivery, out-of-order, races) are checked against a real
 * DynamoDB implementation (dynalite on 127.0.0.1), not against a fake of the condition.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type CatalogDeps } from '../../../lambda-src/catalog.lambda';
import { capturedMetrics as captureMetrics } from '../../support/captured-metrics';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../../support/fake-aws';
import { fakeTransport as jsonTransport, type ScriptedReply } from '../../support/fake-transport';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const TABLE = 'catalog-test';
export const VAULT = 'primary-vault';
export const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
export const DR_VAULT_ARN = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:dr-vault`;
export const EBS_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;
export const RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0aaaaaaaaaaaaaaaa`;
export const COPY_RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0bbbbbbbbbbbbbbbb`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

// ---------- builders ----------

export type Detail = Record<string, unknown>;

export function event(detailType: string, detail: Detail, time: string, resources: string[] = []): string {
  return JSON.stringify({
    'version': '0',
    'id': `evt-${Math.random().toString(16).slice(2)}`,
    'detail-type': detailType,
    'source': 'aws.backup',
    'account': ACCOUNT,
    time,
    'region': REGION,
    resources,
    detail,
  });
}

export const backupEvent = (jobId: string, state: string, time: string, extra: Detail = {}, resources: string[] = []) => event('Backup Job State Change', {
  backupJobId: jobId,
  backupVaultArn: VAULT_ARN,
  backupVaultName: VAULT,
  creationDate: '2026-03-01T01:00:00.123Z',
  resourceArn: EBS_ARN,
  resourceType: 'EBS',
  state,
  percentDone: 0,
  ...extra,
}, time, resources);

export const copyEvent = (jobId: string, state: string, time: string, extra: Detail = {}) => event('Copy Job State Change', {
  copyJobId: jobId,
  backupSizeInBytes: 3221225472,
  creationDate: '2026-03-01T02:00:00.000Z',
  resourceArn: EBS_ARN,
  resourceType: 'EBS',
  sourceBackupVaultArn: VAULT_ARN,
  destinationBackupVaultArn: VAULT_ARN,
  destinationRecoveryPointArn: {},
  state,
  ...extra,
}, time, [RP_ARN]);

export const restoreEvent = (jobId: string, status: string, time: string, extra: Detail = {}) => event('Restore Job State Change', {
  restoreJobId: jobId,
  backupSizeInBytes: '36048',
  creationDate: '2026-03-01T03:00:00.000Z',
  percentDone: 0,
  resourceType: 'EBS',
  status,
  ...extra,
}, time, [RP_ARN]);

export function sqsRecord(body: string, messageId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1772330400000',
      SenderId: 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: '1772330400000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:catalog-events`,
    awsRegion: REGION,
  };
}

export const sqsEvent = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((b, i) => sqsRecord(b, `msg-${i + 1}`)) });

export const capturedMetrics = () => captureMetrics('CatalogTest', 'catalog');

// Logs are built (at DEBUG) and checked, but not printed: see test/support/handler-test-hooks.ts.
export const silentLogger = () => new Logger({ serviceName: 'catalog-test' });

export function mockedDeps(overrides: Partial<CatalogDeps> = {}) {
  const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION, credentials: CREDENTIALS }));
  const backupMock = mockClient(backup);
  const ddbMock = mockClient(doc);
  ddbMock.on(UpdateCommand).resolves({});
  const m = capturedMetrics();
  const deps: CatalogDeps = {
    backup,
    doc,
    tableName: TABLE,
    tenants: ['acme', 'globex'],
    logger: silentLogger(),
    metrics: m.metrics,
    now: () => new Date('2026-03-01T12:00:00.000Z'),
    ...overrides,
  };
  return { deps, backupMock, ddbMock, m };
}

/** The item an UpdateCommand would write: its Key plus every SET attribute. */
export function writtenItem(input: UpdateCommandInput): Record<string, unknown> {
  const item: Record<string, unknown> = { ...input.Key };
  for (const assignment of (input.UpdateExpression ?? '').replace(/^SET /, '').split(', ')) {
    const [name, value] = assignment.split(' = ');
    item[input.ExpressionAttributeNames![name]] = input.ExpressionAttributeValues![value];
  }
  return item;
}

export const updates = (ddbMock: ReturnType<typeof mockClient>) =>
  ddbMock.commandCalls(UpdateCommand).map((c) => writtenItem(c.args[0].input as UpdateCommandInput));

// ---------- retries through the real Backup client ----------

/** A fake HTTP transport: each request takes the next scripted response (the last one repeats). */
export function fakeTransport(script: ScriptedReply[]) {
  const t = jsonTransport(script);
  return { requestHandler: t.handler, seen: t.requests };
}

export const RUNNING_JOB = {
  status: 200,
  body: { BackupJobId: 'b-r', State: 'RUNNING', ResourceArn: EBS_ARN, BackupVaultName: VAULT, CreationDate: 1772326800.5 },
};
export const throttled: ScriptedReply = { status: 429, errorType: 'ThrottlingException', body: { message: 'Rate exceeded' } };
export const unavailable: ScriptedReply = { status: 503, errorType: 'ServiceUnavailableException', body: { Message: 'Service unavailable' } };
