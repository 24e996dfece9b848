import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import { BackupTier, CompliantBackupSystem, CompliantBackupSystemProps, VaultEvent } from '../../src';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

const DEFAULT_EVENTS = ['BACKUP_JOB_COMPLETED', 'COPY_JOB_FAILED', 'RESTORE_JOB_COMPLETED', 'RECOVERY_POINT_MODIFIED',
  'S3_BACKUP_OBJECT_FAILED', 'S3_RESTORE_OBJECT_FAILED'];

function systemStack(props: CompliantBackupSystemProps = {}) {
  const stack = new Stack(testApp(), 'Continuous', { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', props);
  return { stack, system };
}

/** The BackupVaultEvents of the vault of `type` whose logical ID starts with `prefix` (exactly one). */
function vaultEvents(stack: Stack, type: string, prefix: string): string[] {
  const vaults = Object.entries(Template.fromStack(stack).findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(vaults).toHaveLength(1);
  return (vaults[0][1] as any).Properties.Notifications.BackupVaultEvents;
}

const primaryEvents = (stack: Stack) => vaultEvents(stack, 'AWS::Backup::BackupVault', 'BackupsPrimaryVault');
const airGappedEvents = (stack: Stack) => vaultEvents(stack, 'AWS::Backup::LogicallyAirGappedBackupVault', 'BackupsAirGappedVault');

describe('a continuous tier subscribes the vaults it backs up into to CONTINUOUS_BACKUP_INTERRUPTED', () => {
  test('without a continuous tier the primary vault keeps the default events', () => {
    const { stack } = systemStack({ tiers: [BackupTier.daily(), BackupTier.weekly()] });
    expect(primaryEvents(stack)).toEqual(DEFAULT_EVENTS);
  });

  test('BackupTier.continuous(): the primary vault gets it after the defaults', () => {
    const { stack } = systemStack({ tiers: [BackupTier.daily(), BackupTier.continuous()] });
    expect(primaryEvents(stack)).toEqual([...DEFAULT_EVENTS, 'CONTINUOUS_BACKUP_INTERRUPTED']);
  });

  test('continuous: true on a tier of its own, twice: subscribed once', () => {
    const tier = (name: string) => new BackupTier({
      name, schedule: BackupTier.daily().props.schedule, retention: Duration.days(7), continuous: true,
    });
    const { stack } = systemStack({ tiers: [tier('pitr-a'), tier('pitr-b')] });
    expect(primaryEvents(stack)).toEqual([...DEFAULT_EVENTS, 'CONTINUOUS_BACKUP_INTERRUPTED']);
  });

  test('a continuous tier added later with addTier()', () => {
    const { stack, system } = systemStack({ tiers: [BackupTier.daily()] });
    system.addTier(BackupTier.continuous({ name: 'pitr', retention: Duration.days(35) }));
    expect(primaryEvents(stack)).toEqual([...DEFAULT_EVENTS, 'CONTINUOUS_BACKUP_INTERRUPTED']);
  });

  test('the vault\'s own events are kept: notificationEvents and events', () => {
    const legacy = systemStack({
      tiers: [BackupTier.continuous()],
      vault: { notificationEvents: [backup.BackupVaultEvents.BACKUP_JOB_COMPLETED] },
    });
    expect(primaryEvents(legacy.stack)).toEqual(['BACKUP_JOB_COMPLETED', 'CONTINUOUS_BACKUP_INTERRUPTED']);

    const typed = systemStack({
      tiers: [BackupTier.continuous()],
      vault: { events: [VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED, VaultEvent.RECOVERY_POINT_INDEXING_FAILED] },
    });
    expect(primaryEvents(typed.stack)).toEqual(['CONTINUOUS_BACKUP_INTERRUPTED', 'RECOVERY_POINT_INDEXING_FAILED']);
  });

  test('an air-gapped continuous tier subscribes the air-gapped vault too; other air-gapped tiers do not', () => {
    const snapshotsOnly = systemStack({ tiers: [BackupTier.daily(), BackupTier.weekly({ airGapped: true })] });
    expect(airGappedEvents(snapshotsOnly.stack)).toEqual(DEFAULT_EVENTS);

    const { stack } = systemStack({ tiers: [BackupTier.continuous({ airGapped: true })] });
    expect(primaryEvents(stack)).toEqual([...DEFAULT_EVENTS, 'CONTINUOUS_BACKUP_INTERRUPTED']);
    expect(airGappedEvents(stack)).toEqual([...DEFAULT_EVENTS, 'CONTINUOUS_BACKUP_INTERRUPTED']);
  });

  test('a continuous tier that is not air-gapped leaves the air-gapped vault as it is', () => {
    const { stack } = systemStack({ tiers: [BackupTier.weekly({ airGapped: true }), BackupTier.continuous()] });
    expect(primaryEvents(stack)).toEqual([...DEFAULT_EVENTS, 'CONTINUOUS_BACKUP_INTERRUPTED']);
    expect(airGappedEvents(stack)).toEqual(DEFAULT_EVENTS);
  });
});
