import { createHash } from 'crypto';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { AuroraGlobalClusterOptions, RdsReadReplicaOptions } from './database-options';
import { DatabaseReadiness, DrContext, RpoCapability } from './dr-context';
import {
  checkAuroraGlobalEngine, checkDatabaseRegion, checkDatabaseStorageEncrypted, checkRdsIdentifier, checkReplicaInstanceClass,
  checkSecondaryInstanceCount, databaseIdentifierRequired, globalTableReplicaMissing, secretReplicatedTwice,
} from '../compliance/rules';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { allowLogsToUseKey, createSecureKey } from '../private/secure-key';

/**
 * Database DR of CrossRegionDr: Aurora global databases, RDS cross-region read
 * replicas and DynamoDB global tables.
 *
 * Secondaries live in the DR recovery stack (DR region, deployed after the
 * primary) and refer to their sources by ARNs built from the sources' explicit
 * physical identifiers: CloudFormation references do not cross regions.
 */

/** Where the DR secondaries run: a VPC of the recovery stack. */
export interface DrDatabaseNetwork {
  /** Name of the DB subnet group (isolated subnets of `vpc`). */
  readonly subnetGroupName: string;
  /** The security groups of every secondary (one group, no ingress). */
  readonly securityGroupIds: string[];
  /** The VPC (isolated subnets only, flow logs on). */
  readonly vpc: ec2.IVpc;
  /**
   * The secondaries' security group. It has no ingress: allow the DR region's
   * application in (`securityGroup.addIngressRule`) when there is one.
   */
  readonly securityGroup: ec2.ISecurityGroup;
}

/** What every database mechanism reports back to CrossRegionDr. */
export interface DatabaseDr {
  readonly capability: RpoCapability;
  readonly readiness: DatabaseReadiness;
  readonly alarms: cloudwatch.Alarm[];
}

export interface AuroraGlobalClusterDr extends DatabaseDr {
  readonly globalCluster: rds.CfnGlobalCluster;
  readonly secondaryCluster: rds.CfnDBCluster;
  readonly secondaryInstances: rds.CfnDBInstance[];
  /** An AURORA_GLOBAL_CLUSTERS entry of the failover handler. */
  readonly failoverEntry: { readonly globalClusterIdentifier: string; readonly secondaryClusterArn: string };
  /** ARN of the source cluster as a plain string (usable from any stack, unlike `cluster.clusterArn`). */
  readonly sourceClusterArn: string;
  /** The generated credentials secret, now replicated to the DR region. */
  readonly replicatedSecret?: secretsmanager.Secret;
}

export interface RdsReadReplicaDr extends DatabaseDr {
  readonly replica: rds.CfnDBInstance;
  /** An RDS_REPLICAS entry of the failover handler: the replica's identifier. */
  readonly failoverEntry: string;
  /** ARN of the source instance as a plain string. */
  readonly sourceInstanceArn: string;
  /** The generated credentials secret, now replicated to the DR region. */
  readonly replicatedSecret?: secretsmanager.Secret;
}

/** What the RDS and DynamoDB services can promise. */
export const DATABASE_DELIVERABLE_RPO = {
  /** Aurora global database: storage-level replication, typically under a second. */
  auroraGlobal: Duration.seconds(1),
  /**
   * RDS cross-region read replica: asynchronous, AWS states no RPO; `ReplicaLag` is a
   * 1-minute metric, so 1 minute is the finest lag the library can watch.
   */
  rdsReplica: Duration.minutes(1),
  /** DynamoDB global table: asynchronous, typically within a second. */
  dynamodbGlobal: Duration.seconds(1),
};

const DEFAULT_SECONDARY_CLASS = 'db.r6g.large';
const ENHANCED_MONITORING_SECONDS = 60;
const MIN_BACKUP_RETENTION_DAYS = 7;
/** Lag alarms: 1-minute datapoints, the lag above the RPO for 3 minutes in a row. */
const ALARM_PERIOD = Duration.minutes(1);
const ALARM_DATAPOINTS = 3;

/** Engine default ports: the secondaries listen where their sources do. */
const DEFAULT_PORTS: Record<string, number> = {
  'aurora-mysql': 3306,
  'aurora-postgresql': 5432,
  'mysql': 3306,
  'mariadb': 3306,
  'postgres': 5432,
  'oracle-ee': 1521,
  'oracle-ee-cdb': 1521,
  'oracle-se2': 1521,
  'oracle-se2-cdb': 1521,
  'sqlserver-ee': 1433,
  'sqlserver-se': 1433,
  'sqlserver-web': 1433,
  'sqlserver-ex': 1433,
  'db2-se': 50000,
  'db2-ae': 50000,
};

