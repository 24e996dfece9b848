/** Vault alert: the pure alert formatter and configuration from the environment. */
import 'aws-sdk-client-mock-jest';
import { BACKUP_JOB_ID, backupJobEvent, copyJobEvent, mod, sns, installVaultAlertStubs } from './fixtures';
import { formatAlert, sanitizeSubject } from '../../../lambda-src/vault-alert/format';

installVaultAlertStubs();

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
