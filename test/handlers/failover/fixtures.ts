/**
 * Shared set-up and helpers for the *.test.ts files of this folder (one file per concern).
 *
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
  DescribeDBInstancesCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, PromoteReadReplicaCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { replaceEnv, setHandlerEnv } from '../../support/fake-aws';

export type HandlerModule = typeof import('../../../lambda-src/failover.lambda');

export const PRIMARY = 'us-east-1';
export const DR = 'eu-central-1';
export const ACCOUNT = '111122223333';
export const PARAM = '/orders/active-region';
export const TOPIC_ARN = `arn:aws:sns:${DR}:${ACCOUNT}:dr-alerts`;
export const NS = 'CdkCompliantBackup/DR';
export const GLOBAL_ID = 'orders-global';
export const PRIMARY_CLUSTER = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:orders-primary`;
export const SECONDARY_CLUSTER = `arn:aws:rds:${DR}:${ACCOUNT}:cluster:orders-secondary`;
export const REPLICA = 'orders-replica';
export const REPLICA_SOURCE = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:orders-db`;

export const BASE_ENV: Record<string, string> = {
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
export const CONFIG_KEYS = [...Object.keys(BASE_ENV), 'ACTIVE_REGION_PARAMETER_REGION', 'FINISH_RESERVE_MS'];

export function setConfig(overrides: Record<string, string | undefined> = {}) {
  replaceEnv(CONFIG_KEYS, { ...BASE_ENV, ...overrides });
}

export type Writer = 'primary' | 'secondary';
export type FailoverStatus = 'pending' | 'failing-over' | 'cancelling';
export function globalCluster(writer: Writer, failoverState?: { Status: FailoverStatus; FromDbClusterArn?: string; ToDbClusterArn?: string }) {
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
export function replica(status: string, stillReplica: boolean) {
  return {
    DBInstances: [{
      DBInstanceIdentifier: REPLICA,
      DBInstanceStatus: status,
      ...(stillReplica ? { ReadReplicaSourceDBInstanceIdentifier: REPLICA_SOURCE } : {}),
    }],
  };
}
export const parameter = (value: string) => ({ Parameter: { Name: PARAM, Value: value, Type: 'String' as const, Version: 3 } });

/** No Aurora switch and no promotion reached this RDS client. */
export function expectNoRdsMutations(stub: AwsClientStub<any>) {
  expect(stub).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  expect(stub).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  expect(stub).not.toHaveReceivedCommand(PromoteReadReplicaCommand);
}

export let mod: HandlerModule;
export let restoreEnv: () => void;
export let rdsDr: AwsClientStub<any>;
export let rdsPrimary: AwsClientStub<any>;
export let ssm: AwsClientStub<any>;
export let sns: AwsClientStub<any>;
export let cw: AwsClientStub<any>;
export let order: string[];

/** Describe answers that follow what the mutating calls did, like the real service. */
export function simulateAurora(initial: Writer, opts: { pendingPolls?: number } = {}) {
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

export function simulateReplica(initiallyReplica: boolean) {
  let isReplica = initiallyReplica;
  rdsDr.on(PromoteReadReplicaCommand).callsFake(() => {
    isReplica = false;
    order.push('rds:promote');
    return { DBInstance: {} };
  });
  rdsDr.on(DescribeDBInstancesCommand).callsFake(() => replica(isReplica ? 'available' : 'modifying', isReplica));
}

export function published(): PublishCommandInput {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

export function metricsPut(): PutMetricDataCommandInput {
  const calls = cw.commandCalls(PutMetricDataCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

export const stepSeconds = (Step: string) => ({
  MetricName: 'FailoverStepSeconds', Dimensions: [{ Name: 'Step', Value: Step }], Value: expect.any(Number), Unit: 'Seconds', Timestamp: expect.any(Date),
});

/** Loads the handler with the DR environment once and gives every test fresh per-region client stubs. */
export function installFailoverStubs(): void {
  beforeAll(() => {
    restoreEnv = setHandlerEnv(DR, {}, CONFIG_KEYS);
    mod = jest.requireActual<HandlerModule>('../../../lambda-src/failover.lambda');
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
}
