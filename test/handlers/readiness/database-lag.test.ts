/** Readiness check: replication lag of the DR databases. */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import 'aws-sdk-client-mock-jest';
import { DR, NOW, setConfig, mod, cwDr, cwPrimary, putMetricInput, count, metricAnswers, installReadinessStubs } from './fixtures';

installReadinessStubs();

describe('database lag', () => {
  const dbEnv = (dbs: unknown[]) => setConfig({ DR_VAULT_NAME: undefined, PROTECTED_RESOURCES: undefined, DATABASES: JSON.stringify(dbs) });

  test('Aurora RPO lag above the RPO is a breach, read in the DR region and converted from ms', async () => {
    dbEnv([{ kind: 'aurora-global', identifier: 'orders-secondary', region: DR }]);
    cwDr.on(GetMetricDataCommand).callsFake(metricAnswers({ aurora_rpo_0: [4_000_000], aurora_rep_0: [900] }));

    const summary = await mod.handler();

    const queries = cwDr.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries!;
    expect(queries.map((q) => [q.Id, q.MetricStat!.Metric!.Namespace, q.MetricStat!.Metric!.MetricName, q.MetricStat!.Metric!.Dimensions])).toEqual([
      ['aurora_rpo_0', 'AWS/RDS', 'AuroraGlobalDBRPOLag', [{ Name: 'DBClusterIdentifier', Value: 'orders-secondary' }]],
      ['aurora_rep_0', 'AWS/RDS', 'AuroraGlobalDBReplicationLag', [{ Name: 'DBClusterIdentifier', Value: 'orders-secondary' }]],
    ]);
    expect(cwPrimary.calls()).toHaveLength(0);
    expect(summary.breaches).toBe(1);
    expect(summary.checks[0]).toMatchObject({ type: 'database', status: 'BREACH', valueSeconds: 4000 });
    expect(summary.checks[0].detail).toContain('AuroraGlobalDBRPOLag');
    expect(putMetricInput().MetricData).toEqual([
      { MetricName: 'DatabaseLagSeconds', Dimensions: [{ Name: 'Identifier', Value: 'orders-secondary' }], Value: 4000, Unit: 'Seconds', Timestamp: NOW },
      count('RpoBreaches', 1),
      count('ChecksUnknown', 0),
    ]);
  });

  test('Aurora MySQL has no RPO lag metric: the replication lag is used', async () => {
    dbEnv([{ kind: 'aurora-global', identifier: 'orders-secondary', region: DR }]);
    cwDr.on(GetMetricDataCommand).callsFake(metricAnswers({ aurora_rep_0: [1500] }));

    const summary = await mod.handler();

    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 1.5 });
    expect(summary.checks[0].detail).toContain('AuroraGlobalDBReplicationLag');
  });

  test('RDS ReplicaLag is in seconds; -1 (replication not running) is a breach', async () => {
    dbEnv([
      { kind: 'rds-replica', identifier: 'orders-replica', region: DR },
      { kind: 'rds-replica', identifier: 'billing-replica', region: DR },
    ]);
    cwDr.on(GetMetricDataCommand).callsFake(metricAnswers({ rds_0: [12], rds_1: [-1] }));

    const summary = await mod.handler();

    expect(summary.checks.map((c) => [c.target, c.status, c.valueSeconds])).toEqual([
      ['rds-replica orders-replica (eu-central-1)', 'OK', 12],
      ['rds-replica billing-replica (eu-central-1)', 'BREACH', null],
    ]);
    expect(summary.checks[1].detail).toContain('replication is not running');
    expect(putMetricInput().MetricData).toEqual([
      { MetricName: 'DatabaseLagSeconds', Dimensions: [{ Name: 'Identifier', Value: 'orders-replica' }], Value: 12, Unit: 'Seconds', Timestamp: NOW },
      count('RpoBreaches', 1),
      count('ChecksUnknown', 0),
    ]);
  });

  test('DynamoDB replication into the DR replica is read where it is emitted (the sending region)', async () => {
    dbEnv([{ kind: 'dynamodb-global', identifier: 'orders', region: DR }]);
    cwPrimary.on(GetMetricDataCommand).callsFake(metricAnswers({ ddb_0: [850] }));

    const summary = await mod.handler();

    const q = cwPrimary.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries![0];
    expect(q.MetricStat!.Metric).toEqual({
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: [{ Name: 'TableName', Value: 'orders' }, { Name: 'ReceivingRegion', Value: DR }],
    });
    expect(summary.checks[0]).toMatchObject({ status: 'OK', valueSeconds: 0.85 });
  });
});
