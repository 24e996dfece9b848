/** Failover handler: promoting RDS cross-region read replicas. */
import {
  DescribeDBInstancesCommand, DescribeGlobalClustersCommand, PromoteReadReplicaCommand, SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import {
  HandlerModule, PRIMARY, DR, PARAM, GLOBAL_ID, PRIMARY_CLUSTER, REPLICA, setConfig, Writer, globalCluster, replica, parameter,
  expectNoRdsMutations, mod, rdsDr, rdsPrimary, ssm, installFailoverStubs,
} from './fixtures';

installFailoverStubs();

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
