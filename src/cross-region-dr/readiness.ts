import { Duration, Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DatabaseReadiness, DrContext, ReplicationReadiness } from './dr-context';
import { ALL_PROTECTED_RESOURCE_TYPES } from '../backup-system/backup-service-policy';
import { acknowledgeWildcardResources } from '../private/acknowledgements';
import { alarmToTopic, deadLetterAlarm } from '../private/alarms';
import { HandlerResources, createHandler, handlerRuleTarget } from '../private/handler-resources';
import { describeDuration } from '../validation/errors';

/** What the readiness handler measures, filled in as resources are added to the CrossRegionDr. */
export interface ReadinessInputs {
  readonly replication: ReplicationReadiness[];
  readonly databases: DatabaseReadiness[];
  /** Set when backup copies land in the DR vault: readiness then measures recovery-point age. */
  readonly drVaultName?: string;
  /** A Route 53 health check of the primary endpoint, whose status readiness publishes. */
  readonly healthCheck?: route53.CfnHealthCheck;
}

/** The scheduled readiness check of a CrossRegionDr and its alarms, all in the DR region. */
export interface Readiness {
  readonly handler: HandlerResources;
  readonly alarms: cloudwatch.Alarm[];
}

/**
 * The readiness handler (recovery stack): every `interval` it measures the real RPO —
 * the age of the newest recovery point in the DR vault, replication and database lag,
 * and AWS Backup opt-in in both regions — and publishes it under the DR's metric
 * namespace; alarms fire at the declared RPO.
 */
export function createReadiness(ctx: DrContext, drPath: string, inputs: ReadinessInputs, interval: Duration = Duration.minutes(5)): Readiness {
  const scope = ctx.recoveryStack;
  const handler = createHandler(scope, 'Readiness', 'readiness', {
    key: ctx.drOperationsKey,
    description: `Measures the real RPO of ${drPath} against ${describeDuration(ctx.rpo)}`,
    timeout: Duration.minutes(2),
    environment: {
      DR_REGION: ctx.drRegion,
      PRIMARY_REGION: ctx.primaryRegion,
      RPO_SECONDS: String(Math.floor(ctx.rpo.toMilliseconds() / 1000)),
      METRIC_NAMESPACE: ctx.metricNamespace,
      BACKUP_RESOURCE_TYPES: JSON.stringify(ALL_PROTECTED_RESOURCE_TYPES),
      REPLICATION: Lazy.string({ produce: () => JSON.stringify(inputs.replication) }),
      DATABASES: Lazy.string({ produce: () => JSON.stringify(inputs.databases) }),
      ...(inputs.drVaultName ? { DR_VAULT_NAME: inputs.drVaultName } : {}),
      ...(inputs.healthCheck ? { HEALTH_CHECK_ID: inputs.healthCheck.attrHealthCheckId } : {}),
    },
  });
  grantReadiness(ctx, handler.role, inputs.drVaultName);
  new events.Rule(scope, 'ReadinessSchedule', {
    description: `Measures the RPO of ${drPath}`,
    schedule: events.Schedule.rate(interval),
    targets: [handlerRuleTarget(handler, { retryAttempts: 2 })],
  });
  const alarms = createReadinessAlarms(ctx, drPath, inputs.drVaultName !== undefined, inputs.healthCheck !== undefined);
  // A failed run is also caught by the RPO alarm (missing data breaches); this one says why.
  alarms.push(deadLetterAlarm(scope, 'ReadinessDeadLetterAlarm', handler.deadLetterQueue, ctx.drAlarmTopic,
    `A readiness run of ${drPath} failed; read its dead-letter queue and the function's logs`));
  return { handler, alarms };
}

/** A metric the readiness handler publishes, read in the DR region. */
export function readinessMetric(ctx: DrContext, metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: ctx.metricNamespace,
    metricName,
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.minutes(5),
    region: ctx.drRegion,
    ...props,
  });
}

function grantReadiness(ctx: DrContext, role: iam.IRole, drVaultName: string | undefined): void {
  // Recovery-point age is read from the DR vault, which exists only when a backup system copies into it.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['backup:ListRecoveryPointsByBackupVault'],
    resources: [ctx.arns.backupVault(ctx.drRegion, drVaultName ?? ctx.drVaultName)],
  }));
  // ListMetrics finds the source bucket of a replication rule whose bucket CloudFormation named.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['backup:DescribeRegionSettings', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
    resources: ['*'],
  }));
  role.addToPrincipalPolicy(putDrMetricsStatement(ctx));
  acknowledgeWildcardResources(role, [{
    resource: '*',
    reason: 'backup:DescribeRegionSettings, cloudwatch:GetMetricData, cloudwatch:ListMetrics and cloudwatch:PutMetricData support no '
      + 'resource-level permissions; PutMetricData is limited to this DR metric namespace by the cloudwatch:namespace condition.',
  }]);
}

/** PutMetricData has no resource-level permission: the namespace condition scopes it to this DR. */
export function putDrMetricsStatement(ctx: DrContext): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': ctx.metricNamespace } },
  });
}

/**
 * RPO breaches and "readiness stopped reporting" (missing data is a breach: nobody is
 * measuring the RPO), the age of the newest DR recovery point, resources without one,
 * and missing AWS Backup opt-in.
 */
function createReadinessAlarms(ctx: DrContext, drPath: string, measuresBackups: boolean, watchesEndpoint: boolean): cloudwatch.Alarm[] {
  const scope = ctx.recoveryStack;
  const rpo = describeDuration(ctx.rpo);
  const alarm = (id: string, metricName: string, threshold: number, description: string) => alarmToTopic(scope, id, {
    metric: readinessMetric(ctx, metricName),
    threshold,
    description,
    topic: ctx.drAlarmTopic,
    missingDataIsBreach: true,
  });
  const alarms = [alarm('RpoBreachAlarm', 'RpoBreaches', 0, `A DR check of ${drPath} exceeds the RPO of ${rpo}`)];
  if (measuresBackups) {
    alarms.push(
      alarm('RecoveryPointAgeAlarm', 'MaxRecoveryPointAgeSeconds', ctx.rpo.toMilliseconds() / 1000, `The newest DR recovery point is older than the RPO of ${rpo}`),
      alarm('MissingRecoveryPointsAlarm', 'MissingRecoveryPoints', 0, 'A protected resource has no recovery point in the DR vault'),
    );
  }
  alarms.push(alarm('BackupOptInAlarm', 'BackupOptInMissing', 0, 'AWS Backup is not opted in for a protected resource type in one of the regions'));
  // A check that cannot be measured (a region or metric that does not answer) is neither OK nor a breach: say so.
  alarms.push(alarmToTopic(scope, 'ChecksUnknownAlarm', {
    metric: readinessMetric(ctx, 'ChecksUnknown'),
    threshold: 0,
    description: `A DR check of ${drPath} could not be measured (a region, API or metric did not answer); the readiness logs say which`,
    topic: ctx.drAlarmTopic,
  }));
  if (watchesEndpoint) {
    alarms.push(alarmToTopic(scope, 'PrimaryEndpointAlarm', {
      metric: readinessMetric(ctx, 'PrimaryEndpointUnhealthy'),
      threshold: 0,
      description: `Route 53 reports the primary endpoint of ${drPath} unhealthy: consider running the failover runbook`,
      topic: ctx.drAlarmTopic,
      notifyOnOk: true,
    }));
  }
  return alarms;
}
