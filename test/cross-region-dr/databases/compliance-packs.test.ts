/** DR databases: the library's database DR passes the compliance packs. */
import * as rds from 'aws-cdk-lib/aws-rds';
import { fixture, auroraPostgres, postgresInstance, sessionsTable, acknowledgeUserResources } from './fixtures';
import { addAuroraGlobalCluster } from '../../../src/cross-region-dr/aurora-global';
import { addGlobalTable } from '../../../src/cross-region-dr/dynamodb-global';
import { addRdsReadReplica } from '../../../src/cross-region-dr/rds-replica';
import { describeFindings, synthFindings } from '../../support/compliance';

describe('the library\'s database DR passes the compliance packs (all three stacks)', () => {
  test('Aurora PostgreSQL, RDS PostgreSQL and a DynamoDB global table', () => {
    const f = fixture();
    const cluster = auroraPostgres(f);
    const instance = postgresInstance(f);
    addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network());
    addRdsReadReplica(f.ctx, instance, f.network());
    addGlobalTable(f.ctx, f.dr, sessionsTable(f));
    acknowledgeUserResources(f.vpc, cluster, instance);
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('Aurora MySQL (no backtracking, default port) and a single-AZ MySQL replica', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, { engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_05_2 }) });
    const instance = postgresInstance(f, { engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 }) });
    addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network(), { secondaryInstances: 2 });
    addRdsReadReplica(f.ctx, instance, f.network(), { multiAz: false });
    acknowledgeUserResources(f.vpc, cluster, instance);
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('control: without the user acknowledgements the packs report the user\'s resources, and only those', () => {
    const f = fixture();
    addAuroraGlobalCluster(f.ctx, f.dr, auroraPostgres(f), f.network());
    addRdsReadReplica(f.ctx, postgresInstance(f), f.network());
    const findings = synthFindings(f.app);
    expect(findings.length).toBeGreaterThan(0);
    const paths = findings.flatMap((x) => x.paths);
    expect(paths.filter((p) => !/^Primary\/(AppVpc|Orders|Billing)\//.test(p))).toEqual([]);
  });
});
