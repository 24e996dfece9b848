/**
 * Tests for lambda-src/failover.lambda.ts: the Region switch custom step / DR drill that
 * switches Aurora global databases, promotes RDS replicas, flips the active-region parameter,
 * reports to SNS and publishes the measured recovery time.
 *
 * Every SDK client is stubbed per region with aws-sdk-client-mock; the stubs record the order of
 * calls across services so the tests can assert that the parameter flips only after the
 * databases are switched. Polling runs with a 1 ms interval.
 */
import { PutMetricDataCommand, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  PromoteReadReplicaCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { FailoverConfigError, parseFailoverConfig } from '../../lambda-src/failover/config';
import { normalizeEvent } from '../../lambda-src/failover/event';
import { decideAurora, failoverMetricData, formatReport, type FailoverResult } from '../../lambda-src/failover/plan';
import { replaceEnv, setHandlerEnv } from '../support/fake-aws';

type HandlerModule = typeof import('../../lambda-src/failover.lambda');

const PRIMARY = 'us-east-1';
const DR = 'eu-central-1';
const ACCOUNT = '111122223333';
const PARAM = '/orders/active-region';
const TOPIC_ARN = `arn:aws:sns:${DR}:${ACCOUNT}:dr-alerts`;
const NS = 'CdkCompliantBackup/DR';
const GLOBAL_ID = 'orders-global';
const PRIMARY_CLUSTER = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:orders-primary`;
const SECONDARY_CLUSTER = `arn:aws:rds:${DR}:${ACCOUNT}:cluster:orders-secondary`;
const REPLICA = 'orders-replica';
const REPLICA_SOURCE = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:orders-db`;

const BASE_ENV: Record<string, string> = {
  ACTIVE_REGION_PARAMETER: PARAM,
  PRIMARY_REGION: PRIMARY,
  DR_REGION: DR,
  TOPIC_ARN,
  METRIC_NAMESPACE: NS,
  RTO_SECONDS: '900',
  RDS_REPLICAS: JSON.stringify([REPLICA]),
  AURORA_GLOBAL_CLUSTERS: JSON.stringify([{ globalClusterIdentifier: GLOBAL_ID, secondaryClusterArn: SECONDARY_CLUSTER }]),
  POLL_INTERVAL_MS: '1',
};
const CONFIG_KEYS = [...Object.keys(BASE_ENV), 'ACTIVE_REGION_PARAMETER_REGION', 'FINISH_RESERVE_MS'];

function setConfig(overrides: Record<string, string | undefined> = {}) {
  replaceEnv(CONFIG_KEYS, { ...BASE_ENV, ...overrides });
}

type Writer = 'primary' | 'secondary';
type FailoverStatus = 'pending' | 'failing-over' | 'cancelling';
function globalCluster(writer: Writer, failoverState?: { Status: FailoverStatus; FromDbClusterArn?: string; ToDbClusterArn?: string }) {
  return {
    GlobalClusters: [{
      GlobalClusterIdentifier: GLOBAL_ID,
      Status: failoverState ? 'switching-over' : 'available',
      GlobalClusterMembers: [
        { DBClusterArn: PRIMARY_CLUSTER, IsWriter: writer === 'primary' },
        { DBClusterArn: SECONDARY_CLUSTER, IsWriter: writer === 'secondary' },
      ],
      ...(failoverState ? { FailoverState: failoverState } : {}),
    }],
  };
}
function replica(status: string, stillReplica: boolean) {
  return {
    DBInstances: [{
      DBInstanceIdentifier: REPLICA,
      DBInstanceStatus: status,
      ...(stillReplica ? { ReadReplicaSourceDBInstanceIdentifier: REPLICA_SOURCE } : {}),
    }],
  };
}
const parameter = (value: string) => ({ Parameter: { Name: PARAM, Value: value, Type: 'String' as const, Version: 3 } });

/** No Aurora switch and no promotion reached this RDS client. */
function expectNoRdsMutations(stub: AwsClientStub<any>) {
  expect(stub).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  expect(stub).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  expect(stub).not.toHaveReceivedCommand(PromoteReadReplicaCommand);
}

let mod: HandlerModule;
let restoreEnv: () => void;
let rdsDr: AwsClientStub<any>;
let rdsPrimary: AwsClientStub<any>;
let ssm: AwsClientStub<any>;
let sns: AwsClientStub<any>;
let cw: AwsClientStub<any>;
let order: string[];

beforeAll(() => {
  restoreEnv = setHandlerEnv(DR, {}, CONFIG_KEYS);
  mod = jest.requireActual<HandlerModule>('../../lambda-src/failover.lambda');
});

afterAll(() => {
  restoreEnv();
});

beforeEach(() => {
  setConfig();
  order = [];
  rdsDr = mockClient(mod.rdsClient(DR));
  rdsPrimary = mockClient(mod.rdsClient(PRIMARY));
  ssm = mockClient(mod.ssmClient(DR));
  sns = mockClient(mod.snsClient(DR));
  cw = mockClient(mod.cloudWatchClient(DR));
  sns.on(PublishCommand).callsFake(() => { order.push('sns:Publish'); return { MessageId: 'msg-1' }; });
  cw.on(PutMetricDataCommand).resolves({});
  ssm.on(PutParameterCommand).callsFake(() => { order.push('ssm:PutParameter'); return { Version: 4 }; });
});

afterEach(() => {
  for (const s of [rdsDr, rdsPrimary, ssm, sns, cw]) s.restore();
});

/** Describe answers that follow what the mutating calls did, like the real service. */
function simulateAurora(initial: Writer, opts: { pendingPolls?: number } = {}) {
  let writer: Writer = initial;
  let pending = 0;
  const toSecondary = () => {
    pending = opts.pendingPolls ?? 1;
    order.push('rds:switch');
    return { GlobalCluster: {} };
  };
  rdsDr.on(SwitchoverGlobalClusterCommand).callsFake(toSecondary);
  rdsDr.on(FailoverGlobalClusterCommand).callsFake(toSecondary);
  rdsDr.on(DescribeGlobalClustersCommand).callsFake(() => {
    if (pending > 0) {
      pending--;
      if (pending === 0) writer = 'secondary';
      return globalCluster('primary', { Status: 'failing-over', FromDbClusterArn: PRIMARY_CLUSTER, ToDbClusterArn: SECONDARY_CLUSTER });
    }
    order.push(`rds:describe(${writer})`);
    return globalCluster(writer);
  });
}

function simulateReplica(initiallyReplica: boolean) {
  let isReplica = initiallyReplica;
  rdsDr.on(PromoteReadReplicaCommand).callsFake(() => {
    isReplica = false;
    order.push('rds:promote');
    return { DBInstance: {} };
  });
  rdsDr.on(DescribeDBInstancesCommand).callsFake(() => replica(isReplica ? 'available' : 'modifying', isReplica));
}

function published(): PublishCommandInput {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

function metricsPut(): PutMetricDataCommandInput {
  const calls = cw.commandCalls(PutMetricDataCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

const stepSeconds = (Step: string) => ({
  MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: Step }], Value: expect.any(Number), Unit: 'Seconds', Timestamp: expect.any(Date),
});

describe('switchover and failover', () => {
  test('switchover: Aurora switched over, replica promoted, then the parameter flipped, reported and measured', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    simulateAurora('primary');
    simulateReplica(true);

    const result = await mod.handler({ action: 'switchover' });

    expect(rdsDr).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 1);
    expect(rdsDr).toHaveReceivedCommandWith(SwitchoverGlobalClusterCommand, {
      GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: SECONDARY_CLUSTER,
    });
    expect(rdsDr).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
    expect(rdsDr).toHaveReceivedCommandWith(PromoteReadReplicaCommand, { DBInstanceIdentifier: REPLICA });
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: PARAM });
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: PARAM, Value: DR, Type: 'String', Overwrite: true });
    // The flip waits until Aurora reports the DR cluster as writer and the replica is promoted.
    expect(order.indexOf('ssm:PutParameter')).toBeGreaterThan(order.indexOf('rds:describe(secondary)'));
    expect(order.indexOf('ssm:PutParameter')).toBeGreaterThan(order.indexOf('rds:promote'));
    expect(order[order.length - 1]).toBe('sns:Publish');

    expect(result).toMatchObject({ action: 'switchover', targetRegion: DR, dryRun: false, previousActiveRegion: PRIMARY, rtoSeconds: 900, exceededRto: false, notified: true });
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['read-active-region', 'done'],
      [`aurora:${GLOBAL_ID}`, 'done'],
      [`rds:${REPLICA}`, 'done'],
      ['flip-active-region', 'done'],
    ]);
    expect(result.steps[1].detail).toContain(`SwitchoverGlobalCluster to ${SECONDARY_CLUSTER} requested`);
    for (const s of result.steps) expect(s.seconds).toBeGreaterThanOrEqual(0);
    expect(result.totalSeconds).toBeGreaterThanOrEqual(0);

    const report = published();
    expect(report.TopicArn).toBe(TOPIC_ARN);
    expect(report.Subject).toMatch(/^\[DR\] switchover to eu-central-1 done in [\d.]+ s \(RTO 900 s met\)$/);
    expect(report.Message).toContain(`Active region (${PARAM}) before: us-east-1`);
    expect(report.Message).toMatch(/Time in this handler: [\d.]+ s; RTO 900 s: within/);
    expect(report.Message).toMatch(/done\s+[\d.]+ s {2}flip-active-region: \/orders\/active-region set from us-east-1 to eu-central-1/);
    expect(report.MessageAttributes?.outcome).toEqual({ DataType: 'String', StringValue: 'completed' });

    expect(metricsPut()).toEqual({
      Namespace: NS,
      MetricData: [
        stepSeconds('read-active-region'),
        stepSeconds(`aurora:${GLOBAL_ID}`),
        stepSeconds(`rds:${REPLICA}`),
        stepSeconds('flip-active-region'),
        { MetricName: 'FailoverTotalSeconds', Value: result.totalSeconds, Unit: 'Seconds', Timestamp: expect.any(Date) },
      ],
    });
  });

  test('failover: FailoverGlobalCluster with AllowDataLoss, never a switchover', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    simulateAurora('primary', { pendingPolls: 2 });
    simulateReplica(true);

    const result = await mod.handler({ action: 'failover', targetRegion: DR });

    expect(rdsDr).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 1);
    expect(rdsDr).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, {
      GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: SECONDARY_CLUSTER, AllowDataLoss: true,
    });
    expect(rdsDr).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
    expect(result.steps.every((s) => s.status === 'done')).toBe(true);
    expect(published().Message).toContain('Action: failover (ungraceful: Aurora may lose the unreplicated tail) to eu-central-1');
  });

  test('a re-run after a partial failure resumes: Aurora skipped as already the writer, parameter flipped', async () => {
    setConfig({ RDS_REPLICAS: undefined });
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    simulateAurora('primary');
    ssm.on(PutParameterCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    // First run: Aurora switched, then the flip fails → the handler throws.
    let error: unknown;
    try {
      await mod.handler({ action: 'switchover' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(mod.FailoverStepFailed);
    const first = (error as InstanceType<HandlerModule['FailoverStepFailed']>).result;
    expect((error as Error).message).toContain('step flip-active-region failed: PutParameter /orders/active-region = eu-central-1 failed: ThrottlingException: Rate exceeded');
    expect(first.steps.map((s) => [s.name, s.status])).toEqual([
      ['read-active-region', 'done'], [`aurora:${GLOBAL_ID}`, 'done'], ['flip-active-region', 'failed'],
    ]);
    expect(published().Subject).toBe('[DR] switchover to eu-central-1 FAILED at flip-active-region');
    // A failed run reports its steps but no total: it did not recover.
    expect(metricsPut().MetricData!.map((m) => m.MetricName)).toEqual(['FailoverStepSeconds', 'FailoverStepSeconds', 'FailoverStepSeconds']);

    sns.resetHistory();
    cw.resetHistory();
    const second = await mod.handler({ action: 'switchover' });

    expect(rdsDr).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 1); // only from the first run
    expect(ssm).toHaveReceivedCommandTimes(PutParameterCommand, 2);
    expect(second.steps.map((s) => [s.name, s.status])).toEqual([
      ['read-active-region', 'done'], [`aurora:${GLOBAL_ID}`, 'skipped'], ['flip-active-region', 'done'],
    ]);
    expect(second.steps[1].detail).toBe(`already done: ${SECONDARY_CLUSTER} is the writer of ${GLOBAL_ID}`);
  });

  test('already failed over: every step is skipped and nothing is changed', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(DR));
    simulateAurora('secondary');
    simulateReplica(false);

    const result = await mod.handler({ action: 'failover' });

    expectNoRdsMutations(rdsDr);
    expect(rdsPrimary.calls()).toHaveLength(0);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['read-active-region', 'done'], [`aurora:${GLOBAL_ID}`, 'skipped'], [`rds:${REPLICA}`, 'skipped'], ['flip-active-region', 'skipped'],
    ]);
    expect(result.steps[3].detail).toBe(`${PARAM} already holds ${DR}`);
    expect(published().Subject).toBe('[DR] failover to eu-central-1: already in place, nothing to do');
  });

  test('a switch already in progress (e.g. Region switch\'s own Aurora block) is waited for, not requested again', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    setConfig({ RDS_REPLICAS: undefined });
    rdsDr.on(DescribeGlobalClustersCommand)
      .resolvesOnce(globalCluster('primary', { Status: 'pending', FromDbClusterArn: PRIMARY_CLUSTER, ToDbClusterArn: SECONDARY_CLUSTER }))
      .resolvesOnce(globalCluster('primary', { Status: 'failing-over', FromDbClusterArn: PRIMARY_CLUSTER, ToDbClusterArn: SECONDARY_CLUSTER }))
      .resolves(globalCluster('secondary'));

    const result = await mod.handler({ action: 'switchover' });

    expectNoRdsMutations(rdsDr);
    expect(result.steps[1]).toMatchObject({ status: 'skipped', detail: expect.stringContaining('waited for a switch already in progress') });
    expect(ssm).toHaveReceivedCommandTimes(PutParameterCommand, 1);
  });

  test('a switch refused as "in progress" is waited for instead of failing', async () => {
    setConfig({ RDS_REPLICAS: undefined });
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    rdsDr.on(SwitchoverGlobalClusterCommand).rejects(Object.assign(new Error('Global cluster is in the middle of a switchover'), { name: 'InvalidGlobalClusterStateFault' }));
    rdsDr.on(DescribeGlobalClustersCommand).resolvesOnce(globalCluster('primary')).resolvesOnce(globalCluster('primary')).resolves(globalCluster('secondary'));

    const result = await mod.handler({ action: 'switchover' });

    expect(rdsDr).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 1);
    expect(result.steps[1]).toMatchObject({ status: 'done', detail: expect.stringContaining('treated as already in progress') });
  });

  test('a switch that does not finish in the time budget fails the step; the flip is not attempted', async () => {
    setConfig({ RDS_REPLICAS: undefined, FINISH_RESERVE_MS: '1000' });
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    rdsDr.on(SwitchoverGlobalClusterCommand).resolves({});
    rdsDr.on(DescribeGlobalClustersCommand).resolves(globalCluster('primary'));

    await expect(mod.handler({ action: 'switchover' }, { getRemainingTimeInMillis: () => 1050 }))
      .rejects.toThrow(/step aurora:orders-global failed: not finished before the time budget ran out .*; re-run to resume/);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
    expect(published().Message).toContain('Re-run the same action to resume; steps already done are skipped.');
  });

  test('another switch of the global cluster to somewhere else stops the run', async () => {
    setConfig({ RDS_REPLICAS: undefined });
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    const elsewhere = `arn:aws:rds:ap-south-1:${ACCOUNT}:cluster:orders-third`;
    rdsDr.on(DescribeGlobalClustersCommand).resolves(globalCluster('primary', { Status: 'failing-over', FromDbClusterArn: PRIMARY_CLUSTER, ToDbClusterArn: elsewhere }));

    await expect(mod.handler({ action: 'switchover' })).rejects.toThrow(`another switch of ${GLOBAL_ID} is failing-over: from ${PRIMARY_CLUSTER} to ${elsewhere}`);
    expectNoRdsMutations(rdsDr);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});

