/** Readiness check: recovery points in the DR vault and the AWS Backup opt-in. */
import { DescribeRegionSettingsCommand, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import 'aws-sdk-client-mock-jest';
import {
  NS, VAULT, DB_ARN, TABLE_ARN, NOW, RPO, ago, rp, setConfig, mod, backupDr, backupPrimary, cwDr, cwPrimary, putMetricInput, count,
  installReadinessStubs,
} from './fixtures';

installReadinessStubs();

describe('recovery points in the DR vault', () => {
  test('a fresh recovery point is no breach, and the metrics are exactly the age, max, missing, breaches and unknown', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('old', 5000), rp('new', 600)] });

    const summary = await mod.handler();

    expect(backupDr).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: VAULT, ByResourceArn: DB_ARN });
    expect(summary.breaches).toBe(0);
    expect(summary.unknown).toBe(0);
    expect(summary.checks).toEqual([expect.objectContaining({
      type: 'recovery-point', target: DB_ARN, status: 'OK', valueSeconds: 600, thresholdSeconds: RPO,
    })]);
    expect(summary.checks[0].detail).toContain(`recovery-point:new holds data from ${ago(600).toISOString()}`);
    expect(putMetricInput()).toEqual({
      Namespace: NS,
      MetricData: [
        { MetricName: 'RecoveryPointAgeSeconds', Dimensions: [{ Name: 'ResourceArn', Value: DB_ARN }], Value: 600, Unit: 'Seconds', Timestamp: NOW },
        { MetricName: 'MaxRecoveryPointAgeSeconds', Value: 600, Unit: 'Seconds', Timestamp: NOW },
        count('MissingRecoveryPoints', 0),
        count('RpoBreaches', 0),
        count('ChecksUnknown', 0),
      ],
    });
    // Nothing configured for replication, databases or opt-in: no other API is touched.
    expect(cwDr).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(cwPrimary.calls()).toHaveLength(0);
    expect(backupPrimary.calls()).toHaveLength(0);
  });

  test('a recovery point older than the RPO is a breach: RpoBreaches=1', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('stale', RPO + 900)] });

    const summary = await mod.handler();

    expect(summary.breaches).toBe(1);
    expect(summary.checks[0]).toMatchObject({ status: 'BREACH', valueSeconds: RPO + 900 });
    const data = putMetricInput().MetricData!;
    expect(data).toContainEqual({ MetricName: 'RecoveryPointAgeSeconds', Dimensions: [{ Name: 'ResourceArn', Value: DB_ARN }], Value: 4500, Unit: 'Seconds', Timestamp: NOW });
    expect(data).toContainEqual({ MetricName: 'MaxRecoveryPointAgeSeconds', Value: 4500, Unit: 'Seconds', Timestamp: NOW });
    expect(data).toContainEqual(count('RpoBreaches', 1));
    expect(data).toContainEqual(count('MissingRecoveryPoints', 0));
  });

  test('no usable recovery point is a breach counted in MissingRecoveryPoints, with no age published', async () => {
    // Only a PARTIAL and a CREATING one: neither can be relied on for a restore.
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('p', 60, 'PARTIAL'), rp('c', 10, 'CREATING')] });

    const summary = await mod.handler();

    expect(summary).toMatchObject({ breaches: 1, missingRecoveryPoints: 1, unknown: 0 });
    expect(summary.checks[0]).toMatchObject({ status: 'BREACH', valueSeconds: null, detail: 'no completed recovery point in the DR vault' });
    expect(putMetricInput().MetricData).toEqual([
      count('MissingRecoveryPoints', 1),
      count('RpoBreaches', 1),
      count('ChecksUnknown', 0),
    ]);
  });

  test('all pages are read: the newest recovery point on the second page wins', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [rp('a', 9000)], NextToken: 'page-2' })
      .resolvesOnce({ RecoveryPoints: [rp('b', 120)] });

    const summary = await mod.handler();

    expect(backupDr).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 2);
    expect(backupDr).toHaveReceivedNthSpecificCommandWith(2, ListRecoveryPointsByBackupVaultCommand, { NextToken: 'page-2', ByResourceArn: DB_ARN });
    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 120 });
  });

  test('without PROTECTED_RESOURCES every resource in the DR vault is measured', async () => {
    setConfig({ PROTECTED_RESOURCES: undefined });
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [rp('db-1', 300), rp('t-1', 7200, 'COMPLETED', TABLE_ARN), rp('t-2', 60, 'EXPIRED', TABLE_ARN)],
    });

    const summary = await mod.handler();

    const call = backupDr.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0].input;
    expect(call.ByResourceArn).toBeUndefined();
    expect(summary.checks.map((c) => [c.target, c.status, c.valueSeconds])).toEqual([
      [TABLE_ARN, 'BREACH', 7200], // the EXPIRED newer one does not count
      [DB_ARN, 'OK', 300],
    ]);
    expect(putMetricInput().MetricData).toContainEqual({ MetricName: 'MaxRecoveryPointAgeSeconds', Value: 7200, Unit: 'Seconds', Timestamp: NOW });
  });

  test('a vault that cannot be listed makes the check UNKNOWN, not OK and not a crash', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    const summary = await mod.handler();

    expect(summary).toMatchObject({ breaches: 0, unknown: 1 });
    expect(summary.checks[0].detail).toContain('AccessDeniedException: User is not authorized');
    expect(putMetricInput().MetricData).toContainEqual(count('ChecksUnknown', 1));
  });
});

