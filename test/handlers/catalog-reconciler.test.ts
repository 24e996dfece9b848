/**
 * Tests for lambda-src/catalog-reconciler.lambda.ts: the scheduled re-read of AWS Backup jobs.
 *
 * List* calls are stubbed with aws-sdk-client-mock (instance stubs) and driven through the
 * SDK's own paginators. The "already newer / missing / older" outcomes are checked twice: with a
 * stubbed DynamoDB (to count calls exactly) and against a real one (dynalite on 127.0.0.1).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  BackupClient,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
  ListScanJobsCommand,
  type BackupJob,
  type CopyJob,
  type ListBackupJobsInput,
  type RestoreJobsListMember,
  type ScanJob,
} from '@aws-sdk/client-backup';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createDocumentClient } from '../../lambda-src/catalog/clients';
import { recordFromBackupJob } from '../../lambda-src/catalog/job-record';
import { writeJobRecord } from '../../lambda-src/catalog/writer';
import {
  createReconcilerHandler,
  DEFAULT_LOOKBACK_HOURS,
  DEFAULT_MAX_PAGES,
  depsFromEnv,
  handler,
  type ReconcilerDeps,
} from '../../lambda-src/catalog-reconciler.lambda';
import { jobKey } from '../../lambda-src/shared/catalog-schema';
import { capturedMetrics as captureMetrics } from '../support/captured-metrics';
import { createCatalogTable, startDynalite, type LocalDynamo } from '../support/dynalite';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../support/fake-aws';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TABLE = 'catalog-test';
const VAULT = 'primary-vault';
const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
const OTHER_VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:other-team-vault`;
const NOW = new Date('2026-03-02T00:00:00.000Z');
const WINDOW_START = new Date(NOW.getTime() - DEFAULT_LOOKBACK_HOURS * 3_600_000);
const EBS_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;

const at = (iso: string) => new Date(iso);

const backupJob = (id: string, state: BackupJob['State'], extra: Partial<BackupJob> = {}): BackupJob => ({
  BackupJobId: id,
  State: state,
  BackupVaultName: VAULT,
  BackupVaultArn: VAULT_ARN,
  ResourceArn: EBS_ARN,
  ResourceType: 'EBS',
  CreationDate: at('2026-03-01T01:00:00Z'),
  ...(state === 'COMPLETED' || state === 'FAILED' ? { CompletionDate: at('2026-03-01T01:30:00Z') } : {}),
  ...extra,
});
const copyJob = (id: string, destination: string, extra: Partial<CopyJob> = {}): CopyJob => ({
  CopyJobId: id,
  State: 'COMPLETED',
  DestinationBackupVaultArn: destination,
  CreationDate: at('2026-03-01T02:00:00Z'),
  CompletionDate: at('2026-03-01T02:10:00Z'),
  ...extra,
});
const restoreJob = (id: string, vaultArn: string | undefined): RestoreJobsListMember => ({
  RestoreJobId: id,
  Status: 'COMPLETED',
  BackupVaultArn: vaultArn,
  CreationDate: at('2026-03-01T03:00:00Z'),
  CompletionDate: at('2026-03-01T03:20:00Z'),
});

const scanJob = (id: string, state: ScanJob['State'], result?: 'NO_THREATS_FOUND' | 'THREATS_FOUND'): ScanJob => ({
  ScanJobId: id,
  State: state,
  AccountId: ACCOUNT,
  BackupVaultName: VAULT,
  BackupVaultArn: VAULT_ARN,
  RecoveryPointArn: `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`,
  ResourceArn: EBS_ARN,
  ResourceType: 'EBS',
  MalwareScanner: 'GUARDDUTY',
  ScanMode: 'FULL_SCAN',
  ScannerRoleArn: `arn:aws:iam::${ACCOUNT}:role/scanner`,
  CreatedBy: { BackupPlanId: 'plan', BackupPlanArn: 'arn', BackupPlanVersion: '1', BackupRuleId: 'rule' },
  CreationDate: at('2026-03-01T04:00:00Z'),
  CompletionDate: at('2026-03-01T04:30:00Z'),
  ...(result ? { ScanResult: { ScanResultStatus: result } } : {}),
} as ScanJob);

const capturedMetrics = () => captureMetrics('CatalogTest', 'catalog-reconciler');

function stubbedDeps(overrides: Partial<ReconcilerDeps> = {}) {
  const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION, credentials: CREDENTIALS }));
  const backupMock = mockClient(backup);
  const ddbMock = mockClient(doc);
  // Every listing empty unless a test says otherwise.
  backupMock.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  backupMock.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backupMock.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
  backupMock.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
  ddbMock.on(UpdateCommand).resolves({});
  const m = capturedMetrics();
  const logger = new Logger({ serviceName: 'reconciler-test' });
  const deps: ReconcilerDeps = { backup, doc, tableName: TABLE, tenants: [], logger, metrics: m.metrics, now: () => NOW, ...overrides };
  return { deps, backupMock, ddbMock, m, logger };
}

const writtenPks = (ddbMock: ReturnType<typeof mockClient>) =>
  ddbMock.commandCalls(UpdateCommand).map((c) => (c.args[0].input as UpdateCommandInput).Key!.pk as string);

const writtenValue = (input: UpdateCommandInput, attribute: string) => {
  const placeholder = Object.entries(input.ExpressionAttributeNames!).find(([k, v]) => v === attribute && k.startsWith('#a'))?.[0];
  return placeholder ? input.ExpressionAttributeValues![`:${placeholder.slice(1)}`] : undefined;
};

describe('catalog reconciler (stubbed clients)', () => {
  test('pages through every listing, writes each job once, and tells recovered, updated and already-newer apart', async () => {
    const { deps, backupMock, ddbMock, m } = stubbedDeps();
    // The paginator reuses one input object, so tokens are recorded as each request is made.
    const createdWindowTokens: Array<string | undefined> = [];
    backupMock.on(ListBackupJobsCommand).callsFake((input: ListBackupJobsInput) => {
      if (input.ByCreatedAfter) {
        createdWindowTokens.push(input.NextToken);
        return input.NextToken === 'page-2'
          ? { BackupJobs: [backupJob('b3', 'FAILED', { StatusMessage: 'Access denied' })] }
          : { BackupJobs: [backupJob('b1', 'COMPLETED'), backupJob('b2', 'RUNNING')], NextToken: 'page-2' };
      }
      // Completion window: b1 again, and b0, created before the window but finished inside it.
      return { BackupJobs: [backupJob('b1', 'COMPLETED'), backupJob('b0', 'COMPLETED', { CreationDate: at('2026-02-27T00:00:00Z') })] };
    });
    backupMock.on(ListCopyJobsCommand, { ByCreatedAfter: WINDOW_START }).resolves({ CopyJobs: [copyJob('c1', VAULT_ARN)] });
    backupMock.on(ListRestoreJobsCommand, { ByCreatedAfter: WINDOW_START }).resolves({ RestoreJobs: [restoreJob('r1', VAULT_ARN)] });
    ddbMock.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
      if (input.Key!.pk === jobKey('BACKUP_JOB', 'b1')) {
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      if (input.Key!.pk === jobKey('BACKUP_JOB', 'b2')) return { Attributes: { pk: input.Key!.pk, state: 'CREATED' } };
      return {};
    });

    const summary = await createReconcilerHandler(deps)();

    expect(createdWindowTokens).toEqual([undefined, 'page-2']);
    expect(backupMock).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByCreatedAfter: WINDOW_START, ByCreatedBefore: NOW, MaxResults: 1000 });
    expect(backupMock).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByCompleteAfter: WINDOW_START, ByCompleteBefore: NOW });
    expect(backupMock).toHaveReceivedCommandWith(ListCopyJobsCommand, { ByCompleteAfter: WINDOW_START, ByCompleteBefore: NOW });
    expect(backupMock).toHaveReceivedCommandWith(ListRestoreJobsCommand, { ByCompleteAfter: WINDOW_START, ByCompleteBefore: NOW });
    expect(writtenPks(ddbMock).sort()).toEqual([
      jobKey('BACKUP_JOB', 'b0'), jobKey('BACKUP_JOB', 'b1'), jobKey('BACKUP_JOB', 'b2'), jobKey('BACKUP_JOB', 'b3'),
      jobKey('COPY_JOB', 'c1'), jobKey('RESTORE_JOB', 'r1'),
    ]);
    expect(backupMock).toHaveReceivedCommandWith(ListScanJobsCommand, { ByCompleteAfter: WINDOW_START, ByCompleteBefore: NOW });
    expect(summary).toMatchObject({ pagesRead: 8, jobsSeen: 6, recovered: 4, updated: 1, stale: 1, unfinished: [] });
    expect(m.value('RecordsRecoveredByReconciler')).toBe(4);
    expect(m.value('RecordsUpdatedByReconciler')).toBe(1);
    expect(m.value('FailedJobs', { JobKind: 'BACKUP_JOB' })).toBe(1);
    expect(m.value('ReconcilerTruncated')).toBe(0);

    const inputs = new Map(ddbMock.commandCalls(UpdateCommand).map((c) => {
      const input = c.args[0].input as UpdateCommandInput;
      return [input.Key!.pk as string, input];
    }));
    // The job's own time: completion for a finished job, creation for a running one.
    expect(writtenValue(inputs.get(jobKey('BACKUP_JOB', 'b0'))!, 'eventTime')).toBe('2026-03-01T01:30:00.000Z');
    expect(writtenValue(inputs.get(jobKey('BACKUP_JOB', 'b2'))!, 'eventTime')).toBe('2026-03-01T01:00:00.000Z');
    expect(writtenValue(inputs.get(jobKey('BACKUP_JOB', 'b3'))!, 'source')).toBe('reconciler');
  });

  test('stops after MAX_PAGES pages and reports the listings it did not finish', async () => {
    const { deps, backupMock, m, logger } = stubbedDeps({ maxPages: 9 });
    const warn = jest.spyOn(logger, 'warn');
    let page = 0;
    // An endless listing: every page has a NextToken.
    backupMock.on(ListBackupJobsCommand).callsFake(() => ({ BackupJobs: [backupJob(`b${++page}`, 'RUNNING')], NextToken: `t${page}` }));

    const summary = await createReconcilerHandler(deps)();

    // Round-robin: 7 first pages (5 one-page listings finish), then one more page of each endless listing.
    expect(summary.pagesRead).toBe(9);
    expect(backupMock).toHaveReceivedCommandTimes(ListBackupJobsCommand, 4);
    expect(backupMock).toHaveReceivedCommandTimes(ListCopyJobsCommand, 2);
    expect(backupMock).toHaveReceivedCommandTimes(ListRestoreJobsCommand, 2);
    expect(summary.unfinished).toEqual(['backup jobs created', 'backup jobs completed']);
    expect(backupMock).toHaveReceivedCommandTimes(ListScanJobsCommand, 1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('page budget reached'), expect.objectContaining({ maxPages: 9 }));
    expect(m.value('ReconcilerTruncated')).toBe(1);
    expect(m.value('ReconcilerPagesRead')).toBe(9);
  });

  test('VAULT_NAMES: backup jobs listed per vault; copy jobs by destination and restore jobs by source vault, client-side', async () => {
    const { deps, backupMock, ddbMock } = stubbedDeps({ vaultNames: [VAULT, 'second-vault'] });
    backupMock.on(ListCopyJobsCommand, { ByCreatedAfter: WINDOW_START })
      .resolves({ CopyJobs: [copyJob('c-in', VAULT_ARN), copyJob('c-out', OTHER_VAULT_ARN)] });
    backupMock.on(ListRestoreJobsCommand, { ByCreatedAfter: WINDOW_START })
      .resolves({ RestoreJobs: [restoreJob('r-in', VAULT_ARN), restoreJob('r-out', OTHER_VAULT_ARN), restoreJob('r-unknown', undefined)] });

    await createReconcilerHandler(deps)();

    expect(backupMock).toHaveReceivedCommandTimes(ListBackupJobsCommand, 4);
    expect(backupMock).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByBackupVaultName: VAULT, ByCreatedAfter: WINDOW_START });
    expect(backupMock).toHaveReceivedCommandWith(ListBackupJobsCommand, { ByBackupVaultName: 'second-vault', ByCompleteAfter: WINDOW_START });
    expect(backupMock).toHaveReceivedCommandTimes(ListScanJobsCommand, 2);
    expect(backupMock).toHaveReceivedCommandWith(ListScanJobsCommand, { ByBackupVaultName: 'second-vault', ByCompleteAfter: WINDOW_START });
    expect(writtenPks(ddbMock).sort()).toEqual([jobKey('COPY_JOB', 'c-in'), jobKey('RESTORE_JOB', 'r-in')]);
  });

  test('malware scan jobs whose events were lost are recorded with their result; one that found threats counts as a failure', async () => {
    const { deps, backupMock, ddbMock, m } = stubbedDeps();
    backupMock.on(ListScanJobsCommand).resolves({ ScanJobs: [scanJob('s-clean', 'COMPLETED', 'NO_THREATS_FOUND'), scanJob('s-bad', 'COMPLETED', 'THREATS_FOUND')] });

    const summary = await createReconcilerHandler(deps)();

    expect(writtenPks(ddbMock).sort()).toEqual([jobKey('SCAN_JOB', 's-bad'), jobKey('SCAN_JOB', 's-clean')]);
    const bad = ddbMock.commandCalls(UpdateCommand).map((c) => c.args[0].input as UpdateCommandInput).find((i) => i.Key!.pk === jobKey('SCAN_JOB', 's-bad'))!;
    expect(writtenValue(bad, 'scanResultStatus')).toBe('THREATS_FOUND');
    expect(writtenValue(bad, 'source')).toBe('reconciler');
    expect(summary).toMatchObject({ jobsSeen: 2, recovered: 2 });
    expect(m.value('FailedJobs', { JobKind: 'SCAN_JOB' })).toBe(1);
  });

  test('a DynamoDB error fails the run (the next, overlapping run retries) after publishing what it had done', async () => {
    const { deps, backupMock, ddbMock, m } = stubbedDeps();
    backupMock.on(ListBackupJobsCommand, { ByCreatedAfter: WINDOW_START })
      .resolves({ BackupJobs: [backupJob('b1', 'RUNNING'), backupJob('b2', 'RUNNING')] });
    ddbMock.on(UpdateCommand).resolvesOnce({}).rejects(new Error('InternalServerError'));

    await expect(createReconcilerHandler(deps)()).rejects.toThrow('InternalServerError');
    expect(m.value('ReconcilerPagesRead')).toBe(1);
    expect(m.value('RecordsRecoveredByReconciler')).toBe(1);
  });

  test('configuration from the environment: defaults, lists, and rejected values', async () => {
    expect(() => depsFromEnv({})).toThrow('TABLE_NAME is not set');
    expect(depsFromEnv({ TABLE_NAME: TABLE })).toMatchObject({
      tableName: TABLE, lookbackHours: DEFAULT_LOOKBACK_HOURS, maxPages: DEFAULT_MAX_PAGES, vaultNames: [], tenants: [],
    });
    expect(depsFromEnv({ TABLE_NAME: TABLE, LOOKBACK_HOURS: '49', MAX_PAGES: '7', VAULT_NAMES: 'a, b' }))
      .toMatchObject({ lookbackHours: 49, maxPages: 7, vaultNames: ['a', 'b'] });
    expect(() => depsFromEnv({ TABLE_NAME: TABLE, LOOKBACK_HOURS: '0' })).toThrow('LOOKBACK_HOURS must be a positive integer');
    expect(() => depsFromEnv({ TABLE_NAME: TABLE, MAX_PAGES: 'lots' })).toThrow('MAX_PAGES must be a positive integer');
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await expect(handler()).rejects.toThrow('TABLE_NAME is not set');
    } finally {
      if (saved !== undefined) process.env.TABLE_NAME = saved;
    }
  });
});

describe('catalog reconciler against dynalite', () => {
  let dynamo: LocalDynamo;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynalite();
    doc = createDocumentClient(dynamo.clientConfig);
    await createCatalogTable(doc, TABLE);
  });

  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  test('records a job no event brought, moves an older record forward, leaves a newer one alone; a rerun changes nothing', async () => {
    const eventOrigin = (eventTime: string) => ({ source: 'event' as const, updatedAt: '2026-03-01T04:00:00.000Z', eventTime });
    // What the event path already wrote: A's COMPLETED event (its time is after the job's completion), B only as RUNNING.
    await writeJobRecord(doc, TABLE, recordFromBackupJob(backupJob('A', 'COMPLETED'), eventOrigin('2026-03-01T01:30:07.000Z')));
    await writeJobRecord(doc, TABLE, recordFromBackupJob(backupJob('B', 'RUNNING'), eventOrigin('2026-03-01T01:05:00.000Z')));
    const backup = new BackupClient({ region: REGION, credentials: CREDENTIALS });
    const backupMock = mockClient(backup);
    backupMock.on(ListBackupJobsCommand).resolves({ BackupJobs: [backupJob('A', 'COMPLETED'), backupJob('B', 'COMPLETED'), backupJob('C', 'COMPLETED')] });
    backupMock.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
    backupMock.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
    backupMock.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
    const m = capturedMetrics();
    const run = createReconcilerHandler({
      backup, doc, tableName: TABLE, tenants: [], logger: new Logger({ serviceName: 'reconciler-test' }), metrics: m.metrics, now: () => NOW,
    });

    const first = await run();
    const items = new Map(((await doc.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((i) => [i.jobId as string, i]));
    const second = await run();
    const after = (await doc.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];

    expect(first).toMatchObject({ recovered: 1, updated: 1, stale: 1 });
    expect(items.size).toBe(3);
    expect(items.get('A')).toMatchObject({ state: 'COMPLETED', source: 'event', eventTime: '2026-03-01T01:30:07.000Z' });
    expect(items.get('B')).toMatchObject({ state: 'COMPLETED', source: 'reconciler', eventTime: '2026-03-01T01:30:00.000Z' });
    expect(items.get('C')).toMatchObject({ state: 'COMPLETED', source: 'reconciler', stateRank: 4 });
    expect(second).toMatchObject({ recovered: 0, updated: 0, stale: 3 });
    expect(after).toHaveLength(3);
    expect(m.value('RecordsRecoveredByReconciler')).toBe(1);
  });
});
