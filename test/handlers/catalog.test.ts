/**
 * Tests for lambda-src/catalog.lambda.ts (and its shared logic in lambda-src/catalog/).
 *
 * Most tests stub the SDK clients with aws-sdk-client-mock (instance stubs). A stubbed `send`
 * skips the SDK middleware, so the retry tests give a real Backup client an in-process fake
 * HTTP transport instead: the real serializer, adaptive retry strategy and error parser run.
 * The conditional-write semantics (redelivery, out-of-order, races) are checked against a real
 * DynamoDB implementation (dynalite on 127.0.0.1), not against a fake of the condition.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-backup';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { AdaptiveRetryStrategy } from '@smithy/util-retry';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createBackupClient, createDocumentClient, MAX_ATTEMPTS } from '../../lambda-src/catalog/clients';
import {
  mergeDescribed,
  parseJobEvent,
  PoisonMessageError,
  recordFromEvent,
  tenantOfResourceArn,
  type CatalogJobItem,
} from '../../lambda-src/catalog/job-record';
import { buildJobUpdate, WRITE_CONDITION } from '../../lambda-src/catalog/writer';
import {
  backupClient as moduleBackupClient,
  createCatalogHandler,
  depsFromEnv,
  documentClient as moduleDocumentClient,
  handler,
  metrics as moduleMetrics,
  type CatalogDeps,
} from '../../lambda-src/catalog.lambda';
import { jobKey } from '../../lambda-src/shared/catalog-schema';
import { capturedMetrics as captureMetrics } from '../support/captured-metrics';
import { createCatalogTable, startDynalite, type LocalDynamo } from '../support/dynalite';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../support/fake-aws';
import { fakeTransport as jsonTransport, type ScriptedReply } from '../support/fake-transport';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TABLE = 'catalog-test';
const VAULT = 'primary-vault';
const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
const DR_VAULT_ARN = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:dr-vault`;
const EBS_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;
const RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0aaaaaaaaaaaaaaaa`;
const COPY_RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0bbbbbbbbbbbbbbbb`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

// ---------- builders ----------

type Detail = Record<string, unknown>;

function event(detailType: string, detail: Detail, time: string, resources: string[] = []): string {
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

const backupEvent = (jobId: string, state: string, time: string, extra: Detail = {}, resources: string[] = []) => event('Backup Job State Change', {
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

const copyEvent = (jobId: string, state: string, time: string, extra: Detail = {}) => event('Copy Job State Change', {
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

const restoreEvent = (jobId: string, status: string, time: string, extra: Detail = {}) => event('Restore Job State Change', {
  restoreJobId: jobId,
  backupSizeInBytes: '36048',
  creationDate: '2026-03-01T03:00:00.000Z',
  percentDone: 0,
  resourceType: 'EBS',
  status,
  ...extra,
}, time, [RP_ARN]);

function sqsRecord(body: string, messageId: string): SQSRecord {
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

const sqsEvent = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((b, i) => sqsRecord(b, `msg-${i + 1}`)) });

const capturedMetrics = () => captureMetrics('CatalogTest', 'catalog');

// Logs are built (at DEBUG) and checked, but not printed: see test/support/handler-test-hooks.ts.
const silentLogger = () => new Logger({ serviceName: 'catalog-test' });

function mockedDeps(overrides: Partial<CatalogDeps> = {}) {
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
function writtenItem(input: UpdateCommandInput): Record<string, unknown> {
  const item: Record<string, unknown> = { ...input.Key };
  for (const assignment of (input.UpdateExpression ?? '').replace(/^SET /, '').split(', ')) {
    const [name, value] = assignment.split(' = ');
    item[input.ExpressionAttributeNames![name]] = input.ExpressionAttributeValues![value];
  }
  return item;
}

const updates = (ddbMock: ReturnType<typeof mockClient>) =>
  ddbMock.commandCalls(UpdateCommand).map((c) => writtenItem(c.args[0].input as UpdateCommandInput));

// ---------- pure logic ----------

describe('event parsing and record building', () => {
  test('poison messages are rejected with PoisonMessageError', () => {
    expect(() => parseJobEvent('not json')).toThrow(PoisonMessageError);
    expect(() => parseJobEvent('[1,2]')).toThrow('not a JSON object');
    expect(() => parseJobEvent(JSON.stringify({ 'detail-type': 'Backup Job State Change', 'time': '2026-03-01T00:00:00Z' }))).toThrow('no detail object');
    expect(() => parseJobEvent(JSON.stringify({ 'detail-type': 'Backup Vault State Change', 'detail': {} }))).toThrow('unsupported detail-type');
    expect(() => parseJobEvent(JSON.stringify({ 'detail-type': 'Backup Job State Change', 'time': '2026-03-01T00:00:00Z', 'detail': { backupJobId: 'j' } })))
      .toThrow('no state');
  });

  test('restore events use `status`; times are normalised to milliseconds so they sort as strings', () => {
    const e = parseJobEvent(restoreEvent('r-1', 'RUNNING', '2026-03-01T03:00:05Z'));
    expect(e).toMatchObject({ kind: 'RESTORE_JOB', jobId: 'r-1', state: 'RUNNING', eventTime: '2026-03-01T03:00:05.000Z' });
    // Without normalisation "…05Z" would sort after "…05.500Z".
    expect('2026-03-01T03:00:05.000Z' < '2026-03-01T03:00:05.500Z').toBe(true);
  });

  test('a copy job CREATED event carries no job id (as AWS sends it)', () => {
    const body = event('Copy Job State Change', { creationDate: '2026-03-01T02:00:00.000Z', state: 'CREATED' }, '2026-03-01T02:00:01Z');
    expect(parseJobEvent(body).jobId).toBeUndefined();
  });

  test('a non-string destinationRecoveryPointArn ({} in AWS samples) is ignored; a completed backup takes its recovery point from resources', () => {
    const copy = recordFromEvent(parseJobEvent(copyEvent('c-1', 'RUNNING', '2026-03-01T02:00:05Z')), 'now');
    expect(copy.recoveryPointArn).toBeUndefined();
    expect(copy).toMatchObject({ pk: 'JOB#COPY_JOB#c-1', vaultName: VAULT, backupSizeBytes: 3221225472, stateRank: 2 });
    const backup = recordFromEvent(parseJobEvent(backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN])), 'now');
    expect(backup).toMatchObject({ recoveryPointArn: RP_ARN, vaultName: VAULT, state: 'COMPLETED', stateRank: 4, source: 'event' });
  });

  test('merge: the event decides the state; the API fills job attributes, and state attributes only for the same state', () => {
    const fromEvent = recordFromEvent(parseJobEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z', { resourceArn: undefined })), 'now');
    const api: CatalogJobItem = {
      ...fromEvent,
      state: 'COMPLETED',
      stateRank: 4,
      resourceArn: EBS_ARN,
      recoveryPointArn: RP_ARN,
      completionTime: '2026-03-01T01:30:00.000Z',
      statusMessage: 'done',
    };
    const merged = mergeDescribed(fromEvent, api);
    expect(merged).toMatchObject({ state: 'RUNNING', stateRank: 2, eventTime: '2026-03-01T01:05:00.000Z', resourceArn: EBS_ARN, recoveryPointArn: RP_ARN });
    expect(merged.completionTime).toBeUndefined();
    expect(merged.statusMessage).toBeUndefined();
  });

  test('tenant comes only from an S3 object ARN under a known tenant prefix', () => {
    expect(tenantOfResourceArn('arn:aws:s3:::landing/acme/exports/2026-03-01.json', ['acme'])).toBe('acme');
    expect(tenantOfResourceArn('arn:aws:s3:::landing/other/x.json', ['acme'])).toBeUndefined();
    expect(tenantOfResourceArn('arn:aws:s3:::landing', ['acme'])).toBeUndefined();
    expect(tenantOfResourceArn('arn:aws:dynamodb:us-east-1:111122223333:table/acme', ['acme'])).toBeUndefined();
  });

  test('the update never sets the key, names every attribute through a placeholder, and carries the ordering condition', () => {
    const record = recordFromEvent(parseJobEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z')), 'now');
    const input = buildJobUpdate(TABLE, record);
    expect(input.Key).toEqual({ pk: 'JOB#BACKUP_JOB#b-1', sk: 'JOB' });
    expect(input.ConditionExpression).toBe(WRITE_CONDITION);
    expect(input.ExpressionAttributeValues).toMatchObject({ ':rank': 2, ':time': '2026-03-01T01:05:00.000Z' });
    expect(Object.values(input.ExpressionAttributeNames!)).not.toContain('sk');
    expect(input.UpdateExpression).not.toMatch(/\bstate\b|\bsource\b/); // reserved words only appear as placeholders
    expect(writtenItem(input)).toMatchObject({ ...record });
  });
});

// ---------- handler with stubbed clients ----------

describe('catalog handler (stubbed clients)', () => {
  test('Backup Job State Change COMPLETED: describes job and recovery point, writes one enriched record', async () => {
    const { deps, backupMock, ddbMock, m } = mockedDeps();
    backupMock.on(DescribeBackupJobCommand).resolves({
      BackupJobId: 'b-1',
      State: 'COMPLETED',
      BackupVaultName: VAULT,
      BackupVaultArn: VAULT_ARN,
      RecoveryPointArn: RP_ARN,
      ResourceArn: EBS_ARN,
      ResourceType: 'EBS',
      CreationDate: new Date('2026-03-01T01:00:00.123Z'),
      CompletionDate: new Date('2026-03-01T01:09:58Z'),
      BackupSizeInBytes: 1024,
      AccountId: ACCOUNT,
    });
    backupMock.on(DescribeRecoveryPointCommand).resolves({
      Status: 'COMPLETED', IsEncrypted: true, EncryptionKeyArn: KEY_ARN, CalculatedLifecycle: { DeleteAt: new Date('2026-06-01T00:00:00Z') },
    });

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN])));

    expect(result.batchItemFailures).toEqual([]);
    expect(backupMock).toHaveReceivedCommandWith(DescribeBackupJobCommand, { BackupJobId: 'b-1' });
    expect(backupMock).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, { BackupVaultName: VAULT, RecoveryPointArn: RP_ARN });
    expect(ddbMock).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(updates(ddbMock)[0]).toEqual({
      pk: 'JOB#BACKUP_JOB#b-1',
      sk: 'JOB',
      kind: 'BACKUP_JOB',
      jobId: 'b-1',
      state: 'COMPLETED',
      stateRank: 4,
      eventTime: '2026-03-01T01:10:00.000Z',
      source: 'event',
      updatedAt: '2026-03-01T12:00:00.000Z',
      accountId: ACCOUNT,
      resourceArn: EBS_ARN,
      resourceType: 'EBS',
      recoveryPointArn: RP_ARN,
      vaultArn: VAULT_ARN,
      vaultName: VAULT,
      creationTime: '2026-03-01T01:00:00.123Z',
      completionTime: '2026-03-01T01:09:58.000Z',
      backupSizeBytes: 1024,
      recoveryPointStatus: 'COMPLETED',
      recoveryPointEncrypted: true,
      recoveryPointKeyArn: KEY_ARN,
      recoveryPointDeleteAt: '2026-06-01T00:00:00.000Z',
    });
    expect(m.value('RecordsWritten')).toBe(1);
    expect(m.value('NewJobsRecorded')).toBe(1);
    expect(m.value('StaleEventsSkipped')).toBe(0);
  });

  test('Copy Job State Change COMPLETED: the record keeps the destination recovery point and vault', async () => {
    const { deps, backupMock, ddbMock } = mockedDeps();
    backupMock.on(DescribeCopyJobCommand).resolves({
      CopyJob: {
        CopyJobId: 'c-1',
        State: 'COMPLETED',
        SourceRecoveryPointArn: RP_ARN,
        DestinationRecoveryPointArn: COPY_RP_ARN,
        SourceBackupVaultArn: VAULT_ARN,
        DestinationBackupVaultArn: VAULT_ARN,
        ResourceArn: EBS_ARN,
        ResourceType: 'EBS',
        CompletionDate: new Date('2026-03-01T02:07:58.111Z'),
      },
    });
    backupMock.on(DescribeRecoveryPointCommand).resolves({ Status: 'COMPLETED', IsEncrypted: true });

    const result = await createCatalogHandler(deps)(sqsEvent(copyEvent('c-1', 'COMPLETED', '2026-03-01T02:08:04Z', { destinationRecoveryPointArn: COPY_RP_ARN })));

    expect(result.batchItemFailures).toEqual([]);
    expect(backupMock).toHaveReceivedCommandWith(DescribeCopyJobCommand, { CopyJobId: 'c-1' });
    expect(backupMock).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, { BackupVaultName: VAULT, RecoveryPointArn: COPY_RP_ARN });
    expect(updates(ddbMock)[0]).toMatchObject({
      pk: jobKey('COPY_JOB', 'c-1'),
      kind: 'COPY_JOB',
      state: 'COMPLETED',
      recoveryPointArn: COPY_RP_ARN,
      sourceRecoveryPointArn: RP_ARN,
      vaultName: VAULT,
      completionTime: '2026-03-01T02:07:58.111Z',
      recoveryPointEncrypted: true,
    });
  });

  test('a copy into another region is recorded without describing the remote recovery point', async () => {
    const { deps, backupMock, ddbMock } = mockedDeps();
    backupMock.on(DescribeCopyJobCommand).resolves({
      CopyJob: { CopyJobId: 'c-2', State: 'COMPLETED', DestinationBackupVaultArn: DR_VAULT_ARN, DestinationRecoveryPointArn: COPY_RP_ARN },
    });

    await createCatalogHandler(deps)(sqsEvent(copyEvent('c-2', 'COMPLETED', '2026-03-01T02:08:04Z', { destinationBackupVaultArn: DR_VAULT_ARN })));

    expect(backupMock).not.toHaveReceivedCommand(DescribeRecoveryPointCommand);
    expect(updates(ddbMock)[0]).toMatchObject({ vaultName: 'dr-vault', vaultArn: DR_VAULT_ARN, recoveryPointArn: COPY_RP_ARN });
  });

  test('Restore Job State Change COMPLETED: resource is the source, validation result and tenant are recorded', async () => {
    const { deps, backupMock, ddbMock } = mockedDeps();
    const source = 'arn:aws:s3:::landing-bucket/acme/exports/2026-03-01.json';
    backupMock.on(DescribeRestoreJobCommand).resolves({
      RestoreJobId: 'r-1',
      Status: 'COMPLETED',
      RecoveryPointArn: RP_ARN,
      BackupVaultArn: VAULT_ARN,
      SourceResourceArn: source,
      CreatedResourceArn: 'arn:aws:s3:::restore-target',
      ResourceType: 'S3',
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: 'checked',
    });
    backupMock.on(DescribeRecoveryPointCommand).resolves({ Status: 'COMPLETED' });

    const result = await createCatalogHandler(deps)(sqsEvent(restoreEvent('r-1', 'COMPLETED', '2026-03-01T03:14:58Z')));

    expect(result.batchItemFailures).toEqual([]);
    expect(backupMock).toHaveReceivedCommandWith(DescribeRestoreJobCommand, { RestoreJobId: 'r-1' });
    expect(updates(ddbMock)[0]).toMatchObject({
      pk: jobKey('RESTORE_JOB', 'r-1'),
      state: 'COMPLETED',
      resourceArn: source,
      createdResourceArn: 'arn:aws:s3:::restore-target',
      recoveryPointArn: RP_ARN,
      vaultName: VAULT,
      validationStatus: 'SUCCESSFUL',
      validationMessage: 'checked',
      tenantId: 'acme',
    });
  });

  test('DescribeBackupJob not found: the record is built from the event alone', async () => {
    const { deps, backupMock, ddbMock, m } = mockedDeps();
    backupMock.on(DescribeBackupJobCommand).rejects(new ResourceNotFoundException({ message: 'no such job', $metadata: {} }));
    backupMock.on(DescribeRecoveryPointCommand).rejects(new ResourceNotFoundException({ message: 'no such recovery point', $metadata: {} }));

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-gone', 'COMPLETED', '2026-03-01T01:10:00Z',
      { completionDate: '2026-03-01T01:09:58.000Z' }, [RP_ARN])));

    expect(result.batchItemFailures).toEqual([]);
    expect(updates(ddbMock)[0]).toMatchObject({
      pk: jobKey('BACKUP_JOB', 'b-gone'),
      state: 'COMPLETED',
      resourceArn: EBS_ARN,
      vaultName: VAULT,
      recoveryPointArn: RP_ARN,
      completionTime: '2026-03-01T01:09:58.000Z',
      eventTime: '2026-03-01T01:10:00.000Z',
    });
    expect(updates(ddbMock)[0].recoveryPointStatus).toBeUndefined();
    expect(m.value('RecordsWritten')).toBe(1);
  });

  test('a refused DescribeRecoveryPoint (AccessDenied) does not cost the record: written without it, counted as EnrichmentRefused', async () => {
    const { deps, backupMock, ddbMock, m } = mockedDeps();
    backupMock.on(DescribeBackupJobCommand).resolves({ BackupJobId: 'b-1', State: 'COMPLETED', BackupVaultName: VAULT, RecoveryPointArn: RP_ARN });
    backupMock.on(DescribeRecoveryPointCommand)
      .rejects(Object.assign(new Error('not authorized to perform backup:DescribeRecoveryPoint'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN])));

    expect(result.batchItemFailures).toEqual([]);
    expect(updates(ddbMock)[0]).toMatchObject({ state: 'COMPLETED', recoveryPointArn: RP_ARN });
    expect(updates(ddbMock)[0].recoveryPointStatus).toBeUndefined();
    expect(m.value('EnrichmentRefused')).toBe(1);
    expect(m.value('RecordsWritten')).toBe(1);
  });

  test('a job newly recorded as FAILED counts one FailedJobs with its JobKind; a repeat of the same state does not', async () => {
    const { deps, backupMock, ddbMock, m } = mockedDeps();
    backupMock.on(DescribeBackupJobCommand).resolves({ BackupJobId: 'b-f', State: 'FAILED', StatusMessage: 'Access denied' });
    ddbMock.on(UpdateCommand)
      .resolvesOnce({})
      .resolvesOnce({ Attributes: { pk: jobKey('BACKUP_JOB', 'b-f'), state: 'FAILED' } });

    await createCatalogHandler(deps)(sqsEvent(backupEvent('b-f', 'FAILED', '2026-03-01T01:10:00Z')));
    await createCatalogHandler(deps)(sqsEvent(backupEvent('b-f', 'FAILED', '2026-03-01T01:15:00Z')));

    expect(m.value('FailedJobs', { JobKind: 'BACKUP_JOB' })).toBe(1);
    expect(m.value('RecordsWritten')).toBe(2);
    expect(updates(ddbMock)[0]).toMatchObject({ statusMessage: 'Access denied' });
  });

  test('ConditionalCheckFailedException is an older or duplicate event: success, counted as StaleEventsSkipped', async () => {
    const { deps, backupMock, ddbMock, m } = mockedDeps();
    backupMock.on(DescribeBackupJobCommand).resolves({ BackupJobId: 'b-1', State: 'COMPLETED' });
    ddbMock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z')));

    expect(result.batchItemFailures).toEqual([]);
    expect(m.value('StaleEventsSkipped')).toBe(1);
    expect(m.value('RecordsWritten')).toBe(0);
    expect(m.value('RecordsFailed')).toBe(0);
  });

  test('poison messages (invalid JSON, missing detail) become batch item failures; the good message in the batch is written', async () => {
    const { deps, backupMock, ddbMock, m } = mockedDeps();
    backupMock.on(DescribeBackupJobCommand).resolves({ BackupJobId: 'b-ok', State: 'RUNNING' });
    const noDetail = JSON.stringify({ 'detail-type': 'Backup Job State Change', 'source': 'aws.backup', 'time': '2026-03-01T01:00:00Z' });

    const result = await createCatalogHandler(deps)(sqsEvent('{not json', backupEvent('b-ok', 'RUNNING', '2026-03-01T01:05:00Z'), noDetail));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }, { itemIdentifier: 'msg-3' }]);
    expect(ddbMock).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(updates(ddbMock)[0]).toMatchObject({ pk: jobKey('BACKUP_JOB', 'b-ok'), state: 'RUNNING' });
    expect(m.value('RecordsWritten')).toBe(1);
    expect(m.value('RecordsFailed')).toBe(2);
  });

  test('a write that fails for another reason is a batch item failure (retried, then dead-lettered)', async () => {
    const { deps, backupMock, ddbMock } = mockedDeps();
    backupMock.on(DescribeBackupJobCommand).resolves({ BackupJobId: 'b-1', State: 'RUNNING' });
    ddbMock.on(UpdateCommand).rejectsOnce(new Error('ProvisionedThroughputExceededException')).resolves({});

    const result = await createCatalogHandler(deps)(sqsEvent(
      backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z'),
      backupEvent('b-2', 'RUNNING', '2026-03-01T01:05:00Z'),
    ));

    expect(result.batchItemFailures).toHaveLength(1);
    expect(ddbMock).toHaveReceivedCommandTimes(UpdateCommand, 2);
  });

  test('an event without a job id is skipped, not failed: no Describe, no write', async () => {
    const { deps, backupMock, ddbMock, m } = mockedDeps();
    const body = event('Copy Job State Change', { creationDate: '2026-03-01T02:00:00.000Z', state: 'CREATED' }, '2026-03-01T02:00:01Z');

    const result = await createCatalogHandler(deps)(sqsEvent(body));

    expect(result.batchItemFailures).toEqual([]);
    expect(backupMock.calls()).toHaveLength(0);
    expect(ddbMock.calls()).toHaveLength(0);
    expect(m.value('EventsWithoutJobId')).toBe(1);
  });

  test('configuration: TABLE_NAME is required, TENANTS is parsed, the module clients allow 5 attempts in adaptive mode', async () => {
    expect(() => depsFromEnv({})).toThrow('TABLE_NAME is not set');
    expect(depsFromEnv({ TABLE_NAME: TABLE, TENANTS: ' acme, ,globex ' })).toMatchObject({ tableName: TABLE, tenants: ['acme', 'globex'] });
    expect(await moduleBackupClient.config.maxAttempts()).toBe(MAX_ATTEMPTS);
    expect(await moduleBackupClient.config.retryStrategy()).toBeInstanceOf(AdaptiveRetryStrategy);
    expect(await moduleDocumentClient.config.retryStrategy()).toBeInstanceOf(AdaptiveRetryStrategy);
  });

  test('the exported handler wires the module clients from the environment', async () => {
    const saved = process.env.TABLE_NAME;
    process.env.TABLE_NAME = TABLE;
    const backupMock = mockClient(moduleBackupClient);
    const ddbMock = mockClient(moduleDocumentClient);
    const publish = jest.spyOn(moduleMetrics, 'publishStoredMetrics').mockImplementation(() => {
      moduleMetrics.clearMetrics();
      moduleMetrics.clearDimensions();
      return moduleMetrics;
    });
    try {
      backupMock.on(DescribeBackupJobCommand).resolves({ BackupJobId: 'b-1', State: 'RUNNING' });
      ddbMock.on(UpdateCommand).resolves({});
      const result = await handler(sqsEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z')), {} as never);
      expect(result.batchItemFailures).toEqual([]);
      expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, { TableName: TABLE, Key: { pk: jobKey('BACKUP_JOB', 'b-1'), sk: 'JOB' } });
      expect(publish).toHaveBeenCalled();
    } finally {
      backupMock.restore();
      ddbMock.restore();
      publish.mockRestore();
      if (saved === undefined) delete process.env.TABLE_NAME;
      else process.env.TABLE_NAME = saved;
    }
  });
});

// ---------- retries through the real Backup client ----------

/** A fake HTTP transport: each request takes the next scripted response (the last one repeats). */
function fakeTransport(script: ScriptedReply[]) {
  const t = jsonTransport(script);
  return { requestHandler: t.handler, seen: t.requests };
}

