import { BackupVaultEvent } from '@aws-sdk/client-backup';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import { AuditedVault, AuditedVaultProps, VaultEvent } from '../src';
import { testApp } from './support/compliance';
import { ComplianceRuleError } from '../src/validation/errors';
import { DEPRECATED_VAULT_EVENTS } from '../src/validation/vault';

const ENV = { account: '111111111111', region: 'us-east-1' };

const DEFAULT_EVENTS = ['BACKUP_JOB_COMPLETED', 'COPY_JOB_FAILED', 'RESTORE_JOB_COMPLETED', 'RECOVERY_POINT_MODIFIED',
  'S3_BACKUP_OBJECT_FAILED', 'S3_RESTORE_OBJECT_FAILED'];

/**
 * The six backup access-point events of the API reference's PutBackupVaultNotifications
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultNotifications.html),
 * newer than the @aws-sdk/client-backup installed here.
 */
const ACCESS_POINT_EVENTS = ['ACCESS_POINT_AVAILABLE', 'ACCESS_POINT_CREATION_FAILED', 'ACCESS_POINT_DELETED',
  'ACCESS_POINT_DELETION_FAILED', 'ACCESS_POINT_EXPIRED', 'ACCESS_POINT_DISASSOCIATED'];

function newVault(props?: AuditedVaultProps): { stack: Stack; vault: AuditedVault } {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  return { stack, vault: new AuditedVault(stack, 'Vault', props) };
}

/** The BackupVaultEvents the only vault of the stack renders (read at call time, so later additions show). */
function renderedEvents(stack: Stack, type = 'AWS::Backup::BackupVault'): string[] {
  const vaults = Object.values(Template.fromStack(stack).findResources(type)) as any[];
  expect(vaults).toHaveLength(1);
  return vaults[0].Properties.Notifications.BackupVaultEvents;
}

describe('VaultEvent', () => {
  const members = Object.entries(VaultEvent).filter(([, v]) => v instanceof VaultEvent) as Array<[string, VaultEvent]>;

  test('each member is named as AWS Backup spells the event', () => {
    expect(members.length).toBeGreaterThan(0);
    expect(members.filter(([key, e]) => key !== e.eventName).map(([key]) => key)).toEqual([]);
  });

  test('the members are every event the AWS SDK knows that AWS Backup still delivers, plus the access-point events', () => {
    const delivered = Object.values(BackupVaultEvent).filter((e) => !DEPRECATED_VAULT_EVENTS.has(e));
    expect(members.map(([, e]) => e.eventName).sort()).toEqual([...delivered, ...ACCESS_POINT_EVENTS].sort());
  });

  test('no deprecated event is a member, and every deprecated event is one the SDK still lists', () => {
    expect(members.filter(([, e]) => DEPRECATED_VAULT_EVENTS.has(e.eventName))).toEqual([]);
    expect([...DEPRECATED_VAULT_EVENTS].filter((e) => !(Object.values(BackupVaultEvent) as string[]).includes(e))).toEqual([]);
  });

  test('covers every member of aws-cdk-lib\'s BackupVaultEvents that AWS Backup still delivers', () => {
    const cdk = Object.values(backup.BackupVaultEvents).filter((e) => !DEPRECATED_VAULT_EVENTS.has(e));
    expect(cdk.filter((e) => !members.some(([, m]) => m.eventName === e))).toEqual([]);
  });

  test('of() names an event by its AWS name', () => {
    expect(VaultEvent.of('A_NEWER_EVENT').eventName).toBe('A_NEWER_EVENT');
    expect(`${VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED}`).toBe('CONTINUOUS_BACKUP_INTERRUPTED');
  });
});