describe('dry run and drill', () => {
  test.each([
    ['dryRun: true', { action: 'switchover', dryRun: true }],
    ['action drill', { action: 'drill' }],
  ])('%s only reads and reports what would be done', async (_name, event) => {
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    rdsDr.on(DescribeGlobalClustersCommand).resolves(globalCluster('primary'));
    rdsDr.on(DescribeDBInstancesCommand).resolves(replica('available', true));

    const result = await mod.handler(event);

    expect(rdsDr).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 0);
    expect(rdsDr).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 0);
    expect(rdsDr).toHaveReceivedCommandTimes(PromoteReadReplicaCommand, 0);
    expect(ssm).toHaveReceivedCommandTimes(PutParameterCommand, 0);
    expect(rdsDr).toHaveReceivedCommandTimes(DescribeGlobalClustersCommand, 1);
    expect(rdsDr).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 1);
    expect(result.dryRun).toBe(true);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['read-active-region', 'done'], [`aurora:${GLOBAL_ID}`, 'would-do'], [`rds:${REPLICA}`, 'would-do'], ['flip-active-region', 'would-do'],
    ]);
    expect(result.steps[1].detail).toBe(`would call SwitchoverGlobalCluster to make ${SECONDARY_CLUSTER} the writer (${SECONDARY_CLUSTER} is not the writer of ${GLOBAL_ID})`);
    expect(result.steps[3].detail).toBe(`would set ${PARAM} from ${PRIMARY} to ${DR}`);
    for (const s of result.steps) expect(s.seconds).toBeGreaterThanOrEqual(0); // measured read latencies
    const report = published();
    expect(report.Subject).toMatch(/^\[DR drill\] (switchover|drill) to eu-central-1: 3 steps would run$/);
    expect(report.Message).toContain('Dry run: yes - only reads were made, nothing was changed');
    expect(cw).not.toHaveReceivedCommand(PutMetricDataCommand); // read latencies are not a recovery time
  });
});

