/** DR databases: addAuroraGlobalCluster, its options and engines. */
import { CfnParameter, Duration, SecretValue } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ACCOUNT, PRIMARY, DR, ALIAS_ARN, fixture, auroraPostgres, resource } from './fixtures';
import { addAuroraGlobalCluster } from '../../../src/cross-region-dr/aurora-global';

describe('addAuroraGlobalCluster', () => {
  const f = fixture();
  const cluster = auroraPostgres(f);
  const added = addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network());
  const primary = Template.fromStack(f.primary);
  const recovery = Template.fromStack(f.recoveryStack);

  test('the global cluster is in the primary stack, made from the source cluster by its ARN (a plain string), after the cluster', () => {
    const globalCluster = resource(primary, 'AWS::RDS::GlobalCluster', 'DrAuroraOrders');
    expect(globalCluster.Properties).toEqual({
      GlobalClusterIdentifier: 'dr-test-orders',
      SourceDBClusterIdentifier: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:${PRIMARY}:${ACCOUNT}:cluster:orders`]] },
      DeletionProtection: true,
    });
    expect(globalCluster.DeletionPolicy).toBe('Retain');
    const clusterId = f.primary.getLogicalId(cluster.node.defaultChild as rds.CfnDBCluster);
    expect(globalCluster.DependsOn).toContain(clusterId);
    expect(f.primary.resolve(added.sourceClusterArn)).toEqual(globalCluster.Properties.SourceDBClusterIdentifier);
  });

  test('the secondary cluster is in the recovery stack: no credentials, joined to the global cluster, encrypted with the DR key', () => {
    const secondary = resource(recovery, 'AWS::RDS::DBCluster', 'DatabasesAuroraOrders');
    expect(secondary.Properties).toEqual({
      DBClusterIdentifier: 'orders-dr',
      GlobalClusterIdentifier: 'dr-test-orders',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      StorageEncrypted: true,
      KmsKeyId: ALIAS_ARN,
      DBSubnetGroupName: { Ref: expect.stringMatching(/^DatabasesNetworkSubnetGroup/) },
      VpcSecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^DatabasesNetworkSecurityGroup/), 'GroupId'] }],
      Port: 5432,
      DeletionProtection: true,
      CopyTagsToSnapshot: true,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      BackupRetentionPeriod: 7,
    });
    expect(secondary.DeletionPolicy).toBe('Retain');
    // Named after the protected cluster ('Orders' and a hash of its path), never after the order of calls.
    const scope = f.recoveryStack.node.findChild('Databases').node.children.find((c) => /^AuroraOrders[0-9A-F]{8}$/.test(c.node.id))!;
    expect(added.secondaryCluster).toBe(scope.node.findChild('SecondaryCluster'));
  });

  test('one secondary instance by default, of the writer\'s class, private, with enhanced monitoring', () => {
    recovery.resourceCountIs('AWS::RDS::DBInstance', 1);
    const instance = resource(recovery, 'AWS::RDS::DBInstance', 'DatabasesAuroraOrders');
    expect(instance.Properties).toEqual({
      DBClusterIdentifier: { Ref: expect.stringMatching(/^DatabasesAuroraOrders[0-9A-F]{8}SecondaryCluster/) },
      DBInstanceIdentifier: 'orders-dr-1',
      DBInstanceClass: 'db.r6g.xlarge',
      Engine: 'aurora-postgresql',
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      MonitoringInterval: 60,
      MonitoringRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DatabasesMonitoringRole/), 'Arn'] },
    });
    expect(instance.DeletionPolicy).toBe('Retain');
    expect(added.secondaryInstances).toHaveLength(1);
  });

  test('the enhanced-monitoring role has the managed policy\'s permissions, scoped to RDSOSMetrics, and no AWS-managed policy', () => {
    const role = resource(recovery, 'AWS::IAM::Role', 'DatabasesMonitoringRole');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toEqual({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'monitoring.rds.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    const policy = resource(recovery, 'AWS::IAM::ManagedPolicy', 'DatabasesMonitoringRolePolicy');
    const logGroup = ['arn:', { Ref: 'AWS::Partition' }, `:logs:${DR}:${ACCOUNT}:log-group:RDSOSMetrics`];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'CreateEnhancedMonitoringLogGroup', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'], Resource: { 'Fn::Join': ['', logGroup] } },
      {
        Sid: 'WriteEnhancedMonitoringLogStreams',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        Resource: { 'Fn::Join': ['', [...logGroup.slice(0, 2), `${logGroup[2]}:log-stream:*`]] },
      },
    ]);
  });

  test('the generated credentials secret is replicated to the DR region with the DR key', () => {
    const secret = resource(primary, 'AWS::SecretsManager::Secret', 'PrimaryOrdersSecret');
    expect(secret.Properties.ReplicaRegions).toEqual([{ Region: DR, KmsKeyId: ALIAS_ARN }]);
    expect(added.replicatedSecret).toBe(cluster.node.findChild('Secret'));
  });

  test('alarms on AuroraGlobalDBRPOLag and AuroraGlobalDBReplicationLag (ms, Maximum) above the RPO go to the DR topic', () => {
    for (const metricName of ['AuroraGlobalDBRPOLag', 'AuroraGlobalDBReplicationLag']) {
      recovery.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/RDS',
        MetricName: metricName,
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'orders-dr' }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 15 * 60 * 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^DrAlarms') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('^DrAlarms') }],
      });
    }
    expect(added.alarms).toHaveLength(2);
  });

  test('capability, readiness and failover entries', () => {
    expect(added.capability.mechanism).toBe('Aurora global database');
    expect(added.capability.resource).toBe('Primary/Orders');
    expect(added.capability.deliverable.toSeconds()).toBe(1);
    expect(added.readiness).toEqual({ kind: 'aurora-global', identifier: 'orders-dr', region: DR });
    expect(added.runbookEntry.globalClusterIdentifier).toBe('dr-test-orders');
    expect(f.recoveryStack.resolve(added.runbookEntry.secondaryClusterArn))
      .toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:${DR}:${ACCOUNT}:cluster:orders-dr`]] });
  });

  test('the source and the global cluster are the only RDS resources of the primary stack', () => {
    primary.resourceCountIs('AWS::RDS::DBCluster', 1);
    primary.resourceCountIs('AWS::RDS::GlobalCluster', 1);
    recovery.resourceCountIs('AWS::RDS::GlobalCluster', 0);
  });
});