describe('AuditedVault notification events', () => {
  test('default: unchanged, failure-focused', () => {
    const { stack } = newVault();
    expect(renderedEvents(stack)).toEqual(DEFAULT_EVENTS);
  });

  test('events: exactly the events given, in the order given, each once', () => {
    const { stack } = newVault({
      events: [VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED, VaultEvent.RECOVERY_POINT_INDEXING_FAILED, VaultEvent.EKS_BACKUP_OBJECT_FAILED,
        VaultEvent.ACCESS_POINT_CREATION_FAILED, VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED],
    });
    expect(renderedEvents(stack)).toEqual(['CONTINUOUS_BACKUP_INTERRUPTED', 'RECOVERY_POINT_INDEXING_FAILED', 'EKS_BACKUP_OBJECT_FAILED',
      'ACCESS_POINT_CREATION_FAILED']);
  });

  test('notificationEvents keeps working as before', () => {
    const { stack } = newVault({ notificationEvents: [backup.BackupVaultEvents.COPY_JOB_FAILED, backup.BackupVaultEvents.BACKUP_JOB_STARTED] });
    expect(renderedEvents(stack)).toEqual(['COPY_JOB_FAILED', 'BACKUP_JOB_STARTED']);
  });

  test('addNotificationEvents() after construction: appended to the defaults, deduplicated, seen at synth', () => {
    const { stack, vault } = newVault();
    vault.addNotificationEvents(VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED, VaultEvent.COPY_JOB_FAILED);
    vault.addNotificationEvents(VaultEvent.RECOVERY_POINT_INDEXING_FAILED, VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED);
    expect(renderedEvents(stack)).toEqual([...DEFAULT_EVENTS, 'CONTINUOUS_BACKUP_INTERRUPTED', 'RECOVERY_POINT_INDEXING_FAILED']);
  });

  test('addNotificationEvents() adds to notificationEvents and to events', () => {
    const legacy = newVault({ notificationEvents: [backup.BackupVaultEvents.COPY_JOB_FAILED] });
    legacy.vault.addNotificationEvents(VaultEvent.of('COPY_JOB_FAILED'), VaultEvent.EKS_RESTORE_OBJECT_SKIPPED);
    expect(renderedEvents(legacy.stack)).toEqual(['COPY_JOB_FAILED', 'EKS_RESTORE_OBJECT_SKIPPED']);

    const typed = newVault({ events: [VaultEvent.ACCESS_POINT_EXPIRED] });
    typed.vault.addNotificationEvents(VaultEvent.of('A_NEWER_EVENT'));
    expect(renderedEvents(typed.stack)).toEqual(['ACCESS_POINT_EXPIRED', 'A_NEWER_EVENT']);
  });

  test('an air-gapped vault renders its events the same way', () => {
    const { stack, vault } = newVault({
      airGapped: true,
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(35) },
      events: [VaultEvent.COPY_JOB_FAILED],
    });
    vault.addNotificationEvents(VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED);
    expect(renderedEvents(stack, 'AWS::Backup::LogicallyAirGappedBackupVault')).toEqual(['COPY_JOB_FAILED', 'CONTINUOUS_BACKUP_INTERRUPTED']);
  });
});

// One test per rule: the message names the construct path, the prop, the value and what is allowed.
describe('AuditedVault notification event rules', () => {
  test('events and notificationEvents together: an error naming both props', () => {
    const create = () => newVault({ events: [VaultEvent.COPY_JOB_FAILED], notificationEvents: [backup.BackupVaultEvents.BACKUP_JOB_COMPLETED] });
    expect(create).toThrow(ComplianceRuleError);
    expect(create).toThrow('S/Vault: events is [COPY_JOB_FAILED]; notificationEvents is set too ([BACKUP_JOB_COMPLETED]): set events '
      + "(VaultEvent, every event AWS Backup delivers) or notificationEvents (aws-cdk-lib's BackupVaultEvents), not both");
  });

  test.each([
    ['lower case', 'backup_job_completed'],
    ['hyphens', 'BACKUP-JOB-COMPLETED'],
    ['spaces', 'BACKUP JOB COMPLETED'],
    ['empty', ''],
    ['a leading underscore', '_BACKUP_JOB_COMPLETED'],
    ['doubled underscores', 'BACKUP__JOB_COMPLETED'],
  ])('of() with %s is rejected where a vault receives it', (_, name) => {
    const message = `S/Vault: events is [..., '${name}', ...]; a vault notification event is upper-case words joined by underscores, `
      + "as AWS Backup spells it (VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED, VaultEvent.of('NEW_EVENT_NAME'))";
    expect(() => newVault({ events: [VaultEvent.of(name)] })).toThrow(message);
    const { vault } = newVault();
    expect(() => vault.addNotificationEvents(VaultEvent.of(name))).toThrow(message.replace('events is', 'addNotificationEvents() is'));
  });

  test.each([...DEPRECATED_VAULT_EVENTS])('of(\'%s\') is rejected with the deprecation message', (name) => {
    const allowed = `AWS Backup no longer sends ${name}; use BACKUP_JOB_COMPLETED or RESTORE_JOB_COMPLETED (their message carries the state) `
      + 'or onBackupJobFailed()';
    expect(() => newVault({ events: [VaultEvent.of(name)] })).toThrow(`S/Vault: events is [..., ${name}, ...]; ${allowed}`);
    const { vault } = newVault();
    expect(() => vault.addNotificationEvents(VaultEvent.of(name))).toThrow(`S/Vault: addNotificationEvents() is [..., ${name}, ...]; ${allowed}`);
  });

  test('a rejected addNotificationEvents() call adds none of its events', () => {
    const { stack, vault } = newVault();
    expect(() => vault.addNotificationEvents(VaultEvent.CONTINUOUS_BACKUP_INTERRUPTED, VaultEvent.of('BACKUP_JOB_FAILED'))).toThrow(ComplianceRuleError);
    expect(renderedEvents(stack)).toEqual(DEFAULT_EVENTS);
  });

  test('events that are not VaultEvents (as JavaScript can pass them) are rejected by type', () => {
    expect(() => newVault({ events: ['BACKUP_JOB_COMPLETED'] as any })).toThrow(
      "S/Vault: events[0] is the string 'BACKUP_JOB_COMPLETED'; expected an object");
  });
});
