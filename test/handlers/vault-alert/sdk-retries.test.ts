/** Vault alert: retries and time-outs through the real SDK pipeline over an in-process transport. */
import 'aws-sdk-client-mock-jest';
import {
  VAULT, DB_ARN, BACKUP_JOB_ID, COPY_JOB_ID, backupJobEvent, copyJobEvent, publishedInput, mod, sns, installVaultAlertStubs,
} from './fixtures';
import { fakeTransport, transportSwap, type ScriptedReply } from '../../support/fake-transport';

installVaultAlertStubs();

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
