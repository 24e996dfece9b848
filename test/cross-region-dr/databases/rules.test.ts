/** DR databases: the synth-time rules. */
import { CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ACCOUNT, PRIMARY, DR, fixture, auroraPostgres, postgresInstance, sessionsTable } from './fixtures';
import { addAuroraGlobalCluster } from '../../../src/cross-region-dr/aurora-global';
import { addGlobalTable } from '../../../src/cross-region-dr/dynamodb-global';
import { addRdsReadReplica } from '../../../src/cross-region-dr/rds-replica';
import { ComplianceRuleError } from '../../../src/validation/errors';

// One test per rule, each checking the whole message.
describe('synth-time rules', () => {
  test('an Aurora cluster needs an explicit clusterIdentifier', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, { clusterIdentifier: undefined });
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network())).toThrow(ComplianceRuleError);
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network())).toThrow(
      'Primary/Orders: clusterIdentifier is undefined; user databases need explicit physical identifiers: set clusterIdentifier '
      + 'so that the DR region can refer to the cluster by name and ARN (CloudFormation references do not cross regions)');
  });

  test('an RDS instance needs an explicit instanceIdentifier', () => {
    const f = fixture();
    const instance = postgresInstance(f, { instanceIdentifier: undefined });
    expect(() => addRdsReadReplica(f.ctx, instance, f.network())).toThrow(
      'Primary/Billing: instanceIdentifier is undefined; user databases need explicit physical identifiers: set instanceIdentifier '
      + 'so that the DR region can refer to the instance by name and ARN (CloudFormation references do not cross regions)');
  });

  test('a global table needs an explicit tableName', () => {
    const f = fixture();
    expect(() => addGlobalTable(f.ctx, f.dr, sessionsTable(f, { tableName: undefined }))).toThrow(
      'Primary/Sessions: tableName is (token); user databases need explicit physical identifiers: set tableName '
      + 'so that the DR region can refer to the table by name and ARN (CloudFormation references do not cross regions)');
  });

  test('a global table needs a replica in the DR region (checked at synth)', () => {
    const f = fixture();
    addGlobalTable(f.ctx, f.dr, sessionsTable(f, { replicas: [{ region: 'us-west-2' }] }));
    expect(() => f.app.synth()).toThrow(
      `Primary/Sessions: replicas is ['us-west-2', '${PRIMARY}']; the table has no replica in the DR region ${DR}: `
      + `add replicas: [{ region: '${DR}' }] to the TableV2 (and, for a customer-managed key, '${DR}': crossRegionDr.drKeyAliasArn `
      + 'in the replicaKeyArns of TableEncryptionV2.customerManagedKey())');
  });

  test('the source database must be in the primary region', () => {
    const f = fixture();
    const elsewhere = new Stack(f.app, 'Elsewhere', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const vpc = new ec2.Vpc(elsewhere, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const cluster = auroraPostgres({ ...f, vpc }, {}, elsewhere);
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network())).toThrow(
      `Elsewhere/Orders: the stack region is 'us-east-1'; a protected database must be in the primary region of the CrossRegionDr (${PRIMARY})`);
    const agnostic = new Stack(f.app, 'Agnostic');
    expect(() => addGlobalTable(f.ctx, f.dr, new dynamodb.TableV2(agnostic, 'T', {
      tableName: 't', partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    }))).toThrow(`Agnostic/T: the stack region is (token); a protected database must be in a stack of the primary region (${PRIMARY}): `
      + 'set env: { region } on its stack');
  });

  test('the source database must be storage-encrypted', () => {
    const f = fixture();
    const instance = postgresInstance(f, { storageEncrypted: false });
    expect(() => addRdsReadReplica(f.ctx, instance, f.network())).toThrow(
      'Primary/Billing: storageEncrypted is false; the DR copy is encrypted with the DR key, and RDS encrypts a cross-region copy only '
      + 'of an encrypted source: set storageEncrypted: true (or a storageEncryptionKey)');
    const g = fixture();
    expect(() => addAuroraGlobalCluster(g.ctx, g.dr, auroraPostgres(g, { storageEncrypted: undefined }), g.network()))
      .toThrow(/^Primary\/Orders: storageEncrypted is undefined; /);
  });

  test('the engine must be Aurora MySQL or Aurora PostgreSQL', () => {
    const f = fixture();
    const cluster = auroraPostgres(f);
    (cluster.node.defaultChild as rds.CfnDBCluster).engine = 'aurora';
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network())).toThrow(
      "Primary/Orders: engine is 'aurora'; an Aurora global database needs engine aurora-mysql or aurora-postgresql "
      + '(Aurora MySQL 5.6, engine aurora, has reached end of life)');
  });

  test('Aurora Serverless v1 cannot join a global database', () => {
    const f = fixture();
    const cluster = auroraPostgres(f);
    (cluster.node.defaultChild as rds.CfnDBCluster).engineMode = 'serverless';
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network())).toThrow(
      "Primary/Orders: engineMode is 'serverless'; Aurora Serverless v1 cannot join a global database; use provisioned or Serverless v2 instances");
  });

  test('a backtracking Aurora MySQL cluster cannot join a global database', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, {
      engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_05_2 }),
      backtrackWindow: Duration.hours(24),
    });
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network())).toThrow(
      'Primary/Orders: backtrackWindow is 86400 seconds; Aurora global databases do not support backtracking; remove backtrackWindow');
  });

  test('the engine version must be pinned', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, {
      engine: rds.DatabaseClusterEngine.AURORA_POSTGRESQL,
      parameterGroup: rds.ParameterGroup.fromParameterGroupName(f.primary, 'Params', 'default.aurora-postgresql16'),
    });
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network())).toThrow(
      "Primary/Orders: the engine version is undefined; the secondary must run the primary's exact engine version: pin it, "
      + 'e.g. DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_16_4 })');
  });

  test('the engine version must support global databases', () => {
    const supported = 'Aurora global databases need Aurora MySQL 2.07 or later (every 3.x), or Aurora PostgreSQL 10.14+, 11.9+, '
      + '12.4+, 13.3+, 14.3+ or a later major version';
    const attempt = (engine: rds.IClusterEngine) => {
      const f = fixture();
      return () => addAuroraGlobalCluster(f.ctx, f.dr, auroraPostgres(f, { engine }), f.network());
    };
    expect(attempt(rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_11_4 }))).toThrow(
      `Primary/Orders: the engine version is 'aurora-postgresql 11.4'; ${supported}`);
    expect(attempt(rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_04_0 }))).toThrow(
      `Primary/Orders: the engine version is 'aurora-mysql 5.7.mysql_aurora.2.04.0'; ${supported}`);
    expect(attempt(rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_07_0 }))).not.toThrow();
    expect(attempt(rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_11_9 }))).not.toThrow();
  });

  test('identifiers follow the RDS rules', () => {
    const f = fixture();
    const cluster = auroraPostgres(f);
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network(), { globalClusterIdentifier: 'orders--global' })).toThrow(
      "Primary/Orders: globalClusterIdentifier is 'orders--global'; an RDS identifier is 1-63 letters, digits and hyphens, "
      + 'starts with a letter, and has no two consecutive hyphens and no trailing hyphen');
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network(), { secondaryClusterIdentifier: '1orders' }))
      .toThrow(/^Primary\/Orders: secondaryClusterIdentifier is '1orders'; an RDS identifier/);
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network(), { globalClusterIdentifier: 'x'.repeat(64) }))
      .toThrow(/globalClusterIdentifier is 'x{64}'/);
    expect(() => addRdsReadReplica(f.ctx, postgresInstance(f), f.network(), { replicaIdentifier: 'billing-' }))
      .toThrow(/^Primary\/Billing: replicaIdentifier is 'billing-'; an RDS identifier/);
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network(), {
      globalClusterIdentifier: Lazy.string({ produce: () => 'late' }),
    })).toThrow('Primary/Orders: globalClusterIdentifier is (token); the identifier must be known at synth: the other region refers '
      + 'to it by name and ARN, and CloudFormation references do not cross regions');
  });

  test('a secondary cluster has 1-16 instances', () => {
    const f = fixture();
    const cluster = auroraPostgres(f);
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network(), { secondaryInstances: 0 })).toThrow(
      'Primary/Orders: secondaryInstances is 0; a secondary cluster has 1-16 DB instances; at least one, so that it can take writes '
      + 'right after a failover');
    expect(() => addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network(), { secondaryInstances: 17 })).toThrow(/secondaryInstances is 17;/);
  });

  test('a read replica needs a known instance class', () => {
    const f = fixture();
    const instance = postgresInstance(f);
    (instance.node.defaultChild as rds.CfnDBInstance).dbInstanceClass = new CfnParameter(f.primary, 'ReplicaClass').valueAsString;
    expect(() => addRdsReadReplica(f.ctx, instance, f.network())).toThrow(
      "Primary/Billing: instanceType is (unknown at synth); the source instance's class is not known at synth: set instanceClass "
      + 'in the read replica options');
  });

  test('the generated secret is not also replicated to the DR region by the user (checked at synth)', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, { credentials: rds.Credentials.fromGeneratedSecret('orders_admin', { replicaRegions: [{ region: DR }] }) });
    addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network());
    expect(() => f.app.synth()).toThrow(
      `Primary/Orders/Secret: replicaRegions is ['${DR}', '${DR}']; CrossRegionDr replicates the generated secret to ${DR} `
      + `with the DR key; remove ${DR} from the credentials' replicaRegions`);
  });
});
