/**
 * The alarm contract behind the fault matrix: every path the fault tests name in their evidence
 * (test/support/fault-alarms.ts) exists in what the constructs synthesize. A fault test says
 * "failed back to its trigger, which dead-letters it and alarms"; this test finds, in the
 * templates, the handler (by its environment contract), its dead-letter queue and the alarm on
 * that queue. Only the public API is used, as a user would build the estate.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createMetrics } from '../../../lambda-src/shared/powertools';
import { BackupTier, CompliantBackupSystem, CrossRegionDr, RestoreTestingResourceType } from '../../../src';
import { testApp } from '../../support/compliance';
import { ALERTS, HANDED_BACK } from '../../support/fault-alarms';

// Synthesizing a whole estate takes a while on a busy machine; nothing here measures time.
jest.setTimeout(300_000);

type Json = Record<string, any>;

let primary: Json;
let recovery: Json;

beforeAll(() => {
  const app = testApp();
  const stack = new Stack(app, 'Primary', { env: { account: '111111111111', region: 'us-east-1' } });
  const system = new CompliantBackupSystem(stack, 'Backups', {
    tiers: [BackupTier.daily({ copyToDr: true })],
    catalog: true,
    landingStorage: {},
    restoreTesting: { selections: [{ resourceType: RestoreTestingResourceType.DYNAMODB }] },
  });
  const dr = new CrossRegionDr(stack, 'Dr', { drRegion: 'us-west-2', rpo: Duration.hours(48), rto: Duration.hours(4), backupSystem: system });
  app.synth();
  primary = Template.fromStack(stack).toJSON();
  recovery = Template.fromStack(dr.recoveryStack).toJSON();
});

const resources = (template: Json, type: string): Array<[string, Json]> =>
  Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);

type Env = Record<string, unknown>;

/** The one function whose environment matches (each handler is told apart by its environment contract). */
function handlerWhere(template: Json, matches: (env: Env) => boolean): string {
  const found = resources(template, 'AWS::Lambda::Function').filter(([, f]) => matches(f.Properties.Environment?.Variables ?? {}));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0][0];
}
const has = (...names: string[]) => (env: Env) => names.every((n) => env[n] !== undefined);
const VAULT_ALERT = has('TOPIC_ARN', 'VAULT_NAME');
const VERIFIER = has('TABLE_NAME', 'ALARM_TOPIC_ARN');
const CATALOG = (env: Env) => has('TABLE_NAME')(env) && !has('LOOKBACK_HOURS')(env) && !has('ALARM_TOPIC_ARN')(env) && !has('VALIDATION_WAIT_SECONDS')(env);
const RECONCILER = has('TABLE_NAME', 'LOOKBACK_HOURS');
const VALIDATOR = has('VALIDATION_WAIT_SECONDS');
const READINESS = has('RPO_SECONDS', 'DR_REGION');
const FAILOVER = has('RTO_SECONDS', 'ACTIVE_REGION_PARAMETER');

const getAttId = (value: unknown, attribute: string): string | undefined => {
  const v = (value as Json | undefined)?.['Fn::GetAtt'];
  return Array.isArray(v) && v[1] === attribute ? v[0] : undefined;
};

/** The dead-letter queue of an asynchronously invoked function (where Lambda puts events that keep failing). */
function asyncDeadLetterQueue(template: Json, functionId: string): string {
  const queue = getAttId(template.Resources[functionId].Properties.DeadLetterConfig?.TargetArn, 'Arn');
  expect(queue).toBeDefined();
  return queue!;
}

/** The dead-letter queue of the SQS queue that feeds `functionId` (where SQS moves messages that keep failing). */
function sqsDeadLetterQueue(template: Json, functionId: string): string {
  const mappings = resources(template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName?.Ref === functionId);
  expect(mappings).toHaveLength(1);
  const [, mapping] = mappings[0];
  expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  const source = getAttId(mapping.Properties.EventSourceArn, 'Arn')!;
  const dlq = getAttId(template.Resources[source].Properties.RedrivePolicy?.deadLetterTargetArn, 'Arn');
  expect(dlq).toBeDefined();
  return dlq!;
}

