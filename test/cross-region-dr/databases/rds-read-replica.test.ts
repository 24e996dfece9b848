/** DR databases: addRdsReadReplica. */
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ACCOUNT, PRIMARY, DR, ALIAS_ARN, fixture, postgresInstance, resource } from './fixtures';
import { addRdsReadReplica } from '../../../src/cross-region-dr/rds-replica';

describe('addRdsReadReplica', () => {
  const f = fixture();
  const instance = postgresInstance(f);
  const added = addRdsReadReplica(f.ctx, instance, f.network());
  const recovery = Template.fromStack(f.recoveryStack);

  test('the replica is in the recovery stack: source by ARN string, source region, DR key, no credentials', () => {
    const replica = resource(recovery, 'AWS::RDS::DBInstance', 'DatabasesRdsReplicaBilling');
    expect(replica.Properties).toEqual({
      DBInstanceIdentifier: 'billing-dr',
      SourceDBInstanceIdentifier: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:${PRIMARY}:${ACCOUNT}:db:billing`]] },
      SourceRegion: PRIMARY,
      Engine: 'postgres',
      DBInstanceClass: 'db.m6g.large',
      StorageEncrypted: true,
      KmsKeyId: ALIAS_ARN,
      DBSubnetGroupName: { Ref: expect.stringMatching(/^DatabasesNetworkSubnetGroup/) },
      VPCSecurityGroups: [{ 'Fn::GetAtt': [expect.stringMatching(/^DatabasesNetworkSecurityGroup/), 'GroupId'] }],
      Port: '5432',
      MultiAZ: true,
      PubliclyAccessible: false,
      DeletionProtection: true,
      AutoMinorVersionUpgrade: true,
      CopyTagsToSnapshot: true,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      MonitoringInterval: 60,
      MonitoringRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DatabasesMonitoringRole/), 'Arn'] },
      BackupRetentionPeriod: 7,
      StorageType: 'gp2',
    });
    expect(replica.DeletionPolicy).toBe('Retain');
    expect(f.primary.resolve(added.sourceInstanceArn)).toEqual(replica.Properties.SourceDBInstanceIdentifier);
  });

  test('the generated credentials secret is replicated to the DR region with the DR key', () => {
    const secret = resource(Template.fromStack(f.primary), 'AWS::SecretsManager::Secret', 'BillingSecret');
    expect(secret.Properties.ReplicaRegions).toEqual([{ Region: DR, KmsKeyId: ALIAS_ARN }]);
    expect(added.replicatedSecret).toBeDefined();
  });

  test('an alarm on ReplicaLag (seconds, Maximum) above the RPO goes to the DR topic', () => {
    recovery.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/RDS',
      MetricName: 'ReplicaLag',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'billing-dr' }],
      Statistic: 'Maximum',
      Threshold: 900,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^DrAlarms') }],
    });
  });

  test('capability, readiness and failover entries', () => {
    expect(added.capability).toEqual({ resource: 'Primary/Billing', mechanism: 'RDS cross-region read replica', deliverable: Duration.minutes(1) });
    expect(added.readiness).toEqual({ kind: 'rds-replica', identifier: 'billing-dr', region: DR });
    expect(added.runbookEntry.identifier).toBe('billing-dr');
  });

  test('options: identifier, class, single-AZ', () => {
    const g = fixture();
    addRdsReadReplica(g.ctx, postgresInstance(g), g.network(), {
      replicaIdentifier: 'billing-sydney',
      instanceClass: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE),
      multiAz: false,
    });
    Template.fromStack(g.recoveryStack).hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceIdentifier: 'billing-sydney', DBInstanceClass: 'db.r6g.xlarge', MultiAZ: false,
    });
  });

  test('MySQL: the four log exports; a non-default source port is kept', () => {
    const g = fixture();
    addRdsReadReplica(g.ctx, postgresInstance(g, {
      engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 }),
      port: 3307,
    }), g.network());
    Template.fromStack(g.recoveryStack).hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql', Port: '3307', EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'],
    });
  });
});
