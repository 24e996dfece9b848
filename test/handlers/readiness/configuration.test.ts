/** Readiness check: configuration from the environment and the pure evaluation. */
import { ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import 'aws-sdk-client-mock-jest';
import { DR, PRIMARY, NS, VAULT, DB_ARN, NOW, RPO, ago, rp, BASE_ENV, setConfig, mod, backupDr, cwDr, installReadinessStubs } from './fixtures';
import { parseReadinessConfig, ReadinessConfigError, type ReadinessConfig } from '../../../lambda-src/readiness/config';
import { evaluateReadiness, newestRecoveryPoint } from '../../../lambda-src/readiness/evaluate';

installReadinessStubs();

describe('configuration', () => {
  test('invalid JSON in an environment variable is a clear error, and the handler makes no call', async () => {
    setConfig({ PROTECTED_RESOURCES: '[{"arn": "arn:aws:rds:us-east-1:111122223333:db:orders"' });

    await expect(mod.handler()).rejects.toThrow(/PROTECTED_RESOURCES is not valid JSON \(.+\); got \[\{"arn"/);
    expect(backupDr.calls()).toHaveLength(0);
    expect(cwDr.calls()).toHaveLength(0);
  });

  test('every problem is reported at once, naming the variable and the value', () => {
    let error: unknown;
    try {
      parseReadinessConfig({
        DR_REGION: 'us-east-1',
        PRIMARY_REGION: 'us-east-1',
        RPO_SECONDS: '15m',
        METRIC_NAMESPACE: 'AWS/Backup',
        PROTECTED_RESOURCES: '[{"arn":"orders-db"}]',
        BACKUP_RESOURCE_TYPES: '"RDS"',
        REPLICATION: '[{"sourceBucket":"a"},{"sourceBucket":"","destinationBucket":"d","ruleId":"r"}]',
        DATABASES: '[{"kind":"oracle","identifier":"x","region":"us-east-1"}]',
        HEALTH_CHECK_ID: 'my-health-check',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ReadinessConfigError);
    const problems = (error as ReadinessConfigError).problems;
    expect(problems).toEqual([
      'DR_REGION and PRIMARY_REGION must differ, both are "us-east-1"',
      'RPO_SECONDS must be a positive whole number, got "15m"',
      'METRIC_NAMESPACE must be 1-255 letters, digits or . - _ / # : and must not start with "AWS/", got "AWS/Backup"',
      'PROTECTED_RESOURCES[0].arn must be a resource ARN (starting with "arn:"), got "orders-db"',
      'PROTECTED_RESOURCES is set but DR_VAULT_NAME is not: recovery points are measured in the DR vault, so name it',
      'BACKUP_RESOURCE_TYPES must be a JSON array, got "RDS"',
      'REPLICATION[0] needs non-empty string destinationBucket, ruleId, got {"sourceBucket":"a"}',
      'REPLICATION[1] needs non-empty string sourceBucket, got {"sourceBucket":"","destinationBucket":"d","ruleId":"r"}',
      'DATABASES[0].kind must be one of aurora-global, rds-replica, dynamodb-global, got "oracle"',
      'HEALTH_CHECK_ID must be a Route 53 health check id (a UUID), got "my-health-check"',
    ]);
    expect((error as Error).message).toMatch(/^readiness: invalid configuration:\n- DR_REGION and PRIMARY_REGION/);
  });

  test('a database in a third region is rejected: only the two DR regions are measured', () => {
    expect(() => parseReadinessConfig({ ...BASE_ENV, DATABASES: '[{"kind":"rds-replica","identifier":"r","region":"ap-south-1"}]' }))
      .toThrow('DATABASES[0].region must be DR_REGION (eu-central-1) or PRIMARY_REGION (us-east-1), got "ap-south-1"');
  });

  test('a valid environment parses with defaults', () => {
    expect(parseReadinessConfig(BASE_ENV)).toEqual({
      drRegion: DR,
      primaryRegion: PRIMARY,
      rpoSeconds: RPO,
      metricNamespace: NS,
      drVaultName: VAULT,
      protectedResources: [{ arn: DB_ARN, resourceType: 'RDS' }],
      backupResourceTypes: [],
      replication: [],
      databases: [],
      metricLookbackSeconds: 900,
      primaryRegionTimeoutMs: 8000,
    });
  });

  test('a failed PutMetricData fails the run, so the broken check itself is visible', async () => {
    backupDr.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp('new', 60)] });
    cwDr.on(PutMetricDataCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));

    await expect(mod.handler()).rejects.toThrow('not authorized');
  });
});

describe('pure evaluation', () => {
  const config: ReadinessConfig = parseReadinessConfig(BASE_ENV);

  test('the data time of a recovery point is the older of its creation and initiation dates', () => {
    const newest = newestRecoveryPoint([
      { RecoveryPointArn: 'copy', Status: 'COMPLETED', CreationDate: ago(60), InitiationDate: ago(3000) },
      { RecoveryPointArn: 'other', Status: 'AVAILABLE', CreationDate: ago(1200) },
    ]);
    expect(newest).toEqual({ recoveryPointArn: 'other', dataTime: ago(1200) });
  });

  test('an age exactly at the RPO is not a breach; one second more is', () => {
    const withAge = (seconds: number) => evaluateReadiness(config, {
      recoveryPoints: [{ resourceArn: DB_ARN, newest: { dataTime: ago(seconds) } }], replication: [], databases: [], optIn: [],
    }, NOW);
    const at = withAge(RPO);
    const over = withAge(RPO + 1);
    expect(at.summary.breaches).toBe(0);
    expect(over.summary.breaches).toBe(1);
  });
});
