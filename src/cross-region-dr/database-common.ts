import { createHash } from 'crypto';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { DatabaseReadiness, DrContext, RpoCapability } from './dr-context';
import { nagResourceName } from '../private/acknowledgements';
import { alarmToTopic } from '../private/alarms';
import { stableId } from '../private/ids';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { checkSecretReplicatedOnce } from '../validation/dr';
import { ComplianceRuleError, collectViolations } from '../validation/errors';

/*
 * What the database mechanisms of CrossRegionDr (aurora-global.ts, rds-replica.ts,
 * dynamodb-global.ts) share. Secondaries live in the DR recovery stack (DR region,
 * deployed after the primary) and refer to their sources by ARNs built from the
 * sources' explicit physical identifiers: CloudFormation references do not cross regions.
 */

/** What every database mechanism reports back to CrossRegionDr. */
export interface DatabaseDr {
  readonly capability: RpoCapability;
  readonly readiness: DatabaseReadiness;
  readonly alarms: cloudwatch.Alarm[];
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

export const ENHANCED_MONITORING_SECONDS = 60;
export const MIN_BACKUP_RETENTION_DAYS = 7;
/** Lag alarms: 1-minute datapoints, the lag above the RPO for 3 minutes in a row. */
export const LAG_ALARM_PERIOD = Duration.minutes(1);
const LAG_ALARM_DATAPOINTS = 3;

/** Engine default ports: the secondaries listen where their sources do. */
export const DEFAULT_PORTS: Record<string, number> = {
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

export const BACKUP_PLAN_REASON = 'A cross-region secondary is a continuous copy of a source database that the primary region\'s '
  + 'backup plan protects (and copies to the DR vault); backing the copy up as well would duplicate those recovery points. '
  + 'After a failover, add the promoted database to a backup plan of the DR region.';

/** The parent of every database construct in the recovery stack. */
export function databasesScope(ctx: DrContext): Construct {
  return (ctx.recoveryStack.node.tryFindChild('Databases') as Construct | undefined) ?? new Construct(ctx.recoveryStack, 'Databases');
}

/**
 * The construct id, in `parent`, of what protects `resource`: named after the resource
 * itself, so that adding, removing or reordering others never renames it (and never
 * changes a logical ID or a physical name); protecting it twice is an error.
 */
export function protectedResourceId(parent: IConstruct, prefix: string, resource: IConstruct, method: string): string {
  const id = `${prefix}${stableId(resource)}`;
  if (parent.node.tryFindChild(id)) {
    throw new ComplianceRuleError(resource, method, 'called twice for this resource', 'call it once per resource');
  }
  return id;
}


/**
 * One enhanced-monitoring role per recovery stack, with the permissions of the
 * AWS-managed AmazonRDSEnhancedMonitoringRole scoped to the RDSOSMetrics log group.
 */
export function monitoringRole(ctx: DrContext): ManagedPolicyRole {
  const scope = databasesScope(ctx);
  const existing = scope.node.tryFindChild('MonitoringRole');
  if (existing) return existing as ManagedPolicyRole;
  const role = new ManagedPolicyRole(scope, 'MonitoringRole', {
    assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('monitoring.rds.amazonaws.com'), {
      StringEquals: { 'aws:SourceAccount': ctx.account },
    }),
    description: `RDS enhanced monitoring of the DR database secondaries of ${ctx.namePrefix}`,
  });
  const logGroupArn = ctx.arns.logGroup(ctx.drRegion, 'RDSOSMetrics');
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

/** A lag alarm: the lag above `threshold` for 3 one-minute datapoints in a row; no data is not a breach; OK is notified too. */
export function lagAlarm(
  scope: Construct, id: string, topic: sns.ITopic, threshold: number, metric: cloudwatch.IMetric, description: string,
): cloudwatch.Alarm {
  return alarmToTopic(scope, id, {
    metric,
    threshold,
    description,
    topic,
    evaluationPeriods: LAG_ALARM_DATAPOINTS,
    datapointsToAlarm: LAG_ALARM_DATAPOINTS,
    notifyOnOk: true,
  });
}

export function rdsMetric(metricName: string, dimensionsMap: Record<string, string>, region: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/RDS', metricName, dimensionsMap, statistic: cloudwatch.Stats.MAXIMUM, period: LAG_ALARM_PERIOD, region,
  });
}

/** The generated credentials secret of a cluster or instance, replicated to the DR region with the DR key. */
export function replicateGeneratedSecret(ctx: DrContext, database: IConstruct): secretsmanager.Secret | undefined {
  const secret = database.node.tryFindChild('Secret');
  if (!(secret instanceof secretsmanager.Secret)) return undefined;
  // Secrets Manager takes "the ARN, key ID, or alias" of the replica key; the DR key's alias
  // ARN names it without a cross-region reference (ReplicaRegions[].KmsKeyId).
  const drKey = kms.Key.fromKeyArn(secret, 'DrReplicaKey', ctx.drKeyAliasArn);
  secret.addReplicaRegion(ctx.drRegion, drKey);
  secret.node.addValidation({
    validate: () => {
      const replicas = Stack.of(secret).resolve((secret.node.defaultChild as secretsmanager.CfnSecret).replicaRegions);
      const regions: string[] = Array.isArray(replicas) ? replicas.map((r: any) => r?.region) : [];
      return collectViolations(() => checkSecretReplicatedOnce(secret, regions, ctx.drRegion));
    },
  });
  return secret;
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

export function samePortReason(port: number): string {
  return `The secondary listens on its source's port (${port}, the engine default) so that the application connects the same way `
    + 'after a failover; choose a non-default port on the source to move both.';
}

export function numberOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && !Token.isUnresolved(v) ? v : undefined;
}
