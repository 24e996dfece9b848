/** Catalog handler: decisions with stubbed clients. */
import {
  DescribeBackupJobCommand, DescribeCopyJobCommand, DescribeRecoveryPointCommand, DescribeRestoreJobCommand, ResourceNotFoundException,
} from '@aws-sdk/client-backup';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AdaptiveRetryStrategy } from '@smithy/util-retry';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ACCOUNT, TABLE, VAULT, VAULT_ARN, DR_VAULT_ARN, EBS_ARN, RP_ARN, COPY_RP_ARN, KEY_ARN, event, backupEvent, copyEvent, restoreEvent, sqsEvent,
  mockedDeps, updates,
} from './fixtures';
import { MAX_ATTEMPTS } from '../../../lambda-src/catalog/clients';
import {
  backupClient as moduleBackupClient, createCatalogHandler, depsFromEnv, documentClient as moduleDocumentClient, handler, metrics as moduleMetrics,
} from '../../../lambda-src/catalog.lambda';
import { jobKey } from '../../../lambda-src/shared/catalog-schema';

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
