/** Failover handler: Aurora global switchover and failover, dry runs and drills. */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBInstancesCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, PromoteReadReplicaCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import {
  HandlerModule, PRIMARY, DR, ACCOUNT, PARAM, TOPIC_ARN, NS, GLOBAL_ID, PRIMARY_CLUSTER, SECONDARY_CLUSTER, REPLICA, setConfig, globalCluster,
  replica, parameter, expectNoRdsMutations, mod, rdsDr, rdsPrimary, ssm, sns, cw, order, simulateAurora, simulateReplica, published, metricsPut,
  stepSeconds, installFailoverStubs,
} from './fixtures';

installFailoverStubs();

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