describe('AWS Backup opt-in', () => {
  test('a type not opted in in one region gives BackupOptInMissing=1 naming the type and the region', async () => {
    setConfig({ BACKUP_RESOURCE_TYPES: '["RDS","S3"]' });
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('new', 60)] });
    backupDr.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { RDS: true, S3: true, EFS: false } });
    backupPrimary.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { RDS: true, S3: false } });

    const summary = await mod.handler();

    expect(backupDr).toHaveReceivedCommandTimes(DescribeRegionSettingsCommand, 1);
    expect(backupPrimary).toHaveReceivedCommandTimes(DescribeRegionSettingsCommand, 1);
    expect(summary.optInMissing).toBe(1);
    expect(summary.breaches).toBe(0); // opt-in is its own metric, not an RPO breach
    const optIn = summary.checks.filter((c) => c.type === 'backup-opt-in');
    expect(optIn.map((c) => [c.target, c.status])).toEqual([
      ['RDS in eu-central-1', 'OK'], ['S3 in eu-central-1', 'OK'],
      ['RDS in us-east-1', 'OK'], ['S3 in us-east-1', 'BREACH'],
    ]);
    expect(optIn[3].detail).toContain('AWS Backup is not opted in for S3 in us-east-1');
    expect(putMetricInput().MetricData).toContainEqual(count('BackupOptInMissing', 1));
  });

  test('a type the region does not list counts as missing; an unanswered region is UNKNOWN', async () => {
    setConfig({ BACKUP_RESOURCE_TYPES: '["Aurora"]', DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined });
    backupDr.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { RDS: true } });
    backupPrimary.on(DescribeRegionSettingsCommand).rejects(Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' }));

    const summary = await mod.handler();

    expect(summary.checks).toEqual([
      expect.objectContaining({ target: 'Aurora in eu-central-1', status: 'BREACH', detail: expect.stringContaining('not listed by DescribeRegionSettings') }),
      expect.objectContaining({ target: 'Aurora in us-east-1', status: 'UNKNOWN', detail: expect.stringContaining('TimeoutError: connect ETIMEDOUT') }),
    ]);
    expect(backupDr).not.toHaveReceivedCommand(ListRecoveryPointsByBackupVaultCommand); // no DR vault configured
    expect(putMetricInput().MetricData).toEqual([count('BackupOptInMissing', 1), count('RpoBreaches', 0), count('ChecksUnknown', 1)]);
  });
});