/** Whether an alarm with an action watches the queue's visible messages. */
function queueAlarmed(template: Json, queueId: string): boolean {
  return resources(template, 'AWS::CloudWatch::Alarm').some(([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible'
    && (a.Properties.Dimensions ?? []).some((d: Json) => d.Name === 'QueueName' && getAttId(d.Value, 'QueueName') === queueId)
    && (a.Properties.AlarmActions ?? []).length > 0);
}

/** The alarm on a metric of the given name, with an action. */
function metricAlarm(template: Json, metricName: string): Json | undefined {
  return resources(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties)
    .find((p) => p.MetricName === metricName && (p.AlarmActions ?? []).length > 0);
}

describe('dead-letter paths named in the fault matrix (HANDED_BACK)', () => {
  test.each([
    ['vault-alert', () => asyncDeadLetterQueue(primary, handlerWhere(primary, VAULT_ALERT))],
    ['restore-validator', () => asyncDeadLetterQueue(primary, handlerWhere(primary, VALIDATOR))],
    ['catalog-reconciler', () => asyncDeadLetterQueue(primary, handlerWhere(primary, RECONCILER))],
    ['catalog', () => sqsDeadLetterQueue(primary, handlerWhere(primary, CATALOG))],
    ['verifier', () => sqsDeadLetterQueue(primary, handlerWhere(primary, VERIFIER))],
  ] as const)('%s: its dead-letter queue has an alarm', (handler, deadLetterQueue) => {
    expect(HANDED_BACK[handler]).toMatch(/dead-letter queue, whose alarm fires/);
    expect(queueAlarmed(primary, deadLetterQueue())).toBe(true);
  });

  test('readiness: a run that fails leaves RpoBreaches without a data point, and its alarm treats that as breaching', () => {
    handlerWhere(recovery, READINESS);
    expect(HANDED_BACK.readiness).toContain('the RPO alarm fires on the missing data point');
    expect(metricAlarm(recovery, 'RpoBreaches')).toMatchObject({ TreatMissingData: 'breaching' });
    expect(ALERTS.rpoBreachesMissing).toContain('RpoBreachAlarm');
  });

  test('failover: it is the custom action of the Region switch plan, which shows a failed step', () => {
    const failover = handlerWhere(recovery, FAILOVER);
    const plans = resources(recovery, 'AWS::ARCRegionSwitch::Plan');
    expect(plans).toHaveLength(1);
    expect(JSON.stringify(plans[0][1])).toContain(`"${failover}"`);
    expect(HANDED_BACK.failover).toContain('Region switch');
  });
});

describe('alerts and alarms on recorded failures (ALERTS)', () => {
  test('verifier: failed objects go to an alarm topic', () => {
    const env = resources(primary, 'AWS::Lambda::Function').find(([id]) => id === handlerWhere(primary, VERIFIER))![1].Properties.Environment.Variables;
    expect(env.ALARM_TOPIC_ARN).toBeDefined();
    expect(ALERTS.verifierAlarmTopic).toContain('ALARM_TOPIC_ARN');
  });

  test('vault-alert: the alert goes to the vault notification topic', () => {
    const env = resources(primary, 'AWS::Lambda::Function').find(([id]) => id === handlerWhere(primary, VAULT_ALERT))![1].Properties.Environment.Variables;
    expect(env.TOPIC_ARN).toBeDefined();
  });

  test('failover: the report goes to the DR alarm topic', () => {
    const env = resources(recovery, 'AWS::Lambda::Function').find(([id]) => id === handlerWhere(recovery, FAILOVER))![1].Properties.Environment.Variables;
    expect(env.TOPIC_ARN).toBeDefined();
  });

  test('readiness: a missing MaxRecoveryPointAgeSeconds is breaching, and MissingRecoveryPoints alarms', () => {
    expect(metricAlarm(recovery, 'MaxRecoveryPointAgeSeconds')).toMatchObject({ TreatMissingData: 'breaching' });
    expect(ALERTS.recoveryPointAgeMissing).toContain('RecoveryPointAgeAlarm');
    expect(metricAlarm(recovery, 'MissingRecoveryPoints')).toBeDefined();
  });
});

/** Alarms that mention a metric anywhere (by name, or inside a metric math expression). */
const alarmsOn = (template: Json, metricName: string) =>
  resources(template, 'AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a).includes(metricName));

describe('alarms on unmeasured readiness checks and failed restore validations', () => {
  test('readiness: ChecksUnknown > 0 alarms, and missing data is not taken for a breach (RpoBreaches covers a failed run)', () => {
    expect(ALERTS.checksUnknown).toContain('ChecksUnknownAlarm');
    expect(metricAlarm(recovery, 'ChecksUnknown')).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
  });

  test('restore-validator: one alarm per tested type on FAILED + TIMED_OUT, with the dimensions the validator really emits', () => {
    expect(ALERTS.restoreValidationFailed).toContain('ValidationFailedAlarm');
    const alarms = alarmsOn(primary, 'RestoreValidationsFailed').map(([, a]) => a.Properties);
    expect(alarms).toHaveLength(1);
    const [alarm] = alarms;
    expect(alarm.AlarmActions.length).toBeGreaterThan(0);
    const stats = alarm.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => m.MetricStat.Metric);
    expect(stats.map((m: Json) => m.MetricName).sort()).toEqual(['RestoreValidationsFailed', 'RestoreValidationsTimedOut']);

    // The validator's own Metrics object, configured from the synthesized environment, emits a
    // verdict: its namespace and dimension set must be exactly what the alarm watches.
    const env = resources(primary, 'AWS::Lambda::Function').find(([id]) => id === handlerWhere(primary, VALIDATOR))![1].Properties.Environment.Variables;
    const metrics = createMetrics('restore-validator', env);
    metrics.addDimension('ResourceType', 'DynamoDB');
    metrics.addMetric('RestoreValidationsFailed', MetricUnit.Count, 1);
    const blob = metrics.serializeMetrics() as unknown as Json;
    const emitted = blob._aws.CloudWatchMetrics[0];
    for (const watched of stats) {
      expect(watched.Namespace).toBe(emitted.Namespace);
      expect(watched.Dimensions.map((d: Json) => d.Name).sort()).toEqual([...emitted.Dimensions[0]].sort());
      for (const d of watched.Dimensions) expect(blob[d.Name]).toBe(d.Value);
    }
  });
});