const BACKUP_PLAN_REASON = 'A cross-region secondary is a continuous copy of a source database that the primary region\'s '
  + 'backup plan protects (and copies to the DR vault); backing the copy up as well would duplicate those recovery points. '
  + 'After a failover, add the promoted database to a backup plan of the DR region.';

// --- Network ---------------------------------------------------------------------------

/**
 * The network of the DR secondaries, in the recovery stack: a VPC with isolated
 * subnets only (no internet or NAT gateway: replication is service-managed and does
 * not flow through the VPC), flow logs to a KMS-encrypted log group, a DB subnet
 * group, and a security group without ingress and without egress.
 */
export function createDrDatabaseNetwork(ctx: DrContext): DrDatabaseNetwork {
  const scope = new Construct(databasesScope(ctx), 'Network');

  const key = createSecureKey(scope, 'FlowLogKey', {
    description: `Encrypts the flow logs of the DR database VPC of ${ctx.namePrefix}`,
    removalPolicy: ctx.removalPolicy,
  });
  allowLogsToUseKey(key, ctx.drRegion, ctx.account, ctx.partition);
  const flowLogGroup = new logs.LogGroup(scope, 'FlowLogs', {
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: ctx.removalPolicy,
  });
  const flowLogRole = new ManagedPolicyRole(scope, 'FlowLogRole', {
    assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'), {
      StringEquals: { 'aws:SourceAccount': ctx.account },
    }),
    description: `Delivers the flow logs of the DR database VPC of ${ctx.namePrefix}`,
  });

  const vpc = new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [{ name: 'databases', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    // Removes the default security group's rules (a CDK custom resource): nothing may use it.
    restrictDefaultSecurityGroup: true,
    flowLogs: {
      all: {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole),
        trafficType: ec2.FlowLogTrafficType.ALL,
      },
    },
  });
  const provider = Stack.of(vpc).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  if (provider) {
    Validations.of(provider).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'aws-cdk-lib\'s provider that removes the rules of the VPC\'s default security group runs only during deployment, '
        + 'calls only the EC2 API and holds no data; placing it in the isolated VPC would cut it off from that API.',
    });
  }

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    allowAllOutbound: false,
    description: 'DR database secondaries: no ingress until the DR application is allowed in, no egress',
  });
  const subnetGroup = new rds.CfnDBSubnetGroup(scope, 'SubnetGroup', {
    dbSubnetGroupName: `${ctx.namePrefix}-dr-databases`,
    dbSubnetGroupDescription: `Isolated subnets of the DR database secondaries of ${ctx.namePrefix}`,
    subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId),
  });
  return {
    subnetGroupName: subnetGroup.ref,
    securityGroupIds: [securityGroup.securityGroupId],
    vpc,
    securityGroup,
  };
}

// --- Aurora global database ------------------------------------------------------------

/**
 * Makes `cluster` the primary of an Aurora global database (in the stack of
 * `scope`) and adds a secondary cluster without credentials, with its instances,
 * in the recovery stack.
 */
