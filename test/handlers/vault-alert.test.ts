/**
 * Tests for lambda-src/vault-alert.lambda.ts: the on-call alert for failed AWS Backup jobs.
 *
 * Most tests stub the SDK clients with aws-sdk-client-mock. A stubbed `send` skips the SDK's
 * middleware, retries included, so the retry and timeout tests instead swap the Backup
 * client's HTTP transport for an in-process fake: the real serializer, retry strategy and
 * error parser run, and nothing leaves the process.
 */
import { DescribeBackupJobCommand, DescribeCopyJobCommand, ResourceNotFoundException } from '@aws-sdk/client-backup';
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { formatAlert, sanitizeSubject, type BackupJobEvent } from '../../lambda-src/vault-alert/format';
import { setHandlerEnv, TEST_REGION } from '../support/fake-aws';
import { fakeTransport, transportSwap, type ScriptedReply } from '../support/fake-transport';

type HandlerModule = typeof import('../../lambda-src/vault-alert.lambda');

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:backup-alerts';
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const VAULT = 'prod-vault';
const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
const DR_VAULT_ARN = `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:dr-vault`;
const DB_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-db`;
const BACKUP_JOB_ID = 'a1b2c3d4-5678-90ab-cdef-111111111111';
const COPY_JOB_ID = 'c0c0c0c0-5678-90ab-cdef-222222222222';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;

// Shaped like the AWS Backup "Backup Job State Change" example in the AWS Backup developer guide.
function backupJobEvent(overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}): BackupJobEvent {
  return {
    'version': '0',
    'id': 'evt-backup-1',
    'detail-type': 'Backup Job State Change',
    'source': 'aws.backup',
    'account': ACCOUNT,
    'time': '2026-11-03T03:12:09Z',
    'region': REGION,
    'resources': [DB_ARN],
    'detail': {
      backupJobId: BACKUP_JOB_ID,
      backupSizeInBytes: '0',
      backupVaultArn: VAULT_ARN,
      backupVaultName: VAULT,
      bytesTransferred: '0',
      creationDate: '2026-11-03T03:00:01.235Z',
      iamRoleArn: ROLE_ARN,
      resourceArn: DB_ARN,
      resourceType: 'RDS',
      state: 'FAILED',
      statusMessage: 'Backup job failed (from the event).',
      startBy: '2026-11-03T04:00:01.235Z',
      percentDone: 0.0,
      createdBy: { backupPlanId: 'plan-1234', backupPlanVersion: 'v1', backupRuleId: 'rule-5678' },
      ...detail,
    },
    ...overrides,
  } as BackupJobEvent;
}

function copyJobEvent(detail: Record<string, unknown> = {}): BackupJobEvent {
  return {
    'version': '0',
    'id': 'evt-copy-1',
    'detail-type': 'Copy Job State Change',
    'source': 'aws.backup',
    'account': ACCOUNT,
    'time': '2026-11-03T05:40:00Z',
    'region': REGION,
    'resources': [`arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:rp-1`],
    'detail': {
      copyJobId: COPY_JOB_ID,
      backupSizeInBytes: 1024,
      creationDate: '2026-11-03T05:30:00.000Z',
      iamRoleArn: ROLE_ARN,
      resourceArn: DB_ARN,
      resourceType: 'RDS',
      sourceBackupVaultArn: VAULT_ARN,
      destinationBackupVaultArn: DR_VAULT_ARN,
      state: 'FAILED',
      statusMessage: 'Copy job failed (from the event).',
      ...detail,
    },
  } as BackupJobEvent;
}

const describedBackupJob = {
  AccountId: ACCOUNT,
  BackupJobId: BACKUP_JOB_ID,
  BackupVaultName: VAULT,
  BackupVaultArn: VAULT_ARN,
  RecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:rp-orders-1`,
  ResourceArn: DB_ARN,
  ResourceName: 'orders-db',
  ResourceType: 'RDS',
  State: 'FAILED' as const,
  StatusMessage: 'The KMS key used by the DB instance is disabled.',
  IamRoleArn: ROLE_ARN,
  CreatedBy: { BackupPlanId: 'plan-1234', BackupPlanName: 'prod-plan', BackupRuleId: 'rule-5678', BackupRuleName: 'daily' },
  CreationDate: new Date('2026-11-03T03:00:01.235Z'),
  StartBy: new Date('2026-11-03T04:00:01.235Z'),
  CompletionDate: new Date('2026-11-03T03:11:58.000Z'),
};

