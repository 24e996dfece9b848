import { App, CfnParameter, Duration, Lazy, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { parseFailoverConfig } from '../../lambda-src/failover/config';
import { parseReadinessConfig } from '../../lambda-src/readiness/config';
import { addAuroraGlobalCluster } from '../../src/cross-region-dr/aurora-global';
import { deriveIdentifier } from '../../src/cross-region-dr/database-common';
import { DrDatabaseNetwork, createDrDatabaseNetwork } from '../../src/cross-region-dr/database-network';
import { DrArns } from '../../src/cross-region-dr/dr-arns';
import { DrContext } from '../../src/cross-region-dr/dr-context';
import { addGlobalTable } from '../../src/cross-region-dr/dynamodb-global';
import { addRdsReadReplica } from '../../src/cross-region-dr/rds-replica';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createAccessLogBucket } from '../../src/private/secure-bucket';
import { createSecureKey } from '../../src/private/secure-key';
import { ComplianceRuleError } from '../../src/validation/errors';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

const ACCOUNT = '111111111111';
const PRIMARY = 'ap-southeast-1';
const DR = 'ap-southeast-2';
const ALIAS = 'alias/dr-test/dr';
/** The DR key's alias ARN as the templates render it (partition pseudo parameter). */
const ALIAS_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${DR}:${ACCOUNT}:${ALIAS}`]] };
const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

interface Fixture {
  readonly app: App;
  readonly primary: Stack;
  readonly drStack: Stack;
  readonly recoveryStack: Stack;
  readonly ctx: DrContext;
  /** Where CrossRegionDr would be: the scope of the primary-region parts. */
  readonly dr: Construct;
  readonly vpc: ec2.Vpc;
  network(): DrDatabaseNetwork;
}

/** Three stacks and a DrContext built the way CrossRegionDr builds them. */
function fixture(props: { rpo?: Duration; partition?: 'aws' } = {}): Fixture {
  const app = testApp();
  const env = (region: string) => ({ account: ACCOUNT, region });
  const primary = new Stack(app, 'Primary', { env: env(PRIMARY) });
  const drStack = new Stack(app, 'DrFoundation', { env: env(DR) });
  const recoveryStack = new Stack(app, 'DrRecovery', { env: env(DR) });
  primary.addStackDependency(drStack);
  recoveryStack.addStackDependency(primary);
  const partition = props.partition ?? primary.partition;
  const ctx: DrContext = {
    primaryStack: primary,
    drStack,
    recoveryStack,
    primaryRegion: PRIMARY,
    drRegion: DR,
    account: ACCOUNT,
    partition,
    rpo: props.rpo ?? Duration.minutes(15),
    rto: Duration.hours(1),
    namePrefix: 'dr-test',
    drKey: createSecureKey(drStack, 'DrKey', { description: 'DR-region key', alias: ALIAS }),
    drKeyAliasName: ALIAS,
    drKeyAliasArn: `arn:${partition}:kms:${DR}:${ACCOUNT}:${ALIAS}`,
    primaryAlarmTopic: createEncryptedAlertTopic(primary, 'PrimaryAlarms',
      createSecureKey(primary, 'PrimaryAlarmKey', { description: 'Encrypts the primary-region DR alarms' }), 'DR alarms (primary)'),
    drAlarmTopic: createEncryptedAlertTopic(recoveryStack, 'DrAlarms',
      createSecureKey(recoveryStack, 'DrAlarmKey', { description: 'Encrypts the DR alarms' }), 'DR alarms'),
    drAccessLogBucket: createAccessLogBucket(drStack, 'DrAccessLogs', RemovalPolicy.RETAIN),
    drOperationsKey: createSecureKey(recoveryStack, 'DrOperationsKey', { description: 'Encrypts the DR handlers' }),
    drVaultName: 'dr-test-vault',
    metricNamespace: 'CompliantBackup/DR/dr-test',
    arns: new DrArns(partition, ACCOUNT),
    removalPolicy: RemovalPolicy.RETAIN,
  };
  const vpc = new ec2.Vpc(primary, 'AppVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  let network: DrDatabaseNetwork | undefined;
  return {
    app,
    primary,
    drStack,
    recoveryStack,
    ctx,
    vpc,
    dr: new Construct(primary, 'Dr'),
    network: () => (network ??= createDrDatabaseNetwork(ctx, 'Primary/Dr')),
  };
}

/** Log exports as the packs want them on the user's own databases (a missing list is reported without a construct path). */
const LOG_EXPORTS: Record<string, string[]> = {
  'aurora-postgresql': ['postgresql'],
  'aurora-mysql': ['audit', 'error', 'general', 'slowquery'],
  'postgres': ['postgresql', 'upgrade'],
  'mysql': ['audit', 'error', 'general', 'slowquery'],
};

function auroraPostgres(f: Fixture, props: Partial<rds.DatabaseClusterProps> = {}, scope: Construct = f.primary): rds.DatabaseCluster {
  return new rds.DatabaseCluster(scope, 'Orders', {
    cloudwatchLogsExports: LOG_EXPORTS[(props.engine ?? rds.DatabaseClusterEngine.AURORA_POSTGRESQL).engineType],
    clusterIdentifier: 'orders',
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE) }),
    vpc: f.vpc,
    vpcSubnets: ISOLATED,
    storageEncrypted: true,
    credentials: rds.Credentials.fromGeneratedSecret('orders_admin'),
    ...props,
  });
}

function postgresInstance(f: Fixture, props: Partial<rds.DatabaseInstanceProps> = {}): rds.DatabaseInstance {
  return new rds.DatabaseInstance(f.primary, 'Billing', {
    cloudwatchLogsExports: LOG_EXPORTS[props.engine?.engineType ?? 'postgres'],
    instanceIdentifier: 'billing',
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
    vpc: f.vpc,
    vpcSubnets: ISOLATED,
    storageEncrypted: true,
    ...props,
  });
}

function sessionsTable(f: Fixture, props: Partial<dynamodb.TablePropsV2> = {}): dynamodb.TableV2 {
  return new dynamodb.TableV2(f.primary, 'Sessions', {
    tableName: 'sessions',
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    replicas: [{ region: DR }],
    ...props,
  });
}

/** The only resource of `type` in `template` whose logical id starts with `prefix`. */
function resource(template: Template, type: string, prefix: string): any {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0][1];
}

describe('createDrDatabaseNetwork', () => {
  const f = fixture();
  const network = f.network();
  const template = Template.fromStack(f.recoveryStack);

  test('an isolated VPC in the recovery stack: no internet gateway, no NAT, no public IPs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 3);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    // The default security group is emptied (aws-cdk-lib custom resource).
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs of all traffic go to a log group encrypted with a rotated customer-managed key, kept a year', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: Match.stringLikeRegexp('^DatabasesNetworkFlowLogs') },
    });
    const logGroup = resource(template, 'AWS::Logs::LogGroup', 'DatabasesNetworkFlowLogs');
    expect(logGroup.Properties).toEqual({
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DatabasesNetworkFlowLogKey/), 'Arn'] },
      RetentionInDays: 365,
    });
    expect(logGroup.DeletionPolicy).toBe('Retain');
    const key = resource(template, 'AWS::KMS::Key', 'DatabasesNetworkFlowLogKey');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain(`logs.${DR}.amazonaws.com`);
  });

  test('the flow-log role is assumed by VPC Flow Logs of this account only and has no inline policy', () => {
    const role = resource(template, 'AWS::IAM::Role', 'DatabasesNetworkFlowLogRole');
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }]);
  });

  test('one security group without ingress and without egress, and a named DB subnet group over the isolated subnets', () => {
    const group = resource(template, 'AWS::EC2::SecurityGroup', 'DatabasesNetworkSecurityGroup');
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress).toEqual([{
      CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86,
    }]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      DBSubnetGroupName: 'dr-test-dr-databases',
      SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^DatabasesNetworkVpcdatabasesSubnet1') }]),
    });
    expect(f.recoveryStack.resolve(network.subnetGroupName)).toEqual({ Ref: expect.stringMatching(/^DatabasesNetworkSubnetGroup/) });
    expect(f.recoveryStack.resolve(network.securityGroupIds)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^DatabasesNetworkSecurityGroup/), 'GroupId'] }]);
  });
});

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

describe('addGlobalTable', () => {
  const f = fixture();
  const added = addGlobalTable(f.ctx, f.dr, sessionsTable(f));

  test('an alarm on ReplicationLatency (ms, Average) to the DR region, in the primary region where DynamoDB publishes it', () => {
    Template.fromStack(f.primary).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: Match.arrayEquals([{ Name: 'ReceivingRegion', Value: DR }, { Name: 'TableName', Value: 'sessions' }]),
      Statistic: 'Average',
      Threshold: 900000,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^PrimaryAlarms') }],
    });
    Template.fromStack(f.recoveryStack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('capability and readiness', () => {
    expect(added.capability).toEqual({ resource: 'Primary/Sessions', mechanism: 'DynamoDB global table', deliverable: Duration.seconds(1) });
    expect(added.readiness).toEqual({ kind: 'dynamodb-global', identifier: 'sessions', region: DR });
  });

  test('a replica added after the call counts (the check runs at synth)', () => {
    const g = fixture();
    const table = sessionsTable(g, { replicas: [] });
    addGlobalTable(g.ctx, g.dr, table);
    table.addReplica({ region: DR });
    expect(() => g.app.synth()).not.toThrow();
  });
});

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

// --- Compliance packs ----------------------------------------------------------------------

const USER_REASON = 'Test fixture standing in for the user\'s own database, secret or network; CrossRegionDr configures only '
  + 'the DR side, so these findings belong to the user.';

/** The rule ids the packs report for the test's own (user) resources, acknowledged on those resources only. */
function acknowledgeUserResources(...constructs: IConstruct[]): void {
  const ids = [
    'AwsSolutions-VPC7', 'AwsSolutions-SMG4', 'AwsSolutions-RDS3', 'AwsSolutions-RDS6', 'AwsSolutions-RDS10', 'AwsSolutions-RDS11',
    'AwsSolutions-RDS14',
    ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap((pack) => [
      'VPCDefaultSecurityGroupClosed', 'VPCFlowLogsEnabled', 'SecretsManagerRotationEnabled', 'SecretsManagerUsingKMSKey',
      'RDSInstanceDeletionProtectionEnabled', 'RDSEnhancedMonitoringEnabled', 'RDSInBackupPlan', 'RDSMultiAZSupport',
      ...['postgresql', 'upgrade', 'audit', 'error', 'general', 'slowquery'].map((log) => `RDSLoggingEnabled[LogExport::${log}]`),
    ].map((rule) => `${pack}-${rule}`)),
    ...['rds_instance_multi_az_support_check', 'rds_instance_deletion_protection_enabled_check', 'rds_instance_logging_enabled_check',
      'rds_instance_enhanced_monitoring_enabled_check', 'rds_instance_no_default_ports_check', 'rds_cluster_logging_enabled_check',
      'rds_cluster_deletion_protection_enabled_check', 'rds_storage_encrypted_kms_key_check', 'rds_cluster_iam_authentication_enabled_check',
      'rds_instance_iam_authentication_enabled_check', 'rds_instance_backup_enabled_check', 'aurora_cluster_backtracking_enabled_check'].map((rule) => `cdk-validator-cfnguard::${rule}`),
  ];
  for (const c of constructs) Validations.of(c).acknowledge(...ids.map((id) => ({ id, reason: USER_REASON })));
}

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