export function addAuroraGlobalCluster(
  ctx: DrContext,
  scope: Construct,
  id: string,
  cluster: rds.DatabaseCluster,
  network: DrDatabaseNetwork,
  options: AuroraGlobalClusterOptions = {},
): AuroraGlobalClusterDr {
  const source = cluster.node.defaultChild as rds.CfnDBCluster;
  const resolve = (v: unknown) => Stack.of(cluster).resolve(v);
  const sourceId = explicitIdentifier(cluster, 'clusterIdentifier', source.dbClusterIdentifier, 'cluster');
  checkDatabaseRegion(cluster, Stack.of(cluster).region, ctx.primaryRegion);
  checkDatabaseStorageEncrypted(cluster, resolve(source.storageEncrypted));
  const engine = source.engine;
  const engineVersion = source.engineVersion;
  checkAuroraGlobalEngine(cluster, {
    engine, engineVersion, engineMode: resolve(source.engineMode), backtrackWindow: resolve(source.backtrackWindow),
  });

  const globalId = options.globalClusterIdentifier ?? deriveIdentifier(ctx.namePrefix, sourceId);
  checkRdsIdentifier(cluster, 'globalClusterIdentifier', globalId);
  const secondaryId = options.secondaryClusterIdentifier ?? deriveIdentifier(sourceId, 'dr');
  checkRdsIdentifier(cluster, 'secondaryClusterIdentifier', secondaryId);
  const instanceCount = options.secondaryInstances ?? 1;
  checkSecondaryInstanceCount(cluster, instanceCount);
  const instanceClass = options.secondaryInstanceClass
    ? `db.${options.secondaryInstanceClass.toString()}`
    : writerInstanceClass(cluster) ?? DEFAULT_SECONDARY_CLASS;

  const sourceClusterArn = rdsArn(ctx, ctx.primaryRegion, 'cluster', sourceId);
  const secondaryClusterArn = rdsArn(ctx, ctx.drRegion, 'cluster', secondaryId.toLowerCase());

  // --- Primary region: the global cluster, created from the existing source.
  const primaryScope = new Construct(scope, id);
  const globalCluster = new rds.CfnGlobalCluster(primaryScope, 'GlobalCluster', {
    globalClusterIdentifier: globalId,
    sourceDbClusterIdentifier: sourceClusterArn,
    deletionProtection: true,
  });
  globalCluster.applyRemovalPolicy(ctx.removalPolicy);
  globalCluster.node.addDependency(cluster);
  const replicatedSecret = replicateGeneratedSecret(ctx, cluster);

  // --- DR region: the secondary cluster and its instances.
  const recovery = new Construct(databasesScope(ctx), id);
  ctx.recoveryStack.addStackDependency(Stack.of(globalCluster), 'the Aurora secondary joins a global cluster of the primary region');
  const port = numberOrUndefined(resolve(source.port)) ?? (engine ? DEFAULT_PORTS[engine] : undefined);
  const sourceRetention = numberOrUndefined(resolve(source.backupRetentionPeriod)) ?? 0;
  const storageType = stringOrUndefined(resolve(source.storageType));
  const serverless = instanceClass === 'db.serverless';
  const secondaryCluster = new rds.CfnDBCluster(recovery, 'SecondaryCluster', {
    dbClusterIdentifier: secondaryId,
    globalClusterIdentifier: globalId,
    engine,
    engineVersion,
    // No MasterUsername/MasterUserPassword: a secondary shares the primary's data, users included.
    storageEncrypted: true,
    kmsKeyId: ctx.drKeyAliasArn,
    dbSubnetGroupName: network.subnetGroupName,
    vpcSecurityGroupIds: network.securityGroupIds,
    port,
    deletionProtection: true,
    copyTagsToSnapshot: true,
    enableIamDatabaseAuthentication: true,
    enableCloudwatchLogsExports: engine === 'aurora-mysql' ? ['audit', 'error', 'general', 'slowquery'] : ['postgresql'],
    backupRetentionPeriod: Math.max(MIN_BACKUP_RETENTION_DAYS, sourceRetention),
    storageType,
    serverlessV2ScalingConfiguration: serverless
      ? (resolve(source.serverlessV2ScalingConfiguration) ?? { minCapacity: 0.5, maxCapacity: 2 })
      : undefined,
  });
  secondaryCluster.applyRemovalPolicy(ctx.removalPolicy);
  if (engine === 'aurora-mysql') {
    const reason = 'Aurora global databases do not support backtracking (AWS Aurora User Guide, limitations of global databases).';
    Validations.of(secondaryCluster).acknowledge(
      { id: 'AwsSolutions-RDS14', reason },
      { id: 'cdk-validator-cfnguard::aurora_cluster_backtracking_enabled_check', reason },
    );
  }
  if (port === DEFAULT_PORTS[engine ?? '']) {
    Validations.of(secondaryCluster).acknowledge({ id: 'AwsSolutions-RDS11', reason: samePortReason(port!) });
  }

  const role = monitoringRole(ctx);
  const secondaryInstances: rds.CfnDBInstance[] = [];
  for (let i = 1; i <= instanceCount; i++) {
    const instance = new rds.CfnDBInstance(recovery, `Instance${i}`, {
      dbClusterIdentifier: secondaryCluster.ref,
      dbInstanceIdentifier: deriveIdentifier(secondaryId, String(i)),
      dbInstanceClass: instanceClass,
      engine,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      monitoringInterval: ENHANCED_MONITORING_SECONDS,
      monitoringRoleArn: role.roleArn,
    });
    instance.applyRemovalPolicy(ctx.removalPolicy);
    instance.node.addDependency(role);
    Validations.of(instance).acknowledge(
      { id: 'HIPAA.Security-RDSInBackupPlan', reason: BACKUP_PLAN_REASON },
      { id: 'NIST.800.53.R5-RDSInBackupPlan', reason: BACKUP_PLAN_REASON },
    );
    secondaryInstances.push(instance);
  }

  const ms = ctx.rpo.toMilliseconds();
  const dims = { DBClusterIdentifier: secondaryId.toLowerCase() };
  const alarms = [
    lagAlarm(recovery, 'RpoLagAlarm', ctx.drAlarmTopic, ms,
      rdsMetric('AuroraGlobalDBRPOLag', dims, ctx.drRegion),
      `Aurora global database ${globalId}: the secondary ${secondaryId} in ${ctx.drRegion} is more than the RPO `
      + `(${ms} ms) behind in committed transactions (AuroraGlobalDBRPOLag; Aurora PostgreSQL, Aurora MySQL 3.04+/2.12+)`),
    lagAlarm(recovery, 'ReplicationLagAlarm', ctx.drAlarmTopic, ms,
      rdsMetric('AuroraGlobalDBReplicationLag', dims, ctx.drRegion),
      `Aurora global database ${globalId}: the secondary ${secondaryId} in ${ctx.drRegion} lags more than the RPO (${ms} ms)`),
  ];

  return {
    globalCluster,
    secondaryCluster,
    secondaryInstances,
    capability: { resource: cluster.node.path, mechanism: 'Aurora global database', deliverable: DATABASE_DELIVERABLE_RPO.auroraGlobal },
    failoverEntry: { globalClusterIdentifier: globalId.toLowerCase(), secondaryClusterArn },
    readiness: { kind: 'aurora-global', identifier: secondaryId.toLowerCase(), region: ctx.drRegion },
    alarms,
    sourceClusterArn,
    replicatedSecret,
  };
}

