import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BACKUP_PLAN_REASON, DATABASE_DELIVERABLE_RPO, DEFAULT_PORTS, DatabaseDr, ENHANCED_MONITORING_SECONDS, MIN_BACKUP_RETENTION_DAYS, databasesScope, deriveIdentifier, lagAlarm, monitoringRole, numberOrUndefined, rdsMetric, replicateGeneratedSecret, protectedResourceId, samePortReason, stringOrUndefined } from './database-common';
import { DrDatabaseNetwork } from './database-network';
import { AuroraGlobalClusterOptions } from './database-options';
import { DrContext } from './dr-context';
import { AuroraRunbookEntry } from './runbook';
import { checkAuroraGlobalEngine, checkDatabaseRegion, checkDatabaseStorageEncrypted, checkExplicitIdentifier, checkRdsIdentifier, checkSecondaryInstanceCount } from '../validation/dr';

/** The instance class of a secondary when neither the options nor the source's writer name one. */
const DEFAULT_SECONDARY_CLASS = 'db.r6g.large';

export interface AuroraGlobalClusterDr extends DatabaseDr {
  readonly globalCluster: rds.CfnGlobalCluster;
  readonly secondaryCluster: rds.CfnDBCluster;
  readonly secondaryInstances: rds.CfnDBInstance[];
  /** What the runbook switches: the global cluster and both members. */
  readonly runbookEntry: AuroraRunbookEntry;
  /** ARN of the source cluster as a plain string (usable from any stack, unlike `cluster.clusterArn`). */
  readonly sourceClusterArn: string;
  /** The generated credentials secret, now replicated to the DR region. */
  readonly replicatedSecret?: secretsmanager.Secret;
}


/**
 * Makes `cluster` the primary of an Aurora global database (in the stack of
 * `primaryParent`) and adds a secondary cluster without credentials, with its instances,
 * in the recovery stack.
 */
export function addAuroraGlobalCluster(
  ctx: DrContext,
  primaryParent: Construct,
  cluster: rds.DatabaseCluster,
  network: DrDatabaseNetwork,
  options: AuroraGlobalClusterOptions = {},
): AuroraGlobalClusterDr {
  const source = cluster.node.defaultChild as rds.CfnDBCluster;
  const resolve = (v: unknown) => Stack.of(cluster).resolve(v);
  const sourceId = checkExplicitIdentifier(cluster, 'clusterIdentifier', source.dbClusterIdentifier, 'cluster');
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

  const sourceClusterArn = ctx.arns.rdsCluster(ctx.primaryRegion, sourceId);
  const secondaryClusterArn = ctx.arns.rdsCluster(ctx.drRegion, secondaryId.toLowerCase());

  // --- Primary region: the global cluster, created from the existing source.
  const primaryScope = new Construct(primaryParent, protectedResourceId(primaryParent, 'Aurora', cluster, 'addAuroraGlobalCluster()'));
  const globalCluster = new rds.CfnGlobalCluster(primaryScope, 'GlobalCluster', {
    globalClusterIdentifier: globalId,
    sourceDbClusterIdentifier: sourceClusterArn,
    deletionProtection: ctx.removalPolicy !== RemovalPolicy.DESTROY,
  });
  globalCluster.applyRemovalPolicy(ctx.removalPolicy);
  globalCluster.node.addDependency(cluster);
  const replicatedSecret = replicateGeneratedSecret(ctx, cluster);

  // --- DR region: the secondary cluster and its instances.
  const recovery = new Construct(databasesScope(ctx), primaryScope.node.id);
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
    deletionProtection: ctx.removalPolicy !== RemovalPolicy.DESTROY,
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
    runbookEntry: {
      globalClusterIdentifier: globalId.toLowerCase(),
      secondaryClusterArn,
      // The plan and the handlers name the source by the identifier the global cluster was made from.
      memberArns: [sourceClusterArn, secondaryClusterArn],
    },
    readiness: { kind: 'aurora-global', identifier: secondaryId.toLowerCase(), region: ctx.drRegion },
    alarms,
    sourceClusterArn,
    replicatedSecret,
  };
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