describe('addAuroraGlobalCluster options and engines', () => {
  test('identifiers, instance class and instance count can be chosen', () => {
    const f = fixture({ rpo: Duration.seconds(30) });
    const added = addAuroraGlobalCluster(f.ctx, f.dr, auroraPostgres(f), f.network(), {
      globalClusterIdentifier: 'orders-global',
      secondaryClusterIdentifier: 'orders-sydney',
      secondaryInstanceClass: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.XLARGE2),
      secondaryInstances: 2,
    });
    const recovery = Template.fromStack(f.recoveryStack);
    recovery.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'orders-sydney', GlobalClusterIdentifier: 'orders-global' });
    Template.fromStack(f.primary).hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'orders-global' });
    recovery.resourceCountIs('AWS::RDS::DBInstance', 2);
    recovery.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'orders-sydney-2', DBInstanceClass: 'db.r7g.2xlarge' });
    // The thresholds follow the RPO: 30 seconds.
    recovery.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBRPOLag', Threshold: 30000 });
    expect(added.readiness.identifier).toBe('orders-sydney');
    expect(added.runbookEntry.globalClusterIdentifier).toBe('orders-global');
  });

  test('Aurora MySQL: the four log exports, the source\'s port', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, {
      engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_05_2 }),
      credentials: rds.Credentials.fromGeneratedSecret('orders_admin'),
    });
    addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network());
    Template.fromStack(f.recoveryStack).hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.05.2',
      EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'],
      Port: 3306,
    });
  });

  test('a Serverless v2 writer: serverless secondary instances with the source\'s capacity range', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, {
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: 1,
      serverlessV2MaxCapacity: 8,
    });
    addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network());
    const recovery = Template.fromStack(f.recoveryStack);
    recovery.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 8 } });
    recovery.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
  });

  test('a writer whose class is unknown at synth: r6g.large secondaries', () => {
    const f = fixture();
    const cluster = auroraPostgres(f);
    (cluster.node.findChild('Writer').node.defaultChild as rds.CfnDBInstance).dbInstanceClass = new CfnParameter(f.primary, 'WriterClass').valueAsString;
    addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network());
    Template.fromStack(f.recoveryStack).hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large' });
  });

  test('a source without a generated secret: nothing to replicate', () => {
    const f = fixture();
    const cluster = auroraPostgres(f, { credentials: rds.Credentials.fromPassword('orders_admin', SecretValue.ssmSecure('/orders/admin-password')) });
    const added = addAuroraGlobalCluster(f.ctx, f.dr, cluster, f.network());
    expect(added.replicatedSecret).toBeUndefined();
    Template.fromStack(f.primary).resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});