// --- RDS cross-region read replica -----------------------------------------------------

/** Adds a cross-region read replica of `instance` to the recovery stack. */
export function addRdsReadReplica(
  ctx: DrContext,
  _scope: Construct,
  id: string,
  instance: rds.DatabaseInstance,
  network: DrDatabaseNetwork,
  options: RdsReadReplicaOptions = {},
): RdsReadReplicaDr {
  const source = instance.node.defaultChild as rds.CfnDBInstance;
  const resolve = (v: unknown) => Stack.of(instance).resolve(v);
  const sourceId = explicitIdentifier(instance, 'instanceIdentifier', source.dbInstanceIdentifier, 'instance');
  checkDatabaseRegion(instance, Stack.of(instance).region, ctx.primaryRegion);
  checkDatabaseStorageEncrypted(instance, resolve(source.storageEncrypted));
  const replicaId = options.replicaIdentifier ?? deriveIdentifier(sourceId, 'dr');
  checkRdsIdentifier(instance, 'replicaIdentifier', replicaId);

  const engine = stringOrUndefined(resolve(source.engine)) ?? '';
  const sourceClass = stringOrUndefined(resolve(source.dbInstanceClass));
  const instanceClass = options.instanceClass ? `db.${options.instanceClass.toString()}` : checkReplicaInstanceClass(instance, sourceClass);
  const port = numberOrUndefined(Number(resolve(source.port))) ?? DEFAULT_PORTS[engine];
  const multiAz = options.multiAz ?? true;
  const replicaBackups = ['mysql', 'mariadb', 'postgres'].includes(engine);
  const sourceRetention = numberOrUndefined(resolve(source.backupRetentionPeriod)) ?? 0;
  const sourceInstanceArn = rdsArn(ctx, ctx.primaryRegion, 'db', sourceId);
  const replicatedSecret = replicateGeneratedSecret(ctx, instance);

  const recovery = new Construct(databasesScope(ctx), id);
  ctx.recoveryStack.addStackDependency(Stack.of(instance), 'the RDS read replica needs its source instance first');
  const role = monitoringRole(ctx);
  const replica = new rds.CfnDBInstance(recovery, 'Replica', {
    dbInstanceIdentifier: replicaId,
    sourceDbInstanceIdentifier: sourceInstanceArn,
    sourceRegion: ctx.primaryRegion,
    engine: engine || undefined,
    dbInstanceClass: instanceClass,
    // Inherited from the (encrypted) source; stated so that the packs can see it.
    storageEncrypted: true,
    kmsKeyId: ctx.drKeyAliasArn,
    dbSubnetGroupName: network.subnetGroupName,
    vpcSecurityGroups: network.securityGroupIds,
    port: port !== undefined ? String(port) : undefined,
    multiAz,
    publiclyAccessible: false,
    deletionProtection: true,
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    enableIamDatabaseAuthentication: ['mysql', 'postgres', 'mariadb'].includes(engine) ? true : undefined,
    enableCloudwatchLogsExports: instanceLogExports(engine),
    monitoringInterval: ENHANCED_MONITORING_SECONDS,
    monitoringRoleArn: role.roleArn,
    backupRetentionPeriod: replicaBackups ? Math.max(MIN_BACKUP_RETENTION_DAYS, sourceRetention) : undefined,
    storageType: stringOrUndefined(resolve(source.storageType)),
    iops: numberOrUndefined(resolve(source.iops)),
    storageThroughput: numberOrUndefined(resolve(source.storageThroughput)),
    maxAllocatedStorage: numberOrUndefined(resolve(source.maxAllocatedStorage)),
  });
  replica.applyRemovalPolicy(ctx.removalPolicy);
  replica.node.addDependency(role);
  Validations.of(replica).acknowledge(
    {
      id: 'CloudFormation-Validate::F3020',
      reason: 'The CloudFormation docs advise leaving StorageEncrypted out beside SourceDBInstanceIdentifier, but the template '
        + 'checks require it (F3003) and aws-cdk-lib\'s own read replica sets it: the replica inherits the encryption either way.',
    },
    { id: 'HIPAA.Security-RDSInBackupPlan', reason: BACKUP_PLAN_REASON },
    { id: 'NIST.800.53.R5-RDSInBackupPlan', reason: BACKUP_PLAN_REASON },
    {
      id: 'cdk-validator-cfnguard::rds_storage_encrypted_kms_key_check',
      reason: 'KmsKeyId is set, to the alias ARN of the customer-managed DR key (DR foundation stack, same region); the rule accepts '
        + 'only a literal string or a reference to a key in the same template, and the ARN is joined with the partition pseudo parameter.',
    },
  );
  if (port !== undefined && port === DEFAULT_PORTS[engine]) {
    const reason = samePortReason(port);
    Validations.of(replica).acknowledge(
      { id: 'AwsSolutions-RDS11', reason },
      { id: 'cdk-validator-cfnguard::rds_instance_no_default_ports_check', reason },
    );
  }
  if (!replicaBackups) {
    const reason = `RDS does not take automated backups of ${engine || 'this engine\'s'} read replicas; the source instance's backups `
      + 'protect the data, and a promoted replica gets its backup retention on promotion.';
    Validations.of(replica).acknowledge(
      { id: 'cdk-validator-cfnguard::rds_instance_backup_enabled_check', reason },
    );
  }
  if (!multiAz) {
    const reason = 'multiAz: false was chosen in RdsReadReplicaOptions: the standby replica runs in one Availability Zone '
      + 'and the promoted primary stays single-AZ until it is modified.';
    Validations.of(replica).acknowledge(
      { id: 'AwsSolutions-RDS3', reason },
      { id: 'HIPAA.Security-RDSMultiAZSupport', reason },
      { id: 'NIST.800.53.R5-RDSMultiAZSupport', reason },
      { id: 'cdk-validator-cfnguard::rds_instance_multi_az_support_check', reason },
    );
  }

  const seconds = ctx.rpo.toSeconds();
  const alarm = lagAlarm(recovery, 'ReplicaLagAlarm', ctx.drAlarmTopic, seconds,
    rdsMetric('ReplicaLag', { DBInstanceIdentifier: replicaId.toLowerCase() }, ctx.drRegion),
    `RDS read replica ${replicaId} in ${ctx.drRegion} is more than the RPO (${seconds} s) behind ${sourceId}`);

  return {
    replica,
    capability: { resource: instance.node.path, mechanism: 'RDS cross-region read replica', deliverable: DATABASE_DELIVERABLE_RPO.rdsReplica },
    failoverEntry: replicaId.toLowerCase(),
    readiness: { kind: 'rds-replica', identifier: replicaId.toLowerCase(), region: ctx.drRegion },
    alarms: [alarm],
    sourceInstanceArn,
    replicatedSecret,
  };
}

