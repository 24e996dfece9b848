import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BACKUP_PLAN_REASON, DATABASE_DELIVERABLE_RPO, DEFAULT_PORTS, DatabaseDr, ENHANCED_MONITORING_SECONDS, MIN_BACKUP_RETENTION_DAYS, databasesScope, deriveIdentifier, lagAlarm, monitoringRole, numberOrUndefined, rdsMetric, replicateGeneratedSecret, protectedResourceId, samePortReason, stringOrUndefined } from './database-common';
import { DrDatabaseNetwork } from './database-network';
import { RdsReadReplicaOptions } from './database-options';
import { DrContext } from './dr-context';
import { RdsRunbookEntry } from './runbook';
import { checkDatabaseRegion, checkDatabaseStorageEncrypted, checkExplicitIdentifier, checkRdsIdentifier, checkReplicaInstanceClass } from '../validation/dr';

export interface RdsReadReplicaDr extends DatabaseDr {
  readonly replica: rds.CfnDBInstance;
  /** What the runbook promotes: the replica's identifier and ARN. */
  readonly runbookEntry: RdsRunbookEntry;
  /** ARN of the source instance as a plain string. */
  readonly sourceInstanceArn: string;
  /** The generated credentials secret, now replicated to the DR region. */
  readonly replicatedSecret?: secretsmanager.Secret;
}

/** What the RDS and DynamoDB services can promise. */

/** Adds a cross-region read replica of `instance` to the recovery stack. */
export function addRdsReadReplica(
  ctx: DrContext,
  instance: rds.DatabaseInstance,
  network: DrDatabaseNetwork,
  options: RdsReadReplicaOptions = {},
): RdsReadReplicaDr {
  const source = instance.node.defaultChild as rds.CfnDBInstance;
  const resolve = (v: unknown) => Stack.of(instance).resolve(v);
  const sourceId = checkExplicitIdentifier(instance, 'instanceIdentifier', source.dbInstanceIdentifier, 'instance');
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
  const sourceInstanceArn = ctx.arns.rdsInstance(ctx.primaryRegion, sourceId);
  const replicatedSecret = replicateGeneratedSecret(ctx, instance);

  const parent = databasesScope(ctx);
  const recovery = new Construct(parent, protectedResourceId(parent, 'RdsReplica', instance, 'addRdsReadReplica()'));
  ctx.recoveryStack.addStackDependency(Stack.of(instance), 'the RDS read replica needs its source instance first');
  const role = monitoringRole(ctx);
  const replica = new rds.CfnDBInstance(recovery, 'Replica', {
    dbInstanceIdentifier: replicaId,
    sourceDbInstanceIdentifier: sourceInstanceArn,
    sourceRegion: ctx.primaryRegion,
    engine: engine || undefined,
    dbInstanceClass: instanceClass,
    // Inherited from the (encrypted) source; stated because KmsKeyId requires it (cfn-lint E3720),
    // as aws-cdk-lib's own DatabaseInstanceReadReplica renders it.
    storageEncrypted: true,
    kmsKeyId: ctx.drKeyAliasArn,
    dbSubnetGroupName: network.subnetGroupName,
    vpcSecurityGroups: network.securityGroupIds,
    port: port !== undefined ? String(port) : undefined,
    multiAz,
    publiclyAccessible: false,
    deletionProtection: ctx.removalPolicy !== RemovalPolicy.DESTROY,
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
      reason: 'The CloudFormation docs advise leaving StorageEncrypted out beside SourceDBInstanceIdentifier, but they also require it '
        + 'whenever KmsKeyId is set (cfn-lint E3720), and aws-cdk-lib\'s own read replica sets it: the replica inherits the encryption either way.',
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
    runbookEntry: { identifier: replicaId.toLowerCase(), arn: ctx.arns.rdsInstance(ctx.drRegion, replicaId.toLowerCase()) },
    readiness: { kind: 'rds-replica', identifier: replicaId.toLowerCase(), region: ctx.drRegion },
    alarms: [alarm],
    sourceInstanceArn,
    replicatedSecret,
  };
}

function instanceLogExports(engine: string): string[] | undefined {
  if (engine === 'mysql' || engine === 'mariadb') return ['audit', 'error', 'general', 'slowquery'];
  if (engine === 'postgres') return ['postgresql', 'upgrade'];
  if (engine.startsWith('oracle')) return ['audit', 'alert', 'listener', 'oemagent', 'trace'];
  if (engine.startsWith('sqlserver')) return ['agent', 'error'];
  return undefined;
}

