import { Logger } from '@aws-lambda-powertools/logger';
import { BackupClient, DescribeRecoveryPointCommand, DescribeScanJobCommand, ResourceNotFoundException, type DescribeScanJobOutput } from '@aws-sdk/client-backup';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createCatalogHandler } from '../../lambda-src/catalog/handler';
import { parseJobEvent, recordFromEvent, recordFromScanJob } from '../../lambda-src/catalog/job-record';
import { CATALOG_INDEXES, stateRank } from '../../lambda-src/shared/catalog-schema';
import { CATALOG_JOB_DETAIL_TYPES } from '../../src/backup-system/catalog';
import { capturedMetrics } from '../support/captured-metrics';
import { sqsEvent } from './catalog/fixtures';
import { catalogTablePerTest } from '../support/dynalite';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../support/fake-aws';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:primary`;
const RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0aaaaaaaaaaaaaaaa`;
const BASE_RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0bbbbbbbbbbbbbbbb`;
const VOLUME_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;

/** A scan job event as the developer guide shows it. */
function scanEvent(scanJobId: string, state: string, time: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    'version': '0',
    'id': `evt-${scanJobId}-${state}`,
    'detail-type': 'Scan Job State Change',
    'source': 'aws.backup',
    'account': ACCOUNT,
    time,
    'region': REGION,
    'resources': [RP_ARN],
    'detail': {
      accountId: ACCOUNT,
      backupVaultArn: VAULT_ARN,
      backupVaultName: 'primary',
      creationDate: '2026-03-01T04:00:00.000Z',
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/BackupRole`,
      scannerRoleArn: `arn:aws:iam::${ACCOUNT}:role/ScannerRole`,
      recoveryPointArn: RP_ARN,
      resourceArn: VOLUME_ARN,
      resourceType: 'EBS',
      scanId: 'gd-scan-1',
      scanJobId,
      malwareScanner: 'GUARDDUTY',
      state,
      ...extra,
    },
  });
}


/** A DescribeScanJob answer about the EBS recovery point RP_ARN in the primary vault; `job` says which scan and how it went. */
const describedScanJob = (job: Partial<DescribeScanJobOutput>): DescribeScanJobOutput => ({
  AccountId: ACCOUNT,
  BackupVaultArn: VAULT_ARN,
  BackupVaultName: 'primary',
  CreatedBy: undefined,
  IamRoleArn: 'r',
  MalwareScanner: 'GUARDDUTY',
  RecoveryPointArn: RP_ARN,
  ResourceArn: VOLUME_ARN,
  ResourceName: undefined,
  ResourceType: 'EBS',
  ...job,
} as DescribeScanJobOutput);

describe('scan job records (pure)', () => {
  test('the catalog rule subscribes to scan job events, and the parser knows them', () => {
    expect(CATALOG_JOB_DETAIL_TYPES).toContain('Scan Job State Change');
    expect(parseJobEvent(scanEvent('s-1', 'RUNNING', '2026-03-01T04:00:05Z'))).toMatchObject({ kind: 'SCAN_JOB', jobId: 's-1', state: 'RUNNING' });
  });

  test('a completed scan event records its result, recovery point, vault and scanner', () => {
    const record = recordFromEvent(parseJobEvent(scanEvent('s-1', 'COMPLETED', '2026-03-01T04:20:00Z', {
      completionDate: '2026-03-01T04:19:58.000Z',
      scanResult: { scanResultStatus: 'THREATS_FOUND' },
      scanBaseRecoveryPointArn: BASE_RP_ARN,
    })), 'now');
    expect(record).toEqual({
      pk: 'JOB#SCAN_JOB#s-1',
      sk: 'JOB',
      kind: 'SCAN_JOB',
      jobId: 's-1',
      state: 'COMPLETED',
      stateRank: 4,
      eventTime: '2026-03-01T04:20:00.000Z',
      source: 'event',
      updatedAt: 'now',
      accountId: ACCOUNT,
      resourceType: 'EBS',
      creationTime: '2026-03-01T04:00:00.000Z',
      completionTime: '2026-03-01T04:19:58.000Z',
      resourceArn: VOLUME_ARN,
      recoveryPointArn: RP_ARN,
      vaultArn: VAULT_ARN,
      vaultName: 'primary',
      scanResultStatus: 'THREATS_FOUND',
      malwareScanner: 'GUARDDUTY',
      scannerRoleArn: `arn:aws:iam::${ACCOUNT}:role/ScannerRole`,
      scanBaseRecoveryPointArn: BASE_RP_ARN,
    });
  });

  test('scan states rank like job states: CANCELED and COMPLETED_WITH_ISSUES are terminal', () => {
    expect(['CREATED', 'RUNNING', 'COMPLETED', 'COMPLETED_WITH_ISSUES', 'FAILED', 'CANCELED'].map(stateRank)).toEqual([1, 2, 4, 4, 4, 4]);
  });

  test('DescribeScanJob becomes the same record shape', () => {
    const record = recordFromScanJob(describedScanJob({
      ScanJobId: 's-2',
      ScanMode: 'INCREMENTAL_SCAN',
      ScannerRoleArn: 'sr',
      State: 'COMPLETED_WITH_ISSUES',
      ScanResult: { ScanResultStatus: 'NO_THREATS_FOUND' },
      StatusMessage: '2 files skipped',
      CreationDate: new Date('2026-03-01T04:00:00Z'),
      CompletionDate: new Date('2026-03-01T04:30:00Z'),
    }), { source: 'reconciler', updatedAt: 'now' });
    expect(record).toMatchObject({
      pk: 'JOB#SCAN_JOB#s-2',
      state: 'COMPLETED_WITH_ISSUES',
      stateRank: 4,
      scanMode: 'INCREMENTAL_SCAN',
      scanResultStatus: 'NO_THREATS_FOUND',
      statusMessage: '2 files skipped',
      eventTime: '2026-03-01T04:30:00.000Z',
    });
  });
});

describe('scan jobs against dynalite', () => {
  const local = catalogTablePerTest('catalog-scan', { withIndexes: true });

  function handler() {
    const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
    const backupMock = mockClient(backup);
    backupMock.rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const m = capturedMetrics('CatalogScanTest', 'catalog');
    const run = createCatalogHandler({
      backup, doc: local.doc, tableName: local.table, tenants: [], logger: new Logger({ serviceName: 'catalog-scan-test', logLevel: 'SILENT' }), metrics: m.metrics,
    });
    return { run, m, backupMock };
  }

  const items = async () => (await local.doc.send(new ScanCommand({ TableName: local.table }))).Items ?? [];

  test('RUNNING then COMPLETED with threats: one item with the result, one FailedJobs for SCAN_JOB; a late RUNNING is stale', async () => {
    const { run, m, backupMock } = handler();
    const running = scanEvent('s-1', 'RUNNING', '2026-03-01T04:00:05Z');
    const done = scanEvent('s-1', 'COMPLETED', '2026-03-01T04:20:00Z', { scanResult: { scanResultStatus: 'THREATS_FOUND' }, statusMessage: 'EICAR' });
    expect((await run(sqsEvent(running, done))).batchItemFailures).toEqual([]);
    expect((await run(sqsEvent(running))).batchItemFailures).toEqual([]);

    const all = await items();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ pk: 'JOB#SCAN_JOB#s-1', kind: 'SCAN_JOB', state: 'COMPLETED', scanResultStatus: 'THREATS_FOUND', statusMessage: 'EICAR' });
    expect(m.value('FailedJobs', { JobKind: 'SCAN_JOB' })).toBe(1);
    expect(m.value('StaleEventsSkipped')).toBe(1);
    expect(backupMock).toHaveReceivedCommandWith(DescribeScanJobCommand, { ScanJobId: 's-1' });
  });

  test('a clean scan is no failure, and the recovery point index finds it', async () => {
    const { run, m } = handler();
    await run(sqsEvent(scanEvent('s-2', 'COMPLETED', '2026-03-01T04:20:00Z', { scanResult: { scanResultStatus: 'NO_THREATS_FOUND' } })));
    expect(m.value('FailedJobs')).toBe(0);
    const byRp = await local.doc.send(new QueryCommand({
      TableName: local.table,
      IndexName: 'byRecoveryPoint',
      KeyConditionExpression: '#rp = :rp',
      ExpressionAttributeNames: { '#rp': CATALOG_INDEXES.byRecoveryPoint.partitionKey },
      ExpressionAttributeValues: { ':rp': RP_ARN },
    }));
    expect(byRp.Items?.map((i) => [i.kind, i.scanResultStatus])).toEqual([['SCAN_JOB', 'NO_THREATS_FOUND']]);
  });

  test('DescribeScanJob fills what the event lacks (scan mode, status message)', async () => {
    const { run, backupMock } = handler();
    backupMock.on(DescribeRecoveryPointCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    backupMock.on(DescribeScanJobCommand).resolves(describedScanJob({
      ScanJobId: 's-3',
      ScanMode: 'FULL_SCAN',
      ScannerRoleArn: 'sr',
      State: 'FAILED',
      StatusMessage: 'scanner role cannot decrypt the snapshot',
      CreationDate: new Date('2026-03-01T04:00:00Z'),
      CompletionDate: new Date('2026-03-01T04:05:00Z'),
    }));
    await run(sqsEvent(scanEvent('s-3', 'FAILED', '2026-03-01T04:05:01Z')));
    expect((await items())[0]).toMatchObject({ state: 'FAILED', scanMode: 'FULL_SCAN', statusMessage: 'scanner role cannot decrypt the snapshot' });
  });
});