// --- DynamoDB global table ---------------------------------------------------------------

/**
 * Checks that `table` replicates into the DR region and alarms on its replication
 * latency. The replica itself is declared on the table (`replicas`), because its
 * key must be known when the table is constructed.
 */
export function addGlobalTable(ctx: DrContext, scope: Construct, table: dynamodb.TableV2): DatabaseDr {
  const cfn = table.node.defaultChild as dynamodb.CfnGlobalTable;
  const tableName = explicitIdentifier(table, 'tableName', cfn.tableName, 'table');
  checkDatabaseRegion(table, Stack.of(table).region, ctx.primaryRegion);
  // Replicas can still be added with table.addReplica(): check the final list at synth.
  table.node.addValidation({
    validate: () => {
      const replicas = Stack.of(table).resolve(cfn.replicas);
      const regions: string[] = Array.isArray(replicas) ? replicas.map((r: any) => r?.region).filter((r: unknown) => typeof r === 'string') : [];
      return regions.includes(ctx.drRegion) ? [] : [globalTableReplicaMissing(table, regions, ctx.drRegion)];
    },
  });

  const ms = ctx.rpo.toMilliseconds();
  // ReplicationLatency with ReceivingRegion=<DR region> is emitted by the sending replica, in the primary region.
  const metric = new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName: 'ReplicationLatency',
    dimensionsMap: { TableName: tableName, ReceivingRegion: ctx.drRegion },
    statistic: cloudwatch.Stats.AVERAGE,
    period: ALARM_PERIOD,
    region: ctx.primaryRegion,
  });
  const alarm = lagAlarm(new Construct(scope, `GlobalTable${tableName}`), 'ReplicationLatencyAlarm', ctx.primaryAlarmTopic, ms, metric,
    `DynamoDB global table ${tableName}: replication to ${ctx.drRegion} takes longer than the RPO (${ms} ms)`);
  return {
    capability: { resource: table.node.path, mechanism: 'DynamoDB global table', deliverable: DATABASE_DELIVERABLE_RPO.dynamodbGlobal },
    readiness: { kind: 'dynamodb-global', identifier: tableName, region: ctx.drRegion },
    alarms: [alarm],
  };
}