const RUNNING_JOB = {
  status: 200,
  body: { BackupJobId: 'b-r', State: 'RUNNING', ResourceArn: EBS_ARN, BackupVaultName: VAULT, CreationDate: 1772326800.5 },
};
const throttled: ScriptedReply = { status: 429, errorType: 'ThrottlingException', body: { message: 'Rate exceeded' } };
const unavailable: ScriptedReply = { status: 503, errorType: 'ServiceUnavailableException', body: { Message: 'Service unavailable' } };

describe('SDK retries through the real Backup client (fake HTTP transport)', () => {
  const realBackup = (requestHandler: object) =>
    createBackupClient({ region: REGION, credentials: CREDENTIALS, requestHandler: requestHandler as never });
  // The event names no resource: a written resourceArn proves the (retried) Describe answer was used.
  const runningEvent = () => backupEvent('b-r', 'RUNNING', '2026-03-01T01:05:00Z', { resourceArn: undefined });

  test('throttling, then success: DescribeBackupJob is retried and its answer recorded', async () => {
    const t = fakeTransport([throttled, RUNNING_JOB]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(runningEvent()));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toEqual([{ method: 'GET', path: '/backup-jobs/b-r' }, { method: 'GET', path: '/backup-jobs/b-r' }]);
    expect(updates(ddbMock)[0]).toMatchObject({ resourceArn: EBS_ARN, creationTime: '2026-03-01T01:00:00.500Z' });
  });

  test('5xx (ServiceUnavailable) is retried', async () => {
    const t = fakeTransport([unavailable, unavailable, RUNNING_JOB]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(runningEvent()));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toHaveLength(3);
    expect(updates(ddbMock)[0]).toMatchObject({ resourceArn: EBS_ARN });
  });

  test('a 5xx that outlasts 5 attempts fails that message only (it returns to the queue); nothing is written for it', async () => {
    const t = fakeTransport([unavailable]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });
    const withoutJobId = event('Copy Job State Change', { state: 'CREATED' }, '2026-03-01T02:00:01Z');

    const result = await createCatalogHandler(deps)(sqsEvent(runningEvent(), withoutJobId));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(t.seen).toHaveLength(MAX_ATTEMPTS);
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
  });

  test('AccessDenied is not retried either: one request, record from the event, EnrichmentRefused counted', async () => {
    const t = fakeTransport([{ status: 403, errorType: 'AccessDeniedException', body: { Message: 'not authorized' } }]);
    const { deps, ddbMock, m } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-r', 'RUNNING', '2026-03-01T01:05:00Z')));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toHaveLength(1);
    expect(updates(ddbMock)[0]).toMatchObject({ pk: jobKey('BACKUP_JOB', 'b-r'), resourceArn: EBS_ARN });
    expect(m.value('EnrichmentRefused')).toBe(1);
  });

  test('ResourceNotFoundException is not retried: one request, record from the event', async () => {
    const t = fakeTransport([{ status: 404, errorType: 'ResourceNotFoundException', body: { Message: 'not found' } }]);
    const { deps, ddbMock } = mockedDeps({ backup: realBackup(t.requestHandler) });

    const result = await createCatalogHandler(deps)(sqsEvent(backupEvent('b-r', 'RUNNING', '2026-03-01T01:05:00Z')));

    expect(result.batchItemFailures).toEqual([]);
    expect(t.seen).toHaveLength(1);
    expect(updates(ddbMock)[0]).toMatchObject({ pk: jobKey('BACKUP_JOB', 'b-r'), resourceArn: EBS_ARN, state: 'RUNNING' });
  });
});

