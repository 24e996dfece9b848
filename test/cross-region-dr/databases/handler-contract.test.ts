/** DR databases: the entries are what the handlers accept, cross-region references and deriveIdentifier. */
import { ACCOUNT, PRIMARY, DR, fixture, auroraPostgres, postgresInstance, sessionsTable } from './fixtures';
import { parseFailoverConfig } from '../../../lambda-src/failover/config';
import { parseReadinessConfig } from '../../../lambda-src/readiness/config';
import { addAuroraGlobalCluster } from '../../../src/cross-region-dr/aurora-global';
import { deriveIdentifier } from '../../../src/cross-region-dr/database-common';
import { addGlobalTable } from '../../../src/cross-region-dr/dynamodb-global';
import { addRdsReadReplica } from '../../../src/cross-region-dr/rds-replica';

describe('the entries are what the handlers accept', () => {
  test('AURORA_GLOBAL_CLUSTERS, RDS_REPLICAS and DATABASES parse', () => {
    const f = fixture({ partition: 'aws' });
    const aurora = addAuroraGlobalCluster(f.ctx, f.dr, auroraPostgres(f), f.network());
    const replica = addRdsReadReplica(f.ctx, postgresInstance(f), f.network());
    const table = addGlobalTable(f.ctx, f.dr, sessionsTable(f));
    const failover = parseFailoverConfig({
      ACTIVE_REGION_PARAMETER: '/dr-test/active-region',
      PRIMARY_REGION: PRIMARY,
      DR_REGION: DR,
      TOPIC_ARN: `arn:aws:sns:${DR}:${ACCOUNT}:dr`,
      METRIC_NAMESPACE: 'Test/DR',
      RTO_SECONDS: '3600',
      // What the runbook renders into the failover handler's environment from these entries.
      AURORA_GLOBAL_CLUSTERS: JSON.stringify([{
        globalClusterIdentifier: aurora.runbookEntry.globalClusterIdentifier, secondaryClusterArn: aurora.runbookEntry.secondaryClusterArn,
      }]),
      RDS_REPLICAS: JSON.stringify([replica.runbookEntry.identifier]),
    });
    expect(failover.auroraGlobalClusters).toEqual([{
      globalClusterIdentifier: 'dr-test-orders', secondaryClusterArn: `arn:aws:rds:${DR}:${ACCOUNT}:cluster:orders-dr`,
    }]);
    expect(failover.rdsReplicas).toEqual(['billing-dr']);
    const readiness = parseReadinessConfig({
      DR_REGION: DR,
      PRIMARY_REGION: PRIMARY,
      RPO_SECONDS: '900',
      METRIC_NAMESPACE: 'Test/DR',
      DATABASES: JSON.stringify([aurora.readiness, replica.readiness, table.readiness]),
    });
    expect(readiness.databases).toEqual([aurora.readiness, replica.readiness, table.readiness]);
  });
});

describe('cross-region references', () => {
  test('no Fn::ImportValue or export anywhere, and the app synthesizes', () => {
    const f = fixture();
    addAuroraGlobalCluster(f.ctx, f.dr, auroraPostgres(f), f.network());
    addRdsReadReplica(f.ctx, postgresInstance(f), f.network());
    addGlobalTable(f.ctx, f.dr, sessionsTable(f));
    const assembly = f.app.synth();
    for (const stack of [f.primary, f.drStack, f.recoveryStack]) {
      const template = JSON.stringify(assembly.getStackByName(stack.stackName).template);
      expect(template).not.toContain('Fn::ImportValue');
      expect(template).not.toContain('"Export"');
    }
    expect(f.recoveryStack.dependencies).toContain(f.primary);
  });
});

describe('deriveIdentifier', () => {
  test('valid RDS identifiers, long ones shortened with a hash', () => {
    expect(deriveIdentifier('dr-3f2a', 'Orders_DB')).toBe('dr-3f2a-orders-db');
    expect(deriveIdentifier('9lives', 'x--y-')).toBe('lives-x-y');
    const long = deriveIdentifier('a'.repeat(70));
    expect(long).toMatch(/^a{54}-[0-9a-f]{8}$/);
    expect(deriveIdentifier('a'.repeat(70))).toBe(long);
    expect(deriveIdentifier('a'.repeat(71))).not.toBe(long);
  });
});