// --- Helpers ---------------------------------------------------------------------------------

/** The parent of every database construct in the recovery stack. */
function databasesScope(ctx: DrContext): Construct {
  return (ctx.recoveryStack.node.tryFindChild('Databases') as Construct | undefined) ?? new Construct(ctx.recoveryStack, 'Databases');
}

/**
 * One enhanced-monitoring role per recovery stack, with the permissions of the
 * AWS-managed AmazonRDSEnhancedMonitoringRole scoped to the RDSOSMetrics log group.
 */
function monitoringRole(ctx: DrContext): ManagedPolicyRole {
  const scope = databasesScope(ctx);
  const existing = scope.node.tryFindChild('MonitoringRole');
  if (existing) return existing as ManagedPolicyRole;
  const role = new ManagedPolicyRole(scope, 'MonitoringRole', {
    assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('monitoring.rds.amazonaws.com'), {
      StringEquals: { 'aws:SourceAccount': ctx.account },
    }),
    description: `RDS enhanced monitoring of the DR database secondaries of ${ctx.namePrefix}`,
  });
  const logGroupArn = `arn:${ctx.partition}:logs:${ctx.drRegion}:${ctx.account}:log-group:RDSOSMetrics`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'CreateEnhancedMonitoringLogGroup',
    actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
    resources: [logGroupArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'WriteEnhancedMonitoringLogStreams',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
    resources: [`${logGroupArn}:log-stream:*`],
  }));
  const reason = 'RDS enhanced monitoring writes one log stream per DB instance, named after the instance\'s resource id, '
    + 'which exists only after the instance does; the statement is limited to the RDSOSMetrics log group of this account and region.';
  Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagResourceName(Stack.of(role), `${logGroupArn}:log-stream:*`)}]`, reason });
  return role;
}

/** A lag alarm: the lag above `threshold` for 3 one-minute datapoints in a row; no data is not a breach. */
function lagAlarm(
  scope: Construct, id: string, topic: sns.ITopic, threshold: number, metric: cloudwatch.IMetric, description: string,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: ALARM_DATAPOINTS,
    datapointsToAlarm: ALARM_DATAPOINTS,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
  const action = new cloudwatchActions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

function rdsMetric(metricName: string, dimensionsMap: Record<string, string>, region: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/RDS', metricName, dimensionsMap, statistic: cloudwatch.Stats.MAXIMUM, period: ALARM_PERIOD, region,
  });
}

/** The generated credentials secret of a cluster or instance, replicated to the DR region with the DR key. */
function replicateGeneratedSecret(ctx: DrContext, database: IConstruct): secretsmanager.Secret | undefined {
  const secret = database.node.tryFindChild('Secret');
  if (!(secret instanceof secretsmanager.Secret)) return undefined;
  // Secrets Manager takes "the ARN, key ID, or alias" of the replica key; the DR key's alias
  // ARN names it without a cross-region reference (ReplicaRegions[].KmsKeyId).
  const drKey = kms.Key.fromKeyArn(secret, 'DrReplicaKey', ctx.drKeyAliasArn);
  secret.addReplicaRegion(ctx.drRegion, drKey);
  secret.node.addValidation({
    validate: () => {
      const replicas = Stack.of(secret).resolve((secret.node.defaultChild as secretsmanager.CfnSecret).replicaRegions);
      const count = Array.isArray(replicas) ? replicas.filter((r: any) => r?.region === ctx.drRegion).length : 0;
      return count > 1 ? [secretReplicatedTwice(secret, ctx.drRegion)] : [];
    },
  });
  return secret;
}

/** The writer's instance class, when it is known at synth. */
function writerInstanceClass(cluster: rds.DatabaseCluster): string | undefined {
  for (const child of cluster.node.findAll()) {
    if (child instanceof rds.CfnDBInstance) {
      const cls = stringOrUndefined(Stack.of(child).resolve(child.dbInstanceClass));
      if (cls) return cls;
    }
  }
  return undefined;
}

function explicitIdentifier(scope: IConstruct, prop: string, value: string | undefined, kind: 'cluster' | 'instance' | 'table'): string {
  if (value === undefined || Token.isUnresolved(value)) {
    throw databaseIdentifierRequired(scope, prop, value === undefined ? 'undefined' : '(token)', kind);
  }
  return kind === 'table' ? value : value.toLowerCase();
}

function rdsArn(ctx: DrContext, region: string, resource: 'cluster' | 'db', id: string): string {
  return `arn:${ctx.partition}:rds:${region}:${ctx.account}:${resource}:${id}`;
}

/**
 * A valid RDS identifier from parts: lowercase letters, digits and single hyphens,
 * starting with a letter, at most 63 characters (longer ones end in a hash).
 */
export function deriveIdentifier(...parts: string[]): string {
  const raw = parts.join('-').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '').replace(/-$/, '') || 'db';
  if (raw.length <= 63) return raw;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${raw.slice(0, 54).replace(/-$/, '')}-${hash}`;
}

function instanceLogExports(engine: string): string[] | undefined {
  if (engine === 'mysql' || engine === 'mariadb') return ['audit', 'error', 'general', 'slowquery'];
  if (engine === 'postgres') return ['postgresql', 'upgrade'];
  if (engine.startsWith('oracle')) return ['audit', 'alert', 'listener', 'oemagent', 'trace'];
  if (engine.startsWith('sqlserver')) return ['agent', 'error'];
  return undefined;
}

function samePortReason(port: number): string {
  return `The secondary listens on its source's port (${port}, the engine default) so that the application connects the same way `
    + 'after a failover; choose a non-default port on the source to move both.';
}

function numberOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && !Token.isUnresolved(v) ? v : undefined;
}

/** A resource as cdk-nag names it in a finding: pseudo parameters are written `<AWS::Partition>`. */
function nagResourceName(stack: Stack, resource: string): string {
  const resolved = stack.resolve(resource);
  if (typeof resolved === 'string') return resolved;
  const parts: unknown[] = resolved?.['Fn::Join']?.[1] ?? [];
  return parts.map((p: any) => (typeof p === 'string' ? p : p?.Ref ? `<${p.Ref}>` : JSON.stringify(p))).join('');
}