describe('RDS read replicas', () => {
  test('promoted only while still a replica, once it is available, and then waited for', async () => {
    setConfig({ AURORA_GLOBAL_CLUSTERS: undefined });
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    let promoted = false;
    rdsDr.on(PromoteReadReplicaCommand).callsFake(() => { promoted = true; return {}; });
    rdsDr.on(DescribeDBInstancesCommand)
      .resolvesOnce(replica('backing-up', true)) // busy: wait rather than ask
      .callsFake(() => (promoted ? replica('modifying', false) : replica('available', true)));

    const result = await mod.handler({ action: 'switchover' });

    expect(rdsDr).toHaveReceivedCommandTimes(PromoteReadReplicaCommand, 1);
    expect(result.steps[1]).toMatchObject({ name: `rds:${REPLICA}`, status: 'done' });
    expect(result.steps[1].detail).toContain(`PromoteReadReplica ${REPLICA} requested; ${REPLICA} is a standalone instance (promoted)`);
  });

  test('an instance that is no longer a replica is not promoted', async () => {
    setConfig({ AURORA_GLOBAL_CLUSTERS: undefined });
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    rdsDr.on(DescribeDBInstancesCommand).resolves(replica('available', false));

    const result = await mod.handler({ action: 'switchover' });

    expect(rdsDr).not.toHaveReceivedCommand(PromoteReadReplicaCommand);
    expect(result.steps[1]).toMatchObject({ status: 'skipped' });
    expect(result.steps[2]).toMatchObject({ name: 'flip-active-region', status: 'done' });
  });

  test('failback with a promoted DR instance stops before anything changes: Aurora is not switched back either', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(DR));
    rdsPrimary.on(DescribeGlobalClustersCommand).resolves(globalCluster('secondary'));
    rdsDr.on(DescribeDBInstancesCommand).resolves(replica('available', false));

    let error: unknown;
    try {
      await mod.handler({ action: 'failback' });
    } catch (err) {
      error = err;
    }

    expect((error as Error).message).toMatch(/step rds:orders-replica failed: orders-replica was promoted .* the primary's copy is stale/);
    const result = (error as InstanceType<HandlerModule['FailoverStepFailed']>).result;
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['read-active-region', 'done'], [`aurora:${GLOBAL_ID}`, 'skipped'], [`rds:${REPLICA}`, 'failed'],
    ]);
    expect(result.steps[1].detail).toBe(`not started: rds:${REPLICA} failed its check, so nothing was changed`);
    expectNoRdsMutations(rdsPrimary);
    expectNoRdsMutations(rdsDr);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('failback switches Aurora back in the primary region, leaves a still-replicating DR replica alone, flips back', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(DR));
    rdsDr.on(DescribeDBInstancesCommand).resolves(replica('available', true));
    let writer: Writer = 'secondary';
    rdsPrimary.on(SwitchoverGlobalClusterCommand).callsFake(() => { writer = 'primary'; return {}; });
    rdsPrimary.on(DescribeGlobalClustersCommand).callsFake(() => globalCluster(writer));

    const result = await mod.handler({ action: 'failback' });

    expect(rdsPrimary).toHaveReceivedCommandWith(SwitchoverGlobalClusterCommand, {
      GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: PRIMARY_CLUSTER,
    });
    expect(rdsDr).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand); // the call goes to the region being activated
    expect(rdsDr).not.toHaveReceivedCommand(PromoteReadReplicaCommand);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['read-active-region', 'done'], [`aurora:${GLOBAL_ID}`, 'done'], [`rds:${REPLICA}`, 'skipped'], ['flip-active-region', 'done'],
    ]);
    expect(result.steps[2].detail).toContain('still a read replica');
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: PARAM, Value: PRIMARY, Overwrite: true });
  });
});