// ---------- conditional-write semantics against real DynamoDB (dynalite) ----------

describe('conditional writes against dynalite', () => {
  let dynamo: LocalDynamo;
  let doc: DynamoDBDocumentClient;
  let tableNo = 0;
  let table: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    doc = createDocumentClient(dynamo.clientConfig);
  });

  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  beforeEach(async () => {
    table = `catalog-${++tableNo}`;
    await createCatalogTable(doc, table);
  });

  /** Handler with a stubbed Backup client (not found: records come from events) and the real table. */
  function realTableHandler() {
    const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
    mockClient(backup).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const m = capturedMetrics();
    const run = createCatalogHandler({ backup, doc, tableName: table, tenants: [], logger: silentLogger(), metrics: m.metrics });
    return { run, m };
  }

  const items = async () => (await doc.send(new ScanCommand({ TableName: table }))).Items ?? [];

  test('redelivery of the same event: one item, the second delivery is skipped as stale', async () => {
    const { run, m } = realTableHandler();
    const body = backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN]);

    expect((await run(sqsEvent(body))).batchItemFailures).toEqual([]);
    expect((await run(sqsEvent(body))).batchItemFailures).toEqual([]);

    expect(await items()).toHaveLength(1);
    expect(m.value('RecordsWritten')).toBe(1);
    expect(m.value('StaleEventsSkipped')).toBe(1);
  });

  test('out of order: COMPLETED then RUNNING leaves COMPLETED; the RUNNING event is skipped', async () => {
    const { run, m } = realTableHandler();

    await run(sqsEvent(backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN])));
    await run(sqsEvent(backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z')));

    const all = await items();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ state: 'COMPLETED', stateRank: 4, eventTime: '2026-03-01T01:10:00.000Z' });
    expect(m.value('StaleEventsSkipped')).toBe(1);
  });

  test('in order and equal rank: a later event of the same rank replaces the earlier one', async () => {
    const { run } = realTableHandler();

    await run(sqsEvent(backupEvent('b-1', 'CREATED', '2026-03-01T01:00:01Z')));
    await run(sqsEvent(backupEvent('b-1', 'PENDING', '2026-03-01T01:00:02Z')));
    await run(sqsEvent(backupEvent('b-1', 'CREATED', '2026-03-01T01:00:01Z'))); // late duplicate

    expect((await items())[0]).toMatchObject({ state: 'PENDING', eventTime: '2026-03-01T01:00:02.000Z' });
  });

  test('all transitions of a job in one batch, processed concurrently: the newest state wins', async () => {
    const { run, m } = realTableHandler();
    const result = await run(sqsEvent(
      backupEvent('b-1', 'RUNNING', '2026-03-01T01:05:00Z'),
      backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN]),
      backupEvent('b-1', 'CREATED', '2026-03-01T01:00:00Z'),
      backupEvent('b-1', 'COMPLETED', '2026-03-01T01:10:00Z', {}, [RP_ARN]),
    ));

    expect(result.batchItemFailures).toEqual([]);
    const all = await items();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ state: 'COMPLETED', eventTime: '2026-03-01T01:10:00.000Z' });
    expect(m.value('RecordsWritten') + m.value('StaleEventsSkipped')).toBe(4);
    expect(m.value('NewJobsRecorded')).toBe(1);
  });

  test('an item another writer created without a stateRank is updated, and its own attributes survive', async () => {
    const pk = jobKey('RESTORE_JOB', 'r-1');
    await doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'JOB', validationStatus: 'SUCCESSFUL', validationMessage: 'row counts match' } }));
    const { run } = realTableHandler();

    await run(sqsEvent(restoreEvent('r-1', 'COMPLETED', '2026-03-01T03:14:58Z')));

    const item = (await doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'JOB' } }))).Item;
    expect(item).toMatchObject({ state: 'COMPLETED', stateRank: 4, validationStatus: 'SUCCESSFUL', validationMessage: 'row counts match' });
  });

});
