/** Vault alert: the alert built with the Backup client stubbed. */
import { DescribeBackupJobCommand, DescribeCopyJobCommand, ResourceNotFoundException } from '@aws-sdk/client-backup';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  TOPIC_ARN, ACCOUNT, REGION, VAULT_ARN, DR_VAULT_ARN, DB_ARN, BACKUP_JOB_ID, COPY_JOB_ID, ROLE_ARN, backupJobEvent, copyJobEvent,
  describedBackupJob, publishedInput, mod, sns, escape, installVaultAlertStubs,
} from './fixtures';

installVaultAlertStubs();

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