describe('ARC Region switch invocations', () => {
  const ctx = { primaryRegion: PRIMARY, drRegion: DR, functionRegion: DR };

  test.each([
    ['activate the DR region', { planArn: 'arn:aws:arc-region-switch::111122223333:plan/orders:abc123', executionId: 'ex-1', action: 'activate', targetRegion: DR },
      { action: 'switchover', targetRegion: DR, dryRun: false, executionId: 'ex-1' }],
    ['deactivate the primary region', { action: 'deactivate', targetRegion: PRIMARY }, { action: 'switchover', targetRegion: DR }],
    ['named activating region = primary (graceful)', { activatingRegion: PRIMARY, deactivatingRegion: DR, mode: 'graceful' }, { action: 'failback', targetRegion: PRIMARY }],
    ['ungraceful', { activateRegion: DR, executionMode: 'ungraceful' }, { action: 'failover', targetRegion: DR, dryRun: false }],
    ['practice mode', { action: 'Activate', targetRegion: DR, mode: 'PRACTICE' }, { action: 'drill', dryRun: true }],
    ['post-recovery', { action: 'postRecovery', targetRegion: DR }, { action: 'drill', dryRun: true }],
    ['only a plan ARN: the region it runs in is the activating one', { planArn: 'arn:aws:arc-region-switch::111122223333:plan/orders:abc123' }, { action: 'switchover', targetRegion: DR }],
  ])('%s', (_name, event, expected) => {
    expect(normalizeEvent(event, ctx)).toMatchObject({ ...expected, invokedBy: 'region-switch' });
  });

  test('an unrecognised or wrong event is rejected, naming what was received', () => {
    expect(() => normalizeEvent({ foo: 1 }, ctx)).toThrow('failover: unrecognised event (keys: foo)');
    expect(() => normalizeEvent({}, ctx)).toThrow('unrecognised event (keys: none)');
    expect(() => normalizeEvent({ action: 'failback', targetRegion: DR }, ctx)).toThrow('failback returns to PRIMARY_REGION (us-east-1)');
    expect(() => normalizeEvent({ action: 'activate', targetRegion: 'ap-south-1' }, ctx)).toThrow('targetRegion must be PRIMARY_REGION (us-east-1) or DR_REGION (eu-central-1), got "ap-south-1"');
    expect(() => normalizeEvent({ action: 'switchover', dryRun: 'yes' }, ctx)).toThrow('dryRun must be true or false');
  });

  test('a Region switch invocation runs end to end and the report names the plan and execution', async () => {
    setConfig({ RDS_REPLICAS: undefined });
    ssm.on(GetParameterCommand).resolves(parameter(PRIMARY));
    simulateAurora('primary');

    const result = await mod.handler({
      planArn: 'arn:aws:arc-region-switch::111122223333:plan/orders:abc123', executionId: 'ex-42', action: 'activate', targetRegion: DR, mode: 'graceful',
    });

    expect(result).toMatchObject({ action: 'switchover', invokedBy: 'region-switch', executionId: 'ex-42', targetRegion: DR });
    expect(rdsDr).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 1);
    expect(published().Message).toContain('Invoked by: ARC Region switch plan arn:aws:arc-region-switch::111122223333:plan/orders:abc123 (graceful), execution ex-42');
  });
});

