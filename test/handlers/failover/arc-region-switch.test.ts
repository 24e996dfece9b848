/** Failover handler: invocations as an ARC Region switch custom step. */
import { SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import { PRIMARY, DR, setConfig, parameter, mod, rdsDr, ssm, simulateAurora, published, installFailoverStubs } from './fixtures';
import { normalizeEvent } from '../../../lambda-src/failover/event';

installFailoverStubs();

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