function publishedInput(sns: AwsClientStub<any>): PublishCommandInput {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

let restoreEnv: () => void;
let mod: HandlerModule;
let sns: AwsClientStub<any>;

beforeAll(() => {
  restoreEnv = setHandlerEnv(TEST_REGION, { TOPIC_ARN, VAULT_NAME: VAULT });
  // Loaded here, not imported at the top: the module reads its environment at load time.
  mod = jest.requireActual<HandlerModule>('../../lambda-src/vault-alert.lambda');
});

afterAll(() => {
  restoreEnv();
});

beforeEach(() => {
  sns = mockClient(mod.snsClient);
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
});

afterEach(() => {
  sns.restore();
});

describe('with the Backup client stubbed', () => {
  let backup: AwsClientStub<any>;
  beforeEach(() => {
    backup = mockClient(mod.backupClient);
  });
  afterEach(() => {
    backup.restore();
  });

  test('a failed backup job is described and published with subject, body, link and attributes', async () => {
    backup.on(DescribeBackupJobCommand).resolves(describedBackupJob);

    const result = await mod.handler(backupJobEvent());

    expect(result).toEqual({ published: true, messageId: 'msg-1', enriched: true });
    expect(backup).toHaveReceivedCommandTimes(DescribeBackupJobCommand, 1);
    expect(backup).toHaveReceivedCommandWith(DescribeBackupJobCommand, { BackupJobId: BACKUP_JOB_ID });
    expect(backup).not.toHaveReceivedCommand(DescribeCopyJobCommand);

    const input = publishedInput(sns);
    expect(input.TopicArn).toBe(TOPIC_ARN);
    expect(input.Subject).toBe('[AWS Backup] FAILED backup job in vault prod-vault - RDS orders-db');
    const body = input.Message!;
    expect(body).toContain('The KMS key used by the DB instance is disabled.'); // described, not the event's
    expect(body).not.toContain('(from the event)');
    expect(body).toMatch(/Resource:\s+orders-db\n/);
    expect(body).toMatch(new RegExp(`Resource ARN:\\s+${escape(DB_ARN)}\\n`));
    expect(body).toMatch(new RegExp(`Vault:\\s+prod-vault \\(${escape(VAULT_ARN)}\\)\\n`));
    expect(body).toMatch(/Account:\s+111122223333\n/);
    expect(body).toMatch(/Region:\s+eu-west-1\n/);
    expect(body).toMatch(new RegExp(`Job ID:\\s+${BACKUP_JOB_ID}\\n`));
    expect(body).toMatch(/Recovery point:\s+arn:aws:backup:eu-west-1:111122223333:recovery-point:rp-orders-1\n/);
    expect(body).toMatch(/Backup plan:\s+prod-plan \(plan-1234\)\n/);
    expect(body).toMatch(/Backup rule:\s+daily \(rule-5678\)\n/);
    expect(body).toMatch(new RegExp(`IAM role:\\s+${escape(ROLE_ARN)}\\n`));
    expect(body).toMatch(/Job created:\s+2026-11-03T03:00:01.235Z\n/);
    expect(body).toMatch(/Job completed:\s+2026-11-03T03:11:58.000Z\n/);
    expect(body).toContain(`https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/backup/details/${BACKUP_JOB_ID}\n`);
    expect(body).not.toContain('could not be fetched');
    expect(input.MessageAttributes).toEqual({
      state: { DataType: 'String', StringValue: 'FAILED' },
      jobType: { DataType: 'String', StringValue: 'BACKUP_JOB' },
      vaultName: { DataType: 'String', StringValue: 'prod-vault' },
      resourceType: { DataType: 'String', StringValue: 'RDS' },
    });
  });

  test('a failed copy job uses DescribeCopyJob and links to the copy job', async () => {
    backup.on(DescribeCopyJobCommand).resolves({
      CopyJob: {
        AccountId: ACCOUNT,
        CopyJobId: COPY_JOB_ID,
        SourceBackupVaultArn: VAULT_ARN,
        DestinationBackupVaultArn: DR_VAULT_ARN,
        SourceRecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:rp-1`,
        ResourceArn: DB_ARN,
        ResourceName: 'orders-db',
        ResourceType: 'RDS',
        State: 'FAILED',
        StatusMessage: 'Access denied to the destination vault key.',
        CreationDate: new Date('2026-11-03T05:30:00.000Z'),
      },
    });

    await mod.handler(copyJobEvent());

    expect(backup).toHaveReceivedCommandWith(DescribeCopyJobCommand, { CopyJobId: COPY_JOB_ID });
    expect(backup).not.toHaveReceivedCommand(DescribeBackupJobCommand);
    const input = publishedInput(sns);
    // VAULT_NAME (prod-vault) is the copy's source, so the alert is filed under it.
    expect(input.Subject).toBe('[AWS Backup] FAILED copy job in vault prod-vault - RDS orders-db');
    const body = input.Message!;
    expect(body).toContain('Access denied to the destination vault key.');
    expect(body).toMatch(new RegExp(`Source vault:\\s+prod-vault \\(${escape(VAULT_ARN)}\\)\\n`));
    expect(body).toMatch(new RegExp(`Destination vault:\\s+dr-vault \\(${escape(DR_VAULT_ARN)}\\)\\n`));
    expect(body).toContain(`https://eu-west-1.console.aws.amazon.com/backup/home?region=eu-west-1#/jobs/copy/details/${COPY_JOB_ID}\n`);
    expect(body).not.toContain('#/jobs/backup/');
    expect(input.MessageAttributes?.jobType).toEqual({ DataType: 'String', StringValue: 'COPY_JOB' });
    expect(input.MessageAttributes?.vaultName).toEqual({ DataType: 'String', StringValue: 'prod-vault' });
  });

  test('a job that cannot be described is still published, with the event fields and the reason', async () => {
    backup.on(DescribeBackupJobCommand).rejects(new ResourceNotFoundException({
      $metadata: { httpStatusCode: 400, attempts: 1 },
      message: `Cannot find backup job ${BACKUP_JOB_ID}`,
    }));

    const result = await mod.handler(backupJobEvent());

    expect(result).toEqual({ published: true, messageId: 'msg-1', enriched: false });
    const input = publishedInput(sns);
    expect(input.Subject).toBe('[AWS Backup] FAILED backup job in vault prod-vault - RDS orders-db');
    const body = input.Message!;
    expect(body).toContain('Backup job failed (from the event).');
    expect(body).toMatch(new RegExp(`Resource ARN:\\s+${escape(DB_ARN)}\\n`));
    expect(body).toMatch(/Backup plan:\s+plan-1234\n/); // from the event's createdBy
    expect(body).toContain(`Note: job details could not be fetched: DescribeBackupJob failed (ResourceNotFoundException: Cannot find backup job ${BACKUP_JOB_ID}).`);
    expect(body).toContain(`#/jobs/backup/details/${BACKUP_JOB_ID}`);
  });

  test('a failed publish rejects, so Lambda retries and the dead-letter queue keeps the event', async () => {
    backup.on(DescribeBackupJobCommand).resolves(describedBackupJob);
    const boom = Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' });
    sns.on(PublishCommand).rejects(boom);

    await expect(mod.handler(backupJobEvent())).rejects.toThrow('Topic does not exist');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  test.each([
    ['a completed backup job', backupJobEvent({}, { state: 'COMPLETED', statusMessage: undefined })],
    ['a running backup job', backupJobEvent({}, { state: 'RUNNING' })],
    ['a completed copy job', copyJobEvent({ state: 'COMPLETED' })],
    ['a failed restore job (other detail-type)', backupJobEvent({ 'detail-type': 'Restore Job State Change' })],
    ['an event with no state', backupJobEvent({}, { state: undefined })],
    ['something that is not an event', 'hello'],
  ])('%s is ignored: nothing described, nothing published', async (_name, event) => {
    const result = await mod.handler(event);

    expect(result.published).toBe(false);
    expect(backup.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  test('ABORTED and EXPIRED backup jobs alert too, in lower or upper case', async () => {
    backup.on(DescribeBackupJobCommand).resolves(describedBackupJob);
    await mod.handler(backupJobEvent({}, { state: 'aborted' }));
    await mod.handler(backupJobEvent({}, { state: 'EXPIRED' }));

    const subjects = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    expect(subjects).toEqual([
      '[AWS Backup] ABORTED backup job in vault prod-vault - RDS orders-db',
      '[AWS Backup] EXPIRED backup job in vault prod-vault - RDS orders-db',
    ]);
  });

  test('an event with almost nothing in it still alerts, naming the configured vault', async () => {
    const result = await mod.handler({ 'detail-type': 'Backup Job State Change', 'detail': { state: 'FAILED' } });

    expect(result).toEqual({ published: true, messageId: 'msg-1', enriched: false });
    expect(backup.calls()).toHaveLength(0); // no job id to describe
    const input = publishedInput(sns);
    expect(input.Subject).toBe('[AWS Backup] FAILED backup job in vault prod-vault');
    expect(input.Message).toMatch(/Resource ARN:\s+unknown\n/);
    expect(input.Message).toContain('No console link');
    expect(input.Message).toContain('DescribeBackupJob failed (MissingJobId: the event has no backupJobId)');
    expect(input.MessageAttributes?.vaultName?.StringValue).toBe('prod-vault');
  });

  test('a long subject is cut below 100 characters, with newlines and non-ASCII removed', async () => {
    backup.on(DescribeBackupJobCommand).resolves({
      ...describedBackupJob,
      ResourceName: 'orders-db\nSecond line \u00e9\u00e8 \u{1F4A5} ' + 'x'.repeat(150),
    });

    await mod.handler(backupJobEvent());

    const subject = publishedInput(sns).Subject!;
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/); // printable ASCII only: no \n, no control characters
    expect(subject.startsWith('[AWS Backup] FAILED backup job in vault prod-vault - RDS orders-db Second line ?? ? x')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
  });
});

describe('with the real SDK retry pipeline over an in-process transport', () => {
  const useTransport = transportSwap(() => mod.backupClient);

  const throttled: ScriptedReply = { status: 400, errorType: 'ThrottlingException', body: { message: 'Rate exceeded' } };
  const describedOk: ScriptedReply = {
    status: 200,
    body: {
      BackupJobId: BACKUP_JOB_ID,
      BackupVaultName: VAULT,
      ResourceArn: DB_ARN,
      ResourceName: 'orders-db',
      ResourceType: 'RDS',
      State: 'FAILED',
      StatusMessage: 'Described after a throttle.',
      CreationDate: 1793674801.235, // 2026-11-03T03:00:01.235Z, epoch seconds as the service sends it
    },
  };

  test('a throttled DescribeBackupJob is retried by the SDK and then enriches the alert', async () => {
    const t = fakeTransport([throttled, describedOk]);
    useTransport(t);

    const result = await mod.handler(backupJobEvent());

    expect(t.requests).toEqual([
      { method: 'GET', path: `/backup-jobs/${BACKUP_JOB_ID}` },
      { method: 'GET', path: `/backup-jobs/${BACKUP_JOB_ID}` },
    ]);
    expect(result).toEqual({ published: true, messageId: 'msg-1', enriched: true });
    const body = publishedInput(sns).Message!;
    expect(body).toContain('Described after a throttle.');
    expect(body).toMatch(/Job created:\s+2026-11-03T03:00:01.235Z\n/);
    expect(body).not.toContain('could not be fetched');
  });

  test('throttling on every attempt stops after 5 attempts and the alert says so', async () => {
    const t = fakeTransport([throttled]);
    useTransport(t);

    const result = await mod.handler(backupJobEvent());

    expect(t.requests).toHaveLength(mod.MAX_ATTEMPTS);
    expect(mod.MAX_ATTEMPTS).toBe(5);
    expect(result).toEqual({ published: true, messageId: 'msg-1', enriched: false });
    const body = publishedInput(sns).Message!;
    expect(body).toContain('Note: job details could not be fetched: DescribeBackupJob failed after 5 attempts (ThrottlingException: Rate exceeded).');
    expect(body).toContain('Backup job failed (from the event).');
  });

  test('a hanging DescribeCopyJob is abandoned within the time budget and the alert still goes out', async () => {
    const t = fakeTransport(['hang']);
    useTransport(t);
    // 250 ms left for enrichment once the publish reserve is set aside.
    const context = { getRemainingTimeInMillis: () => mod.PUBLISH_RESERVE_MS + 250 };

    const result = await mod.handler(copyJobEvent(), context);

    expect(t.requests).toEqual([{ method: 'GET', path: `/copy-jobs/${COPY_JOB_ID}` }]);
    // The budget, not a wall-clock reading, ended the wait: the hanging request was aborted.
    expect(t.aborted).toBe(1);
    expect(result).toEqual({ published: true, messageId: 'msg-1', enriched: false });
    const body = publishedInput(sns).Message!;
    expect(body).toContain('DescribeCopyJob failed (Timeout: no answer within the 250 ms enrichment budget)');
    expect(body).toContain(`#/jobs/copy/details/${COPY_JOB_ID}`);
  });
});

describe('formatAlert (pure)', () => {
  test('subjects stay under 100 printable ASCII characters whatever the input', () => {
    const hostile = backupJobEvent({}, {
      backupVaultName: 'v'.repeat(30) + '\r\n\tBcc: someone',
      resourceArn: `arn:aws:s3:::${'b'.repeat(63)}`,
      resourceType: 'S3',
    });
    const { subject } = formatAlert(hostile, undefined);
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject).not.toMatch(/[\r\n\t]/);
    expect(subject).toMatch(/^\[AWS Backup\] FAILED backup job in vault v{30} Bcc: someone - S3 b+\.\.\.$/);

    expect(sanitizeSubject('\u00fcber \n\n alert')).toBe('?ber alert');
    expect(sanitizeSubject('\n\n')).toBe('AWS Backup alert');
    expect(sanitizeSubject('a'.repeat(99))).toBe('a'.repeat(99));
    expect(sanitizeSubject('a'.repeat(100))).toBe('a'.repeat(96) + '...');
  });

  test('a copy job outside the configured vault is filed under its destination vault', () => {
    const alert = formatAlert(copyJobEvent(), undefined, undefined, { configuredVaultName: 'another-vault' });
    expect(alert.attributes.vaultName).toBe('dr-vault');
    expect(alert.subject).toBe('[AWS Backup] FAILED copy job in vault dr-vault - RDS orders-db');
  });

  test('console links follow the partition of the region', () => {
    const cn = formatAlert(backupJobEvent({ region: 'cn-north-1' }), undefined).message;
    expect(cn).toContain(`https://console.amazonaws.cn/backup/home?region=cn-north-1#/jobs/backup/details/${BACKUP_JOB_ID}`);
    const gov = formatAlert(backupJobEvent({ region: 'us-gov-west-1' }), undefined).message;
    expect(gov).toContain(`https://console.amazonaws-us-gov.com/backup/home?region=us-gov-west-1#/jobs/backup/details/${BACKUP_JOB_ID}`);
  });
});

describe('configuration', () => {
  test('a missing TOPIC_ARN fails the invocation with a message naming the variable (Lambda retries, then dead-letters)', async () => {
    const saved = process.env.TOPIC_ARN;
    delete process.env.TOPIC_ARN;
    try {
      await expect(mod.handler(backupJobEvent())).rejects.toThrow(/environment variable TOPIC_ARN is required/);
      expect(sns.calls()).toHaveLength(0);
    } finally {
      process.env.TOPIC_ARN = saved;
    }
  });

  test('a TOPIC_ARN that is not an SNS topic ARN fails the invocation', async () => {
    const saved = process.env.TOPIC_ARN;
    process.env.TOPIC_ARN = 'backup-alerts';
    try {
      await expect(mod.handler(backupJobEvent())).rejects.toThrow(/TOPIC_ARN must be an SNS topic ARN .* got "backup-alerts"/);
      expect(sns.calls()).toHaveLength(0);
    } finally {
      process.env.TOPIC_ARN = saved;
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