describe('configuration and pure parts', () => {
  test('every configuration problem is reported at once', () => {
    let error: unknown;
    try {
      parseFailoverConfig({
        PRIMARY_REGION: 'us-east-1',
        DR_REGION: 'Frankfurt',
        TOPIC_ARN: 'dr-alerts',
        METRIC_NAMESPACE: NS,
        RTO_SECONDS: '0',
        RDS_REPLICAS: '["ok-id", "1bad"]',
        AURORA_GLOBAL_CLUSTERS: '[{"globalClusterIdentifier":"g","secondaryClusterArn":"orders-secondary"}]',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FailoverConfigError);
    expect((error as FailoverConfigError).problems).toEqual([
      'ACTIVE_REGION_PARAMETER is required (the SSM parameter name that holds the active region) but is not set',
      'DR_REGION must be an AWS region such as "eu-central-1", got "Frankfurt"',
      'TOPIC_ARN must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got "dr-alerts"',
      'RTO_SECONDS must be a positive whole number, got "0"',
      'RDS_REPLICAS[1] must be a DB instance identifier (a letter, then up to 62 letters, digits or hyphens), got "1bad"',
      'AURORA_GLOBAL_CLUSTERS[0].secondaryClusterArn must be a DB cluster ARN (arn:<partition>:rds:<region>:<account>:cluster:<id>), got "orders-secondary"',
    ]);
  });

  test('invalid JSON is a clear error and the handler makes no call', async () => {
    setConfig({ RDS_REPLICAS: '[orders-replica]' });
    await expect(mod.handler({ action: 'switchover' })).rejects.toThrow(/RDS_REPLICAS is not valid JSON \(.+\); got \[orders-replica\]/);
    expect(ssm.calls()).toHaveLength(0);
    expect(rdsDr.calls()).toHaveLength(0);
  });

  test('a secondary cluster that is not a member of the global cluster is an error, not a guess', () => {
    const d = decideAurora(
      { GlobalClusterMembers: [{ DBClusterArn: PRIMARY_CLUSTER, IsWriter: true }] },
      { globalClusterIdentifier: GLOBAL_ID, secondaryClusterArn: SECONDARY_CLUSTER },
      DR,
      false,
    );
    expect(d).toMatchObject({ kind: 'error', detail: expect.stringContaining(`${SECONDARY_CLUSTER} is not a member of global cluster ${GLOBAL_ID}`) });
  });

  test('a run slower than RTO_SECONDS says so in the subject, the body and exceededRto', () => {
    const result: FailoverResult = {
      action: 'failover',
      targetRegion: DR,
      dryRun: false,
      invokedBy: 'direct',
      previousActiveRegion: PRIMARY,
      steps: [
        { name: 'read-active-region', status: 'done', seconds: 0.1, detail: 'read' },
        { name: `aurora:${GLOBAL_ID}`, status: 'done', seconds: 1000, detail: 'switched' },
        { name: 'flip-active-region', status: 'done', seconds: 0.2, detail: 'flipped' },
      ],
      totalSeconds: 1000.3,
      rtoSeconds: 900,
      exceededRto: true,
    };
    const report = formatReport(result, { activeRegionParameter: PARAM });
    expect(report.subject).toBe('[DR] failover to eu-central-1 done in 1000.3 s (RTO 900 s EXCEEDED)');
    expect(report.message).toContain('RTO 900 s: EXCEEDED by 100.3 s');
    const now = new Date('2026-11-03T12:00:00Z');
    expect(failoverMetricData(result, now)).toEqual([
      { MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: 'read-active-region' }], Value: 0.1, Unit: 'Seconds', Timestamp: now },
      { MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: `aurora:${GLOBAL_ID}` }], Value: 1000, Unit: 'Seconds', Timestamp: now },
      { MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: 'flip-active-region' }], Value: 0.2, Unit: 'Seconds', Timestamp: now },
      { MetricName: 'FailoverTotalSeconds', Value: 1000.3, Unit: 'Seconds', Timestamp: now },
    ]);
  });

  test('a lost SNS report does not turn a completed switch into a failure', async () => {
    setConfig({ RDS_REPLICAS: undefined, AURORA_GLOBAL_CLUSTERS: undefined });
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Parameter not found'), { name: 'ParameterNotFound' }));
    sns.on(PublishCommand).rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));

    const result = await mod.handler({ action: 'switchover' });

    expect(result.notified).toBe(false);
    expect(result.previousActiveRegion).toBeNull();
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: PARAM, Value: DR, Type: 'String', Overwrite: true });
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  });
});
